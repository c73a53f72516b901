#pragma once

// One operation as the engine asks for it, and what came of it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "common/core/duration.h"
#include "common/model/enums.h"
#include "sidecar/executor/action.h"

namespace tandem::executor {

struct OperationRequest {
  Action action = Action::kMonitor;
  Duration interval{0};  // non-zero only for recurring monitors
  Duration timeout{0};
  // The role a monitor checks (OCF_RESKEY_CRM_meta_role), if the manifest
  // defined it for one role.
  std::optional<model::Role> role;

  // A probe is a one-off monitor that asks what already runs.
  bool is_probe() const { return action == Action::kMonitor && interval == Duration::zero(); }
};

// How the operation ended, apart from the agent's exit code.
enum class ExecStatus {
  kDone,      // the agent ran and exited; rc is its exit code
  kTimedOut,  // the timeout ran out and the process group was killed
  kKilled,    // the agent died from a signal nobody sent on purpose
};

struct OperationResult {
  ExecStatus status = ExecStatus::kDone;
  int rc = 0;  // the OCF exit code (mapped for process and systemd resources)
  Duration duration{0};
  // The last bytes the agent wrote to stdout and stderr, bounded.
  std::string output;
  std::size_t output_bytes = 0;  // everything written, not only what was kept
  // The agent's own explanation (lines starting "ocf-exit-reason:") or ours.
  std::string exit_reason;
};

}  // namespace tandem::executor
