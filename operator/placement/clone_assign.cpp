// Assigning a clone's instances follows Pacemaker 2.1's pcmk__clone_allocate
// and distribute_children: instances sorted so that the ones running where
// they may stay come first, each first offered its current node (up to an
// even share per node), then the rest placed like primitives, with at most
// clone-node-max instances per node and clone-max in all.

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "common/core/assert.h"
#include "operator/placement/actions.h"
#include "operator/placement/assign.h"
#include "operator/placement/clone.h"
#include "operator/placement/colocation.h"
#include "operator/placement/scores.h"

namespace tandem::placement::detail {
namespace {

// Pacemaker's common_update_score: sets (not adds) the score, throughout.
void set_score(WorkingSet& ws, int r, int node, Score score) {
  auto entry = ws.rsc(r).allowed.find(node);
  if (entry != ws.rsc(r).allowed.end()) ws.rsc(r).allowed.at(node).weight = score;
  const std::vector<int> children = ws.rsc(r).children;
  for (int child : children) set_score(ws, child, node, score);
}

bool can_run_anything(const WorkingSet& ws, int node) {
  return node_available(ws.node(node), false, Score::of(0));
}

// Pacemaker's can_run_instance for one node: bans the node from the instance
// where the clone may not run there or already has `limit` instances.
void check_instance_node(WorkingSet& ws, int r, int node, int limit) {
  bool ok = false;
  if (can_run_anything(ws, node) && !ws.rsc(r).orphan) {
    AllowedNode* top = top_allowed(ws, r, node);
    if (top != nullptr && top->weight < Score::of(0)) {
      set_score(ws, r, node, top->weight);
      return;
    }
    ok = top != nullptr && top->count < limit;
  }
  if (!ok) set_score(ws, r, node, Score::minus_infinity());
}

bool has_influence(const WorkingSet& ws, const Colocation& colocation, int rsc) {
  return colocation.influence || ws.rsc(rsc).running_on.empty();
}

// Pacemaker's append_parent_colocation: the clone's colocations apply to
// each instance; when every node gets an instance, only the mandatory ones
// and the bans.
void append_parent_colocations(WorkingSet& ws, int clone, int r, bool all) {
  const std::vector<int> this_with = ws.rsc(clone).this_with;
  for (int c : this_with) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    if (all || colocation.score < Score::of(0) || colocation.score.is_infinity()) {
      insert_this_with(ws, r, c);
    }
  }
  const std::vector<int> with_this = ws.rsc(clone).with_this;
  for (int c : with_this) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    if (!has_influence(ws, colocation, r)) continue;
    if (all || colocation.score < Score::of(0)) insert_with_this(ws, r, c);
  }
}

// Undoes a tentative assignment (Pacemaker's pcmk__unassign_resource; a
// group keeps its members' assignments, as Pacemaker's does).
void unassign(WorkingSet& ws, int r) {
  Resource& rsc = ws.rsc(r);
  if (rsc.assigned == kNone) return;
  ws.node(rsc.assigned).assigned_resources--;
  rsc.assigned = kNone;
  ++ws.assignment_changes;
  rsc.provisional = true;
}

int allocate_instance(WorkingSet& ws, int r, int prefer, bool all_colocations, int limit) {
  if (!ws.rsc(r).provisional) return instance_node(ws, r, false);
  if (ws.rsc(r).allocating) return kNone;  // a colocation loop
  append_parent_colocations(ws, ws.rsc(r).parent, r, all_colocations);
  if (prefer != kNone) {
    auto entry = ws.rsc(r).allowed.find(prefer);
    if (entry == ws.rsc(r).allowed.end() || entry->second.weight < Score::of(0)) return kNone;
  }
  std::vector<int> nodes;
  for (const auto& [node, entry] : ws.rsc(r).allowed) nodes.push_back(node);
  for (int node : nodes) check_instance_node(ws, r, node, limit);

  // Only an assignment to a preferred node is ever taken back.
  NodeTable backup;
  if (prefer != kNone) backup = ws.rsc(r).allowed;
  int chosen = assign_resource(ws, r, prefer);
  if (chosen != kNone && prefer != kNone && chosen != prefer) {
    ws.rsc(r).allowed = backup;
    unassign(ws, r);
    chosen = kNone;
  }
  if (chosen != kNone) {
    if (AllowedNode* top = top_allowed(ws, r, chosen)) top->count++;
  }
  return chosen;
}

int active_node_count(const WorkingSet& ws, int r) {
  return static_cast<int>(ws.rsc(r).running_on.size());
}

bool did_fail(const WorkingSet& ws, int r) {
  if (ws.rsc(r).failed) return true;
  for (int child : ws.rsc(r).children) {
    if (did_fail(ws, child)) return true;
  }
  return false;
}

// The score of `node` for instance `r` once the clone's colocations are
// applied (Pacemaker's cmp_instance_by_colocation).
Score colocated_score(WorkingSet& ws, int r, int node) {
  NodeTable table;
  table.emplace(node, AllowedNode{ws.node(node).weight});
  const int clone = ws.rsc(r).parent;
  const std::vector<int> this_with = ws.rsc(clone).this_with;
  for (int c : this_with) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    add_colocated_node_scores(
        ws, colocation.primary, table, colocation.node_attribute,
        static_cast<float>(colocation.score.value()) / static_cast<float>(Score::kInfinity),
        kSelectDefault);
  }
  const std::vector<int> with_this = ws.rsc(clone).with_this;
  for (int c : with_this) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    if (!has_influence(ws, colocation, r)) continue;
    add_colocated_node_scores(
        ws, colocation.dependent, table, colocation.node_attribute,
        static_cast<float>(colocation.score.value()) / static_cast<float>(Score::kInfinity),
        kSelectNonnegative);
  }
  return table.contains(node) ? table.at(node).weight : Score::minus_infinity();
}

// colocated_score by instance and node, while nothing changes: sorting a
// clone's instances asks for each many times.
using ColocatedScores = std::unordered_map<std::int64_t, Score>;

Score colocated_score(WorkingSet& ws, int r, int node, ColocatedScores* known) {
  if (known == nullptr) return colocated_score(ws, r, node);
  const std::int64_t key = static_cast<std::int64_t>(r) << 32 | static_cast<std::uint32_t>(node);
  if (auto it = known->find(key); it != known->end()) return it->second;
  const Score score = colocated_score(ws, r, node);
  known->emplace(key, score);
  return score;
}

// Pacemaker's pcmk__cmp_instance: negative when `a` is to be assigned first.
int compare_instances_impl(WorkingSet& ws, int a, int b, ColocatedScores* known = nullptr) {
  const int active_a = active_node_count(ws, a), active_b = active_node_count(ws, b);
  if (active_a > 0 && active_b > 0 && active_a != active_b) return active_a < active_b ? -1 : 1;

  int node_a = instance_node(ws, a, true), node_b = instance_node(ws, b, true);
  auto allowed = [&](int r, int& node) {
    if (node == kNone) return true;
    auto entry = ws.rsc(r).allowed.find(node);
    if (entry == ws.rsc(r).allowed.end() || entry->second.weight < Score::of(0)) {
      node = kNone;
      return false;
    }
    return true;
  };
  const bool can_a = allowed(a, node_a), can_b = allowed(b, node_b);
  if (can_a != can_b) return can_a ? -1 : 1;
  if (ws.rsc(a).priority != ws.rsc(b).priority) {
    return ws.rsc(a).priority > ws.rsc(b).priority ? -1 : 1;
  }
  if (node_a == kNone && node_b == kNone) return 0;
  if (node_a == kNone) return 1;
  if (node_b == kNone) return -1;
  const bool run_a = can_run_anything(ws, node_a), run_b = can_run_anything(ws, node_b);
  if (run_a != run_b) return run_a ? -1 : 1;
  AllowedNode* top_a = top_allowed(ws, a, node_a);
  AllowedNode* top_b = top_allowed(ws, b, node_b);
  if (top_a == nullptr && top_b == nullptr) return 0;
  if (top_a == nullptr) return 1;
  if (top_b == nullptr) return -1;
  if (top_a->count != top_b->count) return top_a->count < top_b->count ? -1 : 1;
  const bool failed_a = did_fail(ws, a), failed_b = did_fail(ws, b);
  if (failed_a != failed_b) return failed_a ? 1 : -1;
  const Score score_a = colocated_score(ws, a, node_a, known);
  const Score score_b = colocated_score(ws, b, node_b, known);
  if (score_a != score_b) return score_a > score_b ? -1 : 1;
  if (ws.rsc(a).instance != ws.rsc(b).instance) {
    return ws.rsc(a).instance < ws.rsc(b).instance ? -1 : 1;
  }
  return 0;
}

void distribute(WorkingSet& ws, int c) {
  const int max = ws.rsc(c).clone.max;
  const int per_node = ws.rsc(c).clone.node_max;
  int available = 0;
  for (auto [node, entry] : ws.rsc(c).allowed) {
    ws.rsc(c).allowed.at(node).count = 0;
    if (can_run_anything(ws, node)) ++available;
  }
  const bool all_colocations = max < available;
  const int even_share = std::max(1, available > 0 ? max / available : 0);

  int allocated = 0;
  const std::vector<int> children = ws.rsc(c).children;
  // Instances first stay where they run, up to an even share per node.
  for (int child : children) {
    if (allocated >= max) break;
    const Resource& instance = ws.rsc(child);
    if (instance.running_on.empty() || !instance.provisional || instance.failed) continue;
    const int current = instance_node(ws, child, true);
    if (current == kNone) continue;
    if (!node_available(ws.node(current), true, ws.node(current).weight)) continue;
    AllowedNode* top = top_allowed(ws, child, current);
    if (top != nullptr && top->count >= even_share) continue;
    if (allocate_instance(ws, child, current, all_colocations, per_node) != kNone) ++allocated;
  }
  for (int child : children) {
    if (!ws.rsc(child).provisional) continue;
    if (allocated >= max) {
      add_location(ws, child, kNone, Score::minus_infinity(), "clone:limit_reached");
    } else if (allocate_instance(ws, child, kNone, all_colocations, per_node) != kNone) {
      ++allocated;
    }
  }
}

}  // namespace

int compare_clone_instances(WorkingSet& ws, int a, int b) {
  return compare_instances_impl(ws, a, b);
}

AllowedNode* top_allowed(WorkingSet& ws, int r, int node) {
  int top = r;
  while (ws.rsc(top).parent != kNone) top = ws.rsc(top).parent;
  auto entry = ws.rsc(top).allowed.find(node);
  if (entry == ws.rsc(top).allowed.end()) return nullptr;
  return &ws.rsc(top).allowed.at(node);
}

int instance_node(const WorkingSet& ws, int r, bool current) {
  const Resource& rsc = ws.rsc(r);
  if (rsc.variant == Variant::kGroup) {
    if (current) return rsc.running_on.empty() ? kNone : current_node(ws, rsc);
    for (int member : rsc.children) {
      if (ws.rsc(member).assigned != kNone) return ws.rsc(member).assigned;
    }
    return kNone;
  }
  if (current) return rsc.running_on.empty() ? kNone : current_node(ws, rsc);
  return rsc.assigned;
}

int assign_clone(WorkingSet& ws, int c, int prefer) {
  if (!ws.rsc(c).provisional || ws.rsc(c).allocating) return kNone;
  if (ws.rsc(c).clone.promotable) add_promotion_scores(ws, c);
  ws.rsc(c).allocating = true;

  const std::vector<int> this_with = ws.rsc(c).this_with;
  for (int index : this_with) {
    assign_resource(ws, ws.colocations[static_cast<std::size_t>(index)].primary, prefer);
  }
  const std::vector<int> with_this = ws.rsc(c).with_this;
  for (int index : with_this) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(index)];
    if (!colocation_has_influence(ws, colocation)) continue;
    add_colocated_node_scores(
        ws, colocation.dependent, ws.rsc(c).allowed, colocation.node_attribute,
        static_cast<float>(colocation.score.value()) / static_cast<float>(Score::kInfinity),
        kSelectActive | kSelectNonnegative);
  }
  record_assignment_scores(ws, "pcmk__clone_allocate", c);

  std::vector<int> children = ws.rsc(c).children;
  ColocatedScores known;
  std::stable_sort(children.begin(), children.end(),
                   [&](int a, int b) { return compare_instances_impl(ws, a, b, &known) < 0; });
  ws.rsc(c).children = children;
  distribute(ws, c);
  if (ws.rsc(c).clone.promotable) set_instance_roles(ws, c);

  ws.rsc(c).provisional = false;
  ws.rsc(c).allocating = false;
  return kNone;
}

}  // namespace tandem::placement::detail
