#pragma once

// A point in time as Kubernetes writes it: RFC 3339 in UTC
// ("2026-11-24T19:42:00Z"), with optional fractional seconds and offset on
// input. Millisecond precision.

#include <chrono>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace tandem {

struct Timestamp {
  std::chrono::sys_time<std::chrono::milliseconds> time{};

  static Result<Timestamp> parse(std::string_view text);
  // UTC with a "Z"; milliseconds only when they are not zero.
  std::string to_string() const;

  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
};

}  // namespace tandem
