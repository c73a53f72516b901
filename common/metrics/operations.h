#pragma once

// The operations whose series both programs always export, at zero before
// the first one: increase() and rate() see a series' first sample only as
// its start, so a series that appeared with its first operation would hide
// that operation. Others (migrate_to, reload...) appear when first seen.

#include <array>
#include <string_view>

namespace tandem::metrics {

inline constexpr std::array<std::string_view, 6> kCoreOperations = {"start",   "stop",   "monitor",
                                                                    "promote", "demote", "notify"};

}  // namespace tandem::metrics
