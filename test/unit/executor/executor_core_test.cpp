#include "sidecar/executor/executor_core.h"

#include <gtest/gtest.h>

#include "test/unit/support.h"

namespace tandem::executor {
namespace {

using namespace std::chrono_literals;

Instant at(Duration d) {
  return Instant(d);
}

model::HAResource web() {
  model::Manifests manifests = testing::normalized(R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: web}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
  operations:
    - {name: start, timeout: 40s}
    - {name: monitor, interval: 10s, timeout: 15s}
    - {name: monitor, interval: 20s}
  meta: {failureTimeout: 60s}
)");
  return manifests.resources.at(0);
}

OperationResult rc(int code) {
  OperationResult result;
  result.rc = code;
  return result;
}

TEST(OperationTimeouts, come_from_the_manifest_then_the_agent_then_twenty_seconds) {
  model::HAResource resource = web();
  std::map<Action, Duration> advised{{Action::kStop, 25s}, {Action::kPromote, 9s}};
  EXPECT_EQ(timeout_for(resource, Action::kStart, 0s, advised), 40s);
  EXPECT_EQ(timeout_for(resource, Action::kMonitor, 10s, advised), 15s);
  // normalize() filled the second monitor from the operation defaults.
  EXPECT_EQ(timeout_for(resource, Action::kMonitor, 20s, advised), 20s);
  EXPECT_EQ(timeout_for(resource, Action::kMonitor, 0s, advised), 15s)
      << "a probe uses a monitor's";
  EXPECT_EQ(timeout_for(resource, Action::kStop, 0s, advised), 25s);
  EXPECT_EQ(timeout_for(resource, Action::kReload, 0s, advised), 20s);
}

TEST(ExecutorCore, probes_every_resource_and_monitors_what_runs) {
  SplitMix64 rng(1);
  ExecutorCore core({}, rng);
  ASSERT_TRUE(core.add(web()));
  core.probe_all(at(0s));
  auto probes = core.dispatch(at(0s));
  ASSERT_EQ(probes.size(), 1u);
  EXPECT_TRUE(probes[0].request.is_probe());
  Completion done = core.complete(probes[0], rc(0), at(1s));
  EXPECT_EQ(done.verdict.state, ObservedState::kRunning);
  EXPECT_EQ(core.state_of("web"), ObservedState::kRunning);
  auto monitors = core.dispatch(at(3s));
  ASSERT_EQ(monitors.size(), 1u) << "one operation at a time, even with two monitors due";
  EXPECT_EQ(monitors[0].request.action, Action::kMonitor);
}

TEST(ExecutorCore, counts_failures_and_forgets_them_after_the_failure_timeout) {
  SplitMix64 rng(1);
  ExecutorCore core({}, rng);
  ASSERT_TRUE(core.add(web()));
  ASSERT_TRUE(core.request("web", Action::kStart, at(0s)));
  auto start = core.dispatch(at(0s));
  ASSERT_EQ(start.at(0).request.timeout, 40s);
  Completion done = core.complete(start[0], rc(1), at(1s));
  EXPECT_EQ(done.verdict.failure, FailureScope::kSoft);
  EXPECT_EQ(done.fail_count, 1);
  EXPECT_EQ(core.fail_count(FailKey{"web", Action::kStart, 0s}), 1);
  EXPECT_TRUE(core.expire_failures(at(60s)).empty());
  EXPECT_EQ(core.expire_failures(at(61s)), std::vector<std::string>{"web"});
  EXPECT_EQ(core.fail_count("web"), 0);
}

TEST(ExecutorCore, a_probe_that_finds_nothing_is_not_a_failure) {
  SplitMix64 rng(1);
  ExecutorCore core({}, rng);
  ASSERT_TRUE(core.add(web()));
  core.probe_all(at(0s));
  Completion done = core.complete(core.dispatch(at(0s)).at(0), rc(7), at(0s));
  EXPECT_EQ(done.verdict.state, ObservedState::kStopped);
  EXPECT_EQ(done.fail_count, 0);
  EXPECT_FALSE(core.next_wakeup(at(0s))) << "nothing to monitor while stopped";
}

TEST(ExecutorCore, refuses_a_second_resource_of_one_name) {
  SplitMix64 rng(1);
  ExecutorCore core({}, rng);
  ASSERT_TRUE(core.add(web()));
  EXPECT_EQ(core.add(web()).error().message, "resource \"web\" is already known");
  EXPECT_EQ(core.request("db", Action::kStart, at(0s)).error().message,
            "no resource \"db\" on this node");
}

}  // namespace
}  // namespace tandem::executor
