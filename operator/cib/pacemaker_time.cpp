#include "operator/cib/pacemaker_time.h"

#include <cctype>
#include <chrono>

#include "common/core/text.h"

namespace tandem::cib::detail {
namespace {

using namespace std::chrono;

// Reads `width` digits at `pos`, advancing it; -1 when they are not digits.
int take_digits(std::string_view text, std::size_t& pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    value = value * 10 + (c - '0');
  }
  pos += width;
  return value;
}

bool take(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

std::size_t digits_ahead(std::string_view text, std::size_t pos) {
  std::size_t n = 0;
  while (pos + n < text.size() && std::isdigit(static_cast<unsigned char>(text[pos + n]))) ++n;
  return n;
}

// The Monday of ISO week 1 of `y`: the week holding January 4.
sys_days iso_week_one(int y) {
  const sys_days jan4 = sys_days(year{y} / January / 4);
  return jan4 - days(weekday(jan4).iso_encoding() - 1);
}

std::optional<sys_days> parse_date(std::string_view text, std::size_t& pos) {
  const int y = take_digits(text, pos, 4);
  if (y < 0) return {};
  const bool dashed = take(text, pos, '-');
  if (take(text, pos, 'W')) {
    const int week = take_digits(text, pos, 2);
    if (dashed && !take(text, pos, '-')) return {};
    const int weekday = take_digits(text, pos, 1);
    if (week < 1 || week > 53 || weekday < 1 || weekday > 7) return {};
    sys_days day = iso_week_one(y) + weeks(week - 1) + days(weekday - 1);
    if (week == 53 && iso_week_one(y + 1) <= day) return {};
    return day;
  }
  // Ordinal dates have three digits where calendar dates have two and a
  // separator (or four digits without separators).
  const std::size_t run = digits_ahead(text, pos);
  if (run == 3) {
    const int yearday = take_digits(text, pos, 3);
    const bool leap = year{y}.is_leap();
    if (yearday < 1 || yearday > (leap ? 366 : 365)) return {};
    return sys_days(year{y} / January / 1) + days(yearday - 1);
  }
  const int mo = take_digits(text, pos, 2);
  if (dashed && !take(text, pos, '-')) return {};
  const int d = take_digits(text, pos, 2);
  if (mo < 0 || d < 0) return {};
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!date.ok()) return {};
  return sys_days(date);
}

std::optional<seconds> parse_clock(std::string_view text, std::size_t& pos) {
  const int h = take_digits(text, pos, 2);
  const bool colons = take(text, pos, ':');
  const int mi = take_digits(text, pos, 2);
  int s = 0;
  if (colons ? take(text, pos, ':') : digits_ahead(text, pos) >= 2) s = take_digits(text, pos, 2);
  if (h < 0 || mi < 0 || s < 0 || h > 24 || mi > 59 || s > 59) return {};
  if (h == 24 && (mi != 0 || s != 0)) return {};
  return hours(h) + minutes(mi) + seconds(s);
}

std::optional<minutes> parse_zone(std::string_view text, std::size_t& pos) {
  if (take(text, pos, 'Z') || take(text, pos, 'z')) return minutes(0);
  const char sign = pos < text.size() ? text[pos] : '\0';
  if (sign != '+' && sign != '-') return {};
  ++pos;
  const int h = take_digits(text, pos, 2);
  int m = 0;
  if (take(text, pos, ':') || digits_ahead(text, pos) == 2) m = take_digits(text, pos, 2);
  if (h < 0 || m < 0 || h > 23 || m > 59) return {};
  minutes offset = hours(h) + minutes(m);
  return sign == '-' ? -offset : offset;
}

}  // namespace

Result<Timestamp> parse_pacemaker_time(std::string_view text) {
  auto bad = [&] {
    return fail(quote(text) +
                " is not an ISO 8601 time (e.g. \"2019-09-20 15:10:52 +00:00\" or \"2005-020\")");
  };
  std::size_t pos = 0;
  auto date = parse_date(text, pos);
  if (!date) return bad();
  sys_seconds time = *date;
  if (take(text, pos, 'T') || (take(text, pos, ' ') && digits_ahead(text, pos) > 0)) {
    auto clock = parse_clock(text, pos);
    if (!clock) return bad();
    time += *clock;
  }
  while (take(text, pos, ' ')) {
  }
  if (pos < text.size()) {
    auto zone = parse_zone(text, pos);
    if (!zone) return bad();
    time -= *zone;
  }
  if (pos != text.size()) return bad();
  return Timestamp{time_point_cast<milliseconds>(time)};
}

}  // namespace tandem::cib::detail
