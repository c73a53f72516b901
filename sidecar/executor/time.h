#pragma once

// Time as the executor sees it: monotonic instants in milliseconds. The pure
// core takes "now" as an argument; only adapters ask a Clock.

#include <chrono>

#include "common/core/duration.h"

namespace tandem::executor {

using Instant = std::chrono::time_point<std::chrono::steady_clock, Duration>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
};

// The machine's monotonic clock.
class SteadyClock final : public Clock {
 public:
  Instant now() const override {
    return std::chrono::time_point_cast<Duration>(std::chrono::steady_clock::now());
  }
};

}  // namespace tandem::executor
