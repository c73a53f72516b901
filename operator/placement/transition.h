#pragma once

// What the placement engine decides: the changes of one transition (as
// Pacemaker's transition summary lists them), where everything runs once
// they are done, and the scores behind the placement.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/core/score.h"
#include "common/model/enums.h"

namespace tandem::placement {

enum class ChangeKind {
  kStart,
  kStop,
  kMove,
  kMigrate,
  kRecover,
  kRestart,
  kPromote,
  kDemote,
  kReload,
  kRePromote,
  kFence,
  kShutdown,
};

struct Change {
  ChangeKind kind = ChangeKind::kStart;
  std::string resource;  // empty for fence and shutdown
  std::string node;      // the node fenced or shut down
  std::string from_node;
  std::string to_node;
  // Roles only where Pacemaker shows them: promotable instances, and
  // anything becoming Promoted.
  std::optional<model::Role> from_role;
  std::optional<model::Role> to_role;
  std::string fence_action;  // reboot, off or on
  bool blocked = false;      // listed but cannot run
  std::string reason;
};

// A resource instance running once the transition has been carried out.
struct Placed {
  std::string resource;
  std::string node;
  model::Role role = model::Role::kStarted;
  bool failed = false;
};

// One resource's score for one node when it was placed. `stage` names the
// step as crm_simulate --show-scores does (pcmk__primitive_assign, ...).
struct NodeScore {
  std::string stage;
  std::string resource;
  std::string node;
  Score score;
};

// One step of the transition as the operator carries it out: a resource
// operation on a node, a node action (fencing, shutdown), or a pseudo-action
// that only marks a point in the order (a group's "running").
struct PlannedAction {
  int id = 0;
  std::string key;       // e.g. "web_start_0", "stonith-node1-reboot"
  std::string task;      // start, stop, promote, demote, monitor, stonith, do_shutdown, ...
  std::string resource;  // empty for node actions
  std::string node;      // empty for pseudo-actions without a node
  bool runnable = true;  // false: blocked, see reason
  bool pseudo = false;
  std::string reason;
  // Notifications: notify_type (pre, post), notify_operation (start, stop,
  // promote, demote) and the lists an agent's notify action reads, which
  // the sidecar passes as OCF_RESKEY_CRM_meta_<name>.
  std::map<std::string, std::string> meta;
};

// `before` must complete before `after` starts (indices into actions).
struct ActionOrder {
  std::size_t before = 0;
  std::size_t after = 0;
};

// Why a resource's score for a node changed: `change` was added, or with
// `absolute` it replaced the score (INFINITY and -INFINITY do).
struct ScoreReason {
  std::string resource;
  std::string node;
  Score change;
  bool absolute = false;
  std::string reason;
};

// A node a resource could have gone to, as its placement saw it.
struct CandidateNode {
  std::string node;
  Score score;
  bool available = false;      // online, not standby, maintenance, unclean or shutting down
  int assigned_resources = 0;  // placed there before this one (the first tie-breaker)
  bool current = false;        // it runs there now (the second tie-breaker)
};

// How one resource was placed.
struct Assignment {
  std::string resource;
  std::vector<std::string> running_on;
  std::string node;                               // where it will run; empty when nowhere
  model::Role role = model::Role::kStopped;       // now
  model::Role next_role = model::Role::kStopped;  // after the transition
  bool managed = true;
  bool failed = false;
  std::string reason;                     // why it runs nowhere, or why it was not free to move
  std::vector<CandidateNode> candidates;  // best first; empty when the choice was forced
};

struct Transition {
  std::vector<Change> changes;
  std::vector<PlannedAction> actions;  // required actions only
  std::vector<ActionOrder> orders;
  std::vector<Placed> placement;
  // With ScheduleOptions::scores only:
  std::vector<NodeScore> scores;
  std::vector<ScoreReason> score_reasons;
  std::vector<Assignment> assignments;
  std::map<std::string, std::string> node_states;  // online, offline, unclean, standby, ...
};

std::string_view to_string(ChangeKind kind);

}  // namespace tandem::placement
