#include "operator/placement/probes.h"

#include <algorithm>

#include "operator/placement/actions.h"
#include "operator/placement/clone.h"
#include "operator/placement/unfencing.h"

namespace tandem::placement::detail {
namespace {

bool known_on(const WorkingSet& ws, int r, int node) {
  const Resource& rsc = ws.rsc(r);
  if (rsc.children.empty()) return rsc.known_on.contains(node);
  for (int child : rsc.children) {
    if (known_on(ws, child, node)) return true;
  }
  return false;
}

// The instances of an anonymous clone are one resource to the agent on a
// node, so one probe answers for all of them: the instance known there,
// else the one assigned there, else the first (Pacemaker's
// probe_anonymous_clone). Probing each would ask the agent the same
// question once per instance.
int instance_to_probe(const WorkingSet& ws, int clone, int node) {
  std::vector<int> children = ws.rsc(clone).children;
  std::stable_sort(children.begin(), children.end(),
                   [&](int a, int b) { return ws.rsc(a).instance < ws.rsc(b).instance; });
  for (int child : children) {
    if (known_on(ws, child, node)) return child;
  }
  for (int child : children) {
    if (instance_node(ws, child, false) == node) return child;
  }
  return children.front();
}

void probe(WorkingSet& ws, int r, int node) {
  if (is_clone(ws, r) && !ws.rsc(r).clone.unique && !ws.rsc(r).children.empty()) {
    probe(ws, instance_to_probe(ws, r, node), node);
    return;
  }
  if (!ws.rsc(r).children.empty()) {
    const std::vector<int> children = ws.rsc(r).children;
    for (int child : children) probe(ws, child, node);
    return;
  }
  const Resource& rsc = ws.rsc(r);
  if (rsc.orphan || rsc.known_on.contains(node)) return;
  int top = r;
  while (ws.rsc(top).parent != kNone) top = ws.rsc(top).parent;
  auto allowed = rsc.allowed.find(node);
  if (rsc.exclusive_discover || ws.rsc(top).exclusive_discover) {
    if (allowed == rsc.allowed.end() || allowed->second.discovery != Discovery::kExclusive) {
      return;
    }
  }
  if (allowed != rsc.allowed.end() && allowed->second.discovery == Discovery::kNever) return;

  const int monitor = resource_action(ws, r, "monitor", node, false);
  ws.action(monitor).flags &= ~kOptional;
  order_vs_unfence(ws, r, node, monitor, kOrderOptional);
  std::uint32_t flags = kOrderOptional;
  // A resource that cannot be probed somewhere cannot start anywhere, but
  // one already running is not stopped for it.
  if (!ws.action(monitor).has(kRunnable) && ws.rsc(r).running_on.empty()) {
    flags |= kOrderRunnableLeft;
  }
  Ordering order;
  order.first_rsc = r;
  order.first_action = monitor;
  order.then_rsc = r;
  order.then_task = "start";
  order.flags = flags;
  ws.orderings.push_back(std::move(order));
}

}  // namespace

void schedule_probes(WorkingSet& ws) {
  if (!ws.cluster.options.startup_probes) return;
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    const Node& node = ws.nodes[n];
    if (!node.online || node.unclean) continue;
    for (int r : ws.top_level) probe(ws, r, static_cast<int>(n));
  }
}

}  // namespace tandem::placement::detail
