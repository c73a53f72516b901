#pragma once

// The execution engine: the pure ExecutorCore decides, this carries out.
// Each dispatched operation runs on a thread of its own (the planner keeps
// their number within max_parallel), and the results come back to the one
// thread that calls run_until(), which is the only one touching the core.

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/core/result.h"
#include "common/model/resource.h"
#include "sidecar/executor/executor_core.h"
#include "sidecar/executor/operation_runner.h"

namespace tandem::executor {

struct EngineConfig {
  PlannerOptions planner;
  RunnerConfig runner;
};

// The agent's suggested timeouts from its meta-data; empty for process and
// systemd resources, and when the agent gives none.
std::map<Action, Duration> advised_timeouts(const model::HAResource& resource,
                                            const OperationRunner& runner, const Clock& clock);

class Engine {
 public:
  Engine(EngineConfig config, const Clock& clock, Rng& rng);
  // Waits for running operations: each has a deadline, so this is bounded.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Result<void> add(const model::HAResource& resource);
  Result<void> request(const std::string& resource, Action action);
  void probe_all();

  // Runs operations and delivers each completion to `on_completion` until
  // the clock reaches `until` or `on_completion` returns true.
  void run_until(Instant until, const std::function<bool(const Completion&)>& on_completion);

  // The node attributes and promotion scores agents have set (through the
  // attribute directory of the runner's configuration).
  Result<std::map<std::string, std::string>> attributes() const;

  const ExecutorCore& core() const { return core_; }
  const OperationRunner& runner() const { return runner_; }

 private:
  struct Finished {
    Dispatch dispatch;
    OperationResult result;
  };
  void launch(Dispatch dispatch);
  void join_finished_threads();

  const Clock& clock_;
  OperationRunner runner_;
  ExecutorCore core_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Finished> finished_;  // guarded by mutex_
  std::map<std::uint64_t, std::thread> threads_;
  std::vector<std::uint64_t> done_threads_;  // guarded by mutex_
};

}  // namespace tandem::executor
