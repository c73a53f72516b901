#pragma once

// HAConstraint: exactly one of a location, colocation or order constraint.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/core/score.h"
#include "common/core/timestamp.h"
#include "common/model/object.h"

namespace tandem::model {

// Rules nest at most this deep (a top-level rule and three levels below it);
// the CRD schema is unrolled to the same depth.
inline constexpr int kMaxRuleDepth = 4;

struct Expression {
  std::string attribute;
  ExpressionOperation operation = ExpressionOperation::kEq;
  std::optional<std::string> value;
  std::optional<ExpressionType> type;  // unset: Pacemaker's choice by value
  ValueSource value_source = ValueSource::kLiteral;

  bool operator==(const Expression&) const = default;
};

// Calendar fields the current time must fall in, each a value ("12") or an
// inclusive range ("9-17", "-5", "6-"); unset fields match any time. Weeks,
// weekdays (1 = Monday) and weekyears follow ISO 8601. Times are UTC.
struct DateSpec {
  std::optional<std::string> years;
  std::optional<std::string> months;
  std::optional<std::string> monthdays;
  std::optional<std::string> hours;
  std::optional<std::string> minutes;
  std::optional<std::string> seconds;
  std::optional<std::string> yeardays;
  std::optional<std::string> weekyears;
  std::optional<std::string> weeks;
  std::optional<std::string> weekdays;

  bool operator==(const DateSpec&) const = default;
};

// A calendar length added to a range's start: months and years follow the
// calendar (January 31 + 1 month = February's last day).
struct CalendarDuration {
  std::int64_t years = 0;
  std::int64_t months = 0;
  std::int64_t weeks = 0;
  std::int64_t days = 0;
  std::int64_t hours = 0;
  std::int64_t minutes = 0;
  std::int64_t seconds = 0;

  bool operator==(const CalendarDuration&) const = default;
};

// A test of the current time (Pacemaker's date_expression): in_range
// (start and/or end, or start and duration; both ends inclusive), gt
// (after start), lt (before end) or date_spec.
struct DateExpression {
  DateOperation operation = DateOperation::kInRange;
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
  std::optional<CalendarDuration> duration;
  std::optional<DateSpec> spec;

  bool operator==(const DateExpression&) const = default;
};

struct Rule {
  std::optional<Score> score;
  std::optional<std::string> score_attribute;
  BooleanOp boolean_op = BooleanOp::kAnd;
  std::optional<Role> role;
  std::vector<Expression> expressions;
  std::vector<DateExpression> dates;
  std::vector<Rule> rules;

  bool operator==(const Rule&) const = default;
};

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
