// Phase 3: the constraints, in configuration order, as Pacemaker unpacks
// them: locations become per-node scores to apply, colocations are sorted
// onto both resources, and orders become resource-level orderings (with
// their inverse when symmetrical).

#include "operator/placement/constraints.h"

#include <algorithm>
#include <regex>

#include "operator/placement/actions.h"
#include "operator/placement/clone.h"
#include "operator/placement/colocation.h"
#include "operator/placement/migration.h"
#include "operator/placement/rules.h"
#include "operator/placement/sets.h"

namespace tandem::placement::detail {
namespace {

RoleX colocation_role(const std::optional<model::Role>& role) {
  // Started means any role in a colocation.
  if (!role || *role == model::Role::kStarted) return RoleX::kUnknown;
  return to_role_x(*role);
}

RoleX location_role(const std::optional<model::Role>& role) {
  // A constraint on the unpromoted role applies to every role: instances
  // are unpromoted before they can be promoted.
  if (!role || *role == model::Role::kStarted || *role == model::Role::kUnpromoted) {
    return RoleX::kUnknown;
  }
  return to_role_x(*role);
}

Discovery discovery(model::ResourceDiscovery mode) {
  switch (mode) {
    case model::ResourceDiscovery::kAlways:
      return Discovery::kAlways;
    case model::ResourceDiscovery::kNever:
      return Discovery::kNever;
    case model::ResourceDiscovery::kExclusive:
      return Discovery::kExclusive;
  }
  return Discovery::kAlways;
}

void add_rule_location(WorkingSet& ws, int r, const model::Rule& rule, Discovery mode,
                       const std::string& id) {
  Location location;
  location.id = id;
  location.rsc = r;
  location.discovery = mode;
  if (mode == Discovery::kExclusive) ws.rsc(r).exclusive_discover = true;
  location.role = location_role(rule.role);
  const bool all = rule.boolean_op == model::BooleanOp::kAnd;
  const Resource& rsc = ws.rsc(r);
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    const Node& node = ws.node(static_cast<int>(n));
    const auto params = params_on(rsc, node, ws.now);
    if (!rule_holds(rule, node, RuleSubject{&params, rsc.labels}, ws.now)) continue;
    // With "or", a node that matches starts from its own weight (Pacemaker
    // copies the node); with "and", from zero.
    Score base = all ? Score::of(0) : node.weight;
    location.nodes.emplace_back(static_cast<int>(n), base + rule_score(rule, node));
  }
  if (location.nodes.empty()) return;
  ws.locations.push_back(std::move(location));
}

void unpack_location(WorkingSet& ws, const model::HAConstraint& constraint) {
  const model::LocationConstraint& spec = *constraint.spec.location;
  std::vector<int> targets;
  if (spec.resource) {
    int r = ws.find_resource(*spec.resource);
    if (r != kNone) targets.push_back(r);
  } else if (spec.resource_pattern) {
    std::string pattern = *spec.resource_pattern;
    bool invert = !pattern.empty() && pattern.front() == '!';
    if (invert) pattern.erase(0, 1);
    std::regex re;
    try {
      re = std::regex(pattern, std::regex::extended);
    } catch (const std::regex_error&) {
      return;  // validation reports it; Pacemaker ignores the constraint
    }
    for (int r : ws.top_level) {
      bool matches = std::regex_search(ws.rsc(r).id, re);
      if (matches != invert) targets.push_back(r);
    }
  }
  const Discovery mode = discovery(spec.resource_discovery);
  for (int r : targets) {
    if (spec.node) {
      int node = ws.find_node(*spec.node);
      if (node == kNone) continue;
      Location location;
      location.id = constraint.metadata.name;
      location.rsc = r;
      location.discovery = mode;
      if (mode == Discovery::kExclusive) ws.rsc(r).exclusive_discover = true;
      location.role = location_role(spec.role);
      location.nodes.emplace_back(node, spec.score.value_or(Score::of(0)));
      ws.locations.push_back(std::move(location));
    } else {
      for (const model::Rule& rule : spec.rules) {
        add_rule_location(ws, r, rule, mode, constraint.metadata.name);
      }
    }
  }
}

void anti_colocation_order(WorkingSet& ws, int first, RoleX first_role, int then, RoleX then_role) {
  std::vector<std::string> first_tasks, then_tasks;
  if (first_role == RoleX::kPromoted) {
    first_tasks = {"demote"};
  } else {
    first_tasks = {"stop"};
    if (first_role == RoleX::kUnpromoted) first_tasks.push_back("promote");
  }
  if (then_role == RoleX::kPromoted) {
    then_tasks = {"promote"};
  } else {
    then_tasks = {"start"};
    if (then_role == RoleX::kUnpromoted) then_tasks.push_back("demote");
  }
  for (const std::string& a : first_tasks) {
    for (const std::string& b : then_tasks) {
      order_resources(ws, first, a, then, b, kOrderAntiColocation);
    }
  }
}

void unpack_colocation(WorkingSet& ws, const model::HAConstraint& constraint) {
  const model::ColocationConstraint& spec = *constraint.spec.colocation;
  if (!spec.resource || !spec.with_resource) return;
  int dependent = ws.find_resource(*spec.resource);
  int primary = ws.find_resource(*spec.with_resource);
  if (dependent == kNone || primary == kNone) return;
  bool influence = spec.influence.value_or(ws.rsc(dependent).critical);
  new_colocation(ws, constraint.metadata.name, spec.score, dependent, primary,
                 colocation_role(spec.role), colocation_role(spec.with_role),
                 spec.node_attribute == "#uname" ? std::nullopt
                                                 : std::optional<std::string>(spec.node_attribute),
                 influence);
}

const char* invert_action(const std::string& action) {
  if (action == "start") return "stop";
  if (action == "stop") return "start";
  if (action == "promote") return "demote";
  if (action == "demote") return "promote";
  return nullptr;
}

void unpack_order(WorkingSet& ws, const model::HAConstraint& constraint) {
  const model::OrderConstraint& spec = *constraint.spec.order;
  if (!spec.first || !spec.then) return;
  int first = ws.find_resource(*spec.first);
  int then = ws.find_resource(*spec.then);
  if (first == kNone || then == kNone) return;
  const std::string first_action(model::to_string(spec.first_action));
  const std::string then_action(model::to_string(spec.then_action.value_or(spec.first_action)));
  const bool symmetric = spec.symmetrical.value_or(spec.kind != model::OrderKind::kSerialize) &&
                         spec.kind != model::OrderKind::kSerialize;

  auto flags_for = [&](const std::string& first_task, int direction) {
    // direction: 0 asymmetric, 1 symmetric, 2 the inverse of a symmetric one
    std::uint32_t flags = kOrderOptional;
    switch (spec.kind) {
      case model::OrderKind::kOptional:
        if (spec.restart_then) flags |= direction == 2 ? kOrderImpliesFirst : kOrderImpliesThen;
        break;
      case model::OrderKind::kSerialize:
        flags |= kOrderSerializeOnly;
        break;
      case model::OrderKind::kMandatory:
        if (direction == 0) {
          flags |= kOrderAsymmetrical;
        } else if (direction == 1) {
          flags |= kOrderImpliesThen;
          if (first_task == "start" || first_task == "promote") flags |= kOrderRunnableLeft;
        } else {
          flags |= kOrderImpliesFirst;
        }
        break;
    }
    return flags;
  };
  // clone-min, or (deprecated) require-all=false meaning one instance.
  int minimum = is_clone(ws, first) ? ws.rsc(first).clone.min : 0;
  if (is_clone(ws, first) && minimum == 0 && !spec.require_all.value_or(true)) minimum = 1;
  if (minimum > 0) {
    order_after_clone_min(ws, constraint.metadata.name, first, first_action, then, then_action,
                          flags_for(first_action, symmetric ? 1 : 0), minimum);
  } else {
    order_resources(ws, first, first_action, then, then_action,
                    flags_for(first_action, symmetric ? 1 : 0));
  }
  if (symmetric) {
    const char* inverse_first = invert_action(first_action);
    const char* inverse_then = invert_action(then_action);
    if (inverse_first != nullptr && inverse_then != nullptr) {
      order_resources(ws, then, inverse_then, first, inverse_first, flags_for(inverse_first, 2));
    }
  }
}

}  // namespace

void order_resources(WorkingSet& ws, int first, const std::string& first_task, int then,
                     const std::string& then_task, std::uint32_t flags) {
  Ordering order;
  order.first_rsc = first;
  order.first_task = first_task;
  order.then_rsc = then;
  order.then_task = then_task;
  order.flags = flags;
  ws.orderings.push_back(std::move(order));
  order_migration_equivalents(ws, first, first_task, then, then_task);
}

void new_colocation(WorkingSet& ws, const std::string& id, Score score, int dependent, int primary,
                    RoleX dependent_role, RoleX primary_role,
                    std::optional<std::string> node_attribute, bool influence) {
  if (score == Score::of(0)) return;
  Colocation colocation;
  colocation.id = id;
  colocation.dependent = dependent;
  colocation.primary = primary;
  colocation.score = score;
  colocation.dependent_role = dependent_role;
  colocation.primary_role = primary_role;
  colocation.node_attribute = std::move(node_attribute);
  colocation.influence = influence;
  ws.colocations.push_back(std::move(colocation));
  int index = static_cast<int>(ws.colocations.size()) - 1;
  insert_this_with(ws, dependent, index);
  insert_with_this(ws, primary, index);
  if (score.is_minus_infinity()) {
    anti_colocation_order(ws, dependent, dependent_role, primary, primary_role);
    anti_colocation_order(ws, primary, primary_role, dependent, dependent_role);
  }
}

namespace {

// Node health (#health-* attributes) as a location score on every resource.
void apply_node_health(WorkingSet& ws) {
  const model::NodeHealth& config = ws.cluster.options.node_health;
  Score red = Score::of(0), yellow = Score::of(0), green = Score::of(0), base = Score::of(0);
  switch (config.strategy) {
    case model::HealthStrategy::kNone:
      return;
    case model::HealthStrategy::kMigrateOnRed:
      red = Score::minus_infinity();
      break;
    case model::HealthStrategy::kOnlyGreen:
      red = yellow = Score::minus_infinity();
      break;
    case model::HealthStrategy::kProgressive:
      base = config.base;
      [[fallthrough]];
    case model::HealthStrategy::kCustom:
      red = config.red;
      yellow = config.yellow;
      green = config.green;
      break;
  }
  const std::string id = "node-health:" + std::string(model::to_string(config.strategy));
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    Score health = base;
    for (const auto& [name, value] : ws.nodes[n].attributes) {
      if (!name.starts_with("#health")) continue;
      std::string lower = value;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "red")
        health += red;
      else if (lower == "yellow")
        health += yellow;
      else if (lower == "green")
        health += green;
      else
        health += Score::parse(value).value_or(Score::of(0));
    }
    if (health == Score::of(0)) continue;
    for (int r : ws.top_level) {
      Location location;
      location.id = id;
      location.rsc = r;
      location.nodes.emplace_back(static_cast<int>(n), health);
      ws.locations.push_back(std::move(location));
    }
  }
}

}  // namespace

void unpack_constraints(WorkingSet& ws) {
  apply_node_health(ws);
  for (const model::HAConstraint& constraint : ws.manifests->constraints) {
    if (constraint.spec.order) {
      if (constraint.spec.order->sets.empty()) {
        unpack_order(ws, constraint);
      } else {
        unpack_order_sets(ws, constraint);
      }
    }
    if (constraint.spec.colocation) {
      if (constraint.spec.colocation->sets.empty()) {
        unpack_colocation(ws, constraint);
      } else {
        unpack_colocation_sets(ws, constraint);
      }
    }
    if (constraint.spec.location) unpack_location(ws, constraint);
  }
}

}  // namespace tandem::placement::detail
