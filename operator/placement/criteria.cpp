#include "operator/placement/criteria.h"

#include <string>

#include "operator/placement/scores.h"

namespace tandem::placement::detail {
namespace {

// A location's scores added to one resource's own table (not its children's).
void apply_location_to(WorkingSet& ws, Resource& rsc, const Location& location, bool zero) {
  if (location.role != RoleX::kUnknown && location.role != rsc.next_role) return;
  for (const auto& [node, score] : location.nodes) {
    const Score value = zero ? Score::of(0) : score;
    auto [entry, fresh] = rsc.allowed.try_emplace(node, AllowedNode{value});
    if (!fresh) entry->second.weight += value;
    if (ws.record_scores && !zero) {
      note_score(ws, ws.find_resource(rsc.id), node, value, false,
                 location.id.starts_with("node-health:")
                     ? "node health (" + location.id.substr(12) + " strategy)"
                     : "location constraint " + location.id);
    }
    if (entry->second.discovery < location.discovery) {
      if (location.discovery == Discovery::kExclusive) rsc.exclusive_discover = true;
      entry->second.discovery = location.discovery;
    }
  }
}

void apply_location(WorkingSet& ws, const Location& location) {
  Resource& rsc = ws.rsc(location.rsc);
  apply_location_to(ws, rsc, location, false);
  // Group members: the first gets the real scores, the others zero-score
  // entries, since the first member's scores already carry theirs through
  // the group's internal colocations.
  bool first = true;
  for (int child : rsc.children) {
    apply_location_to(ws, ws.rsc(child), location, !first && rsc.group_colocated);
    first = false;
  }
}

void apply_stickiness(WorkingSet& ws, int r) {
  Resource& rsc = ws.rsc(r);
  if (!rsc.children.empty()) {
    for (int child : rsc.children) apply_stickiness(ws, child);
    return;
  }
  if (!rsc.managed || rsc.stickiness < Score::of(1) || rsc.running_on.size() != 1) return;
  const int node = rsc.running_on.front();
  // In an opt-in cluster, stickiness must not keep a resource where it is
  // no longer explicitly allowed.
  if (!ws.cluster.options.symmetric_cluster && !rsc.allowed.contains(node)) return;
  add_location(ws, r, node, rsc.stickiness, "stickiness");
}

bool threshold_reached(WorkingSet& ws, int r, int node) {
  const Resource& rsc = ws.rsc(r);
  if (rsc.migration_threshold == Score::of(0) || rsc.failure_ignored) return false;
  const int failures = fail_count(ws, r, node, true).count;
  if (failures <= 0) return false;
  return rsc.migration_threshold + Score::of(-failures) <= Score::of(0);
}

void check_failure_threshold(WorkingSet& ws, int r, int node) {
  Resource& rsc = ws.rsc(r);
  if (!rsc.children.empty()) {
    for (int child : rsc.children) check_failure_threshold(ws, child, node);
    return;
  }
  if (threshold_reached(ws, r, node)) {
    std::string tag = "__fail_limit__";
    if (ws.record_scores) {
      tag = "failed " + std::to_string(fail_count(ws, r, node, true).count) +
            " times here; migration-threshold is " + rsc.migration_threshold.to_string();
    }
    add_location(ws, r, node, Score::minus_infinity(), tag);
  }
}

void apply_exclusive_discovery(WorkingSet& ws, int r, int node, bool inherited) {
  Resource& rsc = ws.rsc(r);
  const bool exclusive = inherited || rsc.exclusive_discover;
  if (!exclusive) return;
  for (int child : rsc.children) apply_exclusive_discovery(ws, child, node, exclusive);
  auto entry = rsc.allowed.find(node);
  if (entry != rsc.allowed.end() && entry->second.discovery != Discovery::kExclusive) {
    entry->second.weight = Score::minus_infinity();
    note_score(ws, r, node, Score::minus_infinity(), true,
               "resource-discovery=exclusive, and no such constraint names this node");
  }
}

}  // namespace

void apply_node_criteria(WorkingSet& ws) {
  // Pacemaker keeps its location list newest first.
  for (auto it = ws.locations.rbegin(); it != ws.locations.rend(); ++it) apply_location(ws, *it);
  for (int r : ws.top_level) apply_stickiness(ws, r);
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    for (int r : ws.top_level) {
      check_failure_threshold(ws, r, static_cast<int>(n));
      apply_exclusive_discovery(ws, r, static_cast<int>(n), false);
    }
  }
}

}  // namespace tandem::placement::detail
