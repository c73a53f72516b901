// Role transitions follow Pacemaker's two tables: the next role on the way
// from one role to another, and the action that makes each step.

#include "operator/placement/create_actions.h"

#include "common/core/assert.h"
#include "operator/placement/actions.h"
#include "operator/placement/assign.h"
#include "operator/placement/clone.h"
#include "operator/placement/migration.h"
#include "operator/placement/unfencing.h"

namespace tandem::placement::detail {
namespace {

constexpr int kRoles = 5;

// kStateMatrix[current][target]: the immediate next role.
constexpr RoleX kStateMatrix[kRoles][kRoles] = {
    // to: Unknown          Stopped          Started            Unpromoted          Promoted
    {RoleX::kUnknown, RoleX::kStopped, RoleX::kStopped, RoleX::kStopped, RoleX::kStopped},
    {RoleX::kStopped, RoleX::kStopped, RoleX::kStarted, RoleX::kUnpromoted, RoleX::kUnpromoted},
    {RoleX::kStopped, RoleX::kStopped, RoleX::kStarted, RoleX::kUnpromoted, RoleX::kPromoted},
    {RoleX::kStopped, RoleX::kStopped, RoleX::kStopped, RoleX::kUnpromoted, RoleX::kPromoted},
    {RoleX::kStopped, RoleX::kUnpromoted, RoleX::kUnpromoted, RoleX::kUnpromoted, RoleX::kPromoted},
};

enum class Step { kNone, kStop, kStart, kPromote, kDemote, kError };

// kActionMatrix[current][next]: the action for one step.
constexpr Step kActionMatrix[kRoles][kRoles] = {
    {Step::kError, Step::kStop, Step::kError, Step::kError, Step::kError},
    {Step::kError, Step::kNone, Step::kStart, Step::kStart, Step::kError},
    {Step::kError, Step::kStop, Step::kNone, Step::kNone, Step::kPromote},
    {Step::kError, Step::kStop, Step::kStop, Step::kNone, Step::kPromote},
    {Step::kError, Step::kDemote, Step::kDemote, Step::kDemote, Step::kNone},
};

int idx(RoleX role) {
  return static_cast<int>(role);
}

bool is_expected_node(const WorkingSet& ws, const Resource& rsc, int node) {
  (void)ws;
  return rsc.stop_unexpected && rsc.restarting && rsc.next_role > RoleX::kStopped &&
         rsc.assigned == node && node != kNone;
}

void stop_resource(WorkingSet& ws, int r, bool optional) {
  const std::vector<int> running = ws.rsc(r).running_on;
  for (int current : running) {
    if (is_expected_node(ws, ws.rsc(r), current)) continue;
    bool required = false;
    if (ws.rsc(r).partial_target != kNone) {
      // A half-done migration continues where it was going; elsewhere, stop.
      if (current == ws.rsc(r).partial_target && current == ws.rsc(r).assigned) continue;
      required = true;
    }
    int stop = resource_action(ws, r, "stop", current, optional && !required);
    Resource& rsc = ws.rsc(r);
    if (rsc.assigned == kNone) {
      set_reason(ws.action(stop), "node availability", true);
    } else if (rsc.restarting && rsc.stop_unexpected) {
      set_reason(ws.action(stop), "being multiply active", true);
    }
    if (!rsc.managed) ws.action(stop).flags &= ~kRunnable;
  }
}

void start_resource(WorkingSet& ws, int r, int node, bool optional) {
  TANDEM_ASSERT(node != kNone, "a start needs a node");
  int start = resource_action(ws, r, "start", node, true);
  order_vs_unfence(ws, r, node, start, kOrderImpliesThen);
  Action& action = ws.action(start);
  if (action.has(kRunnable) && !optional) action.flags &= ~kOptional;
  if (is_expected_node(ws, ws.rsc(r), node)) action.flags |= kPseudo;
}

void promote_resource(WorkingSet& ws, int r, int node, bool optional) {
  TANDEM_ASSERT(node != kNone, "a promotion needs a node");
  bool runnable = true;
  for (int start : find_actions(ws, r, "start", node, true)) {
    if (!ws.action(start).has(kRunnable)) runnable = false;
  }
  if (runnable) {
    int promote = resource_action(ws, r, "promote", node, optional);
    if (is_expected_node(ws, ws.rsc(r), node)) ws.action(promote).flags |= kPseudo;
  } else {
    for (int promote : find_actions(ws, r, "promote", node, true)) {
      ws.action(promote).flags &= ~kRunnable;
    }
  }
}

void demote_resource(WorkingSet& ws, int r, bool optional) {
  const std::vector<int> running = ws.rsc(r).running_on;
  for (int current : running) {
    if (!is_expected_node(ws, ws.rsc(r), current)) {
      resource_action(ws, r, "demote", current, optional);
    }
  }
}

// Returns false when the table has no action for the step.
bool take_step(WorkingSet& ws, int r, RoleX from, RoleX to, int node, bool optional) {
  switch (kActionMatrix[idx(from)][idx(to)]) {
    case Step::kNone:
      return false;
    case Step::kStop:
      stop_resource(ws, r, optional);
      return true;
    case Step::kStart:
      start_resource(ws, r, node, optional);
      return true;
    case Step::kPromote:
      promote_resource(ws, r, node, optional);
      return true;
    case Step::kDemote:
      demote_resource(ws, r, optional);
      return true;
    case Step::kError:
      break;
  }
  (void)from;
  (void)to;
  TANDEM_ASSERT(false, "the role tables have a step for every reachable pair");
  return false;
}

void schedule_restart_actions(WorkingSet& ws, int r, int current, bool need_stop,
                              bool need_promote) {
  ws.rsc(r).restarting = true;
  RoleX role = ws.rsc(r).role;
  // Down to stopped on the current node...
  while (role != RoleX::kStopped) {
    RoleX next = kStateMatrix[idx(role)][idx(RoleX::kStopped)];
    if (!take_step(ws, r, role, next, current, !need_stop)) break;
    role = next;
  }
  // ...and back up to the current role on the assigned node.
  while (ws.rsc(r).role <= ws.rsc(r).next_role && role != ws.rsc(r).role && !ws.rsc(r).blocked) {
    bool required = need_stop;
    RoleX next = kStateMatrix[idx(role)][idx(ws.rsc(r).role)];
    if (next == RoleX::kPromoted && need_promote) required = true;
    if (!take_step(ws, r, role, next, ws.rsc(r).assigned, !required)) break;
    role = next;
  }
  ws.rsc(r).restarting = false;
}

void schedule_role_transition(WorkingSet& ws, int r) {
  RoleX role = ws.rsc(r).role;
  while (role != ws.rsc(r).next_role) {
    RoleX next = kStateMatrix[idx(role)][idx(ws.rsc(r).next_role)];
    if (!take_step(ws, r, role, next, ws.rsc(r).assigned, false)) break;
    role = next;
  }
}

void primitive_actions(WorkingSet& ws, int r) {
  Resource& rsc = ws.rsc(r);
  if (rsc.next_role == RoleX::kUnknown) {
    rsc.next_role = rsc.assigned == kNone ? RoleX::kStopped : RoleX::kStarted;
    rsc.next_role_reason = "assignment";
  }
  const int current = current_node(ws, rsc);
  int all_active = 0, clean_active = 0;
  for (int node : rsc.running_on) {
    ++all_active;
    if (ws.node(node).online && !ws.node(node).unclean) ++clean_active;
  }

  bool need_stop = false;
  bool need_promote = false;
  bool moving = false;
  if (current != kNone && rsc.assigned != kNone && current != rsc.assigned &&
      rsc.next_role >= RoleX::kStarted) {
    moving = true;
    need_stop = true;
  }
  bool migrate = moving && can_migrate(ws, rsc, current);
  // A migration found half done is not a resource active twice.
  const bool partial = rsc.partial_source != kNone || rsc.partial_target != kNone;
  if (partial &&
      !(all_active == 2 && current == rsc.partial_source && rsc.assigned == rsc.partial_target)) {
    migrate = false;
  }
  for (int source : rsc.dangling_sources) {
    ws.action(resource_action(ws, r, "stop", source, false)).flags |= kDangle;
  }
  const bool multiply_active =
      !partial && (rsc.requires_ == Requirement::kFencing ? all_active > 1 : clean_active > 1);
  if (multiply_active) {
    switch (rsc.recovery) {
      case model::MultipleActive::kStopStart:
        need_stop = true;
        break;
      case model::MultipleActive::kStopUnexpected:
        need_stop = true;
        rsc.stop_unexpected = true;
        break;
      case model::MultipleActive::kStopOnly:
      case model::MultipleActive::kBlock:
        break;
    }
  } else {
    rsc.stop_unexpected = false;
  }

  if (rsc.start_pending) {
    int start = resource_action(ws, r, "start", rsc.assigned, true);
    ws.action(start).flags |= kPrintAlways;
  }

  Resource& after = ws.rsc(r);
  if (moving) {
    // Everything else is about resources that stay where they are.
  } else if (after.failed) {
    if (after.stop_required) {
      need_stop = true;
    } else if (after.next_role == RoleX::kPromoted) {
      need_promote = true;
    }
  } else if (after.blocked) {
    need_stop = true;
  } else if (after.role > RoleX::kStarted && current != kNone && after.assigned != kNone) {
    int start = resource_action(ws, r, "start", after.assigned, true);
    if (!ws.action(start).has(kOptional)) need_stop = true;  // recovering a promoted one
  }
  schedule_restart_actions(ws, r, current, need_stop, need_promote);
  schedule_role_transition(ws, r);
  if (migrate) {
    create_migration_actions(ws, r, current);
  } else if (partial && moving) {
    // A half-done migration that cannot go on: wherever it may be active
    // (whatever the history there says last), it stops before it starts.
    stop_resource(ws, r, false);
  }
}

void group_actions(WorkingSet& ws, int g) {
  const std::vector<int> members = ws.rsc(g).children;
  for (int member : members) primitive_actions(ws, member);
  for (const char* task : {"start", "running", "stop", "stopped"}) pseudo_action(ws, g, task, true);
}

}  // namespace

void create_actions_for(WorkingSet& ws, int r) {
  switch (ws.rsc(r).variant) {
    case Variant::kGroup:
      group_actions(ws, r);
      return;
    case Variant::kClone:
      create_clone_actions(ws, r);
      return;
    case Variant::kPrimitive:
      primitive_actions(ws, r);
      return;
  }
}

void create_resource_actions(WorkingSet& ws) {
  for (int r : ws.top_level) create_actions_for(ws, r);
}

}  // namespace tandem::placement::detail
