// Notifications: a clone with notify tells its instances before and after
// any of them starts, stops, promotes or demotes, with who does what.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/placement/scenario.h"

namespace tandem::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string notifying(const std::string& name, const std::string& clone = "{notify: true}") {
  return dummy(name, "  clone: " + clone + "\n");
}

// "db:0_post_notify_start_0@n1" for each notification sent to an instance.
std::vector<std::string> notifications(const placement::Transition& t) {
  std::vector<std::string> out;
  for (const placement::PlannedAction& action : t.actions) {
    if (action.task == "notify" && !action.pseudo && action.runnable) {
      out.push_back(action.key + "@" + action.node);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

const placement::PlannedAction& action(const placement::Transition& t, const std::string& key,
                                       const std::string& node = "") {
  for (const placement::PlannedAction& a : t.actions) {
    if (a.key == key && (node.empty() || a.node == node)) return a;
  }
  ADD_FAILURE() << "no action " << key << " on " << node;
  return t.actions.front();
}

// Whether `after` waits for `before`, directly or through other actions.
bool waits_for(const placement::Transition& t, const std::string& after,
               const std::string& before) {
  std::vector<std::size_t> todo;
  std::vector<bool> seen(t.actions.size(), false);
  for (std::size_t i = 0; i < t.actions.size(); ++i) {
    if (t.actions[i].key == after) todo.push_back(i);
  }
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    for (const placement::ActionOrder& order : t.orders) {
      if (order.after != i || seen[order.before]) continue;
      if (t.actions[order.before].key == before) return true;
      seen[order.before] = true;
      todo.push_back(order.before);
    }
  }
  return false;
}

TEST(Notifications, starting_instances_are_told_afterwards_who_started_where) {
  Scenario s(cluster_yaml(2) + notifying("db"), 2);
  const placement::Transition t = s.schedule();
  // A starting instance is not told before its own start: it is not running.
  EXPECT_THAT(notifications(t),
              ElementsAre("db:0_post_notify_start_0@n1", "db:1_post_notify_start_0@n2"));
  const placement::PlannedAction& told = action(t, "db:0_post_notify_start_0", "n1");
  EXPECT_EQ(told.meta.at("notify_type"), "post");
  EXPECT_EQ(told.meta.at("notify_operation"), "start");
  EXPECT_EQ(told.meta.at("notify_start_resource"), "db:0 db:1");
  EXPECT_EQ(told.meta.at("notify_start_uname"), "n1 n2");
  EXPECT_EQ(told.meta.at("notify_stop_resource"), " ");
  EXPECT_EQ(told.meta.at("notify_inactive_resource"), "db:0 db:1");
  EXPECT_EQ(told.meta.at("notify_all_uname"), "n1 n2");
  EXPECT_TRUE(waits_for(t, "db:0_post_notify_start_0", "db_running_0"));
  // The agents' own starts carry the lists too.
  EXPECT_EQ(action(t, "db:1_start_0").meta.at("notify_start_uname"), "n1 n2");
}

TEST(Notifications, a_stopping_instance_is_told_before_and_the_others_also_after) {
  Scenario s(cluster_yaml(2) + notifying("db"), 2);
  s.running("db:0", "n1").running("db:1", "n2");
  s.node("n2").attributes["standby"] = "on";
  const placement::Transition t = s.schedule();
  EXPECT_THAT(notifications(t),
              ElementsAre("db:0_post_notify_stop_0@n1", "db:0_pre_notify_stop_0@n1",
                          "db:1_pre_notify_stop_0@n2"));
  const placement::PlannedAction& told = action(t, "db:0_pre_notify_stop_0", "n1");
  EXPECT_EQ(told.meta.at("notify_stop_resource"), "db:1");
  EXPECT_EQ(told.meta.at("notify_stop_uname"), "n2");
  EXPECT_EQ(told.meta.at("notify_active_resource"), "db:0 db:1");
  EXPECT_TRUE(waits_for(t, "db:1_stop_0", "db_confirmed-pre_notify_stop_0"));
  EXPECT_TRUE(waits_for(t, "db:0_post_notify_stop_0", "db:1_stop_0"));
}

TEST(Notifications, promotion_is_told_to_every_instance_before_and_after) {
  Scenario s(cluster_yaml(2) + notifying("db", "{notify: true, promotable: {}}"), 2);
  s.running("db:0", "n1").running("db:1", "n2");
  s.node("n1").attributes["master-db"] = "10";
  s.node("n2").attributes["master-db"] = "5";
  const placement::Transition t = s.schedule();
  EXPECT_THAT(notifications(t),
              ElementsAre("db:0_post_notify_promote_0@n1", "db:0_pre_notify_promote_0@n1",
                          "db:1_post_notify_promote_0@n2", "db:1_pre_notify_promote_0@n2"));
  EXPECT_EQ(action(t, "db:1_pre_notify_promote_0", "n2").meta.at("notify_promote_resource"),
            "db:0");
  EXPECT_EQ(action(t, "db:1_pre_notify_promote_0", "n2").meta.at("notify_unpromoted_uname"),
            "n1 n2");
  EXPECT_TRUE(waits_for(t, "db:0_promote_0", "db_confirmed-pre_notify_promote_0"));
}

TEST(Notifications, an_order_after_a_clone_that_notifies_waits_for_its_notifications) {
  Scenario s(cluster_yaml(2) + notifying("db") + dummy("web") +
                 constraint("db-then-web", "order: {first: db, then: web}"),
             2);
  const placement::Transition t = s.schedule();
  EXPECT_TRUE(waits_for(t, "web_start_0", "db_confirmed-post_notify_running_0"));
}

TEST(Notifications, a_clone_without_notify_sends_none) {
  Scenario s(cluster_yaml(2) + notifying("db", "{}"), 2);
  const placement::Transition t = s.schedule();
  EXPECT_THAT(notifications(t), IsEmpty());
  for (const placement::PlannedAction& a : t.actions) EXPECT_TRUE(a.meta.empty()) << a.key;
}

}  // namespace
}  // namespace tandem::testing
