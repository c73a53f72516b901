#include "operator/placement/instance_actions.h"

namespace tandem::placement::detail {

const InstanceActions::Entry& InstanceActions::entry(WorkingSet& ws, int clone, int task) {
  // A new action could be some instance's newest: start over.
  if (actions_seen_ != ws.actions.size()) {
    index_.clear();
    actions_seen_ = ws.actions.size();
  }
  const std::int64_t key =
      static_cast<std::int64_t>(clone) << 32 | static_cast<std::uint32_t>(task);
  auto [it, fresh] = index_.try_emplace(key);
  Entry& entry = it->second;
  if (!fresh) return entry;

  std::vector<std::pair<int, int>> placed;  // node, action; in the children's order
  for (int child : ws.rsc(clone).children) {
    if (!ws.rsc(child).children.empty()) entry.collective_instances = true;
    const int newest = ws.newest_action(child, task, kNone);
    if (newest != kNone) entry.newest.push_back(newest);
    for (int a : ws.rsc(child).actions) {
      const int node = ws.action(a).node;
      if (node != kNone && ws.newest_action(child, task, node) == a) placed.emplace_back(node, a);
    }
  }
  // Bucket by node, keeping the children's order within each node.
  entry.node_start.assign(ws.nodes.size() + 1, 0);
  for (const auto& [node, action] : placed) ++entry.node_start[static_cast<std::size_t>(node) + 1];
  for (std::size_t n = 1; n < entry.node_start.size(); ++n) {
    entry.node_start[n] += entry.node_start[n - 1];
  }
  entry.on_node.resize(placed.size());
  std::vector<int> next(entry.node_start.begin(), entry.node_start.end() - 1);
  for (const auto& [node, action] : placed) {
    entry.on_node[static_cast<std::size_t>(next[static_cast<std::size_t>(node)]++)] = action;
  }
  return entry;
}

std::span<const int> InstanceActions::newest(WorkingSet& ws, int clone, int task, int node) {
  const Entry& found = entry(ws, clone, task);
  if (node == kNone) return found.newest;
  const auto n = static_cast<std::size_t>(node);
  const auto begin = static_cast<std::size_t>(found.node_start[n]);
  const auto end = static_cast<std::size_t>(found.node_start[n + 1]);
  return std::span<const int>(found.on_node).subspan(begin, end - begin);
}

}  // namespace tandem::placement::detail
