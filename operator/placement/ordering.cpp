// Flag propagation follows Pacemaker 2.1's pcmk__update_action_for_orderings
// to the letter, including the order in which edges are visited (newest
// first): which of several equivalent updates happens first decides the
// reasons shown, and in corner cases the outcome.

#include "operator/placement/ordering.h"

#include "operator/placement/actions.h"

namespace tandem::placement::detail {
namespace {

enum Updated : std::uint32_t { kUpdatedNone = 0, kUpdatedFirst = 1, kUpdatedThen = 2 };

// The current role of a resource: a group's is its members' highest.
RoleX current_role(const WorkingSet& ws, int r) {
  const Resource& rsc = ws.rsc(r);
  if (rsc.children.empty()) return rsc.role;
  RoleX role = RoleX::kUnknown;
  for (int child : rsc.children) role = std::max(role, current_role(ws, child));
  return role;
}

std::vector<int> actions_with_key(const WorkingSet& ws, int r, const std::string& task) {
  const std::string key = op_key(ws.rsc(r).id, task, 0);
  std::vector<int> out;
  for (int a : ws.rsc(r).actions) {
    if (ws.action(a).key == key) out.push_back(a);
  }
  return out;
}

// The newest action of `r` for `task` (on `node`, unless kNone).
int newest_action(const WorkingSet& ws, int r, const std::string& task, int node) {
  const std::vector<int>& list = ws.rsc(r).actions;
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    const Action& action = ws.action(*it);
    if (action.task != task) continue;
    if (node == kNone) return *it;
    if (action.node == node) return *it;
  }
  return kNone;
}

void order_after(WorkingSet& ws, int first, int then_rsc, const Ordering& order) {
  std::vector<int> then_actions;
  if (order.then_action != kNone) {
    then_actions.push_back(order.then_action);
  } else {
    then_actions = actions_with_key(ws, then_rsc, order.then_task);
  }
  if (then_actions.empty()) return;
  if (first == kNone && (order.flags & kOrderImpliesThen) == 0) return;
  for (int then : then_actions) {
    if (first != kNone) {
      order_actions(ws, first, then, order.flags);
    } else {
      ws.action(then).flags &= ~kRunnable;
    }
  }
}

void order_first(WorkingSet& ws, const Ordering& order) {
  const int first_rsc = order.first_rsc;
  std::vector<int> first_actions;
  if (order.first_action != kNone) {
    first_actions.push_back(order.first_action);
  } else {
    first_actions = actions_with_key(ws, first_rsc, order.first_task);
  }
  if (first_actions.empty()) {
    if (first_rsc == order.then_rsc) return;
    const RoleX role = current_role(ws, first_rsc);
    if (role == RoleX::kStopped && order.first_task == "stop") return;
    if (role == RoleX::kUnpromoted && order.first_task == "demote") return;
    // Nothing to wait for: an action that cannot run stands in for it.
    first_actions.push_back(resource_action(ws, first_rsc, order.first_task, kNone, true));
  }
  int then_rsc = order.then_rsc;
  if (then_rsc == kNone) {
    if (order.then_action == kNone) return;
    then_rsc = ws.action(order.then_action).rsc;
  }
  for (int first : first_actions) {
    if (then_rsc == kNone) {
      order_actions(ws, first, order.then_action, order.flags);
    } else {
      order_after(ws, first, then_rsc, order);
    }
  }
}

struct Propagator {
  WorkingSet& ws;

  Action& act(int a) { return ws.action(a); }
  Resource* rsc_of(int a) { return act(a).rsc == kNone ? nullptr : &ws.rsc(act(a).rsc); }

  void clear_because(int a, ActionFlag flag, int reason) {
    Action& action = act(a);
    if (!action.has(flag)) return;
    action.flags &= ~flag;
    const Action& cause = act(reason);
    if (action.rsc != cause.rsc) {
      std::string text = flag == kOptional ? "required" : "unrunnable";
      if (cause.rsc != kNone) text += " " + ws.rsc(cause.rsc).id;
      text += " " + cause.task;
      set_reason(act(a), text, flag == kMigrateRunnable);
    }
  }

  // A group action is required when a member's is, and (for running and
  // stopped) runnable only when every member's is.
  std::uint32_t group_flags(int a) {
    std::uint32_t flags = kOptional | kRunnable | kPseudo;
    const std::string& task = act(a).task;
    std::string member_task = task;
    if (task == "running") member_task = "start";
    if (task == "stopped") member_task = "stop";
    if (task == "promoted") member_task = "promote";
    if (task == "demoted") member_task = "demote";
    const std::vector<int> members = ws.rsc(act(a).rsc).children;
    for (int member : members) {
      int member_action = newest_action(ws, member, member_task, kNone);
      if (member_action != kNone) {
        const std::uint32_t member_flags = act(member_action).flags;
        if ((flags & kOptional) && !(member_flags & kOptional)) {
          flags &= ~kOptional;
          act(a).flags &= ~kOptional;
        }
        if (member_task != task && (flags & kRunnable) && !(member_flags & kRunnable)) {
          flags &= ~kRunnable;
          act(a).flags &= ~kRunnable;
        }
      } else if (member_task != "stop" && member_task != "demote") {
        flags &= ~kRunnable;
      }
    }
    return flags;
  }

  std::uint32_t flags_for_ordering(int a) {
    const Resource* rsc = rsc_of(a);
    if (rsc != nullptr && rsc->variant == Variant::kGroup) return group_flags(a);
    return act(a).flags;
  }

  void handle_asymmetric(int first, int then) {
    if (act(then).rsc == kNone) return;
    const Resource& rsc = ws.rsc(act(then).rsc);
    const RoleX role = current_role(ws, act(then).rsc);
    if (role == RoleX::kStopped && act(then).task == "stop") return;
    if (role >= RoleX::kStarted && act(then).has(kOptional) && act(then).node != kNone &&
        rsc.running_on.size() == 1 && act(then).node == rsc.running_on.front() &&
        act(then).task == "start") {
      return;  // already started where it should run
    }
    if (!act(first).has(kRunnable)) {
      clear_because(then, kOptional, first);
      clear_because(then, kRunnable, first);
    }
  }

  void handle_restart(int first, int then, std::uint32_t filter) {
    const char* reason = nullptr;
    if ((filter & kOptional) && !act(then).has(kOptional)) reason = "restart";
    if ((filter & kRunnable) && !act(then).has(kRunnable) && ws.rsc(act(then).rsc).managed &&
        act(first).rsc == act(then).rsc) {
      reason = "stop";
    }
    if (reason == nullptr) return;
    if (act(first).has(kRunnable)) clear_because(first, kOptional, then);
    if (!act(then).has(kOptional)) clear_because(first, kOptional, then);
    if (!act(then).has(kMigrateRunnable)) clear_because(first, kMigrateRunnable, then);
    if (!act(first).has(kOptional) && !act(first).has(kRunnable)) {
      clear_because(then, kRunnable, first);
    }
  }

  // Pacemaker's pcmk__update_ordered_actions, for primitive actions.
  std::uint32_t update_ordered(int first, int then, std::uint32_t flags, std::uint32_t filter,
                               std::uint32_t type) {
    std::uint32_t changed = kUpdatedNone;
    const std::uint32_t then_flags = act(then).flags;
    const std::uint32_t first_flags = act(first).flags;
    if (type & kOrderAsymmetrical) handle_asymmetric(first, then);
    if ((type & kOrderImpliesFirst) && !(then_flags & kOptional)) {
      if ((filter & kOptional) && !(flags & kOptional) && (first_flags & kOptional)) {
        clear_because(first, kOptional, then);
      }
      if ((flags & kMigrateRunnable) && !act(then).has(kMigrateRunnable)) {
        clear_because(first, kMigrateRunnable, then);
      }
    }
    if ((type & kOrderPromotedImpliesFirst) && act(then).rsc != kNone &&
        ws.rsc(act(then).rsc).role == RoleX::kPromoted && (filter & kOptional) &&
        !act(then).has(kOptional)) {
      clear_because(first, kOptional, then);
      if (act(first).has(kMigrateRunnable) && !act(then).has(kMigrateRunnable)) {
        clear_because(first, kMigrateRunnable, then);
      }
    }
    if ((type & kOrderImpliesFirstMigratable) && (filter & kOptional)) {
      if (!(act(then).has(kMigrateRunnable) && act(then).has(kRunnable))) {
        clear_because(first, kRunnable, then);
      }
      if (!act(then).has(kOptional)) clear_because(first, kOptional, then);
    }
    if ((type & kOrderPseudoLeft) && (filter & kOptional) && !act(first).has(kRunnable)) {
      clear_because(then, kMigrateRunnable, first);
      act(then).flags &= ~kPseudo;
    }
    if ((type & kOrderRunnableLeft) && (filter & kRunnable) && act(then).has(kRunnable) &&
        !(flags & kRunnable)) {
      clear_because(then, kRunnable, first);
      clear_because(then, kMigrateRunnable, first);
    }
    if ((type & kOrderImpliesThen) && (filter & kOptional) && act(then).has(kOptional) &&
        !(flags & kOptional) && !act(first).has(kMigrateRunnable)) {
      clear_because(then, kOptional, first);
    }
    if (type & kOrderRestart) handle_restart(first, then, filter);

    if (then_flags != act(then).flags) {
      changed |= kUpdatedThen;
      if (act(then).rsc != kNone && ws.rsc(act(then).rsc).parent != kNone) update(then);
    }
    if (first_flags != act(first).flags) changed |= kUpdatedFirst;
    return changed;
  }

  // The resource's update_ordered_actions method: a group updates its own
  // action and each member's action of the same name.
  std::uint32_t update_then(int first, int then, std::uint32_t flags, std::uint32_t filter,
                            std::uint32_t type) {
    const Resource& rsc = ws.rsc(act(then).rsc);
    if (rsc.variant != Variant::kGroup) return update_ordered(first, then, flags, filter, type);
    std::uint32_t changed = update_ordered(first, then, flags, filter, type);
    const std::vector<int> members = rsc.children;
    const std::string task = act(then).task;
    const int node = act(then).node;
    for (int member : members) {
      int member_action = newest_action(ws, member, task, node);
      if (member_action != kNone) {
        changed |= update_ordered(first, member_action, flags, filter, type);
      }
    }
    return changed;
  }

  std::uint32_t update_flags(int first, int then, std::uint32_t first_flags,
                             std::uint32_t then_flags, std::size_t edge_index) {
    std::uint32_t changed = kUpdatedNone;
    auto type = [&] { return act(then).before[edge_index].type; };
    const bool then_rsc = act(then).rsc != kNone;
    const bool first_rsc = act(first).rsc != kNone;

    if (type() & kOrderImpliesThen) {
      if (then_rsc) {
        changed |= update_then(first, then, first_flags & kOptional, kOptional, kOrderImpliesThen);
      } else if (!(first_flags & kOptional) && act(then).has(kOptional)) {
        act(then).flags &= ~kOptional;
        changed |= kUpdatedThen;
      }
    }
    if ((type() & kOrderRestart) && then_rsc) {
      changed |= update_then(first, then, first_flags, kOptional | kRunnable, kOrderRestart);
    }
    if (type() & kOrderImpliesFirst) {
      if (first_rsc) {
        // The first resource's method; a group's also updates the members
        // of the then-resource.
        if (ws.rsc(act(first).rsc).variant == Variant::kGroup && then_rsc) {
          changed |= update_then(first, then, first_flags, kOptional, kOrderImpliesFirst);
        } else {
          changed |= update_ordered(first, then, first_flags, kOptional, kOrderImpliesFirst);
        }
      } else if (!(first_flags & kOptional) && act(first).has(kRunnable)) {
        act(first).flags &= ~kRunnable;
        changed |= kUpdatedFirst;
      }
    }
    if ((type() & kOrderPromotedImpliesFirst) && then_rsc) {
      changed |=
          update_then(first, then, first_flags & kOptional, kOptional, kOrderPromotedImpliesFirst);
    }
    if (type() & kOrderOneOrMore) {
      if (then_rsc) {
        changed |= update_then(first, then, first_flags, kRunnable, kOrderOneOrMore);
      } else if (first_flags & kRunnable) {
        act(then).runnable_before++;
        if (act(then).runnable_before >= act(then).required_runnable_before &&
            !act(then).has(kRunnable)) {
          act(then).flags |= kRunnable;
          changed |= kUpdatedThen;
        }
      }
    }
    if ((type() & kOrderProbe) && then_rsc) {
      if (!(first_flags & kRunnable) && first_rsc && !ws.rsc(act(first).rsc).running_on.empty()) {
        act(then).before[edge_index].type = kOrderNone;
      } else {
        changed |= update_then(first, then, first_flags, kRunnable, kOrderRunnableLeft);
      }
    }
    if (type() & kOrderRunnableLeft) {
      if (then_rsc) {
        changed |= update_then(first, then, first_flags, kRunnable, kOrderRunnableLeft);
      } else if (!(first_flags & kRunnable) && act(then).has(kRunnable)) {
        act(then).flags &= ~kRunnable;
        changed |= kUpdatedThen;
      }
    }
    if ((type() & kOrderImpliesFirstMigratable) && then_rsc) {
      changed |= update_then(first, then, first_flags, kOptional, kOrderImpliesFirstMigratable);
    }
    if ((type() & kOrderPseudoLeft) && then_rsc) {
      changed |= update_then(first, then, first_flags, kOptional, kOrderPseudoLeft);
    }
    if ((type() & kOrderOptional) && then_rsc) {
      changed |= update_then(first, then, first_flags, kRunnable, kOrderOptional);
    }
    if ((type() & kOrderAsymmetrical) && then_rsc) {
      changed |= update_then(first, then, first_flags, kRunnable, kOrderAsymmetrical);
    }
    if (act(first).has(kRunnable) && (type() & kOrderImpliesThenPrinted) &&
        !(first_flags & kOptional)) {
      act(then).flags |= kPrintAlways;
    }
    if ((type() & kOrderImpliesFirstPrinted) && !(then_flags & kOptional)) {
      act(first).flags |= kPrintAlways;
    }
    if ((type() & (kOrderImpliesThen | kOrderImpliesFirst | kOrderRestart)) && first_rsc) {
      const Resource& rsc = ws.rsc(act(first).rsc);
      if (!rsc.managed && rsc.blocked && !act(first).has(kRunnable) && act(first).task == "stop" &&
          act(then).has(kRunnable)) {
        act(then).flags &= ~kRunnable;
        changed |= kUpdatedThen;
      }
    }
    return changed;
  }

  // A group's start (stop, ...) stands for its members' completion when
  // ordering something else after it.
  int action_for_ordering(int a) {
    const Action& action = act(a);
    if (action.rsc == kNone || ws.rsc(action.rsc).variant != Variant::kGroup) return a;
    if (action.interval_ms > 0) return a;
    std::string task = action.task;
    if (task == "start")
      task = "running";
    else if (task == "stop")
      task = "stopped";
    else if (task == "promote")
      task = "promoted";
    else if (task == "demote")
      task = "demoted";
    const std::string key = op_key(ws.rsc(action.rsc).id, task, 0);
    const std::vector<int>& list = ws.rsc(action.rsc).actions;
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      if (ws.action(*it).key == key) return *it;
    }
    return a;
  }

  bool is_parent(int child, int parent) {
    for (int r = ws.rsc(child).parent; r != kNone; r = ws.rsc(r).parent) {
      if (r == parent) return true;
    }
    return false;
  }

  void update(int then) {
    std::uint32_t changed = kUpdatedNone;
    const std::uint32_t last_flags = act(then).flags;
    // Newest edge first; edges added meanwhile are picked up by the
    // re-run that a change triggers.
    for (std::size_t i = act(then).before.size(); i-- > 0;) {
      const ActionEdge edge = act(then).before[i];
      int first = edge.action;
      changed &= ~kUpdatedFirst;
      if (act(first).rsc != kNone && act(then).rsc != kNone && act(first).rsc != act(then).rsc &&
          !is_parent(act(then).rsc, act(first).rsc)) {
        first = action_for_ordering(first);
      }
      if (first == edge.action) {
        const std::uint32_t first_flags = flags_for_ordering(first);
        const std::uint32_t then_flags = flags_for_ordering(then);
        changed |= update_flags(first, then, first_flags, then_flags, i);
      } else if (order_actions(ws, first, then, edge.type)) {
        changed |= kUpdatedThen;
        act(then).before[i].type = kOrderNone;
      }
      if (changed & kUpdatedFirst) {
        const std::vector<ActionEdge> after = act(first).after;
        for (auto it = after.rbegin(); it != after.rend(); ++it) update(it->action);
        update(first);
      }
    }
    if (changed & kUpdatedThen) {
      if ((last_flags & kRunnable) && !act(then).has(kRunnable)) {
        block_colocation_dependents(ws, then);
      }
      update(then);
      const std::vector<ActionEdge> after = act(then).after;
      for (auto it = after.rbegin(); it != after.rend(); ++it) update(it->action);
    }
  }
};

void mark_blocked(WorkingSet& ws, int r, const std::string& task, int reason_rsc) {
  const std::string reason = "colocation with " + ws.rsc(reason_rsc).id;
  const std::vector<int> list = ws.rsc(r).actions;
  for (auto it = list.rbegin(); it != list.rend(); ++it) {
    Action& action = ws.action(*it);
    if (!action.has(kRunnable) || action.task != task) continue;
    action.flags &= ~kRunnable;
    set_reason(action, reason, false);
    block_colocation_dependents(ws, *it);
    Propagator{ws}.update(*it);
  }
  const std::vector<int> children = ws.rsc(r).children;
  for (int child : children) mark_blocked(ws, child, task, reason_rsc);
}

}  // namespace

void block_colocation_dependents(WorkingSet& ws, int a) {
  const Action& action = ws.action(a);
  if (action.has(kRunnable)) return;
  const bool is_start = action.task == "start";
  if (!is_start && action.task != "promote") return;
  int r = action.rsc;
  while (ws.rsc(r).parent != kNone) r = ws.rsc(r).parent;
  const Resource& rsc = ws.rsc(r);
  if (rsc.with_this.empty()) return;
  // A collective fails the colocation only if none of its parts can.
  for (int child : rsc.children) {
    int child_action = newest_action(ws, child, action.task, kNone);
    if (child_action == kNone || ws.action(child_action).has(kRunnable)) return;
  }
  const int cause = ws.action(a).rsc;
  const std::vector<int> with_this = rsc.with_this;
  for (int c : with_this) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    if (colocation.score < Score::infinity()) continue;
    if (!is_start && colocation.primary_role != RoleX::kPromoted) continue;
    mark_blocked(ws, colocation.dependent,
                 colocation.dependent_role == RoleX::kPromoted ? "promote" : "start", cause);
  }
}

void apply_orderings(WorkingSet& ws) {
  for (std::size_t i = 0; i < ws.orderings.size(); ++i) {
    const Ordering order = ws.orderings[i];
    if (order.first_rsc != kNone) {
      order_first(ws, order);
    } else if (order.then_rsc != kNone) {
      order_after(ws, order.first_action, order.then_rsc, order);
    } else {
      order_actions(ws, order.first_action, order.then_action, order.flags);
    }
  }
  // Pacemaker keeps its action list newest first.
  for (std::size_t i = ws.actions.size(); i-- > 0;) {
    block_colocation_dependents(ws, static_cast<int>(i));
  }
  Propagator propagator{ws};
  for (std::size_t i = ws.actions.size(); i-- > 0;) propagator.update(static_cast<int>(i));
}

}  // namespace tandem::placement::detail
