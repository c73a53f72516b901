#pragma once

// Which operation runs next, and when: at most one operation at a time per
// resource, at most `max_parallel` at a time in all; requested operations in
// the order they were asked for, ahead of recurring monitors; recurring
// monitors at their intervals, each run a random jitter early so that
// monitors of many resources spread out and no check is ever later than its
// interval. Pure: time and randomness come in as arguments.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/model/enums.h"
#include "sidecar/executor/exit_code.h"
#include "sidecar/executor/operation.h"
#include "sidecar/executor/rng.h"
#include "sidecar/executor/time.h"

namespace tandem::executor {

struct RecurringMonitor {
  Duration interval{0};
  Duration timeout{0};
  // unset: runs while the resource is started or unpromoted.
  std::optional<model::Role> role;
};

struct Dispatch {
  std::uint64_t id = 0;
  std::string resource;
  OperationRequest request;
  Instant deadline{};  // when the adapter must kill it and report a timeout
};

struct PlannerOptions {
  std::size_t max_parallel = 4;
  // Requested operations a resource may have waiting; more is a caller bug
  // or a flood, and is refused rather than queued without end.
  std::size_t max_queued_per_resource = 32;
  // Each monitor run starts up to interval / jitter_divisor early.
  std::int64_t jitter_divisor = 10;
};

class OperationPlanner {
 public:
  OperationPlanner(PlannerOptions options, Rng& rng);

  // Monitors with a zero interval are ignored (they are probes, run on
  // request). Fails when the resource is already known.
  Result<void> add_resource(const std::string& resource, std::vector<RecurringMonitor> monitors);
  bool knows(const std::string& resource) const { return resources_.contains(resource); }

  // Queues a one-off operation; returns its id. A recurring monitor asked
  // for (a monitor with an interval) that was cancelled runs at its
  // interval again after this run.
  Result<std::uint64_t> request(const std::string& resource, const OperationRequest& request,
                                Instant now);

  // Stops the resource's recurring monitor with this interval until it is
  // asked for again, as Pacemaker's cancel does (maintenance). A run of it
  // in progress finishes but is not followed by another. Fails when the
  // resource has no such monitor.
  Result<void> cancel(const std::string& resource, Duration interval);

  // The operations to start now, removed from the queues; each must be
  // followed by finished() with its id.
  std::vector<Dispatch> dispatch(Instant now);

  // The operation is over and left the resource in `state` (unset: it says
  // nothing about the resource, like meta-data): recurring monitors follow
  // the state (those for its role run, the others stop).
  void finished(std::uint64_t id, std::optional<ObservedState> state, Instant now);

  // What the planner believes, from the last finished operation.
  std::optional<ObservedState> state_of(const std::string& resource) const;

  // The earliest moment dispatch() could return something or an operation
  // runs past its deadline; unset when only a finished() can change that.
  std::optional<Instant> next_wakeup(Instant now) const;

  std::size_t running() const { return running_.size(); }
  std::size_t queued(const std::string& resource) const;

 private:
  struct Monitor {
    RecurringMonitor config;
    std::optional<Instant> due;  // unset while the resource is in another role
    bool cancelled = false;
  };
  struct Queued {
    std::uint64_t id;
    OperationRequest request;
    Instant since;
  };
  struct Resource {
    std::vector<Monitor> monitors;
    std::deque<Queued> queue;
    std::optional<std::uint64_t> running;
    std::optional<ObservedState> state;
  };
  struct Running {
    std::string resource;
    std::optional<std::size_t> monitor;  // index when it is a recurring monitor
    Instant started{};
    Instant deadline{};
  };

  bool monitor_applies(const RecurringMonitor& monitor, ObservedState state) const;
  Duration jitter(Duration interval);

  PlannerOptions options_;
  Rng& rng_;
  std::map<std::string, Resource> resources_;
  std::map<std::uint64_t, Running> running_;
  std::uint64_t next_id_ = 1;
};

}  // namespace tandem::executor
