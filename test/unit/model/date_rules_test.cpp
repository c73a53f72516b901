#include "common/model/date_rules.h"

#include <gtest/gtest.h>

namespace tandem::model {
namespace {

std::chrono::sys_seconds at(std::string_view rfc3339) {
  return std::chrono::floor<std::chrono::seconds>(Timestamp::parse(rfc3339).value().time);
}

Timestamp stamp(std::string_view rfc3339) {
  return Timestamp::parse(rfc3339).value();
}

DateExpression spec(DateSpec s) {
  return {.operation = DateOperation::kDateSpec, .spec = std::move(s)};
}

TEST(DateRange, reads_a_value_a_range_and_open_ends) {
  auto one = parse_date_range("12").value();
  EXPECT_EQ(one.low, 12);
  EXPECT_EQ(one.high, 12);
  auto both = parse_date_range("9-17").value();
  EXPECT_EQ(both.low, 9);
  EXPECT_EQ(both.high, 17);
  auto up_to = parse_date_range("-5").value();
  EXPECT_FALSE(up_to.low);
  EXPECT_EQ(up_to.high, 5);
  auto from = parse_date_range("6-").value();
  EXPECT_EQ(from.low, 6);
  EXPECT_FALSE(from.high);
}

TEST(DateRange, rejects_text_that_is_no_range_by_name) {
  for (const char* bad : {"", "-", "x", "9-x", "9-17-20", "1.5"}) {
    auto range = parse_date_range(bad);
    ASSERT_FALSE(range) << bad;
    EXPECT_NE(range.error().message.find("is not a value or a range"), std::string::npos);
  }
}

TEST(DateExpression, in_range_includes_both_ends_to_the_second) {
  DateExpression e{.start = stamp("2026-01-01T10:00:00Z"), .end = stamp("2026-01-01T12:00:00Z")};
  EXPECT_FALSE(date_expression_holds(e, at("2026-01-01T09:59:59Z")));
  EXPECT_TRUE(date_expression_holds(e, at("2026-01-01T10:00:00Z")));
  EXPECT_TRUE(date_expression_holds(e, at("2026-01-01T12:00:00Z")));
  EXPECT_FALSE(date_expression_holds(e, at("2026-01-01T12:00:01Z")));
}

TEST(DateExpression, gt_and_lt_exclude_their_bound) {
  DateExpression after{.operation = DateOperation::kGt, .start = stamp("2026-01-01T00:00:00Z")};
  EXPECT_FALSE(date_expression_holds(after, at("2026-01-01T00:00:00Z")));
  EXPECT_TRUE(date_expression_holds(after, at("2026-01-01T00:00:01Z")));
  DateExpression before{.operation = DateOperation::kLt, .end = stamp("2026-01-01T00:00:00Z")};
  EXPECT_TRUE(date_expression_holds(before, at("2025-12-31T23:59:59Z")));
  EXPECT_FALSE(date_expression_holds(before, at("2026-01-01T00:00:00Z")));
}

TEST(DateExpression, a_duration_ends_the_range_by_the_calendar) {
  DateExpression month{.start = stamp("2026-01-31T08:00:00Z"),
                       .duration = CalendarDuration{.months = 1}};
  EXPECT_TRUE(date_expression_holds(month, at("2026-02-28T08:00:00Z")));
  EXPECT_FALSE(date_expression_holds(month, at("2026-02-28T08:00:01Z")));
  EXPECT_EQ(add_calendar(stamp("2024-02-29T00:00:00Z"), {.years = 1}).to_string(),
            "2025-02-28T00:00:00Z");
  EXPECT_EQ(
      add_calendar(stamp("2026-12-15T23:00:00Z"), {.months = 1, .days = 1, .hours = 2}).to_string(),
      "2027-01-17T01:00:00Z");
}

TEST(DateExpression, expressions_missing_their_bound_never_hold) {
  EXPECT_FALSE(date_expression_holds({}, at("2026-01-01T00:00:00Z")));
  EXPECT_FALSE(
      date_expression_holds({.operation = DateOperation::kGt}, at("2026-01-01T00:00:00Z")));
  EXPECT_FALSE(
      date_expression_holds({.operation = DateOperation::kDateSpec}, at("2026-01-01T00:00:00Z")));
}

TEST(DateSpec, office_hours_on_weekdays) {
  auto office = spec({.hours = "9-16", .weekdays = "1-5"});
  EXPECT_TRUE(date_expression_holds(office, at("2026-11-25T09:00:00Z")));   // Wednesday
  EXPECT_FALSE(date_expression_holds(office, at("2026-11-25T17:00:00Z")));  // after hours
  EXPECT_FALSE(date_expression_holds(office, at("2026-11-28T10:00:00Z")));  // Saturday
}

TEST(DateSpec, iso_weeks_belong_to_their_week_numbering_year) {
  // 2027-01-01 is a Friday in week 53 of ISO year 2026.
  EXPECT_TRUE(date_expression_holds(spec({.weekyears = "2026", .weeks = "53", .weekdays = "5"}),
                                    at("2027-01-01T12:00:00Z")));
  // 2024-12-30 is the Monday of week 1 of ISO year 2025.
  EXPECT_TRUE(date_expression_holds(spec({.weekyears = "2025", .weeks = "1", .weekdays = "1"}),
                                    at("2024-12-30T00:00:00Z")));
}

TEST(DateSpec, yeardays_count_from_january_first) {
  EXPECT_TRUE(date_expression_holds(spec({.yeardays = "20"}), at("2005-01-20T12:30:00Z")));
  EXPECT_TRUE(date_expression_holds(spec({.yeardays = "366"}), at("2024-12-31T00:00:00Z")));
  EXPECT_FALSE(date_expression_holds(spec({.yeardays = "366"}), at("2025-12-31T00:00:00Z")));
}

TEST(DateSpec, every_field_must_match) {
  auto noon_in_june = spec({.months = "6", .hours = "12", .minutes = "0-29"});
  EXPECT_TRUE(date_expression_holds(noon_in_june, at("2026-06-10T12:15:00Z")));
  EXPECT_FALSE(date_expression_holds(noon_in_june, at("2026-06-10T12:45:00Z")));
  EXPECT_FALSE(date_expression_holds(noon_in_june, at("2026-07-10T12:15:00Z")));
}

}  // namespace
}  // namespace tandem::model
