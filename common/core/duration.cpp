#include "common/core/duration.h"

#include <array>
#include <cstdint>
#include <utility>

#include "common/core/text.h"

namespace tandem {
namespace {

struct Unit {
  std::string_view name;
  std::int64_t ms;
};

// Longer names first so that "min" is not read as "m" followed by "in".
constexpr std::array<Unit, 8> kUnits{{{"msec", 1},
                                      {"ms", 1},
                                      {"sec", 1000},
                                      {"s", 1000},
                                      {"min", 60'000},
                                      {"m", 60'000},
                                      {"hr", 3'600'000},
                                      {"h", 3'600'000}}};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  auto not_a_duration = [&] { return fail(quote(text) + " is not a duration"); };
  auto too_long = [&] {
    return fail(quote(text) + " is longer than the maximum of " + format_duration(kMaxDuration));
  };
  if (text.empty()) return not_a_duration();

  constexpr std::int64_t kMaxMs = kMaxDuration.count();
  std::int64_t total = 0;
  std::string_view rest = text;
  bool bare_number = true;
  while (!rest.empty()) {
    std::int64_t number = 0;
    std::size_t digits = 0;
    while (digits < rest.size() && is_digit(rest[digits])) {
      number = number * 10 + (rest[digits] - '0');
      if (number > kMaxMs) return too_long();
      ++digits;
    }
    if (digits == 0) return not_a_duration();
    rest.remove_prefix(digits);
    if (rest.empty()) {
      if (!bare_number) return not_a_duration();  // "1m30" lacks a unit
      total = number * 1000;
      break;
    }
    bare_number = false;
    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
      if (rest.starts_with(candidate.name) &&
          (rest.size() == candidate.name.size() || is_digit(rest[candidate.name.size()]))) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) return not_a_duration();
    rest.remove_prefix(unit->name.size());
    if (number > kMaxMs / unit->ms) return too_long();
    total += number * unit->ms;
    if (total > kMaxMs) return too_long();
  }
  if (total > kMaxMs) return too_long();
  return Duration(total);
}

std::string format_duration(Duration duration) {
  std::int64_t ms = duration.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  // Sub-second values read best as plain milliseconds ("1200ms", not
  // "1s200ms").
  if (ms % 1000 != 0) return out + std::to_string(ms) + "ms";
  constexpr std::array<std::pair<std::int64_t, std::string_view>, 3> kParts{
      {{3'600'000, "h"}, {60'000, "m"}, {1000, "s"}}};
  for (auto [size, name] : kParts) {
    if (ms >= size) {
      out += std::to_string(ms / size);
      out += name;
      ms %= size;
    }
  }
  return out;
}

}  // namespace tandem
