#pragma once

// Runs the node's resource instances for the agent: the executor's pure
// OperationPlanner decides what runs when (one operation per instance at a
// time, a bounded number in parallel, recurring monitors while the instance
// is in their role), each operation runs on a thread of its own through the
// OperationRunner, and the results come back to the one thread that calls
// collect(), the only one touching the planner. Unlike the executor's
// Engine it takes each operation with its own timeout, clone instance and
// notification, as the operator's actions carry them, and it keeps its own
// queue in front of the planner so that queued work can be withdrawn when
// the node must self-fence.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/core/result.h"
#include "common/model/resource.h"
#include "common/protocol/messages.h"
#include "sidecar/executor/agent_environment.h"
#include "sidecar/executor/exit_code.h"
#include "sidecar/executor/fail_counts.h"
#include "sidecar/executor/operation_planner.h"
#include "sidecar/executor/operation_runner.h"
#include "sidecar/executor/process_supervisor.h"

namespace tandem::agent {

using executor::Instant;

struct Job {
  std::optional<std::string> action_id;  // the operator's action it carries out
  std::string digest;
  executor::OperationRequest request;
  std::optional<executor::Notification> notification;
  bool fence_stop = false;  // ordered by self-fencing, not by the operator
};

struct JobDone {
  std::string instance;
  Job job;  // for recurring monitors the planner started: no action id
  executor::OperationResult result;
  executor::Verdict verdict;
  int fail_count = 0;  // the instance's total after this result
};

class ResourceExecutor {
 public:
  static constexpr std::size_t kMaxInstances = 4096;
  static constexpr std::size_t kMaxQueued = 64;

  // `wake` is called from operation threads when a result is ready.
  ResourceExecutor(executor::PlannerOptions planner, executor::RunnerConfig runner,
                   const executor::Clock& clock, executor::Rng& rng, std::function<void()> wake);
  // Waits for running operations: each has a deadline, so this is bounded.
  ~ResourceExecutor();
  ResourceExecutor(const ResourceExecutor&) = delete;
  ResourceExecutor& operator=(const ResourceExecutor&) = delete;

  // Defines an instance, or redefines it for the operations that start
  // from now on (recurring monitors stay those of the first definition).
  Result<void> define(const std::string& instance, model::HAResource resource,
                      std::optional<int> clone_instance);
  const model::HAResource* find(const std::string& instance) const;
  std::vector<std::string> instances() const;

  // Fails when the instance already has kMaxQueued jobs waiting: a flood,
  // refused rather than queued without end.
  Result<void> submit(const std::string& instance, Job job);
  // Withdraws the queued jobs (not yet running) that `drop` picks.
  std::vector<Job> withdraw(const std::string& instance,
                            const std::function<bool(const Job&)>& drop);

  // Hands queued jobs to the planner and starts what it allows.
  void dispatch(Instant now);
  // The results that arrived since the last call.
  std::vector<JobDone> collect(Instant now);

  // Instances that may be running: everything not known to be stopped.
  std::set<std::string> maybe_active() const;
  std::vector<protocol::FailCountReport> fail_counts() const;
  // An operator's cleanup: forgets the instance's failures.
  void clear_failures(const std::string& instance);
  // An operator's cancel: the instance's recurring monitor with this
  // interval stops until a monitor with it is submitted again.
  Result<void> cancel_monitor(const std::string& instance, Duration interval);
  // Kills the instance's processes; a line for the log.
  std::string kill(const std::string& instance);

  const executor::RunnerConfig& runner_config() const { return runner_.config(); }

 private:
  struct Instance {
    std::shared_ptr<const model::HAResource> resource;
    std::optional<int> clone_instance;
    std::deque<Job> queue;  // not yet handed to the planner
    bool handed = false;    // a job is with the planner or running
  };
  struct Finished {
    executor::Dispatch dispatch;
    executor::OperationResult result;
  };
  void launch(executor::Dispatch dispatch);
  // Supervised processes are children of this process once their start
  // is over; one that exits (crashed, or stopped while the stop was not
  // looking) would stay a zombie. Reaps those, and only those.
  void remember_supervised(const std::string& instance);
  void reap_supervised();

  const executor::Clock& clock_;
  executor::OperationRunner runner_;
  executor::OperationPlanner planner_;
  executor::FailCounts fail_counts_;
  std::map<executor::FailKey, std::int64_t> last_failure_unix_;
  std::function<void()> wake_;
  std::map<std::string, Instance> instances_;
  std::map<std::uint64_t, Job> handed_jobs_;  // by planner id
  std::map<std::uint64_t, std::string> dispatched_instance_;
  std::map<std::string, executor::ProcessRecord> supervised_;  // by instance

  std::mutex mutex_;
  std::vector<Finished> finished_;  // guarded by mutex_
  std::map<std::uint64_t, std::thread> threads_;
};

}  // namespace tandem::agent
