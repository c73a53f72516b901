#include "sidecar/executor/operation_planner.h"

#include <algorithm>
#include <tuple>

#include "common/core/assert.h"
#include "common/core/text.h"

namespace tandem::executor {

OperationPlanner::OperationPlanner(PlannerOptions options, Rng& rng)
    : options_(options), rng_(rng) {
  TANDEM_ASSERT(options_.max_parallel > 0, "at least one operation must be able to run");
  TANDEM_ASSERT(options_.jitter_divisor > 0, "the jitter divisor must be positive");
}

Result<void> OperationPlanner::add_resource(const std::string& resource,
                                            std::vector<RecurringMonitor> monitors) {
  if (resources_.contains(resource))
    return fail("resource " + quote(resource) + " is already known");
  Resource entry;
  for (RecurringMonitor& monitor : monitors) {
    if (monitor.interval > Duration::zero())
      entry.monitors.push_back(Monitor{monitor, std::nullopt});
  }
  resources_.emplace(resource, std::move(entry));
  return {};
}

Result<std::uint64_t> OperationPlanner::request(const std::string& resource,
                                                const OperationRequest& request, Instant now) {
  auto it = resources_.find(resource);
  if (it == resources_.end()) return fail("no resource " + quote(resource) + " on this node");
  if (it->second.queue.size() >= options_.max_queued_per_resource) {
    return fail("resource " + quote(resource) + " already has " +
                std::to_string(it->second.queue.size()) + " operations waiting");
  }
  std::uint64_t id = next_id_++;
  it->second.queue.push_back(Queued{id, request, now});
  if (request.action == Action::kMonitor && request.interval > Duration::zero()) {
    for (Monitor& monitor : it->second.monitors) {
      if (monitor.config.interval == request.interval) monitor.cancelled = false;
    }
  }
  return id;
}

Result<void> OperationPlanner::cancel(const std::string& resource, Duration interval) {
  auto it = resources_.find(resource);
  if (it == resources_.end()) return fail("no resource " + quote(resource) + " on this node");
  bool found = false;
  for (Monitor& monitor : it->second.monitors) {
    if (monitor.config.interval != interval) continue;
    monitor.cancelled = true;
    monitor.due.reset();
    found = true;
  }
  if (!found)
    return fail("resource " + quote(resource) + " has no monitor every " +
                std::to_string(interval.count()) + " ms");
  return {};
}

std::vector<Dispatch> OperationPlanner::dispatch(Instant now) {
  // Candidates: for every idle resource, its oldest request, else its most
  // overdue monitor. Earliest first, requests before monitors due at the same
  // moment, then by name, so that the order is the same on every replay.
  struct Candidate {
    Instant since;
    int kind;  // 0 request, 1 monitor
    const std::string* resource;
    std::size_t monitor;
  };
  std::vector<Candidate> candidates;
  for (auto& [name, resource] : resources_) {
    if (resource.running) continue;
    if (!resource.queue.empty()) {
      candidates.push_back({resource.queue.front().since, 0, &name, 0});
      continue;
    }
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < resource.monitors.size(); ++i) {
      const auto& due = resource.monitors[i].due;
      if (!due || *due > now) continue;
      if (!best || *due < *resource.monitors[*best].due) best = i;
    }
    if (best) candidates.push_back({*resource.monitors[*best].due, 1, &name, *best});
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.since, a.kind, *a.resource) < std::tie(b.since, b.kind, *b.resource);
  });

  std::vector<Dispatch> out;
  for (const Candidate& candidate : candidates) {
    if (running_.size() >= options_.max_parallel) break;
    Resource& resource = resources_.at(*candidate.resource);
    Dispatch dispatch;
    dispatch.resource = *candidate.resource;
    Running running{*candidate.resource, std::nullopt, now, now};
    if (candidate.kind == 0) {
      Queued queued = resource.queue.front();
      resource.queue.pop_front();
      dispatch.id = queued.id;
      dispatch.request = queued.request;
    } else {
      Monitor& monitor = resource.monitors[candidate.monitor];
      dispatch.id = next_id_++;
      dispatch.request = OperationRequest{Action::kMonitor, monitor.config.interval,
                                          monitor.config.timeout, monitor.config.role};
      monitor.due.reset();  // rescheduled when it finishes
      running.monitor = candidate.monitor;
    }
    dispatch.deadline = now + dispatch.request.timeout;
    running.deadline = dispatch.deadline;
    resource.running = dispatch.id;
    running_.emplace(dispatch.id, std::move(running));
    out.push_back(std::move(dispatch));
  }
  return out;
}

bool OperationPlanner::monitor_applies(const RecurringMonitor& monitor, ObservedState state) const {
  using model::Role;
  switch (state) {
    case ObservedState::kRunning:
      return !monitor.role || *monitor.role == Role::kStarted || *monitor.role == Role::kUnpromoted;
    case ObservedState::kPromoted:
      return monitor.role == Role::kPromoted;
    case ObservedState::kStopped:
      return monitor.role == Role::kStopped;
    case ObservedState::kFailed:
      return false;
  }
  return false;
}

Duration OperationPlanner::jitter(Duration interval) {
  auto span = static_cast<std::uint64_t>(interval.count() / options_.jitter_divisor);
  return Duration(static_cast<Duration::rep>(uniform_below(rng_, span + 1)));
}

void OperationPlanner::finished(std::uint64_t id, std::optional<ObservedState> reported,
                                Instant now) {
  auto run = running_.find(id);
  TANDEM_ASSERT(run != running_.end(), "finished() with an id that is not running");
  Resource& resource = resources_.at(run->second.resource);
  resource.running.reset();
  if (reported) resource.state = reported;
  if (!resource.state) {
    running_.erase(run);
    return;
  }
  const ObservedState state = *resource.state;
  for (std::size_t i = 0; i < resource.monitors.size(); ++i) {
    Monitor& monitor = resource.monitors[i];
    if (monitor.cancelled || !monitor_applies(monitor.config, state)) {
      monitor.due.reset();
      continue;
    }
    const Duration interval = monitor.config.interval;
    if (run->second.monitor == i) {
      // Counted from when this run started, so the time the check itself
      // took does not stretch the gap between checks.
      monitor.due = std::max(now, run->second.started + interval - jitter(interval));
    } else if (!monitor.due) {
      // Newly in this role: check soon, spread out by the jitter.
      monitor.due = now + jitter(interval);
    }
  }
  running_.erase(run);
}

std::optional<ObservedState> OperationPlanner::state_of(const std::string& resource) const {
  auto it = resources_.find(resource);
  return it == resources_.end() ? std::nullopt : it->second.state;
}

std::optional<Instant> OperationPlanner::next_wakeup(Instant now) const {
  std::optional<Instant> wake;
  auto consider = [&](Instant t) {
    if (!wake || t < *wake) wake = t;
  };
  for (const auto& [id, run] : running_) consider(run.deadline);
  const bool slot_free = running_.size() < options_.max_parallel;
  for (const auto& [name, resource] : resources_) {
    if (resource.running || !slot_free) continue;
    if (!resource.queue.empty()) consider(now);
    for (const Monitor& monitor : resource.monitors) {
      if (monitor.due) consider(std::max(*monitor.due, now));
    }
  }
  return wake;
}

std::size_t OperationPlanner::queued(const std::string& resource) const {
  auto it = resources_.find(resource);
  return it == resources_.end() ? 0 : it->second.queue.size();
}

}  // namespace tandem::executor
