#include "sidecar/executor/fail_counts.h"

#include <limits>

namespace tandem::executor {

void FailCounts::record(const FailKey& key, Instant now) {
  Entry& entry = entries_[key];
  // Saturate rather than overflow; Pacemaker caps at INFINITY too.
  if (entry.count < std::numeric_limits<int>::max()) ++entry.count;
  entry.last = now;
  last_failure_[key.resource] = now;
}

int FailCounts::count(const std::string& resource) const {
  long long total = 0;
  for (auto it = entries_.lower_bound(FailKey{resource, Action::kStart, Duration::min()});
       it != entries_.end() && it->first.resource == resource; ++it) {
    total += it->second.count;
  }
  return total > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                 : static_cast<int>(total);
}

int FailCounts::count(const FailKey& key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? 0 : it->second.count;
}

std::vector<std::string> FailCounts::expire(
    Instant now, const std::map<std::string, Duration>& failure_timeouts) {
  std::vector<std::string> expired;
  for (const auto& [resource, last] : last_failure_) {
    auto timeout = failure_timeouts.find(resource);
    if (timeout == failure_timeouts.end() || timeout->second <= Duration::zero()) continue;
    if (now - last >= timeout->second) expired.push_back(resource);
  }
  for (const std::string& resource : expired) clear(resource);
  return expired;
}

void FailCounts::clear(const std::string& resource) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = it->first.resource == resource ? entries_.erase(it) : std::next(it);
  }
  last_failure_.erase(resource);
}

}  // namespace tandem::executor
