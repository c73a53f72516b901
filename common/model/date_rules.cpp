#include "common/model/date_rules.h"

#include <charconv>

#include "common/core/text.h"

namespace tandem::model {
namespace {

using namespace std::chrono;

std::optional<std::int64_t> scan(std::string_view text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return {};
  return value;
}

bool in_range(const std::optional<std::string>& field, std::int64_t value) {
  if (!field) return true;
  auto range = parse_date_range(*field);
  if (!range) return false;  // validation rejects these; never match on bad input
  return (!range->low || value >= *range->low) && (!range->high || value <= *range->high);
}

// ISO 8601 week date of `day`: the week-numbering year, week and weekday
// (Monday = 1). Week 1 is the week holding the year's first Thursday.
struct IsoWeek {
  int year;
  unsigned week;
  unsigned weekday;
};
IsoWeek iso_week(sys_days date) {
  const unsigned weekday = std::chrono::weekday(date).iso_encoding();
  const sys_days thursday = date + days(4 - static_cast<int>(weekday));
  const year y = year_month_day(thursday).year();
  const sys_days first = sys_days(y / January / 1);
  const unsigned week = static_cast<unsigned>((thursday - first).count() / 7 + 1);
  return {static_cast<int>(y), week, weekday};
}

bool spec_holds(const DateSpec& spec, sys_seconds now) {
  const sys_days midnight = floor<days>(now);
  const year_month_day date(midnight);
  const hh_mm_ss clock(now - midnight);
  const IsoWeek week = iso_week(midnight);
  const auto yearday = (midnight - sys_days(date.year() / January / 1)).count() + 1;
  return in_range(spec.years, static_cast<int>(date.year())) &&
         in_range(spec.months, static_cast<unsigned>(date.month())) &&
         in_range(spec.monthdays, static_cast<unsigned>(date.day())) &&
         in_range(spec.hours, clock.hours().count()) &&
         in_range(spec.minutes, clock.minutes().count()) &&
         in_range(spec.seconds, clock.seconds().count()) && in_range(spec.yeardays, yearday) &&
         in_range(spec.weekyears, week.year) && in_range(spec.weeks, week.week) &&
         in_range(spec.weekdays, week.weekday);
}

sys_seconds seconds_of(const Timestamp& t) {
  return floor<std::chrono::seconds>(t.time);
}

}  // namespace

Result<DateRange> parse_date_range(std::string_view text) {
  auto bad = [&] {
    return fail(quote(text) + " is not a value or a range (e.g. \"9\", \"9-17\", \"-5\", \"6-\")");
  };
  if (text.empty() || text == "-") return bad();
  DateRange range;
  const std::size_t dash = text.find('-', 1);
  if (text.front() == '-') {
    range.high = scan(text.substr(1));
    if (!range.high) return bad();
    return range;
  }
  range.low = scan(text.substr(0, dash));
  if (!range.low) return bad();
  if (dash == std::string_view::npos) {
    range.high = range.low;
  } else if (dash + 1 < text.size()) {
    range.high = scan(text.substr(dash + 1));
    if (!range.high) return bad();
  }
  return range;
}

Timestamp add_calendar(Timestamp start, const CalendarDuration& d) {
  const sys_days midnight = floor<days>(start.time);
  const auto time_of_day = start.time - midnight;
  const year_month_day date(midnight);
  const std::int64_t total_months = static_cast<int>(date.year()) * 12LL +
                                    (static_cast<unsigned>(date.month()) - 1) + d.years * 12 +
                                    d.months;
  const year y{static_cast<int>(total_months / 12)};
  const month m{static_cast<unsigned>(total_months % 12 + 1)};
  const std::chrono::day month_end = year_month_day_last(y / m / last).day();
  const year_month_day moved{y, m, date.day() > month_end ? month_end : date.day()};
  auto t = sys_days(moved) + time_of_day + weeks(d.weeks) + days(d.days) + hours(d.hours) +
           minutes(d.minutes) + std::chrono::seconds(d.seconds);
  return Timestamp{time_point_cast<milliseconds>(t)};
}

bool date_expression_holds(const DateExpression& e, sys_seconds now) {
  switch (e.operation) {
    case DateOperation::kInRange: {
      std::optional<Timestamp> end = e.end;
      if (!end && e.start && e.duration) end = add_calendar(*e.start, *e.duration);
      if (!e.start && !end) return false;
      if (e.start && now < seconds_of(*e.start)) return false;
      if (end && now > seconds_of(*end)) return false;
      return true;
    }
    case DateOperation::kGt:
      return e.start && now > seconds_of(*e.start);
    case DateOperation::kLt:
      return e.end && now < seconds_of(*e.end);
    case DateOperation::kDateSpec:
      return e.spec && spec_holds(*e.spec, now);
  }
  return false;
}

}  // namespace tandem::model
