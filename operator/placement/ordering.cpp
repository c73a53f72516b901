// Flag propagation follows Pacemaker 2.1's pcmk__update_action_for_orderings
// to the letter, including the order in which edges are visited (newest
// first): which of several equivalent updates happens first decides the
// reasons shown, and in corner cases the outcome.

#include "operator/placement/ordering.h"

#include "operator/placement/actions.h"
#include "operator/placement/assign.h"
#include "operator/placement/clone.h"
#include "operator/placement/instance_actions.h"
#include "operator/placement/notifications.h"

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
    const int member_task_id = ws.task_id(member_task);
    const std::vector<int>& members = ws.rsc(act(a).rsc).children;
    for (int member : members) {
      const int member_action = ws.newest_action(member, member_task_id, kNone);
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

  // A clone's action is required when an instance's is, and runnable when
  // any instance's is (Pacemaker's summary_action_flags). With a node, only
  // instances there count, except for runnable.
  std::uint32_t clone_flags(int a, int node) {
    std::uint32_t flags = kOptional | kRunnable | kPseudo;
    const int task = ws.task_id(instance_task(act(a).rsc, notified_task(act(a))));
    bool any_runnable = false;
    // Groups' actions count wherever they are; primitives' on the node.
    const int clone = act(a).rsc;
    const bool collective = instance_actions.collective_instances(ws, clone, task);
    std::vector<int> mixed;
    std::span<const int> child_actions;
    if (!collective) {
      child_actions = instance_actions.newest(ws, clone, task, node);
    } else {
      for (int child : ws.rsc(clone).children) {
        const bool group = !ws.rsc(child).children.empty();
        const int child_action = ws.newest_action(child, task, group ? kNone : node);
        if (child_action != kNone) mixed.push_back(child_action);
      }
      child_actions = mixed;
    }
    for (int child_action : child_actions) {
      const std::uint32_t child_flags = flags_of(child_action, node);
      if ((flags & kOptional) && !(child_flags & kOptional)) {
        flags &= ~kOptional;
        act(a).flags &= ~kOptional;
      }
      if (child_flags & kRunnable) any_runnable = true;
      // Once required and runnable, the rest cannot change the answer, and
      // primitives' flags_of changes nothing: a clone's action is asked
      // about once per instance's ordering, so this saves a pass over every
      // instance each time.
      if (!collective && !(flags & kOptional) && any_runnable) break;
    }
    if (!any_runnable) {
      flags &= ~kRunnable;
      if (node == kNone) act(a).flags &= ~kRunnable;
    }
    return flags;
  }

  // The resource's action_flags method.
  std::uint32_t flags_of(int a, int node) {
    const Resource* rsc = rsc_of(a);
    if (rsc == nullptr) return act(a).flags;
    if (rsc->variant == Variant::kGroup) return group_flags(a);
    if (rsc->variant == Variant::kClone) return clone_flags(a, node);
    return act(a).flags;
  }

  // Pacemaker's action_flags_for_ordering: for a clone's action, runnable
  // anywhere is what counts.
  std::uint32_t flags_for_ordering(int a, int node = kNone) {
    const Resource* rsc = rsc_of(a);
    if (rsc == nullptr) return act(a).flags;
    std::uint32_t flags = flags_of(a, kNone);
    if (node == kNone || rsc->variant != Variant::kClone) return flags;
    const bool runnable = (flags & kRunnable) != 0;
    flags = flags_of(a, node);
    if (runnable) flags |= kRunnable;
    return flags;
  }

  // A notification stands for the task it tells about, which its key names
  // ("db_pre_notify_start_0": start); any other action for its own task.
  static std::string notified_task(const Action& action) {
    if (action.task != "notify" && action.task != "notified") return action.task;
    const std::size_t last = action.key.rfind('_');
    if (last == std::string::npos || last == 0) return action.task;
    const std::size_t before = action.key.rfind('_', last - 1);
    if (before == std::string::npos) return action.task;
    return action.key.substr(before + 1, last - before - 1);
  }

  // The instances' task for a clone's: running is their start, and so on;
  // a cloned group's instances have the clone's own task.
  std::string instance_task(int clone, const std::string& task) {
    const std::vector<int>& children = ws.rsc(clone).children;
    if (!children.empty() && ws.rsc(children.front()).variant != Variant::kPrimitive) return task;
    if (task == "running") return "start";
    if (task == "stopped") return "stop";
    if (task == "promoted") return "promote";
    if (task == "demoted") return "demote";
    return task;
  }

  bool can_interleave(int first, int then) {
    const int first_rsc = act(first).rsc, then_rsc = act(then).rsc;
    if (first_rsc == kNone || then_rsc == kNone || first_rsc == then_rsc) return false;
    if (ws.rsc(first_rsc).variant != Variant::kClone ||
        ws.rsc(then_rsc).variant != Variant::kClone) {
      return false;
    }
    const std::string& task = act(then).task;
    const int owner =
        (task == "stop" || task == "demote") && act(then).interval_ms == 0 ? first_rsc : then_rsc;
    return ws.rsc(owner).clone.interleave;
  }

  // Pacemaker's multi_update_interleave_actions: each instance of the
  // then-clone is ordered after the instance of the first-clone on its node.
  std::uint32_t update_interleaved(int first, int then, int node, std::uint32_t filter,
                                   std::uint32_t type) {
    std::uint32_t changed = kUpdatedNone;
    const std::string& first_task = act(first).task;
    const bool current = first_task == "stopped" || first_task == "demoted";
    const int first_clone = act(first).rsc;
    const int child_first_task = ws.task_id(instance_task(first_clone, first_task));
    const int then_task = ws.task_id(act(then).task);
    const std::vector<int> children = ws.rsc(act(then).rsc).children;
    for (int then_child : children) {
      const int first_child = paired_instance(then_child, first_clone, current);
      if (first_child == kNone) {
        if (!current && (type & (kOrderRunnableLeft | kOrderImpliesThen))) {
          // Nothing of the first clone will be on its node: it cannot run.
          if (assign_none(then_child)) changed |= kUpdatedThen;
        }
        continue;
      }
      const int first_action = ws.newest_action(first_child, child_first_task, node);
      const int then_action = ws.newest_action(then_child, then_task, node);
      if (first_action == kNone || then_action == kNone) continue;
      if (order_actions(ws, first_action, then_action, type)) {
        changed |= kUpdatedFirst | kUpdatedThen;
      }
      changed |=
          update_then(first_action, then_action, flags_of(first_action, node), filter, type, node);
    }
    return changed;
  }

  // Interleaving pairs instances by node again and again while flags
  // settle: indexed once, until an assignment changes.
  InstancePairing pairing;
  InstanceActions instance_actions;

  int paired_instance(int local, int clone, bool current) {
    return pairing.pair(ws, local, clone, current);
  }

  bool assign_none(int r) {
    // Every time, changed or not: a nested propagation (mark_blocked) may
    // have changed assignments this pairing does not know about.
    pairing.clear();
    bool changed = false;
    if (ws.rsc(r).variant == Variant::kPrimitive) {
      changed = ws.rsc(r).assigned != kNone;
      assign_to(ws, r, kNone, true);
      return changed;
    }
    const std::vector<int> children = ws.rsc(r).children;
    for (int child : children) changed = assign_none(child) || changed;
    return changed;
  }

  // Pacemaker's pcmk__multi_update_actions, a clone's update method.
  std::uint32_t update_multi(int first, int then, std::uint32_t flags, std::uint32_t filter,
                             std::uint32_t type, int node) {
    if (can_interleave(first, then)) return update_interleaved(first, then, node, filter, type);
    if (act(then).rsc == kNone) return kUpdatedNone;
    std::uint32_t changed = update_ordered(first, then, flags, filter, type);
    const int task = ws.task_id(act(then).task);
    // A copy: the updates below run through the index too.
    const std::span<const int> indexed = instance_actions.newest(ws, act(then).rsc, task, node);
    const std::vector<int> child_actions(indexed.begin(), indexed.end());
    for (int child_action : child_actions) {
      std::uint32_t child_changed = kUpdatedNone;
      if (flags_of(child_action, node) & kRunnable) {
        child_changed = update_then(first, child_action, flags, filter, type, node);
      }
      changed |= child_changed;
      if (child_changed & kUpdatedThen) {
        const std::vector<ActionEdge> after = act(child_action).after;
        for (const ActionEdge& edge : after) update(edge.action);
      }
    }
    return changed;
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
                            std::uint32_t type, int node = kNone) {
    const Resource& rsc = ws.rsc(act(then).rsc);
    if (rsc.variant == Variant::kClone) return update_multi(first, then, flags, filter, type, node);
    if (rsc.variant != Variant::kGroup) return update_ordered(first, then, flags, filter, type);
    std::uint32_t changed = update_ordered(first, then, flags, filter, type);
    const std::vector<int> members = rsc.children;
    const int task = ws.task_id(act(then).task);
    for (int member : members) {
      const int member_action = ws.newest_action(member, task, node);
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
    int node = act(then).node;

    if (type() & kOrderImpliesThenOnNode) {
      // Unfencing restarts only what runs on the node unfenced: from here
      // on a plain "implies then", scoped to the first action's node.
      act(then).before[edge_index].type = (type() & ~kOrderImpliesThenOnNode) | kOrderImpliesThen;
      node = act(first).node;
    }
    if (type() & kOrderImpliesThen) {
      if (then_rsc) {
        changed |=
            update_then(first, then, first_flags & kOptional, kOptional, kOrderImpliesThen, node);
      } else if (!(first_flags & kOptional) && act(then).has(kOptional)) {
        act(then).flags &= ~kOptional;
        changed |= kUpdatedThen;
      }
    }
    if ((type() & kOrderRestart) && then_rsc) {
      changed |= update_then(first, then, first_flags, kOptional | kRunnable, kOrderRestart, node);
    }
    if (type() & kOrderImpliesFirst) {
      if (first_rsc) {
        // The first resource's method; a group's also updates the members
        // of the then-resource.
        if (ws.rsc(act(first).rsc).variant == Variant::kClone) {
          changed |= update_multi(first, then, first_flags, kOptional, kOrderImpliesFirst, node);
        } else if (ws.rsc(act(first).rsc).variant == Variant::kGroup && then_rsc) {
          changed |= update_then(first, then, first_flags, kOptional, kOrderImpliesFirst, node);
        } else {
          changed |= update_ordered(first, then, first_flags, kOptional, kOrderImpliesFirst);
        }
      } else if (!(first_flags & kOptional) && act(first).has(kRunnable)) {
        act(first).flags &= ~kRunnable;
        changed |= kUpdatedFirst;
      }
    }
    if ((type() & kOrderPromotedImpliesFirst) && then_rsc) {
      changed |= update_then(first, then, first_flags & kOptional, kOptional,
                             kOrderPromotedImpliesFirst, node);
    }
    if (type() & kOrderOneOrMore) {
      if (then_rsc) {
        changed |= update_then(first, then, first_flags, kRunnable, kOrderOneOrMore, node);
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
        changed |= update_then(first, then, first_flags, kRunnable, kOrderRunnableLeft, node);
      }
    }
    if (type() & kOrderRunnableLeft) {
      if (then_rsc) {
        changed |= update_then(first, then, first_flags, kRunnable, kOrderRunnableLeft, node);
      } else if (!(first_flags & kRunnable) && act(then).has(kRunnable)) {
        act(then).flags &= ~kRunnable;
        changed |= kUpdatedThen;
      }
    }
    if ((type() & kOrderImpliesFirstMigratable) && then_rsc) {
      changed |=
          update_then(first, then, first_flags, kOptional, kOrderImpliesFirstMigratable, node);
    }
    if ((type() & kOrderPseudoLeft) && then_rsc) {
      changed |= update_then(first, then, first_flags, kOptional, kOrderPseudoLeft, node);
    }
    if ((type() & kOrderOptional) && then_rsc) {
      changed |= update_then(first, then, first_flags, kRunnable, kOrderOptional, node);
    }
    if ((type() & kOrderAsymmetrical) && then_rsc) {
      changed |= update_then(first, then, first_flags, kRunnable, kOrderAsymmetrical, node);
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
  // ordering something else after it; a clone's that notifies, for the
  // notifications after it.
  int action_for_ordering(int a) {
    const Action& action = act(a);
    if (action.rsc == kNone || ws.rsc(action.rsc).variant == Variant::kPrimitive) return a;
    if (action.interval_ms > 0 || action.key.find("notify") != std::string::npos) return a;
    std::string task = action.task;
    if (task == "start")
      task = "running";
    else if (task == "stop")
      task = "stopped";
    else if (task == "promote")
      task = "promoted";
    else if (task == "demote")
      task = "demoted";
    const Resource& rsc = ws.rsc(action.rsc);
    const bool completion =
        task == "running" || task == "stopped" || task == "promoted" || task == "demoted";
    const std::string key = completion && rsc.parent == kNone && notifies(ws, action.rsc)
                                ? notify_key(rsc.id, "confirmed-post", task)
                                : op_key(rsc.id, task, 0);
    const std::vector<int>& list = ws.rsc(action.rsc).actions;
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      if (ws.action(*it).key == key) return *it;
    }
    return a;
  }

  // Where an action runs, for orderings that hold only on one node: a
  // group's start is where the group is assigned.
  int node_for_ordering(int a) {
    const Action& action = act(a);
    if (action.rsc != kNone && action.task == "start" &&
        ws.rsc(action.rsc).variant == Variant::kGroup && ws.rsc(action.rsc).assigned != kNone) {
      return ws.rsc(action.rsc).assigned;
    }
    return action.node;
  }

  bool on_same_node(int first, int then) {
    const int first_node = node_for_ordering(first);
    const int then_node = node_for_ordering(then);
    return first_node == kNone || then_node == kNone || first_node == then_node;
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
    // A "one or more" action counts its runnable inputs afresh each time.
    if (act(then).has(kRequiresAny)) {
      act(then).runnable_before = 0;
      if (act(then).required_runnable_before == 0) act(then).required_runnable_before = 1;
      act(then).flags &= ~kRunnable;
    }
    // Newest edge first; edges added meanwhile are picked up by the
    // re-run that a change triggers.
    for (std::size_t i = act(then).before.size(); i-- > 0;) {
      const ActionEdge edge = act(then).before[i];
      int first = edge.action;
      if ((edge.type & kOrderSameNode) && !on_same_node(first, then)) {
        act(then).before[i].type = kOrderNone;
        continue;
      }
      changed &= ~kUpdatedFirst;
      if (act(first).rsc != kNone && (edge.type & kOrderThenCancelsFirst) &&
          !act(then).has(kOptional)) {
        // A required "then" (a stop) makes "first" (a reload) pointless.
        act(first).flags |= kOptional;
        if (act(first).task == "reload-agent") ws.rsc(act(first).rsc).reload = false;
      }
      if (act(first).rsc != kNone && act(then).rsc != kNone && act(first).rsc != act(then).rsc &&
          !is_parent(act(then).rsc, act(first).rsc)) {
        first = action_for_ordering(first);
      }
      if (first == edge.action) {
        const std::uint32_t first_flags = flags_for_ordering(first, act(then).node);
        const std::uint32_t then_flags = flags_for_ordering(then, act(first).node);
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
    // A "one or more" action changed only if its flags differ from before
    // the recount (else the recount would never settle).
    if (act(then).has(kRequiresAny)) {
      if (last_flags == act(then).flags) {
        changed &= ~kUpdatedThen;
      } else {
        changed |= kUpdatedThen;
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
  const int task = ws.task_id(action.task);
  for (int child : rsc.children) {
    const int child_action = ws.newest_action(child, task, kNone);
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
