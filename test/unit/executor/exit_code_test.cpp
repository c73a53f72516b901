#include "sidecar/executor/exit_code.h"

#include <gtest/gtest.h>

namespace tandem::executor {
namespace {

using namespace std::chrono_literals;

OperationRequest op(Action action, Duration interval = 0ms) {
  return OperationRequest{action, interval, 20s, std::nullopt};
}

OperationResult rc(int code) {
  OperationResult result;
  result.rc = code;
  return result;
}

struct Row {
  OperationRequest request;
  int rc;
  ObservedState state;
  FailureScope failure;
};

// Pacemaker's meaning of each OCF exit code, action by action.
TEST(ExitCodes, the_mapping_table_matches_pacemaker) {
  const OperationRequest start = op(Action::kStart);
  const OperationRequest stop = op(Action::kStop);
  const OperationRequest probe = op(Action::kMonitor);
  const OperationRequest monitor = op(Action::kMonitor, 10s);
  const OperationRequest promote = op(Action::kPromote);
  const OperationRequest demote = op(Action::kDemote);
  const Row table[] = {
      {start, 0, ObservedState::kRunning, FailureScope::kNone},
      {stop, 0, ObservedState::kStopped, FailureScope::kNone},
      {promote, 0, ObservedState::kPromoted, FailureScope::kNone},
      {demote, 0, ObservedState::kRunning, FailureScope::kNone},
      {monitor, 0, ObservedState::kRunning, FailureScope::kNone},
      {probe, 0, ObservedState::kRunning, FailureScope::kNone},
      {start, 1, ObservedState::kFailed, FailureScope::kSoft},
      {monitor, 1, ObservedState::kFailed, FailureScope::kSoft},
      {start, 2, ObservedState::kFailed, FailureScope::kHard},
      {start, 3, ObservedState::kFailed, FailureScope::kHard},
      {start, 4, ObservedState::kFailed, FailureScope::kHard},
      {start, 5, ObservedState::kFailed, FailureScope::kHard},
      {probe, 5, ObservedState::kStopped, FailureScope::kHard},
      {start, 6, ObservedState::kFailed, FailureScope::kFatal},
      {monitor, 6, ObservedState::kFailed, FailureScope::kFatal},
      {probe, 7, ObservedState::kStopped, FailureScope::kNone},
      {monitor, 7, ObservedState::kStopped, FailureScope::kSoft},
      {stop, 7, ObservedState::kStopped, FailureScope::kNone},
      {start, 7, ObservedState::kStopped, FailureScope::kSoft},
      {monitor, 8, ObservedState::kPromoted, FailureScope::kNone},
      {probe, 8, ObservedState::kPromoted, FailureScope::kNone},
      {start, 8, ObservedState::kPromoted, FailureScope::kSoft},
      {monitor, 9, ObservedState::kFailed, FailureScope::kSoft},
      {monitor, 190, ObservedState::kRunning, FailureScope::kNone},
      {monitor, 191, ObservedState::kPromoted, FailureScope::kNone},
      {monitor, 42, ObservedState::kFailed, FailureScope::kSoft},
  };
  for (const Row& row : table) {
    Verdict verdict = interpret(row.request, rc(row.rc));
    EXPECT_EQ(verdict.state, row.state)
        << action_name(row.request.action) << " interval " << row.request.interval.count() << " rc "
        << row.rc << ": " << verdict.summary;
    EXPECT_EQ(verdict.failure, row.failure)
        << action_name(row.request.action) << " interval " << row.request.interval.count() << " rc "
        << row.rc << ": " << verdict.summary;
  }
}

TEST(ExitCodes, seven_means_not_running) {
  EXPECT_EQ(exit_code_name(7), "OCF_NOT_RUNNING");
  EXPECT_EQ(exit_code_meaning(7), "not running");
}

TEST(ExitCodes, every_code_of_the_api_has_a_name_and_a_meaning) {
  for (int code : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 190, 191}) {
    EXPECT_NE(exit_code_name(code), "OCF_UNKNOWN_EXIT_CODE") << code;
    EXPECT_NE(exit_code_meaning(code), "unknown exit code") << code;
  }
  EXPECT_EQ(exit_code_name(5), "OCF_ERR_INSTALLED");
  EXPECT_EQ(exit_code_name(8), "OCF_RUNNING_PROMOTED");
  EXPECT_EQ(exit_code_name(127), "OCF_UNKNOWN_EXIT_CODE");
}

TEST(ExitCodes, a_timeout_is_a_soft_failure_whatever_the_rc) {
  OperationResult result = rc(0);
  result.status = ExecStatus::kTimedOut;
  Verdict verdict = interpret(op(Action::kStart), result);
  EXPECT_EQ(verdict.state, ObservedState::kFailed);
  EXPECT_EQ(verdict.failure, FailureScope::kSoft);
  EXPECT_EQ(verdict.summary, "start: timed out");
}

TEST(ExitCodes, a_monitor_that_finds_nothing_says_it_expected_the_resource_running) {
  EXPECT_EQ(interpret(op(Action::kMonitor, 5s), rc(7)).summary,
            "monitor: not running (expected running)");
  EXPECT_EQ(interpret(op(Action::kMonitor), rc(7)).summary, "probe: not running");
}

}  // namespace
}  // namespace tandem::executor
