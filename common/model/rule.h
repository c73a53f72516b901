#pragma once

// Rules: tests of node attributes, of resource parameters and of the
// current time, combined with and/or. Location constraints score nodes
// with them; parameter overrides choose values with them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/core/score.h"
#include "common/core/timestamp.h"
#include "common/model/enums.h"

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

}  // namespace tandem::model
