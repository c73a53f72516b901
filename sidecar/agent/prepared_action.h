#pragma once

// Turns an ActionRequest from the operator into what the executor runs:
// the resource's manifest (decoded, validated and normalized from the YAML
// the action carries), the clone instance, the operation with its timeout,
// and a notification's details. Anything that cannot run becomes a
// rejection with the status and exit code to report. Pure.

#include <optional>
#include <string>

#include <tl/expected.hpp>

#include "common/model/resource.h"
#include "common/protocol/messages.h"
#include "sidecar/agent/op_history.h"
#include "sidecar/executor/agent_environment.h"
#include "sidecar/executor/operation.h"

namespace tandem::agent {

struct PreparedAction {
  std::string instance;  // "db", or "db:1" for a globally unique clone
  model::HAResource resource;
  std::optional<int> clone_instance;
  executor::OperationRequest request;
  std::optional<executor::Notification> notification;
};

struct Rejection {
  std::string status;  // "not_supported", "error"
  int rc = 0;
  std::string reason;
};

tl::expected<PreparedAction, Rejection> prepare_action(const protocol::ActionRequest& action);

// The exit code that means success for this operation, as Pacemaker's
// target rc: 7 for a probe, 8 for a monitor of the promoted role, else 0.
int expected_rc(const executor::OperationRequest& request);

AgentIdentity identity_of(const model::HAResource& resource);

// "start", "monitor", ... as the protocol spells tasks.
std::string task_name(executor::Action action);

// Why an action the operator planned in ring `planned` must not run on a
// node now in ring `current` (the membership changed since: the answer may
// have been held up across a partition); none when it may run (the same
// ring, or an operator that names none).
std::optional<std::string> stale_ring(const std::string& planned, const std::string& current);

}  // namespace tandem::agent
