#include "sidecar/agent/op_history.h"

#include <gtest/gtest.h>

namespace tandem::agent {
namespace {

OpEvent event(std::string task, int rc, std::int64_t interval_ms = 0, bool failed = false,
              std::int64_t now = 1000) {
  OpEvent e;
  e.resource = "web";
  e.task = std::move(task);
  e.interval_ms = interval_ms;
  e.rc = rc;
  e.failed = failed;
  e.now_unix = now;
  return e;
}

const protocol::OpResult* find(const std::vector<protocol::ResourceReport>& resources,
                               const std::string& id) {
  for (const auto& r : resources)
    for (const auto& op : r.ops)
      if (op.id == id) return &op;
  return nullptr;
}

TEST(OpHistory, the_last_start_and_recurring_monitors_are_kept_as_pacemaker_keeps_them) {
  OpHistory history;
  history.identify("web", {"ocf", "heartbeat", "apache"});
  OpEvent start = event("start", 0);
  start.digest = "abc";
  history.record(start);
  history.record(event("monitor", 0, 10'000));
  auto resources = history.resources();
  ASSERT_EQ(resources.size(), 1U);
  EXPECT_EQ(resources[0].agent_class, "ocf");
  EXPECT_EQ(resources[0].type, "apache");
  const auto* last = find(resources, "web_last_0");
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->task, "start");
  EXPECT_EQ(last->digest, "abc");
  const auto* monitor = find(resources, "web_monitor_10000");
  ASSERT_NE(monitor, nullptr);
  EXPECT_EQ(monitor->interval_ms, 10'000);
  EXPECT_GT(monitor->call_id, last->call_id);
  EXPECT_EQ(find(resources, "web_last_failure_0"), nullptr);
}

TEST(OpHistory, a_start_in_progress_is_reported_as_pending_beside_the_last_result) {
  OpHistory history;
  history.identify("web", {"ocf", "heartbeat", "apache"});
  history.record(event("monitor", 7));  // the probe: not running
  history.begin_pending("web", "op1-5", "start", 0, 1500);
  auto resources = history.resources();
  const auto* pending = find(resources, "web_pending_0");
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->task, "start");
  EXPECT_EQ(pending->status, "pending");
  EXPECT_EQ(pending->call_id, -1);
  EXPECT_EQ(pending->last_rc_change_unix, 1500);
  ASSERT_NE(find(resources, "web_last_0"), nullptr);
  EXPECT_EQ(find(resources, "web_last_0")->task, "monitor");
  // Its result replaces it.
  history.end_pending("op1-5");
  history.record(event("start", 0));
  resources = history.resources();
  EXPECT_EQ(find(resources, "web_pending_0"), nullptr);
  EXPECT_EQ(find(resources, "web_last_0")->task, "start");
}

TEST(OpHistory, the_newest_pending_operation_is_shown_and_a_withdrawn_one_goes) {
  OpHistory history;
  history.begin_pending("web", "op1-1", "stop", 0, 1000);
  history.begin_pending("web", "op1-2", "start", 0, 1001);
  history.begin_pending("web", "op1-3", "monitor", 0, 1002);  // not state-changing: ignored
  EXPECT_EQ(find(history.resources(), "web_pending_0")->task, "start");
  history.end_pending("op1-2");  // withdrawn
  EXPECT_EQ(find(history.resources(), "web_pending_0")->task, "stop");
  history.end_pending("op1-1");
  EXPECT_EQ(find(history.resources(), "web_pending_0"), nullptr);
}

TEST(OpHistory, a_failed_monitor_is_also_the_last_failure) {
  OpHistory history;
  history.record(event("start", 0));
  OpEvent failed = event("monitor", 7, 10'000, true, 2000);
  failed.exit_reason = "the process has exited";
  history.record(failed);
  auto resources = history.resources();
  const auto* failure = find(resources, "web_last_failure_0");
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->task, "monitor");
  EXPECT_EQ(failure->rc, 7);
  EXPECT_EQ(failure->interval_ms, 10'000);
  EXPECT_EQ(failure->exit_reason, "the process has exited");
  EXPECT_EQ(find(resources, "web_monitor_10000")->rc, 7);
}

TEST(OpHistory, a_cleanup_forgets_every_operation_but_keeps_the_agent) {
  OpHistory history;
  history.identify("web", {"ocf", "heartbeat", "apache"});
  history.record(event("start", 1, 0, true));
  EXPECT_TRUE(history.forget("web"));
  EXPECT_FALSE(history.forget("web"));
  EXPECT_FALSE(history.forget("db"));
  auto resources = history.resources();
  ASSERT_EQ(resources.size(), 1U);
  EXPECT_TRUE(resources[0].ops.empty());
  history.record(event("monitor", 7));
  EXPECT_EQ(history.resources()[0].type, "apache");
}

TEST(OpHistory, a_stop_removes_the_recurring_monitors) {
  OpHistory history;
  history.record(event("start", 0));
  history.record(event("monitor", 0, 10'000));
  history.record(event("stop", 0));
  auto resources = history.resources();
  EXPECT_EQ(find(resources, "web_monitor_10000"), nullptr);
  EXPECT_EQ(find(resources, "web_last_0")->task, "stop");
}

TEST(OpHistory, a_cancelled_monitor_leaves_the_history_until_it_is_asked_for_again) {
  OpHistory history;
  history.record(event("start", 0));
  history.record(event("monitor", 0, 10'000));
  EXPECT_TRUE(history.cancel_monitor("web", 10'000));
  EXPECT_EQ(find(history.resources(), "web_monitor_10000"), nullptr);
  // A run under way when it was cancelled reports after: not recorded.
  history.record(event("monitor", 7, 10'000, true));
  EXPECT_EQ(find(history.resources(), "web_monitor_10000"), nullptr);
  EXPECT_EQ(find(history.resources(), "web_last_failure_0"), nullptr);
  EXPECT_NE(find(history.resources(), "web_last_0"), nullptr);

  history.resume_monitor("web", 10'000);
  history.record(event("monitor", 7, 10'000, true));
  const auto resources = history.resources();
  const auto* monitor = find(resources, "web_monitor_10000");
  ASSERT_NE(monitor, nullptr);
  EXPECT_EQ(monitor->rc, 7);
  EXPECT_FALSE(history.cancel_monitor("db", 10'000));
}

TEST(OpHistory, the_last_rc_change_moves_only_when_the_result_changes) {
  OpHistory history;
  history.record(event("monitor", 0, 10'000, false, 1000));
  history.record(event("monitor", 0, 10'000, false, 1010));
  auto op = *find(history.resources(), "web_monitor_10000");
  EXPECT_EQ(op.last_rc_change_unix, 1000);
  EXPECT_EQ(op.last_run_unix, 1010);
  history.record(event("monitor", 7, 10'000, true, 1020));
  op = *find(history.resources(), "web_monitor_10000");
  EXPECT_EQ(op.last_rc_change_unix, 1020);
}

TEST(OpHistory, notifications_leave_no_history) {
  OpHistory history;
  const int first = history.record(event("notify", 0));
  EXPECT_TRUE(history.resources().empty());
  EXPECT_GT(history.record(event("start", 0)), first);
}

TEST(OpHistory, the_outcome_window_keeps_the_newest) {
  OpHistory history(3);
  for (int i = 0; i < 5; ++i)
    history.add_outcome(protocol::ActionOutcome{"a" + std::to_string(i), 0, "done", "", i});
  auto outcomes = history.outcomes();
  ASSERT_EQ(outcomes.size(), 3U);
  EXPECT_EQ(outcomes.front().action_id, "a2");
  EXPECT_EQ(outcomes.back().action_id, "a4");
}

}  // namespace
}  // namespace tandem::agent
