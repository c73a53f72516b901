// Which planned actions a hold on an unclean node blocks, and the
// ordering rule of a wave.

#include "operator/reconcile/waves.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "operator/reconcile/observe.h"

namespace tandem::reconcile {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

placement::PlannedAction action(const std::string& task, const std::string& resource,
                                const std::string& node, bool pseudo = false) {
  placement::PlannedAction a;
  a.task = task;
  a.resource = resource;
  a.node = node;
  a.key = resource + "_" + task + "_0";
  a.pseudo = pseudo;
  return a;
}

TEST(Waves, a_hold_blocks_starting_the_same_singleton_elsewhere) {
  const Hold hold{"web", "n1", false};
  EXPECT_TRUE(conflicts(action("start", "web", "n2"), hold));
  EXPECT_FALSE(conflicts(action("stop", "web", "n2"), hold));
  EXPECT_FALSE(conflicts(action("start", "db", "n2"), hold));
}

TEST(Waves, a_hold_on_a_clone_instance_blocks_only_a_second_promotion) {
  EXPECT_FALSE(conflicts(action("start", "db:1", "n2"), Hold{"db:0", "n1", true}));
  EXPECT_TRUE(conflicts(action("promote", "db:1", "n2"), Hold{"db:0", "n1", true}));
  EXPECT_FALSE(conflicts(action("promote", "db:1", "n2"), Hold{"db:0", "n1", false}));
}

TEST(Waves, a_node_nobody_heard_from_blocks_every_singleton_start) {
  const Hold any{std::string(kAnyResource), "n1", true};
  EXPECT_TRUE(conflicts(action("start", "anything", "n2"), any));
  EXPECT_FALSE(conflicts(action("start", "clone:0", "n2"), any));
  EXPECT_TRUE(conflicts(action("promote", "clone:0", "n2"), any));
}

TEST(Waves, pseudo_actions_complete_when_their_predecessors_have) {
  placement::Transition t;
  t.actions = {action("running", "g", "", true), action("start", "a", "n1"),
               action("start", "b", "n1")};
  t.orders = {{0, 1}, {1, 2}};
  const Wave wave = next_wave(t, {"n1"}, {});
  EXPECT_THAT(wave.ready, ElementsAre(1u));
}

TEST(Waves, actions_on_nodes_that_are_not_online_and_unrunnable_ones_never_go_out) {
  placement::Transition t;
  t.actions = {action("start", "a", "n2"), action("start", "b", "n1")};
  t.actions[1].runnable = false;
  EXPECT_THAT(next_wave(t, {"n1"}, {}).ready, IsEmpty());
}

TEST(Waves, a_held_action_is_reported_with_the_node_it_waits_for) {
  placement::Transition t;
  t.actions = {action("start", "web", "n2")};
  const Wave wave = next_wave(t, {"n2"}, {Hold{"web", "n1", false}});
  EXPECT_THAT(wave.ready, IsEmpty());
  EXPECT_THAT(wave.held,
              ElementsAre("web_start_0 on n2 waits: n1 is unclean and presumed to run web"));
}

TEST(Waves, the_interval_does_not_matter_for_the_clone_base_name) {
  EXPECT_EQ(base_resource("db:12"), "db");
  EXPECT_EQ(base_resource("web"), "web");
}

protocol::OpResult op(const std::string& task, int rc, int call_id, const std::string& status) {
  protocol::OpResult o;
  o.task = task;
  o.rc = rc;
  o.call_id = call_id;
  o.status = status;
  return o;
}

TEST(Activity, an_operation_in_progress_counts_as_active_whatever_came_before) {
  protocol::ResourceReport report;
  report.resource = "web";
  report.ops = {op("monitor", 7, 3, "done")};  // a probe: stopped
  EXPECT_FALSE(activity(report).active);
  report.ops.push_back(op("start", 193, -1, "pending"));
  EXPECT_TRUE(activity(report).active);
  EXPECT_FALSE(activity(report).promoted);
  report.ops.back().task = "promote";
  EXPECT_TRUE(activity(report).promoted);
}

}  // namespace
}  // namespace tandem::reconcile
