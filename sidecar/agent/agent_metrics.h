#pragma once

// What the sidecar's /metrics shows, gathered from the threads that know it:
// the membership daemon's thread hands in every status it gives the agent,
// the agent loop each finished operation and whether the node self-fences.
// A writer holds the lock only to swap a pointer or bump a few counters; a
// scrape copies a snapshot under it (no allocation) and writes the text
// after, so neither loop ever waits for a scrape, and every scrape sees one
// consistent moment.

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>

#include "common/core/duration.h"
#include "common/metrics/histogram.h"
#include "sidecar/executor/action.h"
#include "sidecar/transport/status.h"

namespace tandem::agent {

inline constexpr std::array<double, 14> kOperationBucketBounds = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

struct OperationStats {
  metrics::Histogram durations{kOperationBucketBounds};  // the agent's run time, in seconds
  std::uint64_t failures = 0;
};

struct AgentMetricsSnapshot {
  std::shared_ptr<const transport::MembershipStatus> membership;  // null before the first
  // New ring ids seen since the start, the first ring included.
  std::uint64_t ring_changes = 0;
  std::array<OperationStats, executor::kActionCount> operations;  // by executor::Action
  bool self_fencing = false;
};

class AgentMetrics {
 public:
  // From the membership daemon's thread.
  void on_membership(const transport::MembershipStatus& status);
  // From the agent loop.
  void on_operation(executor::Action action, Duration took, bool failed);
  void set_self_fencing(bool fencing);
  // From any thread.
  AgentMetricsSnapshot snapshot() const;

 private:
  mutable std::mutex mutex_;
  AgentMetricsSnapshot state_;  // guarded by mutex_
};

}  // namespace tandem::agent
