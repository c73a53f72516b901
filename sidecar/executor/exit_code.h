#pragma once

// The OCF exit codes with Pacemaker's meaning, and what Tandem concludes from
// an operation's result: the state of the resource, and how far a failure
// reaches (this resource here, this node, or the whole cluster).

#include <string>
#include <string_view>

#include "sidecar/executor/operation.h"

namespace tandem::executor {

namespace ocf {
inline constexpr int kSuccess = 0;
inline constexpr int kErrGeneric = 1;
inline constexpr int kErrArgs = 2;
inline constexpr int kErrUnimplemented = 3;
inline constexpr int kErrPerm = 4;
inline constexpr int kErrInstalled = 5;
inline constexpr int kErrConfigured = 6;
inline constexpr int kNotRunning = 7;
inline constexpr int kRunningPromoted = 8;
inline constexpr int kFailedPromoted = 9;
inline constexpr int kDegraded = 190;
inline constexpr int kDegradedPromoted = 191;
}  // namespace ocf

// "OCF_NOT_RUNNING"; "OCF_UNKNOWN_EXIT_CODE" for codes the API does not define.
std::string_view exit_code_name(int rc);
// "not running"; "unknown exit code" for codes the API does not define.
std::string_view exit_code_meaning(int rc);

// What the resource is after the operation, as far as the result tells.
enum class ObservedState {
  kStopped,
  kRunning,  // started, or unpromoted for promotable resources
  kPromoted,
  kFailed,  // running in a broken way, or unknown after a failure
};
std::string_view to_string(ObservedState state);

// Pacemaker's classes of failure.
enum class FailureScope {
  kNone,
  kSoft,   // recover the resource where it is (stop, then start again)
  kHard,   // this node cannot run it: move it elsewhere
  kFatal,  // the configuration is wrong: stop it everywhere
};
std::string_view to_string(FailureScope scope);

struct Verdict {
  ObservedState state = ObservedState::kFailed;
  FailureScope failure = FailureScope::kNone;
  // One line for people: "monitor: not running (expected running)".
  std::string summary;
};

Verdict interpret(const OperationRequest& request, const OperationResult& result);

}  // namespace tandem::executor
