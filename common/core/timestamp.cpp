#include "common/core/timestamp.h"

#include <cstdint>
#include <cstdio>

#include "common/core/text.h"

namespace tandem {
namespace {

// Reads exactly `width` digits at `pos`; returns -1 when they are not digits.
int digits_at(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Result<Timestamp> Timestamp::parse(std::string_view text) {
  using namespace std::chrono;
  auto bad = [&] {
    return fail(quote(text) + " is not an RFC 3339 timestamp (e.g. 2026-11-24T19:42:00Z)");
  };
  // YYYY-MM-DDTHH:MM:SS is 19 characters; a zone follows.
  if (text.size() < 20) return bad();
  int y = digits_at(text, 0, 4), mo = digits_at(text, 5, 2), d = digits_at(text, 8, 2);
  int h = digits_at(text, 11, 2), mi = digits_at(text, 14, 2), s = digits_at(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return bad();
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return bad();
  }
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  // Leap seconds (":60") are not representable in sys_time; reject them.
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return bad();

  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (text[pos] == '.') {
    ++pos;
    std::size_t start = pos;
    int scale = 100;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      millis += (text[pos] - '0') * scale;  // digits past milliseconds are dropped
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad();
  }
  if (pos >= text.size()) return bad();
  minutes offset{0};
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int oh = digits_at(text, pos + 1, 2), om = digits_at(text, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= text.size() || text[pos + 3] != ':' || oh > 23 || om > 59) {
      return bad();
    }
    offset = hours(oh) + minutes(om);
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return bad();
  }
  if (pos != text.size()) return bad();

  sys_time<milliseconds> t = sys_days(date) + hours(h) + minutes(mi) + seconds(s);
  return Timestamp{t + milliseconds(millis) - offset};
}

std::string Timestamp::to_string() const {
  using namespace std::chrono;
  sys_days days = floor<std::chrono::days>(time);
  year_month_day date(days);
  hh_mm_ss clock(time - days);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d",
                static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  std::string out = buffer;
  if (auto ms = clock.subseconds().count(); ms != 0) {
    std::snprintf(buffer, sizeof buffer, ".%03d", static_cast<int>(ms));
    out += buffer;
  }
  return out + "Z";
}

}  // namespace tandem
