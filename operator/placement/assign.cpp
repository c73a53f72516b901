// Assignment follows Pacemaker 2.1's pcmk__primitive_assign and
// pcmk__group_assign: colocations with already-placed primaries first (each
// primary is placed before its dependents), then the attenuated preferences
// of resources colocated with this one, then the best node by score, load
// and name, keeping the current node on ties.

#include "operator/placement/assign.h"

#include <algorithm>
#include <string>

#include "operator/placement/actions.h"
#include "operator/placement/clone.h"
#include "operator/placement/colocation.h"
#include "operator/placement/list_sort.h"
#include "operator/placement/scores.h"
#include "operator/placement/utilization.h"

namespace tandem::placement::detail {
namespace {

int assign(WorkingSet& ws, int r, int prefer = kNone);

// The scores as crm_simulate --show-scores prints them: a resource's table,
// then its members'.
void record_scores(WorkingSet& ws, const char* stage, int r) {
  if (!ws.record_scores) return;
  for (const auto& [node, entry] : ws.rsc(r).allowed) {
    ws.assignment_scores.push_back({stage, r, node, entry.weight});
  }
  for (int child : ws.rsc(r).children) record_scores(ws, stage, child);
}

// With the default strategy: whether `a` is a better node than `b`,
// available and highest score first, then fewest resources assigned so far,
// the resource's current node, then name (Pacemaker's compare_nodes).
bool better_candidate(const WorkingSet& ws, const Candidate& a, const Candidate& b) {
  const Score effective_a = a.available ? a.weight : Score::minus_infinity();
  const Score effective_b = b.available ? b.weight : Score::minus_infinity();
  if (effective_a != effective_b) return effective_a > effective_b;
  if (a.assigned != b.assigned) return a.assigned < b.assigned;
  if (a.current != b.current) return a.current;
  return ws.name_rank[static_cast<std::size_t>(a.node)] <
         ws.name_rank[static_cast<std::size_t>(b.node)];
}

// Nodes best first (Pacemaker's compare_nodes; see better_candidate).
std::vector<Candidate> sorted_allowed(const WorkingSet& ws, const Resource& rsc) {
  const int active = current_node(ws, rsc);
  std::vector<Candidate> nodes;
  nodes.reserve(rsc.allowed.size());
  for (const auto& [node, entry] : rsc.allowed) {
    const Node& n = ws.node(node);
    nodes.push_back({node, entry.weight, node_available(n, false, entry.weight),
                     n.assigned_resources, node == active});
  }
  auto effective = [](const Candidate& c) {
    return c.available ? c.weight : Score::minus_infinity();
  };
  const model::PlacementStrategy strategy = ws.cluster.options.placement_strategy;
  if (strategy == model::PlacementStrategy::kMinimal ||
      strategy == model::PlacementStrategy::kBalanced) {
    // Minimal packs: only the name breaks ties. Balanced spreads: more free
    // capacity first. Capacities do not compare transitively, hence
    // Pacemaker's own (stable, safe) sort.
    list_sort(nodes, [&](const Candidate& a, const Candidate& b) {
      if (effective(a) != effective(b)) return effective(a) > effective(b) ? -1 : 1;
      if (strategy == model::PlacementStrategy::kBalanced) {
        if (int c = compare_node_capacities(ws, a.node, b.node); c != 0) return c;
        if (a.assigned != b.assigned) return a.assigned < b.assigned ? -1 : 1;
        if (a.current != b.current) return a.current ? -1 : 1;
      }
      return ws.name_rank[static_cast<std::size_t>(a.node)] -
             ws.name_rank[static_cast<std::size_t>(b.node)];
    });
    return nodes;
  }
  std::sort(nodes.begin(), nodes.end(),
            [&](const Candidate& a, const Candidate& b) { return better_candidate(ws, a, b); });
  return nodes;
}

// sorted_allowed's first node alone (or none): with the default strategy,
// the order is total (names are unique), so the best is the smallest.
// Choosing a node mostly needs no more than that, and a clone's thousands
// of instances each have a table of every node.
std::vector<Candidate> best_allowed(const WorkingSet& ws, const Resource& rsc) {
  const int active = current_node(ws, rsc);
  std::vector<Candidate> best;
  for (const auto& [node, entry] : rsc.allowed) {
    const Node& n = ws.node(node);
    const Candidate candidate{node, entry.weight, node_available(n, false, entry.weight),
                              n.assigned_resources, node == active};
    if (best.empty()) {
      best.push_back(candidate);
    } else if (better_candidate(ws, candidate, best.front())) {
      best.front() = candidate;
    }
  }
  return best;
}

void record_decision(WorkingSet& ws, int r, std::vector<Candidate> candidates, int chosen,
                     std::string why) {
  if (!ws.record_scores) return;
  ws.decisions.push_back({r, std::move(candidates), chosen, std::move(why)});
}

// Pacemaker's pcmk__finalize_assignment.
bool finalize(WorkingSet& ws, int r, int chosen, bool force) {
  Resource& rsc = ws.rsc(r);
  if (!force && chosen != kNone) {
    Score weight = rsc.allowed.at(chosen).weight;
    if (weight < Score::of(0) || !node_available(ws.node(chosen), true, weight)) {
      rsc.next_role = RoleX::kStopped;
      rsc.next_role_reason = "node availability";
      chosen = kNone;
    }
  }
  if (rsc.assigned != kNone) {
    ws.node(rsc.assigned).assigned_resources--;
    release_capacity(ws, r, rsc.assigned);
    rsc.assigned = kNone;
    ++ws.assignment_changes;
  }
  rsc.provisional = false;
  if (chosen == kNone) {
    rsc.next_role = RoleX::kStopped;
    rsc.next_role_reason = "unable to allocate";
    for (int index : rsc.actions) {
      Action& action = ws.action(index);
      if (action.task == "stop") {
        action.flags &= ~kOptional;
      } else if (action.task == "start") {
        action.flags &= ~kRunnable;
      } else if (action.interval_ms > 0) {
        action.flags &= ~kRunnable;
      }
    }
    return false;
  }
  rsc.assigned = chosen;
  ++ws.assignment_changes;
  ws.node(chosen).assigned_resources++;
  consume_capacity(ws, r, chosen);
  return true;
}

bool assign_best_node(WorkingSet& ws, int r, int prefer) {
  // Where the resource does not fit, it may not go; where it fits nowhere
  // with what is colocated with it, the node with most room is preferred.
  const int most_free = ban_insufficient_capacity(ws, r);
  if (prefer == kNone) prefer = most_free;
  Resource& rsc = ws.rsc(r);
  if (!rsc.provisional) return rsc.assigned != kNone;
  // Every node in order only where it shows (explanations) or matters
  // (strategies that compare capacities, and ties with the current node).
  const bool in_order =
      ws.record_scores ||
      ws.cluster.options.placement_strategy == model::PlacementStrategy::kMinimal ||
      ws.cluster.options.placement_strategy == model::PlacementStrategy::kBalanced;
  std::vector<Candidate> nodes = in_order ? sorted_allowed(ws, rsc) : best_allowed(ws, rsc);
  int chosen = kNone;
  if (prefer != kNone && !nodes.empty() && rsc.allowed.contains(prefer)) {
    const Score weight = rsc.allowed.at(prefer).weight;
    if (weight >= nodes.front().weight && node_available(ws.node(prefer), true, weight)) {
      chosen = prefer;
    }
  }
  if (chosen == kNone && !nodes.empty()) {
    chosen = nodes.front().node;
    const Score best = nodes.front().weight;
    const bool unique_instance = rsc.parent != kNone &&
                                 ws.rsc(rsc.parent).variant == Variant::kClone &&
                                 ws.rsc(rsc.parent).clone.unique;
    if (!unique_instance && best > Score::of(0) && nodes.front().available) {
      // Keep the resource where it runs if that is just as good.
      const int running = current_node(ws, rsc);
      if (running != kNone && node_available(ws.node(running), true, ws.node(running).weight)) {
        if (!in_order) nodes = sorted_allowed(ws, rsc);
        for (std::size_t i = 1; i < nodes.size() && nodes[i].weight == best; ++i) {
          if (nodes[i].node == running) chosen = running;
        }
      }
    }
  }
  const bool assigned = finalize(ws, r, chosen, false);
  if (ws.record_scores) {
    record_decision(ws, r, std::move(nodes), ws.rsc(r).assigned,
                    assigned ? ""
                             : "no node can run it (every score is negative or the node is "
                               "unavailable)");
  }
  return assigned;
}

// Records how a step changed a resource's scores, node by node.
void note_differences(WorkingSet& ws, int r, const NodeTable& before, const std::string& reason) {
  for (const auto& [node, entry] : ws.rsc(r).allowed) {
    auto old = before.find(node);
    const Score was = old == before.end() ? Score::of(0) : old->second.weight;
    if (was == entry.weight) continue;
    const bool absolute = was.is_minus_infinity() || was.is_infinity() ||
                          entry.weight.is_minus_infinity() || entry.weight.is_infinity();
    note_score(ws, r, node, absolute ? entry.weight : entry.weight + (-was), absolute, reason);
  }
}

void apply_this_with(WorkingSet& ws, int r, int c, int prefer) {
  const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
  const bool may_revert =
      colocation.dependent_role >= RoleX::kPromoted ||
      (colocation.score < Score::of(0) && colocation.score > Score::minus_infinity());
  NodeTable archive;
  if (may_revert || ws.record_scores) archive = ws.rsc(r).allowed;
  assign(ws, colocation.primary, prefer);
  apply_colocation_score(ws, r, colocation.primary, colocation);
  if (may_revert && !any_node_available(ws, ws.rsc(r).allowed)) ws.rsc(r).allowed = archive;
  if (ws.record_scores) {
    // A group goes where its first member goes.
    int placed = ws.rsc(colocation.primary).assigned;
    if (ws.rsc(colocation.primary).variant == Variant::kGroup &&
        !ws.rsc(colocation.primary).children.empty()) {
      placed = ws.rsc(ws.rsc(colocation.primary).children.front()).assigned;
    }
    note_differences(ws, r, archive,
                     "colocation " + colocation.id + " with " + ws.rsc(colocation.primary).id +
                         " (" + colocation.score.to_string() + "), which goes to " +
                         (placed == kNone ? std::string("no node") : ws.node(placed).name));
  }
}

void apply_with_this(WorkingSet& ws, int r, int c) {
  const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
  if (!colocation_has_influence(ws, colocation)) return;
  const float factor =
      static_cast<float>(colocation.score.value()) / static_cast<float>(Score::kInfinity);
  NodeTable before;
  if (ws.record_scores) before = ws.rsc(r).allowed;
  add_colocated_node_scores(ws, colocation.dependent, ws.rsc(r).allowed, colocation.node_attribute,
                            factor, kSelectActive);
  if (ws.record_scores) {
    note_differences(ws, r, before,
                     "preferences of " + ws.rsc(colocation.dependent).id +
                         ", which is colocated with it (" + colocation.id + ", " +
                         colocation.score.to_string() + ")");
  }
}

int assign_primitive(WorkingSet& ws, int r, int prefer) {
  if (ws.rsc(r).parent != kNone && !ws.rsc(ws.rsc(r).parent).allocating) {
    assign(ws, ws.rsc(r).parent, prefer);
  }
  if (!ws.rsc(r).provisional) return ws.rsc(r).assigned;
  if (ws.rsc(r).allocating) return kNone;  // a colocation loop
  ws.rsc(r).allocating = true;

  const std::vector<int> this_with = ws.rsc(r).this_with;
  for (int c : this_with) apply_this_with(ws, r, c, prefer);
  const std::vector<int> with_this = ws.rsc(r).with_this;
  for (int c : with_this) apply_with_this(ws, r, c);

  Resource& rsc = ws.rsc(r);
  if (rsc.next_role == RoleX::kStopped) {
    add_location(ws, r, kNone, Score::minus_infinity(),
                 rsc.next_role_reason == "target-role" || !ws.record_scores
                     ? std::string("target-role")
                     : "it is to stop (" + rsc.next_role_reason + ")");
  } else if (rsc.next_role > rsc.role && !ws.have_quorum &&
             ws.no_quorum_policy() == model::NoQuorumPolicy::kFreeze) {
    rsc.next_role = rsc.role;
    rsc.next_role_reason = "no-quorum-policy=freeze";
  }
  record_scores(ws, "pcmk__primitive_assign", r);

  // Without a fence device, fencing cannot recover anything: leave
  // everything as it is.
  if (ws.fencing_enabled() && !ws.have_fence_device) rsc.managed = false;

  if (!rsc.managed) {
    rsc.next_role = rsc.role;
    rsc.next_role_reason = "unmanaged";
    finalize(ws, r, current_node(ws, rsc), true);
    record_decision(
        ws, r, {}, ws.rsc(r).assigned,
        ws.fencing_enabled() && !ws.have_fence_device
            ? "fencing is enabled but no fence device is configured, so nothing is "
              "started, stopped or moved"
            : "it is unmanaged (is-managed=false or maintenance), so it stays as it is");
  } else if (ws.stop_everything) {
    finalize(ws, r, kNone, true);
    record_decision(ws, r, {}, kNone, "stop-all-resources is set");
  } else if (rsc.provisional) {
    assign_best_node(ws, r, prefer);
  }
  ws.rsc(r).allocating = false;
  return ws.rsc(r).assigned;
}

// "Group with R" colocations act on the first member and "R with group" on
// the last; when an unmanaged member breaks the chain, later members carry
// the mandatory ones themselves.
void expand_group_colocations(WorkingSet& ws, int g) {
  Resource& group = ws.rsc(g);
  if (group.children.empty()) return;
  const std::vector<int> members = group.children;
  const std::vector<int> this_with = group.this_with;
  const std::vector<int> with_this = group.with_this;
  for (int c : this_with) insert_this_with(ws, members.front(), c);
  bool any_unmanaged = !ws.rsc(members.front()).managed;
  for (std::size_t i = 1; i < members.size(); ++i) {
    if (any_unmanaged) {
      for (int c : this_with) {
        if (ws.colocations[static_cast<std::size_t>(c)].score.is_infinity()) {
          insert_this_with(ws, members[i], c);
        }
      }
    } else if (!ws.rsc(members[i]).managed) {
      any_unmanaged = true;
    }
  }
  ws.rsc(g).this_with.clear();
  for (int c : with_this) insert_with_this(ws, members.back(), c);
  ws.rsc(g).with_this.clear();
}

int assign_group(WorkingSet& ws, int g, int prefer) {
  if (!ws.rsc(g).provisional) return ws.rsc(g).assigned;
  if (ws.rsc(g).allocating) return kNone;
  if (ws.rsc(g).children.empty()) {
    ws.rsc(g).provisional = false;
    return kNone;
  }
  ws.rsc(g).allocating = true;
  const std::vector<int> members = ws.rsc(g).children;
  ws.rsc(g).role = ws.rsc(members.front()).role;
  expand_group_colocations(ws, g);
  record_scores(ws, "pcmk__group_assign", g);
  int first_node = kNone;
  bool first = true;
  for (int member : members) {
    int node = assign(ws, member, prefer);
    if (first) first_node = node;
    first = false;
  }
  Resource& group = ws.rsc(g);
  group.next_role = ws.rsc(members.front()).next_role;
  group.allocating = false;
  group.provisional = false;
  return group.group_colocated ? first_node : kNone;
}

int assign(WorkingSet& ws, int r, int prefer) {
  switch (ws.rsc(r).variant) {
    case Variant::kGroup:
      return assign_group(ws, r, prefer);
    case Variant::kClone:
      return assign_clone(ws, r, prefer);
    case Variant::kPrimitive:
      break;
  }
  return assign_primitive(ws, r, prefer);
}

}  // namespace

int current_node(const WorkingSet& ws, const Resource& rsc) {
  // Active on one node: that one, whatever the rules below say about more
  // (and history asks this for every instance of a clone, again and again).
  if (rsc.running_on.size() == 1) return rsc.running_on.front();
  // A migration found half done runs, as far as moving goes, on its source.
  if (rsc.partial_source != kNone && std::find(rsc.running_on.begin(), rsc.running_on.end(),
                                               rsc.partial_source) != rsc.running_on.end()) {
    return rsc.partial_source;
  }
  int active = kNone;
  for (int node : rsc.running_on) {
    const Node& n = ws.node(node);
    const bool happy = n.online && !n.unclean;
    if (rsc.requires_ != Requirement::kFencing && happy &&
        (active == kNone || !ws.node(active).online || ws.node(active).unclean)) {
      active = node;
    }
    if (active == kNone) active = node;
    if (rsc.requires_ == Requirement::kFencing) break;
    if (happy && active == node) break;
  }
  return active;
}

int assign_resource(WorkingSet& ws, int r, int prefer) {
  return assign(ws, r, prefer);
}

bool assign_to(WorkingSet& ws, int r, int node, bool force) {
  return finalize(ws, r, node, force);
}

void record_assignment_scores(WorkingSet& ws, const char* stage, int r) {
  record_scores(ws, stage, r);
}

void assign_resources(WorkingSet& ws) {
  sort_resources_for_strategy(ws);
  for (int r : ws.top_level) assign(ws, r);
}

}  // namespace tandem::placement::detail
