#pragma once

// Fail-counts per resource and operation, as Pacemaker keeps them
// (fail-count-RSC#OP_INTERVAL). A resource's failures expire together once
// failure-timeout has passed since its last failure; a timeout of zero means
// they never expire. Pure: "now" is an argument.

#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "sidecar/executor/action.h"
#include "sidecar/executor/time.h"

namespace tandem::executor {

struct FailKey {
  std::string resource;
  Action action = Action::kMonitor;
  Duration interval{0};

  friend auto operator<=>(const FailKey&, const FailKey&) = default;
};

class FailCounts {
 public:
  void record(const FailKey& key, Instant now);

  // The resource's total over all operations; 0 for unknown resources.
  int count(const std::string& resource) const;
  int count(const FailKey& key) const;

  // Forgets the failures of every resource whose last failure is at least
  // its failure timeout old; returns those resources. Resources missing
  // from `failure_timeouts` (or with zero) never expire.
  std::vector<std::string> expire(Instant now,
                                  const std::map<std::string, Duration>& failure_timeouts);

  // An operator's cleanup: forget the resource's failures.
  void clear(const std::string& resource);

 private:
  struct Entry {
    int count = 0;
    Instant last{};
  };
  std::map<FailKey, Entry> entries_;
  std::map<std::string, Instant> last_failure_;
};

}  // namespace tandem::executor
