#pragma once

// The sidecar's self-fencing rule (no-quorum-policy=stop), as a pure state
// machine: membership snapshots, the agent loop's ticks and stop results
// in; which resources to stop now and which to kill now out.
//
// The rest of the cluster relies on a promise: once it has lost this node,
// the node's resources are stopped within the self-fence time, so after that
// the operator may start them elsewhere. So the guard fences (stops
// everything, refuses start and promote) when
//   - the membership says the partition is not quorate;
//   - the membership has shown no quorate operational ring for longer than
//     `ring_change_limit` (a ring that cannot re-form);
//   - the membership stopped reporting for longer than `pause_limit` (its
//     thread is stuck), or the loop itself was not scheduled for longer
//     than that (SIGSTOP, a frozen VM): the others have surely formed a ring
//     without this node by then, so it must stop before doing anything else.
// A stop that has not succeeded by the self-fence deadline is killed. That
// deadline stays armed after quorum comes back: the others may already act on
// the promise. Losing only the operator is none of the guard's business.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/core/duration.h"
#include "sidecar/executor/time.h"

namespace tandem::agent {

using executor::Instant;

struct GuardConfig {
  // Stops must be over this long after fencing began; then the rest is killed.
  Duration self_fence_time{10'000};
  // token + consensus: no pause or silence of the membership may be longer.
  Duration pause_limit{0};
  // How long a ring may take to re-form while quorum is kept.
  Duration ring_change_limit{0};
};

// What the membership said, reduced to what the rule needs.
struct QuorumSnapshot {
  bool quorate = false;
  bool operational = false;  // the ring is OPERATIONAL (not forming)
  std::string ring_id;
};

// What the agent loop must do now.
struct GuardOrders {
  std::vector<std::string> stop;  // queue a stop of each, ahead of anything else
  std::vector<std::string> kill;  // kill its processes hard, now
  // Set when fencing began in this step: the reason, for the log.
  std::optional<std::string> fenced_because;
  bool unfenced = false;  // fencing ended in this step (quorum is back)
};

class QuorumGuard {
 public:
  explicit QuorumGuard(GuardConfig config);

  void on_membership(const QuorumSnapshot& snapshot, Instant now);
  // The membership thread ended: there is no quorum to be had.
  void on_membership_gone(Instant now);
  // A stop finished; `stopped` says whether the resource is now stopped.
  void on_stop_result(const std::string& resource, bool stopped);
  // Every loop turn, before any action is carried out. `active` names every
  // resource that may be running on this node.
  GuardOrders tick(Instant now, const std::set<std::string>& active);

  bool fencing() const { return fencing_; }
  // Whether an action of this task may run now (start and promote may not
  // while fencing).
  bool allows(const std::string& task) const;
  // The fence deadline while stops or kills are still owed.
  std::optional<Instant> kill_deadline() const { return deadline_; }
  // Resources whose stop the guard still waits for.
  const std::set<std::string>& owed() const { return owed_; }

 private:
  // `since`: when the trouble began, if before now.
  void fence(Instant now, std::string reason, std::optional<Instant> since = std::nullopt);

  GuardConfig config_;
  bool fencing_ = false;
  std::optional<std::string> pending_reason_;  // fencing began; not yet reported
  bool pending_unfence_ = false;
  std::optional<Instant> last_tick_;
  std::optional<Instant> last_snapshot_;
  std::optional<Instant> last_quorate_;  // last quorate operational snapshot
  std::optional<QuorumSnapshot> latest_;
  bool membership_gone_ = false;
  // After a pause, quorum counts only when seen this late: by then a node
  // that was evicted has noticed and re-formed its ring.
  std::optional<Instant> trust_quorum_after_;
  std::optional<Instant> deadline_;
  std::set<std::string> owed_;     // stops not yet known to have succeeded
  std::set<std::string> ordered_;  // stops already ordered in this fence
};

}  // namespace tandem::agent
