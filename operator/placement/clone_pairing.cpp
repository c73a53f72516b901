// Interleaving pairs each instance of one clone with the instance of another
// clone on the same node (Pacemaker's find_compatible_child): by where they
// run now when stopping, by where they are assigned otherwise.

#include <algorithm>

#include "operator/placement/actions.h"
#include "operator/placement/assign.h"
#include "operator/placement/clone.h"
#include "operator/placement/colocation.h"

namespace tandem::placement::detail {
namespace {

bool is_compatible(const WorkingSet& ws, int candidate, int node, RoleX filter, bool current) {
  if (filter != RoleX::kUnknown && instance_role(ws, candidate, current) != filter) return false;
  if (blocked_anywhere(ws, candidate)) return false;
  return instance_node(ws, candidate, current) == node;
}

int compatible_on(const WorkingSet& ws, int clone, int node, RoleX filter, bool current) {
  for (int candidate : ws.rsc(clone).children) {
    if (is_compatible(ws, candidate, node, filter, current)) return candidate;
  }
  return kNone;
}

// The first compatible instance of `clone` on each node, in the clone's
// order, as compatible_on would find it node by node: one pass instead of
// one per node.
std::vector<int> first_compatible_on(const WorkingSet& ws, int clone, RoleX filter, bool current) {
  std::vector<int> first_on(ws.nodes.size(), kNone);
  for (int candidate : ws.rsc(clone).children) {
    if (filter != RoleX::kUnknown && instance_role(ws, candidate, current) != filter) continue;
    if (blocked_anywhere(ws, candidate)) continue;
    const int at = instance_node(ws, candidate, current);
    if (at != kNone && first_on[static_cast<std::size_t>(at)] == kNone) {
      first_on[static_cast<std::size_t>(at)] = candidate;
    }
  }
  return first_on;
}

// For an instance on no node: the instance in `first_on` on its best node
// (highest score, then first by name; names are unique, so no two nodes
// tie) that has one.
int best_paired(const WorkingSet& ws, int local, const std::vector<int>& first_on) {
  int best = kNone;
  Score best_score;
  for (const auto& [candidate, entry] : ws.rsc(local).allowed) {
    if (first_on[static_cast<std::size_t>(candidate)] == kNone) continue;
    if (best == kNone || entry.weight > best_score ||
        (entry.weight == best_score && ws.name_rank[static_cast<std::size_t>(candidate)] <
                                           ws.name_rank[static_cast<std::size_t>(best)])) {
      best = candidate;
      best_score = entry.weight;
    }
  }
  return best == kNone ? kNone : first_on[static_cast<std::size_t>(best)];
}

}  // namespace

int compatible_instance(const WorkingSet& ws, int local, int clone, RoleX filter, bool current) {
  const int node = instance_node(ws, local, current);
  if (node != kNone) return compatible_on(ws, clone, node, filter, current);
  return best_paired(ws, local, first_compatible_on(ws, clone, filter, current));
}

int InstancePairing::pair(const WorkingSet& ws, int local, int clone, bool current) {
  const int node = instance_node(ws, local, current);
  if (node == kNone) {
    Unplaced& known = unplaced_[key(clone, current)];
    if (known.first_on.empty() || known.made_at != ws.assignment_changes) {
      known.first_on = first_compatible_on(ws, clone, RoleX::kUnknown, current);
      known.made_at = ws.assignment_changes;
      known.pair_of.clear();
    }
    auto [pair, added] = known.pair_of.try_emplace(local, kNone);
    if (added) pair->second = best_paired(ws, local, known.first_on);
    return pair->second;
  }
  auto [entry, fresh] = index_.try_emplace(key(clone, current));
  if (fresh) entry->second = first_compatible_on(ws, clone, RoleX::kUnknown, current);
  return entry->second[static_cast<std::size_t>(node)];
}

void apply_clone_colocation(WorkingSet& ws, int dependent, int primary,
                            const Colocation& colocation) {
  const Resource& clone = ws.rsc(primary);
  if (clone.clone.promotable) {
    if (clone.provisional) return;
    if (apply_promotable_colocation(ws, dependent, primary, colocation)) return;
  }
  // Only the dependent's own clone decides about interleaving.
  const Resource& owner = ws.rsc(colocation.dependent);
  bool interleave = owner.variant == Variant::kClone && owner.clone.interleave &&
                    owner.clone.node_max == clone.clone.node_max;
  if (clone.provisional) return;
  if (interleave) {
    const int pair = compatible_instance(ws, dependent, primary, RoleX::kUnknown, false);
    if (pair != kNone) {
      apply_colocation_score(ws, dependent, pair, colocation);
    } else if (colocation.score.is_infinity()) {
      assign_to(ws, dependent, kNone, true);
    }
    return;
  }
  if (colocation.score.is_infinity()) {
    // Only where an instance is going.
    std::vector<bool> chosen(ws.nodes.size(), false);
    for (int child : clone.children) {
      const int node = instance_node(ws, child, false);
      if (node != kNone && !blocked_anywhere(ws, child))
        chosen[static_cast<std::size_t>(node)] = true;
    }
    for (auto [node, entry] : ws.rsc(dependent).allowed) {
      if (!chosen[static_cast<std::size_t>(node)]) {
        ws.rsc(dependent).allowed.at(node).weight = Score::minus_infinity();
      }
    }
    return;
  }
  const std::vector<int> children = clone.children;
  for (int child : children) apply_colocation_score(ws, dependent, child, colocation);
}

}  // namespace tandem::placement::detail
