#pragma once

// The node agent: carries out the operator's actions with the executor,
// reports the node's whole state to the operator after every change and at
// least every heartbeat, and self-fences through the QuorumGuard. The loop
// runs on the thread that calls run(); the membership daemon feeds it from
// its own thread through on_membership(); the operator link and the
// operations have threads of their own. The loop never blocks for longer
// than one short wait, so a gap between its turns means the process was
// not running, which the guard treats as a possible eviction.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/core/duration.h"
#include "common/protocol/messages.h"
#include "sidecar/agent/agent_metrics.h"
#include "sidecar/agent/operator_client.h"
#include "sidecar/agent/operator_link.h"
#include "sidecar/agent/quorum_guard.h"
#include "sidecar/agent/watchdog.h"
#include "sidecar/executor/operation_planner.h"
#include "sidecar/executor/operation_runner.h"
#include "sidecar/transport/status.h"

namespace tandem::agent {

struct AgentConfig {
  OperatorEndpoint endpoint;  // its node is this node's name
  GuardConfig guard;
  executor::RunnerConfig runner;
  executor::PlannerOptions planner;
  int poll_wait_ms = 10'000;
  Duration heartbeat{1000};  // the longest time between two reports
  Duration turn{50};         // the longest wait of one loop turn
  // Where finished operations and the self-fencing state go for /metrics;
  // none when null. Outlives the agent.
  AgentMetrics* metrics = nullptr;
};

class Agent {
 public:
  // With `watchdog`, the loop feeds it while it turns and the membership
  // reports (see watchdog.h).
  Agent(AgentConfig config, LogLine log, std::unique_ptr<Watchdog> watchdog = nullptr);

  // From the membership daemon's thread.
  void on_membership(const transport::MembershipStatus& status);
  void on_membership_gone(std::string why);
  // From any thread: leave the loop; resources keep running.
  void request_stop();

  // Runs until request_stop() (returns 0), or until the membership is gone
  // and every resource was stopped or killed (returns 1). Returns 1 at once
  // when the operator's URL is unusable.
  int run();

 private:
  struct Inbox {
    std::vector<transport::MembershipStatus> statuses;
    std::vector<protocol::ActionBatch> batches;
    std::optional<std::string> gone;
    bool woken = false;
    bool stop = false;
  };
  void wake();
  Inbox take(Duration wait);

  AgentConfig config_;
  LogLine log_;
  std::unique_ptr<Watchdog> watchdog_;
  std::mutex mutex_;
  std::condition_variable changed_;
  Inbox inbox_;  // guarded by mutex_
};

}  // namespace tandem::agent
