#pragma once

// Failover bookkeeping: when a resource was detected down (it failed, or the
// node running it was lost) and when it ran again, for the status, the log
// and the failover-duration histogram. Singletons only: a clone instance is
// one of several copies.

#include <map>
#include <string>
#include <vector>

#include "operator/reconcile/status.h"

namespace tandem::reconcile {

class FailoverTracker {
 public:
  // `resources` as the status shows them now; `online` tells whether a node
  // is online. Completed failovers go to status.failovers (at most `keep`)
  // and status.failover_durations; open ones to status.outages.
  void update(const std::vector<ResourceStatus>& resources,
              const std::vector<std::string>& online_nodes, UnixMs now, std::size_t keep,
              Status& status, std::vector<std::string>& events);

  // What a previous operator knew: its failover durations and history, and
  // the outages still open, so that a failover the restart fell into is
  // counted from its detection. (Where healthy resources ran is not taken
  // over: until the nodes report, every node looks lost.)
  void restore(const metrics::Histogram& durations, std::vector<Failover> history,
               const std::vector<Outage>& outages);

 private:
  struct Track {
    std::string running_on;  // where it last ran healthy
    std::optional<Outage> outage;
  };
  std::map<std::string, Track> tracks_;
  std::vector<Failover> history_;
  metrics::Histogram durations_{kFailoverBucketBounds};
};

}  // namespace tandem::reconcile
