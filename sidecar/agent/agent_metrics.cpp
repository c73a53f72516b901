#include "sidecar/agent/agent_metrics.h"

#include <utility>

namespace tandem::agent {

void AgentMetrics::on_membership(const transport::MembershipStatus& status) {
  // Copied before taking the lock: the lock guards only the swap.
  auto next = std::make_shared<const transport::MembershipStatus>(status);
  std::shared_ptr<const transport::MembershipStatus> previous;
  std::lock_guard lock(mutex_);
  const bool new_ring =
      status.ring_sequence != 0 &&
      (!state_.membership || state_.membership->ring_sequence != status.ring_sequence ||
       state_.membership->ring_representative != status.ring_representative);
  if (new_ring) ++state_.ring_changes;
  // The old status is freed after the lock is released, by `previous`.
  previous = std::exchange(state_.membership, std::move(next));
}

void AgentMetrics::on_operation(executor::Action action, Duration took, bool failed) {
  const double seconds = std::chrono::duration<double>(took).count();
  std::lock_guard lock(mutex_);
  OperationStats& stats = state_.operations[static_cast<std::size_t>(action)];
  stats.durations.observe(seconds);
  if (failed) ++stats.failures;
}

void AgentMetrics::set_self_fencing(bool fencing) {
  std::lock_guard lock(mutex_);
  state_.self_fencing = fencing;
}

AgentMetricsSnapshot AgentMetrics::snapshot() const {
  std::lock_guard lock(mutex_);
  return state_;
}

}  // namespace tandem::agent
