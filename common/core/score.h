#pragma once

// Pacemaker's score: an integer that saturates at +/-INFINITY (1,000,000).
// -INFINITY is absorbing: adding anything to it, even +INFINITY, leaves it
// -INFINITY, so a ban always beats a preference.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace tandem {

class Score {
 public:
  static constexpr std::int32_t kInfinity = 1'000'000;

  constexpr Score() = default;

  // Clamps to [-INFINITY, +INFINITY], as Pacemaker does for large literals.
  static constexpr Score of(std::int64_t value) {
    if (value >= kInfinity) return Score(kInfinity);
    if (value <= -kInfinity) return Score(-kInfinity);
    return Score(static_cast<std::int32_t>(value));
  }
  static constexpr Score infinity() { return Score(kInfinity); }
  static constexpr Score minus_infinity() { return Score(-kInfinity); }

  // Accepts an integer (clamped), "INFINITY", "+INFINITY" or "-INFINITY".
  static Result<Score> parse(std::string_view text);

  constexpr std::int32_t value() const { return value_; }
  constexpr bool is_infinity() const { return value_ == kInfinity; }
  constexpr bool is_minus_infinity() const { return value_ == -kInfinity; }

  // "INFINITY", "-INFINITY" or the integer.
  std::string to_string() const;

  friend constexpr Score operator+(Score a, Score b) {
    if (a.is_minus_infinity() || b.is_minus_infinity()) return minus_infinity();
    if (a.is_infinity() || b.is_infinity()) return infinity();
    return of(std::int64_t{a.value_} + b.value_);
  }
  constexpr Score& operator+=(Score other) { return *this = *this + other; }
  friend constexpr Score operator-(Score a) { return Score(-a.value_); }

  friend constexpr auto operator<=>(Score, Score) = default;

 private:
  constexpr explicit Score(std::int32_t value) : value_(value) {}
  std::int32_t value_ = 0;
};

}  // namespace tandem
