#include "operator/reconcile/failover.h"

#include <algorithm>
#include <cstdio>

namespace tandem::reconcile {
namespace {

std::string seconds(std::int64_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3fs", static_cast<double>(ms) / 1000.0);
  return text;
}

}  // namespace

void FailoverTracker::restore(const metrics::Histogram& durations, std::vector<Failover> history,
                              const std::vector<Outage>& outages) {
  durations_ = durations;
  history_ = std::move(history);
  tracks_.clear();
  for (const Outage& outage : outages) tracks_[outage.resource] = Track{outage.from, outage};
}

void FailoverTracker::update(const std::vector<ResourceStatus>& resources,
                             const std::vector<std::string>& online_nodes, UnixMs now,
                             std::size_t keep, Status& status, std::vector<std::string>& events) {
  auto is_online = [&](const std::string& node) {
    return std::find(online_nodes.begin(), online_nodes.end(), node) != online_nodes.end();
  };
  std::map<std::string, Track> next;
  for (const ResourceStatus& resource : resources) {
    if (resource.resource.find(':') != std::string::npos) continue;
    Track track;
    if (auto it = tracks_.find(resource.resource); it != tracks_.end()) track = it->second;
    std::string healthy;
    if (!resource.failed && resource.role != "Stopped") {
      for (const std::string& node : resource.running_on) {
        if (is_online(node)) {
          healthy = node;
          break;
        }
      }
    }
    if (!healthy.empty()) {
      if (track.outage) {
        Failover done{resource.resource,   track.outage->from,        healthy,
                      track.outage->cause, track.outage->detected_ms, now};
        events.push_back((done.to == done.from ? "recovered " : "failover: ") + done.resource +
                         " runs on " + done.to + " again, " + seconds(done.duration_ms()) +
                         " after it was detected down on " + done.from + " (" + done.cause + ")");
        if (done.to != done.from)
          durations_.observe(static_cast<double>(done.duration_ms()) / 1000.0);
        history_.push_back(std::move(done));
        if (history_.size() > keep)
          history_.erase(history_.begin(),
                         history_.begin() + static_cast<std::ptrdiff_t>(history_.size() - keep));
        track.outage.reset();
      }
      track.running_on = healthy;
    } else if (!track.outage && !track.running_on.empty()) {
      // Down where it ran. A planned stop (its node still online and the
      // resource not failed) is not an outage.
      std::string cause;
      if (resource.failed) {
        cause = "failed";
      } else if (!is_online(track.running_on)) {
        cause = "node " + track.running_on + " lost";
      }
      if (!cause.empty()) {
        track.outage = Outage{resource.resource, track.running_on, cause, now};
        events.push_back(resource.resource + " detected down on " + track.running_on + " (" +
                         cause + ")");
      } else {
        track.running_on.clear();
      }
    }
    next.emplace(resource.resource, std::move(track));
  }
  tracks_ = std::move(next);
  status.failovers = history_;
  status.failover_durations = durations_;
  status.outages.clear();
  for (const auto& [name, track] : tracks_) {
    if (track.outage) status.outages.push_back(*track.outage);
  }
}

}  // namespace tandem::reconcile
