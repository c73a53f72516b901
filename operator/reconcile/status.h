#pragma once

// What the operator shows of the cluster: the status JSON of GET /v1/status
// and STATE_DIR/status.json, tandemctl status and /metrics are made from it.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/metrics/histogram.h"
#include "operator/reconcile/options.h"

namespace tandem::reconcile {

struct QuorumStatus {
  bool quorate = false;
  std::string reporter;  // the sidecar whose view it is
  std::string ring_id;
  std::vector<std::string> members;
  std::uint32_t expected_votes = 0;
  std::uint32_t total_votes = 0;
  std::uint32_t quorum = 0;

  bool operator==(const QuorumStatus&) const = default;
};

struct NodeStatus {
  std::string name;
  // online, standby, maintenance (online nodes), unclean or offline.
  std::string state;
  bool in_ring = false;
  bool reporting = false;  // its latest report is recent
  std::string reason;      // why it is not online
  std::optional<UnixMs> unclean_since;
  std::optional<UnixMs> clears_at;  // by the self-fence time, if still unclean then
  std::string cleared_by;
  std::string fence_error;

  bool operator==(const NodeStatus&) const = default;
};

// One primitive (or clone instance) as the engine sees it now.
struct ResourceStatus {
  std::string resource;
  std::string role;  // Stopped, Started, Unpromoted, Promoted
  std::vector<std::string> running_on;
  std::vector<std::string> presumed_on;  // unclean nodes presumed to run it
  bool failed = false;
  bool managed = true;
  std::string next_node;  // where the current plan puts it
  std::string next_role;
  std::string reason;  // why it is stopped or not free to move

  bool operator==(const ResourceStatus&) const = default;
};

struct FailedOperation {
  std::string resource;
  std::string node;
  std::string task;
  std::int64_t interval_ms = 0;
  int rc = 0;
  std::string status;
  std::string exit_reason;
  std::int64_t last_rc_change_unix = 0;

  bool operator==(const FailedOperation&) const = default;
};

struct FailCountStatus {
  std::string resource;
  std::string node;
  std::string operation;
  std::int64_t interval_ms = 0;
  int count = 0;
  std::int64_t last_failure_unix = 0;

  bool operator==(const FailCountStatus&) const = default;
};

struct ActionStatus {
  std::string id;
  std::string key;
  std::string task;
  std::string resource;
  std::string node;
  std::string state;  // in-flight, done, failed
  int rc = 0;
  std::string detail;

  bool operator==(const ActionStatus&) const = default;
};

struct TransitionStatus {
  std::uint64_t number = 0;
  UnixMs started_ms = 0;
  std::optional<UnixMs> finished_ms;
  std::vector<ActionStatus> actions;

  bool operator==(const TransitionStatus&) const = default;
};

// A resource detected down (failed, or its node lost) and later running
// again; `to` differs from `from` for a failover proper.
struct Failover {
  std::string resource;
  std::string from;
  std::string to;
  std::string cause;
  UnixMs detected_ms = 0;
  UnixMs recovered_ms = 0;

  std::int64_t duration_ms() const { return recovered_ms - detected_ms; }
  bool operator==(const Failover&) const = default;
};

struct Outage {
  std::string resource;
  std::string from;
  std::string cause;
  UnixMs detected_ms = 0;

  bool operator==(const Outage&) const = default;
};

// Failover durations in seconds, and each action's time from its dispatch
// to its outcome.
inline constexpr std::array<double, 10> kFailoverBucketBounds = {0.25, 0.5, 1,  2,  5,
                                                                 10,   15,  30, 60, 300};
inline constexpr std::array<double, 12> kActionBucketBounds = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                               1,    2.5,   5,    10,  30,   120};

// Actions of one task (start, stop, monitor...) since the operator started.
struct ActionStats {
  metrics::Histogram durations{kActionBucketBounds};
  std::uint64_t failed = 0;  // no success reported: failed, timed out, node lost

  bool operator==(const ActionStats&) const = default;
};

// Mark the objects the control state adds to the manifests
// (operator/control), so that status lists them apart from the user's.
inline constexpr std::string_view kCreatedByAnnotation = "tandem.dev/created-by";
inline constexpr std::string_view kCreatedByTandemctl = "tandemctl";
inline constexpr std::string_view kExpiresAnnotation = "tandem.dev/expires-unix-ms";

// A ban or move constraint that tandemctl set.
struct CliConstraintStatus {
  std::string name;
  std::string resource;
  std::string node;
  bool ban = true;  // false: prefer (move)
  std::optional<UnixMs> expires_ms;

  bool operator==(const CliConstraintStatus&) const = default;
};

struct Status {
  std::string cluster;
  std::int64_t generation = 0;    // of the manifests in force
  bool maintenance_mode = false;  // the cluster's: nothing is started, stopped or fenced
  QuorumStatus quorum;
  std::vector<NodeStatus> nodes;
  std::vector<ResourceStatus> resources;
  std::vector<FailedOperation> failed_operations;
  std::vector<FailCountStatus> fail_counts;
  std::vector<CliConstraintStatus> cli_constraints;
  std::vector<std::string> held;  // actions waiting for an unclean node, with why
  // The current plan's real actions ("web_start_0 on n2"), blocked ones
  // marked: what the cluster still wants to do.
  std::vector<std::string> plan;
  std::uint64_t transitions_total = 0;
  std::optional<TransitionStatus> last_transition;
  std::vector<Failover> failovers;  // newest last, bounded
  std::vector<Outage> outages;      // detected and not yet recovered
  // Since the operator started: failovers proper (to another node) and
  // actions by task; the task names come from the placement engine, a
  // small fixed set.
  metrics::Histogram failover_durations{kFailoverBucketBounds};
  std::map<std::string, ActionStats> action_stats;

  bool operator==(const Status&) const = default;
};

}  // namespace tandem::reconcile
