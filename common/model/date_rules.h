#pragma once

// Date expressions in rules: the ranges of a date_spec, and whether an
// expression holds at a given time. Pure: "now" is an argument.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "common/core/result.h"
#include "common/model/constraint.h"

namespace tandem::model {

// "12", "9-17", "-5" or "6-": a value or an inclusive range, open ends unset.
struct DateRange {
  std::optional<std::int64_t> low;
  std::optional<std::int64_t> high;
};
Result<DateRange> parse_date_range(std::string_view text);

// start + duration, months and years by the calendar (the day is clamped to
// the end of a shorter month).
Timestamp add_calendar(Timestamp start, const CalendarDuration& duration);

// Whether `expression` holds at `now` (compared to the second, as Pacemaker
// does). Expressions missing what their operation needs never hold.
bool date_expression_holds(const DateExpression& expression, std::chrono::sys_seconds now);

}  // namespace tandem::model
