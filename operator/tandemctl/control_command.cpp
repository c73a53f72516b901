// tandemctl standby | unstandby | ban | move | clear | cleanup |
// maintenance | unmanage | manage: change a running cluster through its
// operator (POST /v1/commands), as crm_standby, crm_resource and
// crm_attribute do. The operator checks the names against the cluster
// and answers with what it did.

#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/core/duration.h"
#include "operator/control/command.h"
#include "operator/tandemctl/commands.h"
#include "operator/tandemctl/operator_api.h"

namespace tandem::ctl {
namespace {

struct ControlOptions {
  OperatorEndpoint endpoint;
  control::ControlCommand command;
  std::string lifetime;
  // maintenance: NODE on|off, or --cluster on|off (CLI11 fills these in
  // order, so with --cluster the first is the state).
  std::string target;
  std::string state;
};

// `maintenance NODE on|off` or `maintenance --cluster on|off` into the
// command; false, with the message printed, when they do not fit.
bool maintenance_arguments(ControlOptions& options) {
  control::ControlCommand& command = options.command;
  std::string state = options.state;
  if (command.cluster) {
    if (!state.empty()) {
      std::cerr << "tandemctl maintenance: --cluster takes no node (got " << options.target
                << ")\n";
      return false;
    }
    state = options.target;
  } else {
    command.node = options.target;
  }
  if (state != "on" && state != "off") {
    std::cerr << "tandemctl maintenance: expected on or off"
              << (state.empty() ? std::string() : ", got " + state) << " ("
              << (command.cluster ? "tandemctl maintenance --cluster on|off"
                                  : "tandemctl maintenance NODE on|off")
              << ")\n";
    return false;
  }
  command.on = state == "on";
  return true;
}

int run(ControlOptions& options) {
  const std::string name(control::to_string(options.command.verb));
  if (options.command.verb == control::Verb::kMaintenance && !maintenance_arguments(options))
    return kExitUsage;
  if (!options.lifetime.empty()) {
    auto lifetime = parse_duration(options.lifetime);
    if (!lifetime || lifetime->count() <= 0) {
      std::cerr << "tandemctl " << name << ": --lifetime " << options.lifetime
                << ": expected a positive duration such as 30m, 2h or 1h30m"
                << (lifetime ? "" : " (" + lifetime.error().message + ")") << "\n";
      return kExitUsage;
    }
    options.command.lifetime_ms = lifetime->count();
  }
  auto token = endpoint_token(options.endpoint);
  if (!token) {
    std::cerr << "tandemctl " << name << ": " << token.error().message << "\n";
    return kExitUsage;
  }
  auto answer =
      exchange(options.endpoint, *token, "/v1/commands", control::encode(options.command));
  if (!answer) {
    std::cerr << "tandemctl " << name << ": " << answer.error().message << "\n";
    return kExitInvalid;
  }
  nlohmann::json parsed = nlohmann::json::parse(*answer, nullptr, false);
  if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string()) {
    std::cout << parsed["message"].get<std::string>() << "\n";
  } else {
    std::cout << *answer;
  }
  return kExitOk;
}

Command add(CLI::App& app, control::Verb verb, const std::string& help,
            const std::function<void(CLI::App&, ControlOptions&)>& arguments) {
  auto options = std::make_shared<ControlOptions>();
  options->command.verb = verb;
  CLI::App* cmd = app.add_subcommand(std::string(control::to_string(verb)), help);
  arguments(*cmd, *options);
  add_endpoint_options(*cmd, options->endpoint);
  return [options] { return run(*options); };
}

// The one argument of unmanage and manage.
void resource_argument(CLI::App& cmd, ControlOptions& o) {
  cmd.add_option("RESOURCE", o.command.resource, "The resource or group")->required();
}

}  // namespace

Command add_standby_command(CLI::App& app) {
  return add(app, control::Verb::kStandby,
             "Put a node in standby: its resources move to other nodes (crm_standby -v on)",
             [](CLI::App& cmd, ControlOptions& o) {
               cmd.add_option("NODE", o.command.node, "The node")->required();
             });
}

Command add_unstandby_command(CLI::App& app) {
  return add(app, control::Verb::kUnstandby,
             "Take a node out of standby that tandemctl standby put there",
             [](CLI::App& cmd, ControlOptions& o) {
               cmd.add_option("NODE", o.command.node, "The node")->required();
             });
}

Command add_ban_command(CLI::App& app) {
  return add(app, control::Verb::kBan,
             "Keep a resource off a node (default: the node it runs on now), as crm_resource "
             "--ban does; undo with tandemctl clear",
             [](CLI::App& cmd, ControlOptions& o) {
               cmd.add_option("RESOURCE", o.command.resource, "The resource or group")->required();
               cmd.add_option("NODE", o.command.node, "The node to keep it off");
               cmd.add_option("--lifetime", o.lifetime,
                              "Remove the ban after this long (30m, 2h, 1h30m)");
             });
}

Command add_move_command(CLI::App& app) {
  return add(app, control::Verb::kMove,
             "Move a resource to a node and keep it there, as crm_resource --move does; undo "
             "with tandemctl clear",
             [](CLI::App& cmd, ControlOptions& o) {
               cmd.add_option("RESOURCE", o.command.resource, "The resource or group")->required();
               cmd.add_option("NODE", o.command.node, "The node to move it to")->required();
               cmd.add_option("--lifetime", o.lifetime,
                              "Remove the constraint after this long (30m, 2h, 1h30m)");
             });
}

Command add_clear_command(CLI::App& app) {
  return add(app, control::Verb::kClear,
             "Remove the ban and move constraints tandemctl set for a resource",
             [](CLI::App& cmd, ControlOptions& o) {
               cmd.add_option("RESOURCE", o.command.resource, "The resource or group")->required();
               cmd.add_option("--node", o.command.node, "Only those naming this node");
             });
}

Command add_cleanup_command(CLI::App& app) {
  return add(app, control::Verb::kCleanup,
             "Forget a resource's failures (fail counts and failed operations) and probe it "
             "again, as crm_resource --cleanup does",
             [](CLI::App& cmd, ControlOptions& o) {
               cmd.add_option("RESOURCE", o.command.resource, "The resource or group")->required();
               cmd.add_option("--node", o.command.node,
                              "Only on this node (default: every node with failures of it)");
             });
}

Command add_maintenance_command(CLI::App& app) {
  return add(app, control::Verb::kMaintenance,
             "Put a node (or with --cluster the whole cluster) in maintenance or take it out: "
             "nothing is started, stopped or fenced there and monitors pause, as Pacemaker's "
             "maintenance node attribute and maintenance-mode do",
             [](CLI::App& cmd, ControlOptions& o) {
               cmd.add_option("NODE", o.target, "The node (with --cluster: on or off)")->required();
               cmd.add_option("STATE", o.state, "on or off");
               cmd.add_flag("--cluster", o.command.cluster, "The whole cluster (maintenance-mode)");
             });
}

Command add_unmanage_command(CLI::App& app) {
  return add(app, control::Verb::kUnmanage,
             "Leave a resource (or group) alone: nothing starts, stops or moves it, its monitors "
             "go on (is-managed=false, crm_resource --meta -p is-managed -v false)",
             resource_argument);
}

Command add_manage_command(CLI::App& app) {
  return add(app, control::Verb::kManage,
             "Manage a resource (or group) again that tandemctl unmanage left alone",
             resource_argument);
}

}  // namespace tandem::ctl
