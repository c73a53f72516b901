// A clone's actions are its instances' plus four pseudo-actions that stand
// for all of them (start, running, stop, stopped), ordered as Pacemaker 2.1's
// clone_create_pseudo_actions and clone_internal_constraints order them.

#include <algorithm>

#include "operator/placement/actions.h"
#include "operator/placement/clone.h"
#include "operator/placement/constraints.h"
#include "operator/placement/create_actions.h"
#include "operator/placement/internal.h"
#include "operator/placement/notifications.h"

namespace tandem::placement::detail {
namespace {

struct Activity {
  bool active = false;
  bool starting = false;
  bool stopping = false;
};

// Pacemaker's clone_update_pseudo_status.
void note_activity(const WorkingSet& ws, int r, Activity& activity) {
  const Resource& rsc = ws.rsc(r);
  if (!rsc.children.empty()) {
    for (int child : rsc.children) note_activity(ws, child, activity);
    return;
  }
  if (!rsc.running_on.empty()) activity.active = true;
  for (int index : rsc.actions) {
    if (activity.starting && activity.stopping) return;
    const Action& action = ws.action(index);
    if (action.has(kOptional)) continue;
    if (!action.has(kPseudo) && !action.has(kRunnable)) continue;
    if (action.task == "stop") {
      activity.stopping = true;
    } else if (action.task == "start" && action.has(kRunnable)) {
      activity.starting = true;
    }
  }
}

// Pacemaker's pe__new_rsc_pseudo_action.
int clone_pseudo_action(WorkingSet& ws, int c, const std::string& task, bool optional,
                        bool runnable) {
  int index = pseudo_action(ws, c, task, optional);
  if (!runnable) ws.action(index).flags &= ~kRunnable;
  return index;
}

// The one required action of `r` for `task`, if exactly one.
int single_required_action(const WorkingSet& ws, int r, const std::string& task) {
  int match = kNone;
  for (int index : find_actions(ws, r, task, kNone, false)) {
    if (ws.action(index).has(kOptional)) continue;
    if (match != kNone) return kNone;
    match = index;
  }
  return match;
}

std::vector<int> by_instance_number(const WorkingSet& ws, std::vector<int> children) {
  std::stable_sort(children.begin(), children.end(),
                   [&](int a, int b) { return ws.rsc(a).instance < ws.rsc(b).instance; });
  return children;
}

// Ordered clones start their instances one after another, and stop them in
// reverse.
void order_instances(WorkingSet& ws, int c) {
  if (!ws.rsc(c).clone.ordered) return;
  ws.rsc(c).children = by_instance_number(ws, ws.rsc(c).children);
  int last_stop = kNone, last_start = kNone;
  for (int child : ws.rsc(c).children) {
    if (int stop = single_required_action(ws, child, "stop"); stop != kNone) {
      if (last_stop != kNone) order_actions(ws, stop, last_stop, kOrderOptional);
      last_stop = stop;
    }
    if (int start = single_required_action(ws, child, "start"); start != kNone) {
      if (last_start != kNone) order_actions(ws, last_start, start, kOrderOptional);
      last_start = start;
    }
  }
}

}  // namespace

std::string strip_instance(const std::string& id) {
  const auto colon = id.rfind(':');
  if (colon == std::string::npos || colon + 1 == id.size()) return id;
  for (std::size_t i = colon + 1; i < id.size(); ++i) {
    if (id[i] < '0' || id[i] > '9') return id;
  }
  return id.substr(0, colon);
}

int instance_part(const WorkingSet& ws, int instance, const std::string& base) {
  const Resource& rsc = ws.rsc(instance);
  if (rsc.variant == Variant::kPrimitive) return rsc.base_id == base ? instance : kNone;
  for (int child : rsc.children) {
    if (int found = instance_part(ws, child, base); found != kNone) return found;
  }
  return kNone;
}

bool blocked_anywhere(const WorkingSet& ws, int r) {
  if (ws.rsc(r).blocked) return true;
  for (int child : ws.rsc(r).children) {
    if (blocked_anywhere(ws, child)) return true;
  }
  return false;
}

RoleX instance_role(const WorkingSet& ws, int r, bool current) {
  const Resource& rsc = ws.rsc(r);
  if (rsc.children.empty()) return current ? rsc.role : rsc.next_role;
  RoleX role = RoleX::kUnknown;
  for (int child : rsc.children) role = std::max(role, instance_role(ws, child, current));
  return role;
}

bool is_clone(const WorkingSet& ws, int r) {
  return r != kNone && ws.rsc(r).variant == Variant::kClone;
}

int owning_clone(const WorkingSet& ws, int r) {
  for (int p = ws.rsc(r).parent; p != kNone; p = ws.rsc(p).parent) {
    if (is_clone(ws, p)) return p;
  }
  return kNone;
}

bool is_anonymous_instance(const WorkingSet& ws, int r) {
  const int clone = owning_clone(ws, r);
  return clone != kNone && !ws.rsc(clone).clone.unique;
}

void order_after_clone_min(WorkingSet& ws, const std::string& id, int clone,
                           const std::string& first_task, int then, const std::string& then_task,
                           std::uint32_t flags, int minimum) {
  // A pseudo-action runnable once clone-min instances' actions are.
  Action met;
  met.id = static_cast<int>(ws.actions.size());
  met.task = "clone-one-or-more:" + id;
  met.key = met.task;
  met.flags = kPseudo | kRunnable | kOptional | kRequiresAny;
  met.required_runnable_before = minimum;
  ws.actions.push_back(std::move(met));
  const int index = static_cast<int>(ws.actions.size()) - 1;
  for (int child : ws.rsc(clone).children) {
    Ordering order;
    order.first_rsc = child;
    order.first_task = first_task;
    order.then_action = index;
    order.flags = kOrderOneOrMore | kOrderImpliesThenPrinted;
    ws.orderings.push_back(std::move(order));
  }
  Ordering order;
  order.first_action = index;
  order.then_rsc = then;
  order.then_task = then_task;
  order.flags = flags | kOrderRunnableLeft;
  ws.orderings.push_back(std::move(order));
}

const std::string& history_id(const WorkingSet& ws, int r) {
  return is_anonymous_instance(ws, r) ? ws.rsc(r).base_id : ws.rsc(r).id;
}

void create_clone_actions(WorkingSet& ws, int c) {
  Activity all;
  bool allow_dependent_migrations = true;
  const std::vector<int> children = ws.rsc(c).children;
  for (int child : children) {
    create_actions_for(ws, child);
    Activity one;
    note_activity(ws, child, one);
    if (one.starting && one.stopping) allow_dependent_migrations = false;
    all.active = all.active || one.active;
    all.starting = all.starting || one.starting;
    all.stopping = all.stopping || one.stopping;
  }
  const int start = clone_pseudo_action(ws, c, "start", !all.starting, true);
  const int running = clone_pseudo_action(ws, c, "running", !all.starting, false);
  if (all.active || all.starting) ws.action(running).flags |= kRunnable;
  const int start_notify = clone_notification_ops(ws, c, "start", start, running);
  const int stop = clone_pseudo_action(ws, c, "stop", !all.stopping, true);
  const int stopped = clone_pseudo_action(ws, c, "stopped", !all.stopping, true);
  if (allow_dependent_migrations) ws.action(stop).flags |= kMigrateRunnable;
  const int stop_notify = clone_notification_ops(ws, c, "stop", stop, stopped);
  if (start_notify != kNone && stop_notify != kNone) {
    order_actions(ws, ws.notifications[static_cast<std::size_t>(stop_notify)].post_done,
                  ws.notifications[static_cast<std::size_t>(start_notify)].pre, kOrderOptional);
  }
  order_instances(ws, c);
  if (ws.rsc(c).clone.promotable) create_promotable_pseudo_actions(ws, c);
}

void create_clone_constraints(WorkingSet& ws, int c) {
  order_resources(ws, c, "stopped", c, "start", kOrderOptional);
  order_resources(ws, c, "start", c, "running", kOrderRunnableLeft);
  order_resources(ws, c, "stop", c, "stopped", kOrderRunnableLeft);
  if (ws.rsc(c).clone.promotable) {
    order_resources(ws, c, "demoted", c, "stop", kOrderOptional);
    order_resources(ws, c, "running", c, "promote", kOrderRunnableLeft);
  }
  const bool ordered = ws.rsc(c).clone.ordered;
  if (ordered) ws.rsc(c).children = by_instance_number(ws, ws.rsc(c).children);
  int last = kNone;
  const std::vector<int> children = ws.rsc(c).children;
  for (int child : children) {
    create_constraints_for(ws, child);
    order_resources(ws, c, "start", child, "start", kOrderRunnableLeft | kOrderImpliesFirstPrinted);
    order_resources(ws, child, "start", c, "running", kOrderImpliesThenPrinted);
    if (ordered && last != kNone)
      order_resources(ws, last, "start", child, "start", kOrderOptional);
    order_resources(ws, c, "stop", child, "stop", kOrderImpliesFirstPrinted);
    order_resources(ws, child, "stop", c, "stopped", kOrderImpliesThenPrinted);
    if (ordered && last != kNone) order_resources(ws, child, "stop", last, "stop", kOrderOptional);
    last = child;
  }
  if (ws.rsc(c).clone.promotable) create_promotable_constraints(ws, c);
}

}  // namespace tandem::placement::detail
