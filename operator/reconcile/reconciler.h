#pragma once

// The operator's reconcile loop as a pure core: manifests, the sidecars'
// reports, fence results and "now" in; actions to dispatch, fences to run,
// events to log and the status out. No I/O, no clock, no threads: the daemon
// (operator/daemon) feeds it from one thread.
//
// Every step recomputes the whole plan from the whole state (level
// triggered). Actions go out in waves: while any dispatched action is in
// flight nothing new is dispatched; once all have finished (or failed: their
// node was lost, the sidecar restarted, or no outcome came in time) the next
// wave is the runnable actions of a fresh transition whose predecessors are
// satisfied. Safety: see liveness.h and observe.h (holds).

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/model/manifests.h"
#include "common/protocol/messages.h"
#include "operator/placement/transition.h"
#include "operator/reconcile/counters.h"
#include "operator/reconcile/failover.h"
#include "operator/reconcile/liveness.h"
#include "operator/reconcile/observe.h"
#include "operator/reconcile/options.h"
#include "operator/reconcile/reports.h"
#include "operator/reconcile/status.h"

namespace tandem::reconcile {

struct FenceRequest {
  std::string id;
  std::string node;
};

struct StepResult {
  std::vector<protocol::ActionRequest> dispatched;
  std::vector<FenceRequest> fences;
  std::vector<std::string> events;  // one line each, for the log
  bool status_changed = false;
};

class Reconciler {
 public:
  explicit Reconciler(Options options);

  // `manifests` must be validated and normalized.
  void set_manifests(std::shared_ptr<const model::Manifests> manifests, std::int64_t generation);

  // A node's whole current state. Reports of unknown nodes and out-of-order
  // reports (an older sequence of the same incarnation) are dropped. Outcomes
  // of actions in flight complete them. Returns lines for the log.
  std::vector<std::string> on_report(protocol::NodeReport report, UnixMs now);

  std::vector<std::string> on_fence_result(const std::string& fence_id, bool ok,
                                           const std::string& detail, UnixMs now);

  StepResult step(UnixMs now);

  // Carries on from what a previous operator counted (counters.h): call
  // before the first step.
  void restore_counters(const Counters& counters);
  // What restore_counters takes, as it is now.
  Counters counters() const;

  // Forgets the failures of `resource` (a primitive or clone, or each
  // primitive of a group) on `node`, or on every online node that reports
  // failures of it, as `crm_resource --cleanup` does: those sidecars erase
  // its history and fail counts, in a wave of their own, and the next
  // transition probes it there again. Returns the message for the user.
  Result<std::string> request_cleanup(const std::string& resource, const std::string& node);

  // Actions sent to `node` whose outcome it has not reported yet.
  std::vector<protocol::ActionRequest> pending_for(const std::string& node) const;
  bool has_pending(const std::string& node) const;

  const Status& status() const { return status_; }
  const Options& options() const { return options_; }

 private:
  struct InFlight {
    protocol::ActionRequest request;
    std::string node;
    std::string incarnation;  // the node's sidecar incarnation when it was sent
    UnixMs sent_ms = 0;
    UnixMs deadline_ms = 0;
    std::size_t status_index = 0;  // into the last transition's actions
  };

  void finish(std::size_t index, const std::string& state, int rc, const std::string& detail,
              UnixMs now, std::vector<std::string>& events);
  protocol::ActionRequest make_request(const placement::PlannedAction& action,
                                       const std::string& ring_id);
  // The cleanups for online nodes, as actions; forgets every one asked for
  // (those for nodes gone meanwhile have nothing left to clean).
  std::vector<placement::PlannedAction> take_cleanups(const std::set<std::string>& online);
  std::int64_t timeout_ms(const placement::PlannedAction& action, std::int64_t interval_ms) const;
  void derive_status(const placement::Transition& transition, const std::vector<Hold>& holds,
                     const std::optional<QuorateView>& view, std::vector<std::string> held,
                     UnixMs now, std::vector<std::string>& events);

  Options options_;
  std::shared_ptr<const model::Manifests> manifests_;
  std::int64_t generation_ = 0;
  std::set<std::string> unknown_nodes_logged_;
  std::map<std::string, std::string> resource_yaml_;  // per primitive, for this generation
  Reports reports_;
  Liveness liveness_;
  std::vector<InFlight> in_flight_;
  // Recurring monitors asked for ("key@node") and when, while the history
  // does not show them yet.
  std::map<std::string, UnixMs> monitor_requested_;
  // Cleanups asked for and not yet sent: (node, primitive).
  std::set<std::pair<std::string, std::string>> cleanups_;
  // Nodes due to be fenced that maintenance keeps from it, logged once.
  std::set<std::string> fences_withheld_;
  std::uint64_t next_action_ = 1;
  std::uint64_t next_fence_ = 1;
  FailoverTracker failovers_;
  Status status_;
  Status stepped_status_;  // as the last step() left it
};

}  // namespace tandem::reconcile
