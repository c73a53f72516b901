#include "operator/placement/unfencing.h"

#include <vector>

#include "operator/placement/actions.h"

namespace tandem::placement::detail {
namespace {

bool can_be_unfenced(const Node& node) {
  return node.online && !node.unclean && !node.shutdown;
}

}  // namespace

bool node_unfenced(const Node& node) {
  const std::string* unfenced = node.attribute("#node-unfenced");
  return unfenced != nullptr && *unfenced != "0";
}

void trigger_unfencing(WorkingSet& ws, int device, int node, const std::string& reason) {
  if (!ws.unfencing_enabled) return;
  if (device != kNone && !ws.rsc(device).fence_device) return;
  if (node != kNone && can_be_unfenced(ws.node(node))) {
    fence_action(ws, node, "on", false, reason);
    return;
  }
  if (device == kNone) return;
  for (const auto& [candidate, entry] : ws.rsc(device).allowed) {
    (void)entry;
    if (can_be_unfenced(ws.node(candidate))) fence_action(ws, candidate, "on", false, reason);
  }
}

void order_vs_unfence(WorkingSet& ws, int r, int node, int action, std::uint32_t flags) {
  const Resource& rsc = ws.rsc(r);
  // Devices wait too: an agent that unfences often cannot even probe a
  // node it has not let in yet.
  if (!(rsc.fence_device && ws.unfencing_enabled) && !rsc.needs_unfencing) return;
  // Optional at first: requiring it would stop everything on the node
  // whenever a resource is added.
  const int unfence = fence_action(ws, node, "on", true, "");
  order_actions(ws, unfence, action, flags);
  if (!node_unfenced(ws.node(node))) {
    trigger_unfencing(ws, kNone, node, "required by " + rsc.id + " " + ws.action(action).task);
  }
}

void order_restart_vs_unfence(WorkingSet& ws, int r) {
  const Resource& rsc = ws.rsc(r);
  if (rsc.fence_device || !ws.unfencing_enabled || !rsc.needs_unfencing) return;
  std::vector<int> nodes;
  for (const auto& [node, entry] : rsc.allowed) {
    (void)entry;
    nodes.push_back(node);
  }
  for (int node : nodes) {
    const int unfence = fence_action(ws, node, "on", true, "");
    ws.orderings.push_back(Ordering{.first_rsc = r,
                                    .first_task = "stop",
                                    .then_action = unfence,
                                    .flags = kOrderOptional | kOrderSameNode});
    ws.orderings.push_back(Ordering{.first_action = unfence,
                                    .then_rsc = r,
                                    .then_task = "start",
                                    .flags = kOrderImpliesThenOnNode | kOrderSameNode});
  }
}

}  // namespace tandem::placement::detail
