#include "sidecar/agent/prepared_action.h"

#include <charconv>
#include <string_view>

#include "common/manifest/decode.h"
#include "common/model/normalize.h"
#include "common/model/validate.h"
#include "sidecar/executor/executor_core.h"
#include "sidecar/executor/exit_code.h"

namespace tandem::agent {
namespace {

using executor::Action;

constexpr std::string_view kMetaPrefix = "OCF_RESKEY_CRM_meta_";

Rejection invalid(const protocol::ActionRequest& action, const std::string& why) {
  return Rejection{
      "error", executor::ocf::kErrConfigured,
      "action " + action.id + " (" + action.task + " " + action.resource + "): " + why};
}

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// The action's meta without the OCF_RESKEY_CRM_meta_ prefix, if it has one.
std::map<std::string, std::string> plain_meta(const protocol::ActionRequest& action) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : action.meta) {
    std::string_view name = key;
    if (name.starts_with(kMetaPrefix)) name.remove_prefix(kMetaPrefix.size());
    out[std::string(name)] = value;
  }
  return out;
}

std::optional<Action> supported_task(const std::string& task) {
  if (task == "start") return Action::kStart;
  if (task == "stop") return Action::kStop;
  if (task == "monitor") return Action::kMonitor;
  if (task == "promote") return Action::kPromote;
  if (task == "demote") return Action::kDemote;
  if (task == "notify") return Action::kNotify;
  return std::nullopt;
}

}  // namespace

tl::expected<PreparedAction, Rejection> prepare_action(const protocol::ActionRequest& action) {
  std::optional<Action> task = supported_task(action.task);
  if (!task) {
    return tl::unexpected(Rejection{
        "not_supported", executor::ocf::kErrUnimplemented,
        "action " + action.id + ": this sidecar does not carry out " + action.task + " yet"});
  }
  if (action.interval_ms < 0 || action.timeout_ms < 0)
    return tl::unexpected(invalid(action, "interval and timeout must not be negative"));
  if (action.interval_ms > 0 && *task != Action::kMonitor)
    return tl::unexpected(invalid(action, "only monitors recur"));

  model::Manifests manifests;
  model::Diagnostics diagnostics;
  manifest::decode_file(action.resource_yaml, "action " + action.id, manifests, diagnostics);
  if (!diagnostics.has_errors()) model::validate(manifests, diagnostics);
  if (diagnostics.has_errors()) {
    std::string first;
    for (const model::Diagnostic& d : diagnostics.items()) {
      first = d.to_string();
      break;
    }
    return tl::unexpected(invalid(action, "the manifest is invalid: " + first));
  }
  if (manifests.resources.size() != 1)
    return tl::unexpected(invalid(action, "resource_yaml must hold exactly one HAResource, not " +
                                              std::to_string(manifests.resources.size())));
  model::normalize(manifests);

  PreparedAction out;
  out.resource = std::move(manifests.resources.front());
  const std::string& name = out.resource.metadata.name;
  const std::size_t colon = action.resource.find(':');
  const std::string base = action.resource.substr(0, colon);
  if (base != name)
    return tl::unexpected(
        invalid(action, "the manifest is for " + name + ", not for " + action.resource));

  const auto meta = plain_meta(action);
  if (out.resource.spec.clone) {
    std::optional<int> number = 0;
    if (auto it = meta.find("clone"); it != meta.end()) {
      number = parse_int(it->second);
    } else if (colon != std::string::npos) {
      number = parse_int(std::string_view(action.resource).substr(colon + 1));
    }
    if (!number) return tl::unexpected(invalid(action, "the clone instance is not a number"));
    out.clone_instance = number;
  } else if (colon != std::string::npos) {
    return tl::unexpected(invalid(action, "an instance number for a resource that is no clone"));
  }
  // The operator names the instance ("db:1"); the executor runs it under
  // the name the agent and the history know it by ("db" for an anonymous
  // clone).
  out.instance = executor::resource_instance(out.resource, out.clone_instance);

  executor::OperationRequest& request = out.request;
  request.action = *task;
  request.interval = Duration(action.interval_ms);
  request.timeout = action.timeout_ms > 0
                        ? Duration(action.timeout_ms)
                        : executor::timeout_for(out.resource, *task, request.interval, {});
  if (*task == Action::kMonitor) {
    for (const model::Operation& op : out.resource.spec.operations) {
      if (op.name == model::OperationName::kMonitor && op.interval == request.interval)
        request.role = op.role;
    }
  }
  if (*task == Action::kNotify) {
    executor::Notification notification;
    for (const auto& [key, value] : meta) {
      std::string_view k = key;
      if (!k.starts_with("notify_")) continue;
      k.remove_prefix(7);
      if (k == "type") {
        notification.type = value;
      } else if (k == "operation") {
        notification.operation = value;
      } else {
        notification.lists[std::string(k)] = value;
      }
    }
    out.notification = std::move(notification);
  }
  return out;
}

int expected_rc(const executor::OperationRequest& request) {
  if (request.is_probe()) return executor::ocf::kNotRunning;
  if (request.action == Action::kMonitor && request.role == model::Role::kPromoted)
    return executor::ocf::kRunningPromoted;
  return executor::ocf::kSuccess;
}

AgentIdentity identity_of(const model::HAResource& resource) {
  const model::Agent& agent = resource.spec.agent;
  if (agent.ocf) return {"ocf", agent.ocf->provider, agent.ocf->type};
  if (agent.process) return {"process", "", "process"};
  if (agent.systemd) return {"systemd", "", agent.systemd->unit};
  if (agent.fence) return {"stonith", "", agent.fence->type};
  return {};
}

std::string task_name(Action action) {
  return std::string(executor::action_name(action));
}

std::optional<std::string> stale_ring(const std::string& planned, const std::string& current) {
  if (planned.empty() || planned == current) return std::nullopt;
  return "refused: planned in ring " + planned + ", but this node is in ring " +
         (current.empty() ? std::string("none") : current) +
         " now; the operator plans again from the new membership";
}

}  // namespace tandem::agent
