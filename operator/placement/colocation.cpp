#include "operator/placement/colocation.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include <strings.h>

#include "operator/placement/actions.h"

namespace tandem::placement::detail {
namespace {

const Colocation& at(const WorkingSet& ws, int c) {
  return ws.colocations[static_cast<std::size_t>(c)];
}

void insert_sorted(WorkingSet& ws, std::vector<int>& list, int colocation, bool by_primary) {
  auto other = [&](int c) { return by_primary ? at(ws, c).primary : at(ws, c).dependent; };
  auto before = [&](int a, int b) {
    const Resource& ra = ws.rsc(other(a));
    const Resource& rb = ws.rsc(other(b));
    if (ra.priority != rb.priority) return ra.priority > rb.priority;
    if (ra.variant != rb.variant) return ra.variant > rb.variant;
    return ra.id < rb.id;
  };
  auto position = std::lower_bound(list.begin(), list.end(), colocation,
                                   [&](int element, int value) { return before(element, value); });
  list.insert(position, colocation);
}

enum class Affects { kNothing, kLocation, kRole };

Affects colocation_affects(const WorkingSet& ws, int dependent, int primary,
                           const Colocation& colocation) {
  const Resource& dep = ws.rsc(dependent);
  const Resource& pri = ws.rsc(primary);
  if (pri.provisional) return Affects::kNothing;
  if (!dep.provisional) return Affects::kNothing;  // already placed: too late
  const bool positive = colocation.score > Score::of(0);
  const bool negative = colocation.score < Score::of(0);
  if (positive && colocation.dependent_role != RoleX::kUnknown &&
      colocation.dependent_role != dep.next_role) {
    return Affects::kNothing;
  }
  if (positive && colocation.primary_role != RoleX::kUnknown &&
      colocation.primary_role != pri.next_role) {
    return Affects::kNothing;
  }
  if (negative && colocation.dependent_role != RoleX::kUnknown &&
      colocation.dependent_role == dep.next_role) {
    return Affects::kNothing;
  }
  if (negative && colocation.primary_role != RoleX::kUnknown &&
      colocation.primary_role == pri.next_role) {
    return Affects::kNothing;
  }
  return Affects::kLocation;
}

const WorkingSet::AttributeValues& attribute_values(WorkingSet& ws, const std::string& attribute);

void apply_to_weights(WorkingSet& ws, int dependent, int primary, const Colocation& colocation) {
  const WorkingSet::AttributeValues& values =
      attribute_values(ws, colocation.node_attribute.value_or("#id"));
  const Resource& pri = ws.rsc(primary);
  int value = -1;  // the primary's node's value; -1: it lacks the attribute
  if (pri.assigned != kNone) {
    value = values.value_of_node[static_cast<std::size_t>(pri.assigned)];
  } else if (colocation.score < Score::of(0)) {
    return;  // anti-colocation with something that will not run
  }
  NodeTable work = ws.rsc(dependent).allowed;
  for (auto [node, entry] : work) {
    if (pri.assigned == kNone) {
      entry.weight = -colocation.score + entry.weight;
    } else if (values.value_of_node[static_cast<std::size_t>(node)] == value) {
      if (colocation.score < Score::infinity()) entry.weight = colocation.score + entry.weight;
    } else if (colocation.score >= Score::infinity()) {
      entry.weight = -colocation.score + entry.weight;
    }
  }
  if (colocation.score.is_minus_infinity() || colocation.score.is_infinity() ||
      any_node_available(ws, work)) {
    ws.rsc(dependent).allowed = std::move(work);
  }
}

const WorkingSet::AttributeValues& attribute_values(WorkingSet& ws, const std::string& attribute) {
  auto [entry, fresh] = ws.attribute_values.try_emplace(attribute);
  if (fresh) {
    std::unordered_map<std::string, int> ids;
    for (const Node& node : ws.nodes) {
      const std::string* value = node.attribute(attribute);
      if (value == nullptr) {
        entry->second.value_of_node.push_back(-1);
        continue;
      }
      std::string lower = *value;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [id, added] = ids.try_emplace(std::move(lower), entry->second.distinct);
      if (added) ++entry->second.distinct;
      entry->second.value_of_node.push_back(id->second);
    }
  }
  return entry->second;
}

// For every node in `table`: the best score `rsc` has on an available node
// with the same attribute value, times `factor`.
void add_scores_matching_attribute(WorkingSet& ws, NodeTable& table, const Resource& rsc,
                                   const std::string& attribute, float factor) {
  const auto& values = attribute_values(ws, attribute);
  // Best score per value; nodes without the attribute match each other.
  std::vector<Score> best(static_cast<std::size_t>(values.distinct) + 1, Score::minus_infinity());
  auto slot = [&](int node) {
    return static_cast<std::size_t>(values.value_of_node[static_cast<std::size_t>(node)] + 1);
  };
  for (const auto& [node, entry] : rsc.allowed) {
    if (!node_available(ws.node(node), false, entry.weight)) continue;
    Score& current = best[slot(node)];
    current = std::max(current, entry.weight);
  }
  for (auto [node, entry] : table) {
    const Score score = best[slot(node)];
    if (factor < 0 && score < Score::of(0)) continue;  // never turn a ban into a preference
    const float product = factor * static_cast<float>(score.value());
    auto weight = static_cast<std::int64_t>(product < 0 ? product - 0.5f : product + 0.5f);
    // Small factors must not wipe out small scores entirely.
    if (weight == 0 && score != Score::of(0)) {
      if (factor > 0) weight = 1;
      if (factor < 0) weight = -1;
    }
    entry.weight = Score::of(weight) + entry.weight;
  }
}

}  // namespace

void insert_this_with(WorkingSet& ws, int rsc, int colocation) {
  std::vector<int> list = ws.rsc(rsc).this_with;
  insert_sorted(ws, list, colocation, true);
  ws.rsc(rsc).this_with = std::move(list);
}

void insert_with_this(WorkingSet& ws, int rsc, int colocation) {
  std::vector<int> list = ws.rsc(rsc).with_this;
  insert_sorted(ws, list, colocation, false);
  ws.rsc(rsc).with_this = std::move(list);
}

bool any_node_available(const WorkingSet& ws, const NodeTable& table) {
  for (const auto& [node, entry] : table) {
    if (node_available(ws.node(node), true, entry.weight)) return true;
  }
  return false;
}

bool colocation_has_influence(const WorkingSet& ws, const Colocation& colocation) {
  return colocation.influence || ws.rsc(colocation.primary).running_on.empty();
}

void apply_colocation_score(WorkingSet& ws, int dependent, int primary,
                            const Colocation& colocation) {
  const Resource& pri = ws.rsc(primary);
  if (pri.variant == Variant::kGroup) {
    if (pri.provisional || pri.children.empty()) return;
    // A mandatory colocation needs the whole group, so its last member; an
    // optional one is about the group being there at all.
    const int member = colocation.score.is_infinity() ? pri.children.back() : pri.children.front();
    apply_colocation_score(ws, dependent, member, colocation);
    return;
  }
  switch (colocation_affects(ws, dependent, primary, colocation)) {
    case Affects::kLocation:
      apply_to_weights(ws, dependent, primary, colocation);
      break;
    case Affects::kRole:  // promotable clones: part II
    case Affects::kNothing:
      break;
  }
}

void add_colocated_node_scores(WorkingSet& ws, int r, NodeTable& table,
                               const std::optional<std::string>& attribute, float factor,
                               bool select_this_with) {
  if (ws.rsc(r).merging) return;  // a colocation loop
  ws.rsc(r).merging = true;
  NodeTable work = table;
  if (ws.rsc(r).variant == Variant::kGroup) {
    if (ws.rsc(r).children.empty()) {
      ws.rsc(r).merging = false;
      return;
    }
    // The first member carries the others through the internal colocations.
    add_colocated_node_scores(ws, ws.rsc(r).children.front(), work, attribute, factor,
                              select_this_with);
  } else {
    add_scores_matching_attribute(ws, work, ws.rsc(r), attribute.value_or("#uname"), factor);
  }

  if (any_node_available(ws, work)) {
    const float multiplier = factor < 0 ? -1.0f : 1.0f;
    std::vector<int> list;
    if (select_this_with) {
      list = ws.rsc(r).this_with;
    } else if (ws.rsc(r).variant == Variant::kGroup) {
      list = ws.rsc(ws.rsc(r).children.back()).with_this;
    } else {
      list = ws.rsc(r).with_this;
    }
    for (int c : list) {
      const Colocation& colocation = at(ws, c);
      int other;
      if (select_this_with) {
        other = colocation.primary;
      } else if (!colocation_has_influence(ws, colocation)) {
        continue;
      } else {
        other = colocation.dependent;
      }
      const float next = multiplier * static_cast<float>(colocation.score.value()) /
                         static_cast<float>(Score::kInfinity);
      add_colocated_node_scores(ws, other, work, colocation.node_attribute, next, select_this_with);
    }
  } else {
    // Optional preferences that leave nowhere to run are rolled back.
    ws.rsc(r).merging = false;
    return;
  }
  table = std::move(work);
  ws.rsc(r).merging = false;
}

}  // namespace tandem::placement::detail
