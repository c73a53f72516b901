#pragma once

// The executor's pure core: the node's resources, what runs next (through
// the OperationPlanner), what each result means (interpret()), and the
// fail-counts. The engine feeds it the clock and the results of the
// operations it carried out; nothing here does I/O.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/model/resource.h"
#include "sidecar/executor/exit_code.h"
#include "sidecar/executor/fail_counts.h"
#include "sidecar/executor/operation_planner.h"

namespace tandem::executor {

// Pacemaker's default operation timeout, used when neither the manifest nor
// the agent's meta-data names one.
inline constexpr Duration kDefaultOperationTimeout = std::chrono::seconds(20);

// The timeout of an action: the manifest's operation with that name and
// interval, else with that name, else the agent's advice, else 20s.
Duration timeout_for(const model::HAResource& resource, Action action, Duration interval,
                     const std::map<Action, Duration>& advised);

// The recurring monitors a resource's manifest defines.
std::vector<RecurringMonitor> recurring_monitors(const model::HAResource& resource,
                                                 const std::map<Action, Duration>& advised);

struct Completion {
  std::string resource;
  OperationRequest request;
  Instant started{};
  OperationResult result;
  Verdict verdict;
  int fail_count = 0;  // the resource's total after this result
};

class ExecutorCore {
 public:
  ExecutorCore(PlannerOptions options, Rng& rng);

  // `resource` must be validated and normalized. `advised` holds the
  // timeouts from the agent's meta-data, if it has any.
  Result<void> add(const model::HAResource& resource, std::map<Action, Duration> advised = {});
  const model::HAResource* find(const std::string& name) const;

  // Queues an action with the timeout timeout_for() gives it.
  Result<std::uint64_t> request(const std::string& resource, Action action, Instant now);
  // Queues a probe of every resource: what already runs on this node.
  void probe_all(Instant now);

  std::vector<Dispatch> dispatch(Instant now) { return planner_.dispatch(now); }
  Completion complete(const Dispatch& dispatch, OperationResult result, Instant now);

  // Failures older than each resource's failure-timeout are forgotten;
  // returns the resources whose count went back to zero.
  std::vector<std::string> expire_failures(Instant now);
  int fail_count(const std::string& resource) const { return fail_counts_.count(resource); }
  int fail_count(const FailKey& key) const { return fail_counts_.count(key); }

  std::optional<ObservedState> state_of(const std::string& resource) const {
    return planner_.state_of(resource);
  }
  std::optional<Instant> next_wakeup(Instant now) const { return planner_.next_wakeup(now); }
  std::size_t running() const { return planner_.running(); }

 private:
  struct Entry {
    model::HAResource resource;
    std::map<Action, Duration> advised;
  };
  OperationPlanner planner_;
  FailCounts fail_counts_;
  std::map<std::string, Entry> resources_;
};

}  // namespace tandem::executor
