#include "sidecar/executor/exit_code.h"

#include <array>

namespace tandem::executor {
namespace {

struct ExitCodeInfo {
  int rc;
  std::string_view name;
  std::string_view meaning;
};

constexpr std::array<ExitCodeInfo, 12> kExitCodes{{
    {ocf::kSuccess, "OCF_SUCCESS", "success"},
    {ocf::kErrGeneric, "OCF_ERR_GENERIC", "generic error"},
    {ocf::kErrArgs, "OCF_ERR_ARGS", "invalid arguments"},
    {ocf::kErrUnimplemented, "OCF_ERR_UNIMPLEMENTED", "action not implemented"},
    {ocf::kErrPerm, "OCF_ERR_PERM", "insufficient privileges"},
    {ocf::kErrInstalled, "OCF_ERR_INSTALLED", "not installed"},
    {ocf::kErrConfigured, "OCF_ERR_CONFIGURED", "not configured"},
    {ocf::kNotRunning, "OCF_NOT_RUNNING", "not running"},
    {ocf::kRunningPromoted, "OCF_RUNNING_PROMOTED", "running promoted"},
    {ocf::kFailedPromoted, "OCF_FAILED_PROMOTED", "failed promoted"},
    {ocf::kDegraded, "OCF_DEGRADED", "running degraded"},
    {ocf::kDegradedPromoted, "OCF_DEGRADED_PROMOTED", "running promoted, degraded"},
}};

const ExitCodeInfo* find(int rc) {
  for (const auto& info : kExitCodes) {
    if (info.rc == rc) return &info;
  }
  return nullptr;
}

std::string describe(const OperationRequest& request, std::string_view what) {
  std::string text(request.is_probe() ? "probe" : action_name(request.action));
  text += ": ";
  text += what;
  return text;
}

Verdict failed(const OperationRequest& request, ObservedState state, FailureScope scope,
               std::string_view what) {
  return Verdict{state, scope, describe(request, what)};
}

}  // namespace

std::string_view exit_code_name(int rc) {
  const ExitCodeInfo* info = find(rc);
  return info != nullptr ? info->name : "OCF_UNKNOWN_EXIT_CODE";
}

std::string_view exit_code_meaning(int rc) {
  const ExitCodeInfo* info = find(rc);
  return info != nullptr ? info->meaning : "unknown exit code";
}

std::string_view to_string(ObservedState state) {
  switch (state) {
    case ObservedState::kStopped:
      return "stopped";
    case ObservedState::kRunning:
      return "running";
    case ObservedState::kPromoted:
      return "promoted";
    case ObservedState::kFailed:
      return "failed";
  }
  return "?";
}

std::string_view to_string(FailureScope scope) {
  switch (scope) {
    case FailureScope::kNone:
      return "none";
    case FailureScope::kSoft:
      return "recover here";
    case FailureScope::kHard:
      return "ban from this node";
    case FailureScope::kFatal:
      return "stop everywhere";
  }
  return "?";
}

Verdict interpret(const OperationRequest& request, const OperationResult& result) {
  const Action action = request.action;
  if (result.status == ExecStatus::kTimedOut) {
    // Nobody knows what a killed agent left behind; a stop that timed out
    // leaves the resource possibly still running.
    return failed(request, ObservedState::kFailed, FailureScope::kSoft, "timed out");
  }
  if (result.status == ExecStatus::kKilled) {
    return failed(request, ObservedState::kFailed, FailureScope::kSoft, "killed by a signal");
  }
  const int rc = result.rc;
  // Which state success leaves the resource in.
  auto success_state = [&]() {
    switch (action) {
      case Action::kStop:
      case Action::kMigrateTo:
        return ObservedState::kStopped;
      case Action::kPromote:
        return ObservedState::kPromoted;
      default:
        return ObservedState::kRunning;
    }
  };
  const bool informational = action == Action::kMetaData || action == Action::kValidateAll;
  switch (rc) {
    case ocf::kSuccess:
      if (informational) return Verdict{ObservedState::kStopped, FailureScope::kNone, "ok"};
      return Verdict{success_state(), FailureScope::kNone,
                     describe(request, action == Action::kMonitor ? "running" : "ok")};
    case ocf::kDegraded:
      return Verdict{ObservedState::kRunning, FailureScope::kNone,
                     describe(request, "running degraded")};
    case ocf::kDegradedPromoted:
      return Verdict{ObservedState::kPromoted, FailureScope::kNone,
                     describe(request, "running promoted, degraded")};
    case ocf::kNotRunning:
      // The OCF API requires stop to succeed on a stopped resource; agents that
      // answer "not running" mean the same. A probe that finds nothing running
      // is the normal answer. A monitor while the resource should run means it
      // died: recover it here.
      if (action == Action::kStop) {
        return Verdict{ObservedState::kStopped, FailureScope::kNone,
                       describe(request, "already stopped")};
      }
      if (request.is_probe()) {
        return Verdict{ObservedState::kStopped, FailureScope::kNone,
                       describe(request, "not running")};
      }
      if (action == Action::kMonitor) {
        return failed(request, ObservedState::kStopped, FailureScope::kSoft,
                      "not running (expected running)");
      }
      return failed(request, ObservedState::kStopped, FailureScope::kSoft, "not running");
    case ocf::kRunningPromoted:
      if (action == Action::kMonitor || action == Action::kPromote) {
        return Verdict{ObservedState::kPromoted, FailureScope::kNone,
                       describe(request, "running promoted")};
      }
      return failed(request, ObservedState::kPromoted, FailureScope::kSoft,
                    "unexpectedly running promoted");
    case ocf::kFailedPromoted:
      return failed(request, ObservedState::kFailed, FailureScope::kSoft, "failed promoted");
    case ocf::kErrInstalled:
      // A probe on a node without the software means the resource cannot run
      // there, not that something broke.
      if (request.is_probe()) {
        return failed(request, ObservedState::kStopped, FailureScope::kHard,
                      "not installed on this node");
      }
      return failed(request, ObservedState::kFailed, FailureScope::kHard, "not installed");
    case ocf::kErrArgs:
    case ocf::kErrUnimplemented:
    case ocf::kErrPerm:
      return failed(request, ObservedState::kFailed, FailureScope::kHard, exit_code_meaning(rc));
    case ocf::kErrConfigured:
      return failed(request, ObservedState::kFailed, FailureScope::kFatal, "not configured");
    case ocf::kErrGeneric:
      return failed(request, ObservedState::kFailed, FailureScope::kSoft, "generic error");
    default:
      return failed(request, ObservedState::kFailed, FailureScope::kSoft,
                    "unknown exit code " + std::to_string(rc));
  }
}

}  // namespace tandem::executor
