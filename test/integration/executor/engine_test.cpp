// The engine with real processes and agents: recurring monitors catch a
// process killed from outside, a hanging agent is killed at its timeout
// while other resources go on in parallel, and probes after a restart find
// what already runs.

#include "sidecar/executor/engine.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/core/assert.h"
#include "sidecar/executor/operation_runner.h"
#include "test/unit/support.h"

namespace tandem::executor {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A private directory for one test, removed with everything in it; kills the
// process groups recorded there by PID first.
class Scratch {
 public:
  Scratch() {
    std::string pattern = (fs::temp_directory_path() / "tandem-engine-test.XXXXXX").string();
    TANDEM_ASSERT(::mkdtemp(pattern.data()) != nullptr, "mkdtemp failed");
    path_ = pattern;
  }
  ~Scratch() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(path_ / "state" / "processes", ec)) {
      if (entry.path().extension() != ".pid") continue;
      std::ifstream in(entry.path());
      pid_t pid = 0;
      if (in >> pid && pid > 1) ::kill(-pid, SIGKILL);
    }
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

model::HAResource resource(const std::string& yaml) {
  model::Manifests manifests = testing::normalized(yaml);
  EXPECT_EQ(manifests.resources.size(), 1u);
  return manifests.resources.empty() ? model::HAResource{} : manifests.resources.front();
}

EngineConfig config_in(const Scratch& scratch) {
  EngineConfig config;
  config.planner.max_parallel = 4;
  config.runner.state_dir = (scratch.path() / "state").string();
  config.runner.node.node_name = "node1";
  config.runner.node.ocf_root = (scratch.path() / "ocf").string();
  config.runner.node.attribute_dir = (scratch.path() / "state" / "attributes").string();
  config.runner.node.agent_bin_dir = TANDEM_AGENT_BIN_DIR;
  fs::create_directories(config.runner.node.attribute_dir);
  return config;
}

pid_t recorded_pid(const Scratch& scratch, const std::string& name) {
  std::ifstream in(scratch.path() / "state" / "processes" / (name + ".pid"));
  pid_t pid = 0;
  in >> pid;
  return pid;
}

const char* kSleeper = R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: sleeper}
spec:
  agent: {process: {command: [/bin/sleep, "1000"]}}
  operations: [{name: monitor, interval: 1s, timeout: 5s}]
)";

TEST(Engine, two_instances_of_a_unique_clone_on_one_node_are_two_supervised_processes) {
  Scratch scratch;
  SteadyClock clock;
  const EngineConfig config = config_in(scratch);
  OperationRunner runner(config.runner, clock);
  const model::HAResource sleeper =
      resource(std::string(kSleeper) + "  clone: {max: 2, nodeMax: 2, globallyUnique: true}\n");
  auto run = [&](Action action, int instance) {
    AgentInvocation invocation{OperationRequest{action, Duration::zero(), 10s, std::nullopt},
                               instance, std::nullopt};
    return runner.run(sleeper, invocation, clock.now() + 10s);
  };
  ASSERT_EQ(run(Action::kStart, 0).rc, 0);
  ASSERT_EQ(run(Action::kStart, 1).rc, 0);
  const pid_t first = recorded_pid(scratch, "sleeper:0");
  const pid_t second = recorded_pid(scratch, "sleeper:1");
  ASSERT_GT(first, 1);
  ASSERT_GT(second, 1);
  EXPECT_NE(first, second);
  // Stopping one leaves the other running.
  ASSERT_EQ(run(Action::kStop, 0).rc, 0);
  EXPECT_EQ(run(Action::kMonitor, 0).rc, 7);
  EXPECT_EQ(run(Action::kMonitor, 1).rc, 0);
  ASSERT_EQ(run(Action::kStop, 1).rc, 0);
}

TEST(Engine, catches_a_process_killed_from_outside_at_its_next_monitor) {
  Scratch scratch;
  SteadyClock clock;
  SplitMix64 rng(1);
  Engine engine(config_in(scratch), clock, rng);
  ASSERT_TRUE(engine.add(resource(kSleeper)));
  ASSERT_TRUE(engine.request("sleeper", Action::kStart));

  int healthy_monitors = 0;
  engine.run_until(clock.now() + 30s, [&](const Completion& c) {
    if (c.request.action == Action::kStart) {
      EXPECT_EQ(c.result.rc, 0) << c.result.exit_reason;
    }
    if (c.request.action == Action::kMonitor && c.result.rc == 0) ++healthy_monitors;
    return healthy_monitors == 2;
  });
  ASSERT_EQ(healthy_monitors, 2) << "the monitor never ran";
  pid_t pid = recorded_pid(scratch, "sleeper");
  ASSERT_GT(pid, 1);

  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  const Instant killed = clock.now();
  std::vector<Completion> after;
  engine.run_until(killed + 30s, [&](const Completion& c) {
    if (c.started >= killed) after.push_back(c);
    return c.verdict.state == ObservedState::kStopped;
  });
  ASSERT_FALSE(after.empty()) << "no monitor ran after the kill";
  // The first monitor that started after the kill saw it: the planner never
  // lets more than one interval pass between two monitor starts.
  const Completion& first = after.front();
  EXPECT_EQ(first.request.action, Action::kMonitor);
  EXPECT_EQ(first.request.interval, 1s);
  EXPECT_EQ(first.result.rc, 7) << first.result.exit_reason;
  EXPECT_EQ(first.verdict.failure, FailureScope::kSoft);
  EXPECT_EQ(first.fail_count, 1);
  EXPECT_EQ(first.result.exit_reason, "the process has exited");
  std::cout << "detected " << (first.started + first.result.duration - killed).count()
            << " ms after the kill (monitor interval 1000 ms)\n";
}

TEST(Engine, kills_a_hanging_agent_at_its_timeout_while_others_go_on) {
  Scratch scratch;
  fs::create_directories(scratch.path() / "ocf" / "resource.d" / "test");
  const fs::path hang = scratch.path() / "ocf" / "resource.d" / "test" / "Hang";
  {
    std::ofstream agent(hang);
    agent << "#!/bin/sh\n"
             "case \"$1\" in meta-data) echo '<resource-agent name=\"Hang\"/>'; exit 0;; esac\n"
             "sleep 1000 & echo $! > \"$OCF_RESKEY_helper\"\n"
             "sleep 1000\n";
  }
  fs::permissions(hang, fs::perms::owner_all);
  const std::string helper = (scratch.path() / "helper.pid").string();
  SteadyClock clock;
  SplitMix64 rng(1);
  Engine engine(config_in(scratch), clock, rng);
  ASSERT_TRUE(engine.add(resource(R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: hang}
spec:
  agent: {ocf: {provider: test, type: Hang}}
  params: {helper: )" + helper + R"(}
  operations: [{name: start, timeout: 2s}]
)")));
  ASSERT_TRUE(engine.add(resource(kSleeper)));
  ASSERT_TRUE(engine.request("hang", Action::kStart));
  ASSERT_TRUE(engine.request("sleeper", Action::kStart));

  std::vector<Completion> seen;
  engine.run_until(clock.now() + 30s, [&](const Completion& c) {
    if (c.request.action == Action::kStart) seen.push_back(c);
    return seen.size() == 2;
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].resource, "sleeper") << "the other resource does not wait for the hang";
  EXPECT_EQ(seen[0].result.rc, 0);
  const Completion& hung = seen[1];
  EXPECT_EQ(hung.resource, "hang");
  EXPECT_EQ(hung.result.status, ExecStatus::kTimedOut);
  EXPECT_EQ(hung.verdict.summary, "start: timed out");
  EXPECT_EQ(hung.fail_count, 1);
  EXPECT_TRUE(hung.result.exit_reason.ends_with("; killed its process group"))
      << hung.result.exit_reason;

  std::ifstream in(helper);
  pid_t helper_pid = 0;
  ASSERT_TRUE(in >> helper_pid) << "the agent did not start its helper";
  // Dead, or a zombie waiting for init to reap it: not running either way.
  // SIGKILL is delivered asynchronously, so give a loaded machine a moment
  // (bounded) before calling it a survivor.
  for (int i = 0; i < 100 && process_alive(helper_pid); ++i) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_FALSE(process_alive(helper_pid)) << "the helper survived its group's kill";
  if (process_alive(helper_pid)) ::kill(helper_pid, SIGKILL);
}

TEST(Engine, a_restarted_sidecar_finds_the_running_process_and_starts_no_second_copy) {
  Scratch scratch;
  SteadyClock clock;
  pid_t first_pid = 0;
  {
    SplitMix64 rng(1);
    Engine engine(config_in(scratch), clock, rng);
    ASSERT_TRUE(engine.add(resource(kSleeper)));
    ASSERT_TRUE(engine.request("sleeper", Action::kStart));
    engine.run_until(clock.now() + 10s,
                     [](const Completion& c) { return c.request.action == Action::kStart; });
    first_pid = recorded_pid(scratch, "sleeper");
    ASSERT_TRUE(process_alive(first_pid));
  }
  // A new engine, as after a sidecar restart: the probe finds it running.
  SplitMix64 rng(2);
  Engine engine(config_in(scratch), clock, rng);
  ASSERT_TRUE(engine.add(resource(kSleeper)));
  engine.probe_all();
  ASSERT_TRUE(engine.request("sleeper", Action::kStart));
  std::vector<Completion> seen;
  engine.run_until(clock.now() + 10s, [&](const Completion& c) {
    seen.push_back(c);
    return c.request.action == Action::kStart;
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(seen[0].request.is_probe());
  EXPECT_EQ(seen[0].result.rc, 0);
  EXPECT_EQ(seen[0].verdict.state, ObservedState::kRunning);
  EXPECT_EQ(seen[1].result.rc, 0);
  EXPECT_EQ(seen[1].result.exit_reason, "already running as pid " + std::to_string(first_pid));
  EXPECT_EQ(recorded_pid(scratch, "sleeper"), first_pid);
}

TEST(Engine, hands_a_promotion_score_from_an_unmodified_agent_to_the_sidecar) {
  if (!fs::exists("/usr/lib/ocf/resource.d/pacemaker/Stateful")) {
    GTEST_SKIP() << "pacemaker:Stateful is not installed; run scripts/bootstrap";
  }
  Scratch scratch;
  EngineConfig config = config_in(scratch);
  config.runner.node.ocf_root = "/usr/lib/ocf";
  SteadyClock clock;
  SplitMix64 rng(1);
  Engine engine(config, clock, rng);
  const std::string state = (scratch.path() / "db.state").string();
  ASSERT_TRUE(engine.add(resource(R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: db}
spec:
  agent: {ocf: {provider: pacemaker, type: Stateful}}
  params: {state: )" + state + R"(}
  clone: {promotable: {}}
  operations:
    - {name: monitor, interval: 10s, role: Promoted}
    - {name: monitor, interval: 11s, role: Unpromoted}
)")));
  ASSERT_TRUE(engine.request("db", Action::kStart));
  ASSERT_TRUE(engine.request("db", Action::kPromote));
  std::vector<Completion> seen;
  engine.run_until(clock.now() + 30s, [&](const Completion& c) {
    seen.push_back(c);
    return c.request.action == Action::kMonitor;
  });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].verdict.state, ObservedState::kRunning);
  EXPECT_EQ(seen[1].verdict.state, ObservedState::kPromoted);
  EXPECT_EQ(seen[2].request.role, model::Role::kPromoted) << "the promoted role's monitor runs";
  EXPECT_EQ(seen[2].result.rc, 8);
  auto attributes = engine.attributes();
  ASSERT_TRUE(attributes) << attributes.error().message;
  EXPECT_EQ(attributes->at("master-db"), "10");

  ASSERT_TRUE(engine.request("db", Action::kStop));
  engine.run_until(clock.now() + 30s,
                   [&](const Completion& c) { return c.request.action == Action::kStop; });
  EXPECT_FALSE(engine.attributes()->contains("master-db"));
}

}  // namespace
}  // namespace tandem::executor
