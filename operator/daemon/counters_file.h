#pragma once

// STATE_DIR/counters.json: the operator's counters (reconcile/counters.h)
// kept across restarts.

#include <optional>
#include <string>

#include "operator/reconcile/counters.h"

namespace tandem::operator_daemon {

struct LoadedCounters {
  reconcile::Counters counters;
  // Set when the file is there but cannot be used: the counters then start
  // from zero, and this says why, naming the file, for the log.
  std::optional<std::string> warning;
};

// None yet (the first start) is zero, without a warning.
LoadedCounters load_counters(const std::string& path);

}  // namespace tandem::operator_daemon
