#include "common/core/score.h"

#include <charconv>

#include "common/core/text.h"

namespace tandem {

Result<Score> Score::parse(std::string_view text) {
  if (text == "INFINITY" || text == "+INFINITY") return infinity();
  if (text == "-INFINITY") return minus_infinity();

  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  bool all_digits = !digits.empty();
  for (char c : digits) all_digits = all_digits && c >= '0' && c <= '9';
  if (!all_digits) {
    return fail(quote(text) + " is not a score (an integer, INFINITY or -INFINITY)");
  }
  // Literals beyond the int64 range still mean "infinite": saturate first.
  std::int64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  if (ec == std::errc::result_out_of_range) return negative ? minus_infinity() : infinity();
  (void)end;
  return of(negative ? -magnitude : magnitude);
}

std::string Score::to_string() const {
  if (is_infinity()) return "INFINITY";
  if (is_minus_infinity()) return "-INFINITY";
  return std::to_string(value_);
}

}  // namespace tandem
