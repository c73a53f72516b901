#pragma once

// The operator's counters, as they must outlive its process: failovers and
// their durations (and the outages still open), transitions, and each
// task's action durations and failures. Prometheus counters may only grow; an operator restart that
// reset them would read as a counter reset, and the failovers before it
// would vanish from the histogram. The daemon keeps them in
// STATE_DIR/counters.json; this is their form there. Pure.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "operator/reconcile/status.h"

namespace tandem::reconcile {

struct Counters {
  std::uint64_t transitions_total = 0;
  metrics::Histogram failover_durations{kFailoverBucketBounds};
  std::map<std::string, ActionStats> action_stats;
  std::vector<Failover> failovers;  // the last ones, for the status
  // Resources detected down and not running again: a failover that an
  // operator restart fell into counts, with its whole duration.
  std::vector<Outage> outages;

  bool operator==(const Counters&) const = default;
};

std::string encode(const Counters& counters);
// `where` names the source in errors ("/var/lib/tandem/counters.json").
Result<Counters> decode_counters(std::string_view json, const std::string& where);

}  // namespace tandem::reconcile
