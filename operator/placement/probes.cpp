#include "operator/placement/probes.h"

#include "operator/placement/actions.h"
#include "operator/placement/unfencing.h"

namespace tandem::placement::detail {
namespace {

void probe(WorkingSet& ws, int r, int node) {
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
