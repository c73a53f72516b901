// tandem-sidecar run-op: runs one operation of one resource, by hand, the
// way the engine would (same environment, timeout and output bounds), and
// prints what came of it. For debugging agents and manifests.

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "common/core/text.h"
#include "common/manifest/load.h"
#include "common/model/normalize.h"
#include "common/model/validate.h"
#include "sidecar/cli/agent_bin_dir.h"
#include "sidecar/cli/commands.h"
#include "sidecar/executor/attribute_store.h"
#include "sidecar/executor/engine.h"
#include "sidecar/executor/exit_code.h"

namespace tandem::sidecar {
namespace {

using namespace executor;

// timeout(1)'s status for "the command timed out".
constexpr int kExitTimedOut = 124;

struct Options {
  std::string resource_file;
  std::string name;
  std::string action;
  std::string interval = "0";
  std::string timeout;
  std::optional<int> instance;
  std::string node;
  std::string ocf_root{kDefaultOcfRoot};
  std::string state_dir = "/run/tandem";
  std::string agent_bin_dir;
  std::size_t output_limit = kDefaultOutputLimit;
  std::string notify_type;
  std::string notify_operation;
};

std::string host_name() {
  std::string buffer(256, '\0');
  if (::gethostname(buffer.data(), buffer.size() - 1) < 0) return "localhost";
  buffer.resize(buffer.find('\0'));
  return buffer;
}

std::string agent_label(const model::Agent& agent) {
  if (agent.ocf) return "ocf:" + agent.ocf->provider + ":" + agent.ocf->type;
  if (agent.process) return "process " + quote(agent.process->command.front());
  if (agent.systemd) return "systemd:" + agent.systemd->unit;
  return "?";
}

void print_indented(const std::string& text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::cout << "  " << text.substr(start, end - start) << "\n";
    start = end + 1;
  }
}

std::map<std::string, std::string> snapshot(const std::optional<AttributeStore>& store) {
  if (!store) return {};
  auto all = store->all();
  return all ? *all : std::map<std::string, std::string>{};
}

int run(const Options& options) {
  auto action = parse_action(options.action);
  if (!action) {
    std::cerr << "tandem-sidecar run-op: " << quote(options.action)
              << " is not an action; use start, stop, monitor, promote, demote, notify, reload, "
                 "reload-agent, migrate_to, migrate_from, meta-data or validate-all\n";
    return kExitUsage;
  }
  auto interval = parse_duration(options.interval);
  if (!interval) {
    std::cerr << "tandem-sidecar run-op: --interval: " << interval.error().message << "\n";
    return kExitUsage;
  }
  std::optional<Duration> timeout;
  if (!options.timeout.empty()) {
    auto parsed = parse_duration(options.timeout);
    if (!parsed || *parsed <= Duration::zero()) {
      std::cerr << "tandem-sidecar run-op: --timeout: "
                << (parsed ? "must be longer than 0s" : parsed.error().message) << "\n";
      return kExitUsage;
    }
    timeout = *parsed;
  }

  auto loaded = manifest::load_manifests({options.resource_file});
  if (!loaded) {
    std::cerr << "tandem-sidecar run-op: " << loaded.error().message << "\n";
    return kExitDataErr;
  }
  model::validate(loaded->manifests, loaded->diagnostics);
  for (const model::Diagnostic& d : loaded->diagnostics.items()) std::cerr << d.to_string() << "\n";
  if (loaded->diagnostics.has_errors()) {
    std::cerr << "tandem-sidecar run-op: the manifests are invalid; nothing was run\n";
    return kExitDataErr;
  }
  model::normalize(loaded->manifests);
  const auto& resources = loaded->manifests.resources;
  const model::HAResource* resource = nullptr;
  for (const auto& r : resources) {
    if (options.name.empty() ? resources.size() == 1 : r.metadata.name == options.name)
      resource = &r;
  }
  if (resource == nullptr) {
    std::string names;
    for (const auto& r : resources) names += (names.empty() ? "" : ", ") + r.metadata.name;
    if (resources.empty()) {
      std::cerr << "tandem-sidecar run-op: " << options.resource_file << " holds no HAResource\n";
    } else if (options.name.empty()) {
      std::cerr << "tandem-sidecar run-op: " << options.resource_file << " holds "
                << resources.size() << " resources (" << names << "); choose one with --name\n";
    } else {
      std::cerr << "tandem-sidecar run-op: no resource " << quote(options.name) << " in "
                << options.resource_file << " (it holds " << names << ")\n";
    }
    return kExitDataErr;
  }

  SteadyClock clock;
  RunnerConfig config;
  config.node.ocf_root = options.ocf_root;
  config.node.node_name = options.node.empty() ? host_name() : options.node;
  config.node.agent_bin_dir =
      options.agent_bin_dir.empty() ? default_agent_bin_dir() : options.agent_bin_dir;
  config.node.attribute_dir = options.state_dir + "/attributes";
  config.state_dir = options.state_dir;
  config.output_limit = options.output_limit;

  std::optional<AttributeStore> store;
  if (resource->spec.agent.ocf) {
    auto opened = AttributeStore::open(config.node.attribute_dir, true);
    if (!opened) {
      std::cerr << "tandem-sidecar run-op: " << opened.error().message << "\n";
      return kExitDataErr;
    }
    store = *opened;
  }
  OperationRunner runner(config, clock);

  AgentInvocation invocation;
  invocation.request.action = *action;
  invocation.request.interval = *interval;
  invocation.request.timeout =
      timeout
          ? *timeout
          : timeout_for(*resource, *action, *interval,
                        *action == Action::kMetaData ? std::map<Action, Duration>{}
                                                     : advised_timeouts(*resource, runner, clock));
  for (const auto& op : resource->spec.operations) {
    if (action_of(op.name) == *action && op.interval == *interval && op.role) {
      invocation.request.role = op.role;
    }
  }
  if (resource->spec.clone) invocation.clone_instance = options.instance.value_or(0);
  if (!options.notify_type.empty() || !options.notify_operation.empty()) {
    invocation.notification = Notification{options.notify_type, options.notify_operation, {}};
  }

  const auto before = snapshot(store);
  OperationResult result =
      runner.run(*resource, invocation, clock.now() + invocation.request.timeout);
  const auto after = snapshot(store);
  Verdict verdict = interpret(invocation.request, result);

  if (*action == Action::kMetaData && result.status == ExecStatus::kDone && result.rc == 0) {
    std::cout << result.output;  // the XML, as the agent printed it
    return 0;
  }
  std::cout << "resource:  " << resource->metadata.namespace_ << "/" << resource->metadata.name
            << " (" << agent_label(resource->spec.agent);
  if (invocation.clone_instance) {
    std::cout << ", instance " << resource_instance(*resource, invocation.clone_instance);
  }
  std::cout << ")\n";
  std::cout << "action:    "
            << (invocation.request.is_probe() ? std::string("monitor (probe)")
                                              : std::string(action_name(*action)))
            << ", interval " << format_duration(invocation.request.interval) << ", timeout "
            << format_duration(invocation.request.timeout) << "\n";
  if (result.status == ExecStatus::kTimedOut) {
    std::cout << "result:    timed out\n";
  } else if (result.status == ExecStatus::kKilled) {
    std::cout << "result:    killed by a signal\n";
  } else {
    std::cout << "result:    " << result.rc << " " << exit_code_meaning(result.rc) << " ("
              << exit_code_name(result.rc) << ")\n";
  }
  std::cout << "state:     " << to_string(verdict.state) << " (" << verdict.summary << ")\n";
  if (verdict.failure != FailureScope::kNone) {
    std::cout << "failure:   " << to_string(verdict.failure) << "\n";
  }
  std::cout << "duration:  " << format_duration(result.duration) << "\n";
  if (!result.exit_reason.empty()) std::cout << "reason:    " << result.exit_reason << "\n";
  for (const auto& [name, value] : after) {
    auto old = before.find(name);
    if (old == before.end()) {
      std::cout << "attribute: " << name << " = " << value << " (set)\n";
    } else if (old->second != value) {
      std::cout << "attribute: " << name << " = " << value << " (was " << old->second << ")\n";
    }
  }
  for (const auto& [name, value] : before) {
    if (!after.contains(name))
      std::cout << "attribute: " << name << " deleted (was " << value << ")\n";
  }
  if (!result.output.empty()) {
    std::cout << "output:";
    if (result.output_bytes > result.output.size()) {
      std::cout << " (last " << result.output.size() << " of " << result.output_bytes << " bytes)";
    }
    std::cout << "\n";
    print_indented(result.output);
  }
  if (result.status != ExecStatus::kDone) return kExitTimedOut;
  return result.rc;
}

}  // namespace

Command add_run_op_command(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "run-op",
      "Run one operation of one resource on this node, as the sidecar would (same environment, "
      "timeout and output bounds), and print the result: exit code and its meaning, duration, "
      "the agent's reason and the tail of its output, and any node attribute or promotion "
      "score it set.");
  cmd->add_option("--resource", options->resource_file,
                  "Manifest file (or directory) with the HAResource; an HACluster beside it "
                  "supplies defaults")
      ->required();
  cmd->add_option("action", options->action,
                  "start, stop, monitor, promote, demote, notify, reload, reload-agent, "
                  "migrate_to, migrate_from, meta-data or validate-all")
      ->required();
  cmd->add_option("--name", options->name, "The resource to use when the file holds several");
  cmd->add_option("--interval", options->interval,
                  "Monitor interval (OCF_RESKEY_CRM_meta_interval); 0, the default, is a probe")
      ->capture_default_str();
  cmd->add_option("--timeout", options->timeout,
                  "Timeout, e.g. 30s (default: the manifest's, else the agent's meta-data, else "
                  "20s)");
  cmd->add_option("--instance", options->instance, "Clone instance number (default 0)")
      ->check(CLI::Range(0, 1 << 20));
  cmd->add_option("--node", options->node, "This node's name (default: the host name)");
  cmd->add_option("--ocf-root", options->ocf_root, "Where OCF agents are installed")
      ->capture_default_str();
  cmd->add_option("--state-dir", options->state_dir,
                  "The sidecar's state: node attributes (attributes/) and supervised processes "
                  "(processes/)")
      ->capture_default_str();
  cmd->add_option("--agent-bin-dir", options->agent_bin_dir,
                  "Directory with the crm_master, crm_attribute, attrd_updater and crm_node "
                  "commands for agents (default: agent-bin beside tandem-sidecar, else "
                  "/usr/libexec/tandem/agent-bin)");
  cmd->add_option("--output-limit", options->output_limit, "Bytes of output to keep (the tail)")
      ->check(CLI::Range(std::size_t{256}, std::size_t{1} << 24))
      ->capture_default_str();
  cmd->add_option("--notify-type", options->notify_type, "For notify: pre or post");
  cmd->add_option("--notify-operation", options->notify_operation,
                  "For notify: start, stop, promote or demote");
  cmd->footer(
      "Exit status: the agent's exit code (0 success, 7 not running, 8 running promoted, ...; "
      "process and systemd results are mapped to the same codes), 124 when the operation timed "
      "out or was killed, 64 usage error, 65 unreadable or invalid manifest.");
  return [options] { return run(*options); };
}

}  // namespace tandem::sidecar
