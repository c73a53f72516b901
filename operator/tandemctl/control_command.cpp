// tandemctl standby | unstandby | ban | move | clear | cleanup: change a
// running cluster through its operator (POST /v1/commands), as crm_standby
// and crm_resource do. The operator checks the names against the cluster
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
};

int run(ControlOptions& options) {
  const std::string name(control::to_string(options.command.verb));
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

}  // namespace tandem::ctl
