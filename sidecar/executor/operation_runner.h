#pragma once

// Carries out one operation on this node, whatever the agent class, and
// always returns a result: a missing agent, a failed fork or a timeout are
// results too (with the exit code Pacemaker would give them), never a crash.

#include <cstddef>
#include <string>

#include "common/model/fence_device.h"
#include "common/model/resource.h"
#include "sidecar/executor/agent_environment.h"
#include "sidecar/executor/child_process.h"
#include "sidecar/executor/operation.h"
#include "sidecar/executor/output_tail.h"
#include "sidecar/executor/time.h"

namespace tandem::executor {

struct RunnerConfig {
  NodeContext node;
  // Where supervised processes keep their pid and log files
  // (STATE_DIR/processes).
  std::string state_dir = "/run/tandem";
  std::size_t output_limit = kDefaultOutputLimit;
  // The systemd class works only where systemd runs; tests point this
  // elsewhere to see the error.
  std::string systemd_marker = "/run/systemd/system";
  std::string systemctl = "/usr/bin/systemctl";
  std::string fence_agent_dir{model::kFenceAgentDir};
};

class OperationRunner {
 public:
  OperationRunner(RunnerConfig config, const Clock& clock);

  // Blocks until the operation is over or `deadline` passes.
  OperationResult run(const model::HAResource& resource, const AgentInvocation& invocation,
                      Instant deadline) const;

  const RunnerConfig& config() const { return config_; }

 private:
  OperationResult run_ocf(const model::HAResource& resource, const AgentInvocation& invocation,
                          Instant deadline) const;
  OperationResult run_fence(const model::HAResource& resource, const OperationRequest& request,
                            Instant deadline) const;
  OperationResult run_systemd(const model::SystemdAgent& agent, const OperationRequest& request,
                              Instant deadline) const;

  RunnerConfig config_;
  const Clock& clock_;
};

// Runs a program to completion with a deadline: the shared core of OCF and
// systemctl calls. On the deadline the whole process group is killed;
// `timeout` is only for the message that says so.
OperationResult run_to_completion(const SpawnSpec& spec, Duration timeout, Instant deadline,
                                  const Clock& clock, std::size_t output_limit);

// The OCF exit code for a program that could not be started: not installed
// when it does not exist, insufficient privileges when it may not be run.
int exit_code_for_spawn_error(int error);

}  // namespace tandem::executor
