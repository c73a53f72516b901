#include "operator/reconcile/object_status.h"

#include <algorithm>

#include "operator/reconcile/waves.h"

namespace tandem::reconcile {
namespace {

Timestamp at_ms(UnixMs ms) {
  return Timestamp{std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(ms))};
}

std::optional<Timestamp> at_seconds(std::int64_t unix_seconds) {
  if (unix_seconds <= 0) return std::nullopt;
  return at_ms(unix_seconds * 1000);
}

// A condition as the API conventions want it: the transition time moves
// only when the status does.
model::Condition condition(std::string type, bool value, std::string reason, std::string message,
                           const std::vector<model::Condition>& before, UnixMs now,
                           std::optional<std::int64_t> generation) {
  model::Condition c;
  c.type = std::move(type);
  c.status = value ? model::ConditionStatus::kTrue : model::ConditionStatus::kFalse;
  c.reason = std::move(reason);
  c.message = std::move(message);
  c.observed_generation = generation;
  c.last_transition_time = at_ms(now);
  for (const model::Condition& old : before) {
    if (old.type == c.type && old.status == c.status)
      c.last_transition_time = old.last_transition_time;
  }
  return c;
}

template <class Object>
const Object* find(const std::vector<Object>& objects, const std::string& name) {
  auto it = std::find_if(objects.begin(), objects.end(),
                         [&](const Object& o) { return o.metadata.name == name; });
  return it == objects.end() ? nullptr : &*it;
}

std::vector<model::Condition> previous_conditions(const auto* object) {
  return object != nullptr && object->status ? object->status->conditions
                                             : std::vector<model::Condition>{};
}

model::HANode node_object(const model::Manifests& manifests, const NodeStatus& shown,
                          const model::Manifests& previous, UnixMs now) {
  model::HANode node;
  if (const model::HANode* configured = find(manifests.nodes, shown.name)) {
    node = *configured;
  } else {
    node.metadata.name = shown.name;
    if (!manifests.clusters.empty())
      node.metadata.namespace_ = manifests.clusters.front().metadata.namespace_;
  }
  const auto before = previous_conditions(find(previous.nodes, shown.name));
  const auto generation = node.metadata.generation;
  model::NodeStatus status;
  status.observed_generation = generation;
  const bool online =
      shown.state == "online" || shown.state == "standby" || shown.state == "maintenance";
  status.state = online                     ? model::NodeState::kOnline
                 : shown.state == "unclean" ? model::NodeState::kUnclean
                                            : model::NodeState::kOffline;
  for (const model::HACluster& cluster : manifests.clusters) {
    for (const model::MemberNode& member : cluster.spec.membership.nodes) {
      if (member.name == shown.name) status.node_id = member.node_id;
    }
  }
  status.conditions.push_back(condition("Ready", online, online ? "Online" : "NotOnline",
                                        online ? "in the quorate ring and reporting" : shown.reason,
                                        before, now, generation));
  status.conditions.push_back(condition("Standby", shown.state == "standby",
                                        shown.state == "standby" ? "Standby" : "NotStandby", "",
                                        before, now, generation));
  status.conditions.push_back(
      condition("Maintenance", shown.state == "maintenance",
                shown.state == "maintenance" ? "Maintenance" : "NotMaintenance", "", before, now,
                generation));
  if (shown.state == "unclean") {
    std::string message = shown.reason + "; its resources are presumed running";
    if (!shown.fence_error.empty()) message += "; last fence failed: " + shown.fence_error;
    status.conditions.push_back(
        condition("Unclean", true, "NotFenced", message, before, now, generation));
  } else {
    status.conditions.push_back(condition("Unclean", false,
                                          shown.cleared_by.empty() ? "Clean" : "Cleared",
                                          shown.cleared_by, before, now, generation));
  }
  node.status = std::move(status);
  return node;
}

void add_instances(model::ResourceStatus& status, const ResourceStatus& shown) {
  const model::Role role =
      model::parse_enum<model::Role>(shown.role).value_or(model::Role::kStarted);
  for (const std::string& where : shown.running_on) {
    model::ResourceInstance instance;
    instance.node = where;
    instance.role = role == model::Role::kStopped ? model::Role::kStarted : role;
    instance.failed = shown.failed;
    instance.managed = shown.managed;
    status.instances.push_back(std::move(instance));
  }
  for (const std::string& where : shown.presumed_on) {
    model::ResourceInstance instance;
    instance.node = where;
    instance.role = role == model::Role::kStopped ? model::Role::kStarted : role;
    instance.failed = true;  // on an unclean node: not known to be healthy
    instance.managed = shown.managed;
    status.instances.push_back(std::move(instance));
  }
}

model::HAResource resource_object(const model::HAResource& configured, const Status& status,
                                  const model::Manifests& previous, UnixMs now) {
  model::HAResource resource = configured;
  const std::string& name = configured.metadata.name;
  const auto before = previous_conditions(find(previous.resources, name));
  const auto generation = configured.metadata.generation;
  model::ResourceStatus out;
  out.observed_generation = generation;
  bool failed = false;
  bool presumed = false;
  std::string stopped_reason;
  for (const ResourceStatus& shown : status.resources) {
    if (base_resource(shown.resource) != name) continue;
    add_instances(out, shown);
    failed = failed || shown.failed;
    presumed = presumed || !shown.presumed_on.empty();
    if (shown.running_on.empty() && stopped_reason.empty()) stopped_reason = shown.reason;
  }
  for (const FailedOperation& f : status.failed_operations) {
    if (base_resource(f.resource) != name) continue;
    model::OperationFailure failure;
    failure.node = f.node;
    failure.operation =
        model::parse_enum<model::OperationName>(f.task).value_or(model::OperationName::kMonitor);
    failure.interval = std::chrono::milliseconds(f.interval_ms);
    failure.exit_code = f.rc;
    failure.exit_reason = f.exit_reason;
    failure.timed_out = f.status == "timeout";
    failure.time = at_seconds(f.last_rc_change_unix);
    out.failures.push_back(std::move(failure));
  }
  for (const FailCountStatus& f : status.fail_counts) {
    if (base_resource(f.resource) != name) continue;
    out.fail_counts.push_back({f.node, f.count, at_seconds(f.last_failure_unix)});
  }
  const bool running = std::any_of(out.instances.begin(), out.instances.end(),
                                   [](const model::ResourceInstance& i) { return !i.failed; });
  out.conditions.push_back(
      condition("Running", running, running ? "Running" : "Stopped",
                running ? "" : (presumed ? "presumed running on an unclean node" : stopped_reason),
                before, now, generation));
  out.conditions.push_back(
      condition("Failed", failed || !out.failures.empty(),
                failed ? "Failed" : (out.failures.empty() ? "NoFailures" : "FailedOperations"), "",
                before, now, generation));
  resource.status = std::move(out);
  return resource;
}

}  // namespace

model::Manifests object_statuses(const model::Manifests& manifests, const Status& status,
                                 const model::Manifests& previous, UnixMs now) {
  model::Manifests out;
  for (const NodeStatus& shown : status.nodes)
    out.nodes.push_back(node_object(manifests, shown, previous, now));
  for (const model::HAResource& configured : manifests.resources)
    out.resources.push_back(resource_object(configured, status, previous, now));
  return out;
}

}  // namespace tandem::reconcile
