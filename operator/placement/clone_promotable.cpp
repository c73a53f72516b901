// Promotable clones follow Pacemaker 2.1's pcmk_sched_promotable.c: agents'
// promotion scores (the master-<resource> node attributes) count towards
// placement, and once instances are placed the highest-priority ones (score,
// Promoted-role locations and colocations) are promoted, at most
// promoted-max in all and promoted-node-max per node.

#include <algorithm>

#include <strings.h>

#include "common/core/assert.h"
#include "operator/placement/actions.h"
#include "operator/placement/assign.h"
#include "operator/placement/clone.h"
#include "operator/placement/colocation.h"
#include "operator/placement/constraints.h"
#include "operator/placement/notifications.h"

namespace tandem::placement::detail {
namespace {

constexpr int kInfinityPriority = Score::kInfinity;

int add_priority(int a, int b) {
  return static_cast<int>((Score::of(a) + Score::of(b)).value());
}

bool is_allowed(const WorkingSet& ws, int r, int node) {
  auto entry = ws.rsc(r).allowed.find(node);
  return entry != ws.rsc(r).allowed.end() && entry->second.weight >= Score::of(0);
}

int top_of(const WorkingSet& ws, int r) {
  while (ws.rsc(r).parent != kNone) r = ws.rsc(r).parent;
  return r;
}

// Pacemaker's promotion_score_applies.
bool promotion_score_applies(const WorkingSet& ws, int r, int node) {
  const Resource& rsc = ws.rsc(r);
  const int clone = top_of(ws, r);
  if (!ws.rsc(clone).clone.unique) {
    int active = kNone;
    for (int child : ws.rsc(clone).children) {
      const int part = instance_part(ws, child, rsc.base_id);
      if (part == kNone) continue;
      const auto& on = ws.rsc(part).running_on;
      if (std::find(on.begin(), on.end(), node) != on.end()) {
        active = part;
        break;
      }
    }
    if (active == r) return is_allowed(ws, r, node);
    if (active == kNone) {
      for (int child : ws.rsc(clone).children) {
        const int part = instance_part(ws, child, rsc.base_id);
        if (part != kNone && ws.rsc(part).known_on.contains(node)) return is_allowed(ws, r, node);
      }
    }
  }
  if (rsc.running_on.empty() && rsc.known_on.empty()) return is_allowed(ws, r, node);
  const bool known =
      rsc.known_on.contains(node) ||
      std::find(rsc.running_on.begin(), rsc.running_on.end(), node) != rsc.running_on.end();
  return known && is_allowed(ws, r, node);
}

// The agent's promotion score for `r` on `node`; `is_default` when none
// is set. A cloned group's is the sum of its members'.
int promotion_score(const WorkingSet& ws, int r, int node, bool& is_default) {
  is_default = true;
  const Resource& rsc = ws.rsc(r);
  if (!rsc.children.empty()) {
    int total = 0;
    for (int child : rsc.children) {
      bool child_default = true;
      total = add_priority(total, promotion_score(ws, child, node, child_default));
      if (!child_default) is_default = false;
    }
    return total;
  }
  if (!promotion_score_applies(ws, r, node)) return 0;
  const Node& n = ws.node(node);
  // The name the agent knew it by (crm_master uses the instance's name).
  const std::string& name = rsc.history_name.empty() ? rsc.id : rsc.history_name;
  const std::string* value = n.attribute("master-" + name);
  if (value == nullptr && is_anonymous_instance(ws, r))
    value = n.attribute("master-" + rsc.base_id);
  if (value == nullptr) return 0;
  is_default = false;
  auto score = Score::parse(*value);
  return score ? static_cast<int>(score->value()) : 0;
}

void set_current_role_unpromoted(WorkingSet& ws, int r) {
  if (ws.rsc(r).role == RoleX::kStarted) ws.rsc(r).role = RoleX::kUnpromoted;
  for (int child : ws.rsc(r).children) set_current_role_unpromoted(ws, child);
}

void set_next_role(WorkingSet& ws, int r, RoleX role, const char* why, bool only_unknown) {
  Resource& rsc = ws.rsc(r);
  if (!only_unknown || rsc.next_role == RoleX::kUnknown) {
    rsc.next_role = role;
    rsc.next_role_reason = why;
  }
  const std::vector<int> children = rsc.children;
  for (int child : children) set_next_role(ws, child, role, why, only_unknown);
}

void set_next_role_unpromoted(WorkingSet& ws, int r) {
  const bool placed = instance_node(ws, r, false) != kNone;
  Resource& rsc = ws.rsc(r);
  rsc.next_role = placed ? RoleX::kUnpromoted : RoleX::kStopped;
  rsc.next_role_reason = placed ? "unpromoted instance" : "stopped instance";
  const std::vector<int> children = rsc.children;
  for (int child : children) set_next_role_unpromoted(ws, child);
}

// Locations for the Promoted role add to an instance's promotion priority.
void apply_promoted_locations(WorkingSet& ws, int instance, int owner, int chosen) {
  for (const Location& location : ws.locations) {
    if (location.rsc != owner || location.role != RoleX::kPromoted) continue;
    for (const auto& [node, score] : location.nodes) {
      if (node != chosen) continue;
      ws.rsc(instance).priority =
          add_priority(ws.rsc(instance).priority, static_cast<int>(score.value()));
      break;
    }
  }
}

void set_instance_priority(WorkingSet& ws, int clone, int instance) {
  if (instance_role(ws, instance, true) == RoleX::kStarted)
    set_current_role_unpromoted(ws, instance);
  const int chosen = instance_node(ws, instance, false);
  if (chosen == kNone) return;
  const RoleX next = instance_role(ws, instance, false);
  switch (next) {
    case RoleX::kStarted:
    case RoleX::kUnknown: {
      bool is_default = true;
      int score = promotion_score(ws, instance, chosen, is_default);
      // Without a promotion score or a location, nothing is promoted.
      ws.rsc(instance).priority = is_default ? -1 : score;
      break;
    }
    case RoleX::kUnpromoted:
    case RoleX::kStopped:
      ws.rsc(instance).priority = -kInfinityPriority;
      break;
    case RoleX::kPromoted:
      break;
  }
  apply_promoted_locations(ws, instance, instance, chosen);
  apply_promoted_locations(ws, instance, clone, chosen);
  const std::vector<int> this_with = ws.rsc(instance).this_with;
  for (int c : this_with) {
    apply_colocation_score(ws, instance, ws.colocations[static_cast<std::size_t>(c)].primary,
                           ws.colocations[static_cast<std::size_t>(c)]);
  }
  ws.rsc(instance).sort_index =
      next == RoleX::kPromoted ? kInfinityPriority : ws.rsc(instance).priority;
}

// Pacemaker's node_to_be_promoted_on: the clone's table entry for the node,
// when the instance may be promoted there.
AllowedNode* node_to_be_promoted_on(WorkingSet& ws, int r) {
  for (int child : ws.rsc(r).children) {
    if (node_to_be_promoted_on(ws, child) == nullptr) return nullptr;
  }
  const int node = instance_node(ws, r, false);
  const Resource& rsc = ws.rsc(r);
  if (node == kNone) return nullptr;
  if (!rsc.managed) {
    if (instance_role(ws, r, true) != RoleX::kPromoted) return nullptr;
  } else if (rsc.priority < 0) {
    return nullptr;
  } else if (!node_available(ws.node(node), false, Score::of(0))) {
    return nullptr;
  }
  const int clone = top_of(ws, r);
  AllowedNode* entry = top_allowed(ws, r, node);
  if (entry == nullptr) return nullptr;
  if (entry->count >= ws.rsc(clone).clone.promoted_node_max && rsc.managed) return nullptr;
  return entry;
}

void add_sort_index_to_node(WorkingSet& ws, int clone, int instance) {
  if (ws.rsc(instance).sort_index < 0) return;
  const int chosen = instance_node(ws, instance, false);
  if (chosen == kNone || !ws.rsc(clone).allowed.contains(chosen)) return;
  AllowedNode& entry = ws.rsc(clone).allowed.at(chosen);
  entry.weight = Score::of(ws.rsc(instance).sort_index) + entry.weight;
}

void sort_promotable_instances(WorkingSet& ws, int clone) {
  ws.rsc(clone).merging = true;
  for (int child : ws.rsc(clone).children) add_sort_index_to_node(ws, clone, child);
  const std::vector<int> this_with = ws.rsc(clone).this_with;
  for (int c : this_with) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    if (colocation.dependent_role != RoleX::kPromoted) continue;
    add_colocated_node_scores(
        ws, colocation.primary, ws.rsc(clone).allowed, colocation.node_attribute,
        static_cast<float>(colocation.score.value()) / static_cast<float>(Score::kInfinity),
        colocation.score.is_infinity() ? kSelectDefault : kSelectActive);
  }
  const std::vector<int> with_this = ws.rsc(clone).with_this;
  for (int c : with_this) {
    const Colocation& colocation = ws.colocations[static_cast<std::size_t>(c)];
    if (colocation.primary_role != RoleX::kPromoted || !colocation_has_influence(ws, colocation)) {
      continue;
    }
    add_colocated_node_scores(
        ws, colocation.dependent, ws.rsc(clone).allowed, colocation.node_attribute,
        static_cast<float>(colocation.score.value()) / static_cast<float>(Score::kInfinity),
        kSelectActive | kSelectNonnegative);
  }
  for (int child : ws.rsc(clone).children) {
    Resource& instance = ws.rsc(child);
    const int chosen = instance_node(ws, child, false);
    if (!instance.managed && instance.next_role == RoleX::kPromoted) {
      instance.sort_index = kInfinityPriority;
    } else if (chosen != kNone && instance.sort_index >= 0 &&
               ws.rsc(clone).allowed.contains(chosen)) {
      instance.sort_index = static_cast<int>(ws.rsc(clone).allowed.at(chosen).weight.value());
    }
  }
  std::vector<int> children = ws.rsc(clone).children;
  std::stable_sort(children.begin(), children.end(), [&](int a, int b) {
    if (ws.rsc(a).sort_index != ws.rsc(b).sort_index) {
      return ws.rsc(a).sort_index > ws.rsc(b).sort_index;
    }
    const RoleX role_a = instance_role(ws, a, true), role_b = instance_role(ws, b, true);
    if (role_a != role_b) return role_a > role_b;
    return compare_clone_instances(ws, a, b) < 0;
  });
  ws.rsc(clone).children = children;
  ws.rsc(clone).merging = false;
}

void set_instance_role(WorkingSet& ws, int instance, int& promoted) {
  const int clone = top_of(ws, instance);
  AllowedNode* chosen = nullptr;
  if (ws.rsc(instance).sort_index >= 0 &&
      (promoted < ws.rsc(clone).clone.promoted_max || !ws.rsc(clone).managed)) {
    chosen = node_to_be_promoted_on(ws, instance);
  }
  if (chosen == nullptr) {
    set_next_role_unpromoted(ws, instance);
    return;
  }
  if (ws.rsc(instance).role < RoleX::kPromoted && !ws.have_quorum &&
      ws.no_quorum_policy() == model::NoQuorumPolicy::kFreeze) {
    set_next_role_unpromoted(ws, instance);
    return;
  }
  chosen->count++;
  set_next_role(ws, instance, RoleX::kPromoted, "promoted instance", true);
  ++promoted;
}

}  // namespace

bool is_promotable_instance(const WorkingSet& ws, int r) {
  const int clone = owning_clone(ws, r);
  return clone != kNone && ws.rsc(clone).clone.promotable;
}

void add_promotion_scores(WorkingSet& ws, int clone) {
  const std::vector<int> children = ws.rsc(clone).children;
  for (int child : children) {
    std::vector<int> nodes;
    for (const auto& [node, entry] : ws.rsc(child).allowed) nodes.push_back(node);
    for (int node : nodes) {
      if (!node_available(ws.node(node), false, Score::of(0))) continue;
      bool is_default = true;
      const int score = promotion_score(ws, child, node, is_default);
      if (score > 0) {
        AllowedNode& entry = ws.rsc(child).allowed.at(node);
        entry.weight = Score::of(score) + entry.weight;
      }
      if (score > ws.rsc(child).priority) ws.rsc(child).priority = score;
    }
  }
}

void set_instance_roles(WorkingSet& ws, int clone) {
  for (auto [node, entry] : ws.rsc(clone).allowed) ws.rsc(clone).allowed.at(node).count = 0;
  const std::vector<int> children = ws.rsc(clone).children;
  for (int child : children) set_instance_priority(ws, clone, child);
  sort_promotable_instances(ws, clone);
  int promoted = 0;
  const std::vector<int> sorted = ws.rsc(clone).children;
  for (int child : sorted) set_instance_role(ws, child, promoted);
}

void create_promotable_pseudo_actions(WorkingSet& ws, int clone) {
  bool promoting = false, demoting = false;
  std::vector<int> stack = ws.rsc(clone).children;
  while (!stack.empty()) {
    const int r = stack.back();
    stack.pop_back();
    for (int child : ws.rsc(r).children) stack.push_back(child);
    for (int index : ws.rsc(r).actions) {
      const Action& action = ws.action(index);
      if (action.has(kOptional)) continue;
      if (action.task == "demote") demoting = true;
      if (action.task == "promote") promoting = true;
    }
  }
  const int promote = pseudo_action(ws, clone, "promote", !promoting);
  const int promoted = pseudo_action(ws, clone, "promoted", !promoting);
  const int promote_notify = clone_notification_ops(ws, clone, "promote", promote, promoted);
  const int demote = pseudo_action(ws, clone, "demote", !demoting);
  const int demoted = pseudo_action(ws, clone, "demoted", !demoting);
  const int demote_notify = clone_notification_ops(ws, clone, "demote", demote, demoted);
  if (promote_notify != kNone && demote_notify != kNone) {
    // Each kind of change is told about only after the one before it.
    auto data = [&](const std::string& task) -> const NotifyData& {
      for (const NotifyData& d : ws.notifications) {
        if (d.rsc == clone && d.action == task) return d;
      }
      TANDEM_ASSERT(false, "a clone that notifies has start and stop notifications");
      return ws.notifications.front();
    };
    const int start_done = data("start").post_done, stop_done = data("stop").post_done;
    const int promote_pre = data("promote").pre;
    const int demote_done = data("demote").post_done;
    const int start_pre = data("start").pre, stop_pre = data("stop").pre;
    order_actions(ws, stop_done, promote_pre, kOrderOptional);
    order_actions(ws, start_done, promote_pre, kOrderOptional);
    order_actions(ws, demote_done, promote_pre, kOrderOptional);
    order_actions(ws, demote_done, start_pre, kOrderOptional);
    order_actions(ws, demote_done, stop_pre, kOrderOptional);
  }
  // The instances' priorities served the choice of roles only.
  for (int child : ws.rsc(clone).children) ws.rsc(child).priority = ws.rsc(clone).priority;
}

void create_promotable_constraints(WorkingSet& ws, int clone) {
  order_resources(ws, clone, "stopped", clone, "start", kOrderOptional);
  order_resources(ws, clone, "stopped", clone, "promote", kOrderOptional);
  order_resources(ws, clone, "demoted", clone, "stop", kOrderOptional);
  order_resources(ws, clone, "demoted", clone, "start", kOrderOptional);
  order_resources(ws, clone, "demoted", clone, "promote", kOrderOptional);
  order_resources(ws, clone, "running", clone, "promote", kOrderOptional);
  order_resources(ws, clone, "demote", clone, "demoted", kOrderOptional);
  const bool ordered = ws.rsc(clone).clone.ordered;
  int previous = kNone;
  const std::vector<int> children = ws.rsc(clone).children;
  for (int instance : children) {
    order_resources(ws, instance, "demote", instance, "promote", kOrderOptional);
    order_resources(ws, clone, "promote", instance, "promote", kOrderOptional);
    order_resources(ws, instance, "promote", clone, "promoted", kOrderOptional);
    if (previous != kNone && ordered) {
      order_resources(ws, previous, "promote", instance, "promote", kOrderOptional);
    }
    order_resources(ws, clone, "demote", instance, "demote", kOrderImpliesFirstPrinted);
    order_resources(ws, instance, "demote", clone, "demoted", kOrderImpliesThenPrinted);
    if (previous != kNone && ordered) {
      order_resources(ws, instance, "demote", previous, "demote", kOrderOptional);
    }
    previous = instance;
  }
}

bool apply_promotable_colocation(WorkingSet& ws, int dependent, int primary,
                                 const Colocation& colocation) {
  if (colocation.primary_role == RoleX::kUnknown) return false;  // as for any clone
  if (!ws.rsc(dependent).provisional) {
    // Choosing roles: the dependent's promotion priority.
    if (colocation.dependent_role != RoleX::kPromoted) return false;
    const int pair = compatible_instance(ws, dependent, primary, colocation.primary_role, false);
    if (pair != kNone) {
      ws.rsc(dependent).priority =
          add_priority(ws.rsc(dependent).priority, static_cast<int>(colocation.score.value()));
    } else if (colocation.score.is_infinity()) {
      ws.rsc(dependent).priority = -kInfinityPriority;
    }
    return true;
  }
  // Placing the dependent: the nodes where an instance has the role.
  const std::string attribute = colocation.node_attribute.value_or("#uname");
  std::vector<bool> affected(ws.nodes.size(), false);
  std::vector<int> affected_nodes;
  std::vector<Score> affected_weight(ws.nodes.size(), Score::of(0));
  for (int instance : ws.rsc(primary).children) {
    const int node = instance_node(ws, instance, false);
    if (node == kNone || instance_role(ws, instance, false) != colocation.primary_role) continue;
    affected_nodes.push_back(node);
    // The weight the instance was assigned with (a group's first member's).
    int placed = instance;
    while (!ws.rsc(placed).children.empty()) placed = ws.rsc(placed).children.front();
    if (ws.rsc(placed).allowed.contains(node)) {
      affected_weight[static_cast<std::size_t>(node)] = ws.rsc(placed).allowed.at(node).weight;
    }
    if (colocation.score.is_infinity()) continue;
    const std::string* primary_value = ws.node(node).attribute(attribute);
    for (auto [candidate, entry] : ws.rsc(dependent).allowed) {
      const std::string* value = ws.node(candidate).attribute(attribute);
      const bool same =
          primary_value == nullptr
              ? value == nullptr
              : value != nullptr && strcasecmp(value->c_str(), primary_value->c_str()) == 0;
      if (same) {
        AllowedNode& allowed = ws.rsc(dependent).allowed.at(candidate);
        allowed.weight = colocation.score + allowed.weight;
      }
    }
  }
  if (colocation.score.is_infinity() && (colocation.dependent_role != RoleX::kPromoted ||
                                         colocation.primary_role != RoleX::kPromoted)) {
    // Pacemaker's node_list_exclude with merged scores.
    for (auto [candidate, entry] : ws.rsc(dependent).allowed) {
      const bool found = std::find(affected_nodes.begin(), affected_nodes.end(), candidate) !=
                         affected_nodes.end();
      AllowedNode& allowed = ws.rsc(dependent).allowed.at(candidate);
      if (!found) {
        allowed.weight = Score::minus_infinity();
      } else {
        allowed.weight = affected_weight[static_cast<std::size_t>(candidate)] + allowed.weight;
      }
    }
  }
  return true;
}

}  // namespace tandem::placement::detail
