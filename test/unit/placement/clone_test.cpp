// Clones and promotable clones: instances, their placement, history,
// orderings and colocations with them, promotion.

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/placement/scenario.h"

namespace tandem::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

// Where instances run, without instance numbers (which number an
// anonymous instance gets is an implementation detail).
std::vector<std::string> anonymous_placement(const placement::Transition& transition) {
  std::vector<std::string> out;
  for (std::string entry : placement_of(transition)) {
    const auto colon = entry.find(':');
    const auto at = entry.find('@');
    if (colon != std::string::npos && colon < at) entry.erase(colon, at - colon);
    out.push_back(entry);
  }
  return out;
}

std::string cloned(const std::string& name, const std::string& clone) {
  return dummy(name, "  clone: " + clone + "\n");
}

TEST(Clones, a_clone_runs_one_instance_on_every_node) {
  Scenario s(cluster_yaml(3) + cloned("db", "{}"), 3);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("db:0@n1", "db:1@n2", "db:2@n3"));
}

TEST(Clones, running_instances_stay_and_clone_max_limits_the_rest) {
  Scenario s(cluster_yaml(3) + cloned("db", "{max: 2}"), 3);
  s.running("db", "n3");
  const auto transition = s.schedule();
  EXPECT_THAT(placement_of(transition), ElementsAre("db:0@n3", "db:1@n1"));
  EXPECT_THAT(changes(transition), ElementsAre("start db:1 n1"));
}

TEST(Clones, anonymous_history_without_instance_numbers_attaches_to_one_instance_per_node) {
  Scenario s(cluster_yaml(3) + cloned("db", "{}"), 3);
  s.running("db", "n1").running("db", "n2");
  const auto transition = s.schedule();
  EXPECT_THAT(changes(transition), ElementsAre("start db:2 n3"));
}

TEST(Clones, an_instance_failing_past_migration_threshold_keeps_the_clone_off_that_node) {
  Scenario s(cluster_yaml(2) + cloned("db", "{}") + "  meta: {migrationThreshold: 1}\n", 2);
  s.running("db", "n1").running("db", "n2").failures("db", "n1", 1, 1'699'999'000);
  const auto transition = s.schedule();
  EXPECT_THAT(changes(transition), ElementsAre("stop db:0 n1"));
}

TEST(Clones, a_resource_colocated_with_a_clone_goes_where_an_instance_is) {
  Scenario s(cluster_yaml(3) + cloned("db", "{max: 1}") + dummy("web") +
                 constraint("db-on-n2", "location: {resource: db, node: n2, score: 50}") +
                 constraint("web-with-db",
                            "colocation: {resource: web, withResource: db, score: INFINITY}"),
             3);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("db:0@n2", "web@n2"));
}

TEST(Clones, an_order_after_a_clone_with_clone_min_waits_for_that_many_instances) {
  Scenario s(cluster_yaml(3) + cloned("base", "{min: 2}") + dummy("web") +
                 constraint("base-then-web", "order: {first: base, then: web}"),
             3);
  s.node("n2").attributes["standby"] = "on";
  s.node("n3").attributes["standby"] = "on";
  const auto transition = s.schedule();
  EXPECT_THAT(changes(transition), Contains("start web n1 (blocked)"));
  EXPECT_THAT(changes(transition), Contains("start base:0 n1"));
}

TEST(Clones, interleaved_instances_wait_only_for_their_peer_on_the_same_node) {
  Scenario s(cluster_yaml(2) + cloned("a", "{}") + cloned("b", "{interleave: true}") +
                 constraint("a-off-n2", "location: {resource: a, node: n2, score: -INFINITY}") +
                 constraint("a-then-b", "order: {first: a, then: b}"),
             2);
  const auto transition = s.schedule();
  // b on n1 starts after a on n1; b on n2 has no a beside it and stays down.
  EXPECT_THAT(anonymous_placement(transition), ElementsAre("a@n1", "b@n1"));
}

// Probes (monitors with interval 0) as "resource@node".
std::vector<std::string> probes_of(const placement::Transition& transition) {
  std::vector<std::string> out;
  for (const placement::PlannedAction& a : transition.actions) {
    if (a.task == "monitor" && a.key.ends_with("_monitor_0"))
      out.push_back(a.resource + "@" + a.node);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Clones, an_anonymous_clone_is_probed_once_per_node_through_the_instance_placed_there) {
  Scenario s(cluster_yaml(3) + cloned("db", "{}"), 3);
  EXPECT_THAT(probes_of(s.schedule()), ElementsAre("db:0@n1", "db:1@n2", "db:2@n3"));
}

TEST(Clones, an_anonymous_clone_known_on_a_node_is_not_probed_there_again) {
  Scenario s(cluster_yaml(3) + cloned("db", "{}"), 3);
  s.stopped("db", "n1").running("db", "n2");
  EXPECT_THAT(probes_of(s.schedule()), ElementsAre("db:2@n3"));
}

TEST(Clones, every_instance_of_a_globally_unique_clone_is_probed_on_every_node) {
  Scenario s(cluster_yaml(2) + cloned("db", "{max: 2, globallyUnique: true}"), 2);
  EXPECT_THAT(probes_of(s.schedule()), ElementsAre("db:0@n1", "db:0@n2", "db:1@n1", "db:1@n2"));
}

TEST(PromotableClones, the_instance_with_the_highest_promotion_score_is_promoted) {
  Scenario s(cluster_yaml(2) + cloned("db", "{promotable: {}}"), 2);
  s.running("db", "n1").running("db", "n2");
  s.node("n1").attributes["master-db"] = "5";
  s.node("n2").attributes["master-db"] = "10";
  const auto transition = s.schedule();
  EXPECT_THAT(changes(transition), ElementsAre("promote db:1 n2"));
}

TEST(PromotableClones, without_a_promotion_score_nothing_is_promoted) {
  Scenario s(cluster_yaml(2) + cloned("db", "{promotable: {}}"), 2);
  s.running("db", "n1").running("db", "n2");
  EXPECT_THAT(changes(s.schedule()), IsEmpty());
}

TEST(PromotableClones, a_resource_colocated_with_the_promoted_role_follows_the_promoted_instance) {
  Scenario s(cluster_yaml(2) + cloned("db", "{promotable: {}}") + dummy("ip") +
                 constraint("ip-with-primary",
                            "colocation: {resource: ip, withResource: db, withRole: Promoted, "
                            "score: INFINITY}"),
             2);
  s.running("db", "n1").running("db", "n2");
  s.node("n2").attributes["master-db"] = "10";
  const auto transition = s.schedule();
  EXPECT_THAT(changes(transition), ElementsAre("promote db:1 n2", "start ip n2"));
}

TEST(PromotableClones, a_promoted_instance_whose_score_drops_is_demoted_and_another_promoted) {
  Scenario s(cluster_yaml(2) + cloned("db", "{promotable: {}}"), 2);
  s.running("db", "n1").op("db", "n1", "promote", 0).running("db", "n2");
  s.node("n1").attributes["master-db"] = "-INFINITY";
  s.node("n2").attributes["master-db"] = "10";
  const auto transition = s.schedule();
  EXPECT_THAT(changes(transition), ElementsAre("demote db:0 n1", "promote db:1 n2"));
}

}  // namespace
}  // namespace tandem::testing
