#pragma once

// Durations in manifests: "500ms", "10s", "1m30s", "2h", or a bare integer
// meaning seconds (Pacemaker's convention for intervals and timeouts).

#include <chrono>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace tandem {

using Duration = std::chrono::milliseconds;

// The longest duration a manifest may hold: 100 days. Longer values are
// almost certainly typos, and the bound keeps arithmetic far from overflow.
inline constexpr Duration kMaxDuration = std::chrono::hours(24 * 100);

// Units: ms (msec), s (sec), m (min), h (hr); components may be chained
// ("1h30m"). A bare non-negative integer is seconds.
Result<Duration> parse_duration(std::string_view text);

// Shortest form that parse_duration reads back: "0s", "250ms", "1m30s".
std::string format_duration(Duration duration);

}  // namespace tandem
