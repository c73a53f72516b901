#include "operator/placement/fencing.h"

#include "operator/placement/actions.h"
#include "operator/placement/notifications.h"

namespace tandem::placement::detail {
namespace {

bool is_managed(const WorkingSet& ws, int r) {
  if (ws.rsc(r).managed) return true;
  for (int child : ws.rsc(r).children) {
    if (is_managed(ws, child)) return true;
  }
  return false;
}

int top_of(const WorkingSet& ws, int r) {
  while (ws.rsc(r).parent != kNone) r = ws.rsc(r).parent;
  return r;
}

// Starts wait for the fencing when the resource requires fencing, or when
// nobody knows whether it runs on the node being fenced.
void order_start_vs_fencing(WorkingSet& ws, int r, int fence) {
  const int target = ws.action(fence).node;
  const std::vector<int> actions = ws.rsc(r).actions;
  for (auto it = actions.rbegin(); it != actions.rend(); ++it) {
    const Action& action = ws.action(*it);
    switch (action.needs) {
      case Requirement::kNothing:
        break;
      case Requirement::kFencing:
        order_actions(ws, fence, *it, kOrderOptional);
        break;
      case Requirement::kQuorum:
        if (action.task == "start" && ws.rsc(r).allowed.contains(target) &&
            !ws.rsc(r).known_on.contains(target)) {
          order_actions(ws, fence, *it, kOrderOptional | kOrderRunnableLeft);
        }
        break;
    }
  }
}

// A stop on a node being fenced is done by the fencing: it becomes a
// pseudo-action, after the fencing when the resource requires fencing.
void order_stop_vs_fencing(WorkingSet& ws, int r, int fence) {
  const int target = ws.action(fence).node;
  const bool implicit = ws.rsc(r).requires_ == Requirement::kFencing;
  std::vector<int> stops;
  for (int a : ws.rsc(r).actions) {
    Action& action = ws.action(a);
    if (action.task != "stop" || action.interval_ms != 0) continue;
    if (action.node == kNone) action.node = target;
    if (action.node == target) stops.push_back(a);
  }
  int parent_stop = kNone;
  if (!stops.empty() && implicit) {
    const std::vector<int>& top_actions = ws.rsc(top_of(ws, r)).actions;
    for (auto it = top_actions.rbegin(); it != top_actions.rend(); ++it) {
      if (ws.action(*it).task == "stop") {
        parent_stop = *it;
        break;
      }
    }
  }
  for (int stop : stops) {
    ws.action(stop).flags |= kPseudo | kRunnable;
    if (implicit) {
      order_actions(ws, fence, stop, kOrderPreserve);
      order_actions(ws, fence, parent_stop, kOrderPreserve);
    }
    order_notifications_after_fencing(ws, stop, r, fence);
  }
  for (int a : ws.rsc(r).actions) {
    Action& action = ws.action(a);
    if (action.task != "demote" || action.interval_ms != 0) continue;
    if (action.node == kNone) action.node = target;
    if (action.node != target) continue;
    const Node& node = ws.node(target);
    if (!node.online || node.unclean || ws.rsc(r).failed) {
      action.flags |= kPseudo | kRunnable;
      if (implicit) order_actions(ws, fence, a, kOrderPreserve | kOrderOptional);
    }
  }
}

void order_vs_fence(WorkingSet& ws, int r, int fence) {
  if (!ws.rsc(r).children.empty()) {
    for (int child : ws.rsc(r).children) order_vs_fence(ws, child, fence);
    return;
  }
  if (!ws.rsc(r).managed) return;
  order_start_vs_fencing(ws, r, fence);
  order_stop_vs_fencing(ws, r, fence);
}

int shutdown_action(WorkingSet& ws, int node) {
  Action action;
  action.id = static_cast<int>(ws.actions.size());
  action.node = node;
  action.task = "do_shutdown";
  action.key = "shutdown-" + ws.node(node).name;
  action.flags = kRunnable;
  ws.actions.push_back(std::move(action));
  const int shutdown = static_cast<int>(ws.actions.size()) - 1;
  // Every stop there becomes required and comes first, unless the resource
  // or node is left alone (maintenance, unmanaged).
  for (int a = 0; a < shutdown; ++a) {
    Action& stop = ws.action(a);
    if (stop.rsc == kNone || stop.node != node || stop.task != "stop") continue;
    const Resource& rsc = ws.rsc(stop.rsc);
    if (rsc.maintenance || ws.node(node).maintenance) continue;
    if (!rsc.managed && !rsc.blocked) continue;
    stop.flags &= ~kOptional;
    Ordering order;
    order.first_rsc = stop.rsc;
    order.first_action = a;
    order.then_task = "do_shutdown";
    order.then_action = shutdown;
    order.flags = kOrderOptional | kOrderRunnableLeft;
    ws.orderings.push_back(std::move(order));
  }
  return shutdown;
}

}  // namespace

void schedule_fencing_and_shutdowns(WorkingSet& ws) {
  bool have_managed = false;
  for (int r : ws.top_level) have_managed = have_managed || is_managed(ws, r);
  int dc_down = kNone;
  std::vector<int> fencing_ops, shutdown_ops;
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    const int node = static_cast<int>(n);
    int fencing = kNone;
    if (have_managed && ws.node(node).unclean && can_fence(ws, node)) {
      fencing = fence_action(ws, node, "", false, "node is unclean");
      for (int r : ws.top_level) order_vs_fence(ws, r, fencing);
      if (ws.node(node).is_dc) {
        dc_down = fencing;
      } else {
        fencing_ops.push_back(fencing);
      }
    } else if (ws.node(node).online && ws.node(node).shutdown) {
      const int down = shutdown_action(ws, node);
      if (ws.node(node).is_dc) {
        dc_down = down;
      } else {
        shutdown_ops.push_back(down);
      }
    }
  }
  if (dc_down != kNone) {
    // Shutting down or fencing the DC last avoids repeated elections.
    if (ws.action(dc_down).task == "do_shutdown") {
      for (int down : shutdown_ops) order_actions(ws, down, dc_down, kOrderOptional);
    }
    for (int fence : fencing_ops) order_actions(ws, fence, dc_down, kOrderOptional);
  }
}

}  // namespace tandem::placement::detail
