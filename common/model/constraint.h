#pragma once

// HAConstraint: exactly one of a location, colocation or order constraint.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/core/score.h"
#include "common/model/object.h"
#include "common/model/rule.h"

namespace tandem::model {

struct ResourceSet {
  std::vector<std::string> resources;
  bool sequential = true;
  std::optional<bool> require_all;    // order sets only; true when unset
  std::optional<Role> role;           // colocation sets only
  std::optional<OrderAction> action;  // order sets only

  bool operator==(const ResourceSet&) const = default;
};

struct LocationConstraint {
  std::optional<std::string> resource;
  std::optional<std::string> resource_pattern;
  std::optional<std::string> node;
  std::optional<Score> score;
  std::optional<Role> role;
  ResourceDiscovery resource_discovery = ResourceDiscovery::kAlways;
  std::vector<Rule> rules;

  bool operator==(const LocationConstraint&) const = default;
};

struct ColocationConstraint {
  std::optional<std::string> resource;
  std::optional<std::string> with_resource;
  std::optional<Role> role;
  std::optional<Role> with_role;
  Score score;
  std::string node_attribute = "#uname";
  std::optional<bool> influence;
  std::vector<ResourceSet> sets;

  bool operator==(const ColocationConstraint&) const = default;
};

struct OrderConstraint {
  std::optional<std::string> first;
  std::optional<std::string> then;
  OrderAction first_action = OrderAction::kStart;
  std::optional<OrderAction> then_action;
  OrderKind kind = OrderKind::kMandatory;
  std::optional<bool> symmetrical;
  // false: when first is a clone, one instance is enough (clone-min 1).
  std::optional<bool> require_all;
  // Optional orders: a stop or restart of first still restarts then
  // (Pacemaker's deprecated restart-type=restart on the then resource).
  bool restart_then = false;
  std::vector<ResourceSet> sets;

  bool operator==(const OrderConstraint&) const = default;
};

// Exactly one of the three is set.
struct ConstraintSpec {
  std::optional<LocationConstraint> location;
  std::optional<ColocationConstraint> colocation;
  std::optional<OrderConstraint> order;

  bool operator==(const ConstraintSpec&) const = default;
};

struct ConstraintStatus {
  std::optional<std::int64_t> observed_generation;
  std::vector<Condition> conditions;

  bool operator==(const ConstraintStatus&) const = default;
};

struct HAConstraint : Object<ConstraintSpec, ConstraintStatus> {
  static constexpr std::string_view kKind = "HAConstraint";
};

}  // namespace tandem::model
