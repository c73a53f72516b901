#include "sidecar/executor/executor_core.h"

#include "common/core/assert.h"
#include "common/core/text.h"

namespace tandem::executor {

Duration timeout_for(const model::HAResource& resource, Action action, Duration interval,
                     const std::map<Action, Duration>& advised) {
  const model::Operation* same_name = nullptr;
  for (const model::Operation& op : resource.spec.operations) {
    if (action_of(op.name) != action || !op.timeout) continue;
    if (op.interval == interval) return *op.timeout;
    if (same_name == nullptr) same_name = &op;
  }
  if (same_name != nullptr) return *same_name->timeout;
  if (auto it = advised.find(action); it != advised.end() && it->second > Duration::zero()) {
    return it->second;
  }
  return kDefaultOperationTimeout;
}

std::vector<RecurringMonitor> recurring_monitors(const model::HAResource& resource,
                                                 const std::map<Action, Duration>& advised) {
  std::vector<RecurringMonitor> monitors;
  for (const model::Operation& op : resource.spec.operations) {
    if (op.name != model::OperationName::kMonitor || op.interval <= Duration::zero()) continue;
    monitors.push_back(RecurringMonitor{
        op.interval, timeout_for(resource, Action::kMonitor, op.interval, advised), op.role});
  }
  return monitors;
}

ExecutorCore::ExecutorCore(PlannerOptions options, Rng& rng) : planner_(options, rng) {}

Result<void> ExecutorCore::add(const model::HAResource& resource,
                               std::map<Action, Duration> advised) {
  const std::string& name = resource.metadata.name;
  if (resources_.contains(name)) return fail("resource " + quote(name) + " is already known");
  auto added = planner_.add_resource(name, recurring_monitors(resource, advised));
  if (!added) return added;
  resources_.emplace(name, Entry{resource, std::move(advised)});
  return {};
}

const model::HAResource* ExecutorCore::find(const std::string& name) const {
  auto it = resources_.find(name);
  return it == resources_.end() ? nullptr : &it->second.resource;
}

Result<std::uint64_t> ExecutorCore::request(const std::string& resource, Action action,
                                            Instant now) {
  auto it = resources_.find(resource);
  if (it == resources_.end()) return fail("no resource " + quote(resource) + " on this node");
  OperationRequest request{
      action, Duration::zero(),
      timeout_for(it->second.resource, action, Duration::zero(), it->second.advised), std::nullopt};
  return planner_.request(resource, request, now);
}

void ExecutorCore::probe_all(Instant now) {
  for (const auto& [name, entry] : resources_) {
    (void)entry;
    // Cannot fail: the resource is known and its queue holds at most this.
    auto queued = request(name, Action::kMonitor, now);
    TANDEM_ASSERT(queued.has_value(), "a probe of a known resource is always accepted");
  }
}

Completion ExecutorCore::complete(const Dispatch& dispatch, OperationResult result, Instant now) {
  Completion completion;
  completion.resource = dispatch.resource;
  completion.request = dispatch.request;
  completion.started = dispatch.deadline - dispatch.request.timeout;
  completion.verdict = interpret(dispatch.request, result);
  completion.result = std::move(result);
  // meta-data and validate-all say nothing about the resource's state, and
  // Pacemaker does not count their failures either.
  const bool informational = dispatch.request.action == Action::kMetaData ||
                             dispatch.request.action == Action::kValidateAll;
  if (!informational && completion.verdict.failure != FailureScope::kNone) {
    fail_counts_.record(
        FailKey{dispatch.resource, dispatch.request.action, dispatch.request.interval}, now);
  }
  completion.fail_count = fail_counts_.count(dispatch.resource);
  planner_.finished(dispatch.id,
                    informational ? std::nullopt : std::optional(completion.verdict.state), now);
  return completion;
}

std::vector<std::string> ExecutorCore::expire_failures(Instant now) {
  std::map<std::string, Duration> timeouts;
  for (const auto& [name, entry] : resources_) {
    timeouts[name] = entry.resource.spec.meta.failure_timeout.value_or(Duration::zero());
  }
  return fail_counts_.expire(now, timeouts);
}

}  // namespace tandem::executor
