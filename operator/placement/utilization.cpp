#include "operator/placement/utilization.h"

#include <algorithm>

#include "operator/placement/actions.h"
#include "operator/placement/assign.h"
#include "operator/placement/colocation.h"
#include "operator/placement/list_sort.h"
#include "operator/placement/scores.h"

namespace tandem::placement::detail {
namespace {

using Amounts = std::map<std::string, std::int64_t>;

std::int64_t amount(const Amounts& amounts, const std::string& key) {
  auto it = amounts.find(key);
  return it == amounts.end() ? 0 : it->second;
}

bool has_enough_capacity(const Node& node, const Amounts& required) {
  for (const auto& [key, value] : required) {
    if (value > amount(node.capacity, key)) return false;
  }
  return true;
}

// Whether a colocation would place `dependent` by `primary`, ignoring
// whether either is placed yet (pcmk__colocation_affects in preview).
bool affects_location(const WorkingSet& ws, int dependent, int primary, const Colocation& c) {
  const Resource& dep = ws.rsc(dependent);
  const Resource& pri = ws.rsc(primary);
  if (c.score > Score::of(0)) {
    if (c.dependent_role != RoleX::kUnknown && c.dependent_role != dep.next_role) return false;
    if (c.primary_role != RoleX::kUnknown && c.primary_role != pri.next_role) return false;
  } else if (c.score < Score::of(0)) {
    if (c.dependent_role != RoleX::kUnknown && c.dependent_role == dep.next_role) return false;
    if (c.primary_role != RoleX::kUnknown && c.primary_role == pri.next_role) return false;
  }
  return true;
}

// Resources in the order found, and a flag per resource for finding them
// again in constant time.
struct ResourceList {
  std::vector<int> order;
  std::vector<char> in;

  bool contains(int r) const { return in[static_cast<std::size_t>(r)] != 0; }
  void add(int r) {
    if (contains(r)) return;
    in[static_cast<std::size_t>(r)] = 1;
    order.push_back(r);
  }
};

// The resources that mandatory colocations tie to `r`, `r` first
// (Pacemaker's colocated_resources methods).
void colocated_resources(const WorkingSet& ws, int r, int origin, ResourceList& out) {
  if (out.contains(r)) return;
  const Resource& rsc = ws.rsc(r);
  if (rsc.variant == Variant::kGroup) {
    if (rsc.group_colocated) {
      for (int member : rsc.children) colocated_resources(ws, member, origin, out);
    } else if (!rsc.children.empty()) {
      colocated_resources(ws, rsc.children.front(), origin, out);
    }
    if (out.contains(r)) return;
  }
  out.add(r);
  for (int c : rsc.this_with) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    if (colocation.primary == origin || !colocation.score.is_infinity()) continue;
    if (affects_location(ws, r, colocation.primary, colocation)) {
      colocated_resources(ws, colocation.primary, origin, out);
    }
  }
  for (int c : rsc.with_this) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    if (colocation.dependent == origin || !colocation.score.is_infinity()) continue;
    if (affects_location(ws, colocation.dependent, r, colocation)) {
      colocated_resources(ws, colocation.dependent, origin, out);
    }
  }
}

// What the resources not placed yet need in all (add_utilization methods).
void add_utilization(const WorkingSet& ws, int r, const ResourceList& all, Amounts& sum) {
  const Resource& rsc = ws.rsc(r);
  if (!rsc.provisional) return;
  if (rsc.variant == Variant::kGroup) {
    std::vector<int> members = rsc.children;
    if (!rsc.group_colocated && !members.empty()) members.resize(1);
    for (int member : members) {
      if (ws.rsc(member).provisional && !all.contains(member)) {
        add_utilization(ws, member, all, sum);
      }
    }
    return;
  }
  for (const auto& [key, value] : rsc.utilization) sum[key] += value;
}

// A resource's scores with the preferences of what is colocated with it
// folded in, as the assignment order compares them (for a group, its first
// member's, which carry the others through the group's own colocations).
NodeTable scores_for_sorting(WorkingSet& ws, int r) {
  int subject = r;
  if (ws.rsc(r).variant == Variant::kGroup) {
    if (ws.rsc(r).children.empty()) return {};
    subject = ws.rsc(r).children.front();
  }
  NodeTable table = ws.rsc(subject).allowed;
  ws.rsc(r).merging = true;
  ws.rsc(subject).merging = true;
  if (any_node_available(ws, table)) {
    const std::vector<int> with_this = ws.rsc(subject).with_this;
    for (int c : with_this) {
      const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
      if (!colocation_has_influence(ws, colocation)) continue;
      const float factor =
          static_cast<float>(colocation.score.value()) / static_cast<float>(Score::kInfinity);
      add_colocated_node_scores(ws, colocation.dependent, table, colocation.node_attribute, factor,
                                /*select_this_with=*/false);
    }
  }
  ws.rsc(r).merging = false;
  ws.rsc(subject).merging = false;
  return table;
}

Score score_on(const NodeTable& table, int node) {
  if (node == kNone || !table.contains(node)) return Score::minus_infinity();
  return table.at(node).weight;
}

}  // namespace

bool uses_utilization(const WorkingSet& ws) {
  return ws.cluster.options.placement_strategy != model::PlacementStrategy::kDefault;
}

void setup_utilization(WorkingSet& ws) {
  for (const model::HANode& config : ws.manifests->nodes) {
    int n = ws.find_node(config.metadata.name);
    if (n != kNone) ws.node(n).capacity = config.spec.utilization;
  }
  for (const model::HAResource& config : ws.manifests->resources) {
    int r = ws.find_resource(config.metadata.name);
    if (r != kNone) ws.rsc(r).utilization = config.spec.meta.utilization;
  }
}

int compare_node_capacities(const WorkingSet& ws, int a, int b) {
  const Amounts& first = ws.node(a).capacity;
  const Amounts& second = ws.node(b).capacity;
  int result = 0;
  auto vote = [&](std::int64_t x, std::int64_t y) {
    if (x > y) --result;
    if (x < y) ++result;
  };
  for (const auto& [key, value] : first) vote(value, amount(second, key));
  for (const auto& [key, value] : second) {
    if (!first.contains(key)) vote(0, value);
  }
  return result;
}

void consume_capacity(WorkingSet& ws, int r, int node) {
  if (!uses_utilization(ws) || node == kNone) return;
  Amounts& capacity = ws.node(node).capacity;
  for (const auto& [key, value] : ws.rsc(r).utilization) {
    // A capacity the node lacks counts as 0 from then on, as in Pacemaker.
    auto it = capacity.find(key);
    capacity[key] = it == capacity.end() ? 0 : it->second - value;
  }
}

void release_capacity(WorkingSet& ws, int r, int node) {
  if (!uses_utilization(ws) || node == kNone) return;
  Amounts& capacity = ws.node(node).capacity;
  for (const auto& [key, value] : ws.rsc(r).utilization) capacity[key] += value;
}

int ban_insufficient_capacity(WorkingSet& ws, int r) {
  if (!uses_utilization(ws)) return kNone;
  ResourceList colocated;
  colocated.in.assign(ws.resources.size(), 0);
  colocated_resources(ws, r, r, colocated);
  Amounts together;
  for (int other : colocated.order) add_utilization(ws, other, colocated, together);

  bool any_capable = false;
  int most_capable = kNone;
  for (const auto& [node, entry] : ws.rsc(r).allowed) {
    if (!node_available(ws.node(node), true, entry.weight)) continue;
    if (has_enough_capacity(ws.node(node), together)) any_capable = true;
    if (most_capable == kNone || compare_node_capacities(ws, node, most_capable) < 0) {
      most_capable = node;
    }
  }
  const Amounts& needed = any_capable ? together : ws.rsc(r).utilization;
  const std::string reason = any_capable && colocated.order.size() > 1
                                 ? "not enough capacity for it and the resources colocated with it"
                                 : "not enough capacity for it";
  std::vector<int> banned;
  for (const auto& [node, entry] : ws.rsc(r).allowed) {
    if (node_available(ws.node(node), true, entry.weight) &&
        !has_enough_capacity(ws.node(node), needed)) {
      banned.push_back(node);
    }
  }
  for (int node : banned) add_location(ws, r, node, Score::minus_infinity(), reason);
  return any_capable ? kNone : most_capable;
}

void sort_resources_for_strategy(WorkingSet& ws) {
  if (!uses_utilization(ws)) return;
  // The nodes in order of preference (pcmk__sort_nodes without a resource).
  std::vector<int> nodes(ws.nodes.size());
  for (std::size_t n = 0; n < nodes.size(); ++n) nodes[n] = static_cast<int>(n);
  const bool balanced =
      ws.cluster.options.placement_strategy == model::PlacementStrategy::kBalanced;
  list_sort(nodes, [&](int a, int b) {
    const Node& na = ws.node(a);
    const Node& nb = ws.node(b);
    const Score wa = node_available(na, false, na.weight) ? na.weight : Score::minus_infinity();
    const Score wb = node_available(nb, false, nb.weight) ? nb.weight : Score::minus_infinity();
    if (wa != wb) return wa > wb ? -1 : 1;
    if (balanced) {
      if (int c = compare_node_capacities(ws, a, b); c != 0) return c;
    }
    return na.name.compare(nb.name);
  });

  std::map<int, NodeTable> tables;
  for (int r : ws.top_level) tables.emplace(r, scores_for_sorting(ws, r));
  list_sort(ws.top_level, [&](int a, int b) {
    const Resource& ra = ws.rsc(a);
    const Resource& rb = ws.rsc(b);
    if (ra.priority != rb.priority) return ra.priority > rb.priority ? -1 : 1;
    // The one with the higher score where it runs now goes first...
    const int current_a = ra.running_on.empty() ? kNone : current_node(ws, ra);
    const int current_b = rb.running_on.empty() ? kNone : current_node(ws, rb);
    const Score sa = score_on(tables.at(a), current_a);
    const Score sb = score_on(tables.at(b), current_b);
    if (sa != sb) return sa > sb ? -1 : 1;
    // ...else the one with a higher score on a better node.
    for (int node : nodes) {
      const Score xa = score_on(tables.at(a), node);
      const Score xb = score_on(tables.at(b), node);
      if (xa != xb) return xa > xb ? -1 : 1;
    }
    return 0;
  });
}

}  // namespace tandem::placement::detail
