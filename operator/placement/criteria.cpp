#include "operator/placement/criteria.h"

#include <cstdlib>
#include <string>

#include "operator/placement/clone.h"
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

// Pacemaker's apply_location methods: a clone passes the location to each
// instance; in a group the first member gets the real scores, the others
// zero-score entries, since the first member's scores already carry theirs
// through the group's internal colocations.
void apply_location_recursively(WorkingSet& ws, int r, const Location& location, bool zero) {
  Resource& rsc = ws.rsc(r);
  apply_location_to(ws, rsc, location, zero);
  const std::vector<int> children = rsc.children;
  bool first = true;
  for (int child : children) {
    const bool child_zero =
        zero || (rsc.variant == Variant::kGroup && !first && rsc.group_colocated);
    apply_location_recursively(ws, child, location, child_zero);
    first = false;
  }
}

void apply_location(WorkingSet& ws, const Location& location) {
  apply_location_recursively(ws, location.rsc, location, false);
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
    // An anonymous clone instance that failed too often keeps the whole
    // clone away from the node.
    int banned = r;
    if (is_anonymous_instance(ws, r)) {
      while (ws.rsc(banned).parent != kNone) banned = ws.rsc(banned).parent;
    }
    add_location(ws, banned, node, Score::minus_infinity(), tag);
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

namespace {

// Pacemaker's shutdown locks: a resource running only on a node that shuts
// down cleanly, or locked there by its history, may run nowhere else.
void apply_shutdown_lock(WorkingSet& ws, int r) {
  Resource& rsc = ws.rsc(r);
  if (rsc.fence_device || owning_clone(ws, r) != kNone) return;
  if (rsc.lock_node != kNone) {
    // Started elsewhere after all: leave it be.
    if (!rsc.running_on.empty()) rsc.lock_node = kNone;
  } else if (rsc.running_on.size() == 1) {
    const Node& node = ws.node(rsc.running_on.front());
    if (node.shutdown && !node.unclean) {
      rsc.lock_node = rsc.running_on.front();
      const std::string* when = node.attribute("shutdown");
      const long long since = when != nullptr ? std::strtoll(when->c_str(), nullptr, 10) : 0;
      rsc.lock_time = since != 0 ? since : ws.now;
    }
  }
  if (rsc.lock_node == kNone) return;
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    if (static_cast<int>(n) == rsc.lock_node) continue;
    add_location(ws, r, static_cast<int>(n), Score::minus_infinity(), "shutdown-lock");
  }
}

}  // namespace

void apply_node_criteria(WorkingSet& ws) {
  if (ws.cluster.options.shutdown_lock) {
    for (std::size_t r = 0; r < ws.resources.size(); ++r) {
      if (ws.rsc(static_cast<int>(r)).variant == Variant::kPrimitive) {
        apply_shutdown_lock(ws, static_cast<int>(r));
      }
    }
  }
  // Pacemaker keeps its location list newest first.
  for (auto it = ws.locations.rbegin(); it != ws.locations.rend(); ++it) apply_location(ws, *it);
  for (int r : ws.top_level) apply_stickiness(ws, r);
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    for (int r : ws.top_level) {
      if (!ws.fail_counts_for(static_cast<int>(n)).empty()) {
        check_failure_threshold(ws, r, static_cast<int>(n));
      }
      apply_exclusive_discovery(ws, r, static_cast<int>(n), false);
    }
  }
}

}  // namespace tandem::placement::detail
