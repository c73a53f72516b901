#include "sidecar/executor/operation_planner.h"

#include <gtest/gtest.h>

namespace tandem::executor {
namespace {

using namespace std::chrono_literals;

Instant at(Duration d) {
  return Instant(d);
}

// Always draws the same value: jitter becomes predictable.
class FixedRng final : public Rng {
 public:
  explicit FixedRng(std::uint64_t value) : value_(value) {}
  std::uint64_t next() override { return value_; }

 private:
  std::uint64_t value_;
};

OperationRequest start() {
  return OperationRequest{Action::kStart, 0ms, 20s, std::nullopt};
}
OperationRequest stop() {
  return OperationRequest{Action::kStop, 0ms, 20s, std::nullopt};
}

TEST(OperationPlanner, runs_one_operation_at_a_time_per_resource) {
  FixedRng rng(0);
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("web", {}));
  ASSERT_TRUE(planner.request("web", start(), at(0s)));
  ASSERT_TRUE(planner.request("web", stop(), at(0s)));
  auto first = planner.dispatch(at(0s));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].request.action, Action::kStart);
  EXPECT_TRUE(planner.dispatch(at(1s)).empty()) << "the stop must wait for the start";
  planner.finished(first[0].id, ObservedState::kRunning, at(2s));
  auto second = planner.dispatch(at(2s));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].request.action, Action::kStop);
}

TEST(OperationPlanner, runs_resources_in_parallel_up_to_the_limit) {
  FixedRng rng(0);
  OperationPlanner planner(PlannerOptions{.max_parallel = 2}, rng);
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(planner.add_resource(name, {}));
    ASSERT_TRUE(planner.request(name, start(), at(0s)));
  }
  auto running = planner.dispatch(at(0s));
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(running[0].resource, "a");
  EXPECT_EQ(running[1].resource, "b");
  EXPECT_TRUE(planner.dispatch(at(0s)).empty());
  planner.finished(running[1].id, ObservedState::kRunning, at(1s));
  auto next = planner.dispatch(at(1s));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].resource, "c");
}

TEST(OperationPlanner, sets_each_deadline_from_the_timeout) {
  FixedRng rng(0);
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("web", {}));
  ASSERT_TRUE(
      planner.request("web", OperationRequest{Action::kStart, 0ms, 7s, std::nullopt}, at(3s)));
  auto dispatched = planner.dispatch(at(5s));
  ASSERT_EQ(dispatched.size(), 1u);
  EXPECT_EQ(dispatched[0].deadline, at(12s));
  EXPECT_EQ(planner.next_wakeup(at(5s)), at(12s));
}

TEST(OperationPlanner, starts_monitors_once_the_resource_runs_and_repeats_them) {
  FixedRng rng(0);  // no jitter
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("web", {RecurringMonitor{10s, 5s, std::nullopt}}));
  EXPECT_TRUE(planner.dispatch(at(0s)).empty()) << "no monitor before the resource runs";
  ASSERT_TRUE(planner.request("web", start(), at(0s)));
  auto started = planner.dispatch(at(0s));
  planner.finished(started[0].id, ObservedState::kRunning, at(1s));

  auto monitor = planner.dispatch(at(1s));
  ASSERT_EQ(monitor.size(), 1u);
  EXPECT_EQ(monitor[0].request.action, Action::kMonitor);
  EXPECT_EQ(monitor[0].request.interval, 10s);
  EXPECT_EQ(monitor[0].deadline, at(6s));
  planner.finished(monitor[0].id, ObservedState::kRunning, at(2s));

  EXPECT_TRUE(planner.dispatch(at(10s)).empty());
  EXPECT_EQ(planner.next_wakeup(at(2s)), at(11s)) << "counted from when the last check started";
  EXPECT_EQ(planner.dispatch(at(11s)).size(), 1u);
}

TEST(OperationPlanner, jitter_only_ever_brings_a_monitor_forward) {
  SplitMix64 rng(42);
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("web", {RecurringMonitor{10s, 5s, std::nullopt}}));
  ASSERT_TRUE(planner.request("web", start(), at(0s)));
  auto started = planner.dispatch(at(0s));
  planner.finished(started[0].id, ObservedState::kRunning, at(0s));
  Instant now = at(0s);
  Instant last_start{};
  bool saw_jitter = false;
  for (int i = 0; i < 200; ++i) {
    auto wake = planner.next_wakeup(now);
    ASSERT_TRUE(wake);
    now = *wake;
    auto monitors = planner.dispatch(now);
    ASSERT_EQ(monitors.size(), 1u);
    if (i > 0) {
      Duration gap = now - last_start;
      EXPECT_LE(gap, 10s);
      EXPECT_GE(gap, 9s);
      if (gap < 10s) saw_jitter = true;
    }
    last_start = now;
    planner.finished(monitors[0].id, ObservedState::kRunning, now + 100ms);
  }
  EXPECT_TRUE(saw_jitter);
}

TEST(OperationPlanner, the_same_seed_replays_the_same_schedule) {
  auto schedule = [](std::uint64_t seed) {
    SplitMix64 rng(seed);
    OperationPlanner planner({}, rng);
    EXPECT_TRUE(planner.add_resource("web", {RecurringMonitor{30s, 5s, std::nullopt}}));
    EXPECT_TRUE(planner.request("web", start(), at(0s)));
    auto started = planner.dispatch(at(0s));
    planner.finished(started[0].id, ObservedState::kRunning, at(0s));
    std::vector<Instant> times;
    Instant now = at(0s);
    for (int i = 0; i < 20; ++i) {
      now = *planner.next_wakeup(now);
      auto monitors = planner.dispatch(now);
      times.push_back(now);
      planner.finished(monitors.at(0).id, ObservedState::kRunning, now);
    }
    return times;
  };
  EXPECT_EQ(schedule(7), schedule(7));
  EXPECT_NE(schedule(7), schedule(8));
}

TEST(OperationPlanner, role_monitors_follow_the_role) {
  FixedRng rng(0);
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("db", {RecurringMonitor{10s, 5s, model::Role::kPromoted},
                                          RecurringMonitor{11s, 5s, model::Role::kUnpromoted}}));
  ASSERT_TRUE(planner.request("db", start(), at(0s)));
  auto started = planner.dispatch(at(0s));
  planner.finished(started[0].id, ObservedState::kRunning, at(0s));
  auto unpromoted = planner.dispatch(at(0s));
  ASSERT_EQ(unpromoted.size(), 1u);
  EXPECT_EQ(unpromoted[0].request.interval, 11s);
  EXPECT_EQ(unpromoted[0].request.role, model::Role::kUnpromoted);
  planner.finished(unpromoted[0].id, ObservedState::kRunning, at(0s));

  ASSERT_TRUE(
      planner.request("db", OperationRequest{Action::kPromote, 0ms, 10s, std::nullopt}, at(1s)));
  auto promote = planner.dispatch(at(1s));
  ASSERT_EQ(promote[0].request.action, Action::kPromote);
  planner.finished(promote[0].id, ObservedState::kPromoted, at(1s));
  auto promoted = planner.dispatch(at(1s));
  ASSERT_EQ(promoted.size(), 1u);
  EXPECT_EQ(promoted[0].request.interval, 10s);
  planner.finished(promoted[0].id, ObservedState::kPromoted, at(1s));
  EXPECT_EQ(planner.next_wakeup(at(1s)), at(11s)) << "the unpromoted monitor no longer runs";
}

TEST(OperationPlanner, stops_monitoring_what_stopped_or_failed) {
  FixedRng rng(0);
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("web", {RecurringMonitor{10s, 5s, std::nullopt}}));
  ASSERT_TRUE(planner.request("web", start(), at(0s)));
  planner.finished(planner.dispatch(at(0s))[0].id, ObservedState::kRunning, at(0s));
  auto monitor = planner.dispatch(at(0s));
  planner.finished(monitor[0].id, ObservedState::kStopped, at(0s));
  EXPECT_EQ(planner.state_of("web"), ObservedState::kStopped);
  EXPECT_FALSE(planner.next_wakeup(at(0s)));
  EXPECT_TRUE(planner.dispatch(at(1h)).empty());
}

TEST(OperationPlanner, a_cancelled_monitor_stays_off_until_it_is_asked_for_again) {
  FixedRng rng(0);
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("web", {RecurringMonitor{10s, 5s, std::nullopt}}));
  ASSERT_TRUE(planner.request("web", start(), at(0s)));
  planner.finished(planner.dispatch(at(0s))[0].id, ObservedState::kRunning, at(0s));
  auto monitor = planner.dispatch(at(0s));
  ASSERT_EQ(monitor.size(), 1u);
  // Cancelled while it runs: this run ends, no other follows.
  ASSERT_TRUE(planner.cancel("web", 10s));
  planner.finished(monitor[0].id, ObservedState::kRunning, at(1s));
  EXPECT_FALSE(planner.next_wakeup(at(1s)));
  EXPECT_TRUE(planner.dispatch(at(1h)).empty());
  EXPECT_FALSE(planner.cancel("web", 20s)) << "no monitor has that interval";
  EXPECT_FALSE(planner.cancel("db", 10s));

  // Asked for again: it runs now, and at its interval after.
  ASSERT_TRUE(
      planner.request("web", OperationRequest{Action::kMonitor, 10s, 5s, std::nullopt}, at(1h)));
  auto asked = planner.dispatch(at(1h));
  ASSERT_EQ(asked.size(), 1u);
  planner.finished(asked[0].id, ObservedState::kRunning, at(1h));
  EXPECT_EQ(planner.next_wakeup(at(1h)), at(1h)) << "recurring again from now";
  auto again = planner.dispatch(at(1h));
  ASSERT_EQ(again.size(), 1u);
  planner.finished(again[0].id, ObservedState::kRunning, at(1h));
  EXPECT_EQ(planner.next_wakeup(at(1h)), at(1h + 10s));
}

TEST(OperationPlanner, requests_go_before_monitors_that_are_due) {
  FixedRng rng(0);
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("web", {RecurringMonitor{10s, 5s, std::nullopt}}));
  ASSERT_TRUE(planner.request("web", start(), at(0s)));
  planner.finished(planner.dispatch(at(0s))[0].id, ObservedState::kRunning, at(0s));
  ASSERT_TRUE(planner.request("web", stop(), at(0s)));
  auto next = planner.dispatch(at(0s));
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].request.action, Action::kStop);
}

TEST(OperationPlanner, refuses_unknown_resources_and_floods) {
  FixedRng rng(0);
  OperationPlanner planner(PlannerOptions{.max_queued_per_resource = 2}, rng);
  EXPECT_EQ(planner.request("ghost", start(), at(0s)).error().message,
            "no resource \"ghost\" on this node");
  ASSERT_TRUE(planner.add_resource("web", {}));
  EXPECT_FALSE(planner.add_resource("web", {}));
  EXPECT_TRUE(planner.request("web", start(), at(0s)));
  EXPECT_TRUE(planner.request("web", stop(), at(0s)));
  EXPECT_EQ(planner.request("web", start(), at(0s)).error().message,
            "resource \"web\" already has 2 operations waiting");
}

TEST(OperationPlanner, meta_data_leaves_the_state_and_monitors_alone) {
  FixedRng rng(0);
  OperationPlanner planner({}, rng);
  ASSERT_TRUE(planner.add_resource("web", {RecurringMonitor{10s, 5s, std::nullopt}}));
  ASSERT_TRUE(planner.request("web", start(), at(0s)));
  planner.finished(planner.dispatch(at(0s))[0].id, ObservedState::kRunning, at(0s));
  ASSERT_TRUE(
      planner.request("web", OperationRequest{Action::kMetaData, 0ms, 5s, std::nullopt}, at(0s)));
  auto meta = planner.dispatch(at(0s));
  ASSERT_EQ(meta[0].request.action, Action::kMetaData);
  planner.finished(meta[0].id, std::nullopt, at(0s));
  EXPECT_EQ(planner.state_of("web"), ObservedState::kRunning);
  EXPECT_EQ(planner.dispatch(at(0s)).size(), 1u) << "the monitor is still due";
}

}  // namespace
}  // namespace tandem::executor
