// The placement engine's decisions on small clusters, one behaviour per
// test. Pacemaker's own regression cases (the corpus test) check the fine
// print; these pin down what users rely on.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/placement/scenario.h"

namespace tandem::placement {
namespace {

using testing::changes;
using testing::cluster_yaml;
using testing::constraint;
using testing::dummy;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::placement_of;
using testing::Scenario;

TEST(Scheduling, stopped_resources_spread_over_nodes_with_equal_scores) {
  Scenario s(cluster_yaml(2) + dummy("a") + dummy("b"), 2);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start a n1", "start b n2"));
}

TEST(Scheduling, a_running_resource_stays_where_it_runs_when_scores_tie) {
  Scenario s(cluster_yaml(2) + dummy("a"), 2);
  s.running("a", "n2").stopped("a", "n1");
  EXPECT_THAT(changes(s.schedule()), IsEmpty());
}

TEST(Scheduling, a_location_preference_moves_a_resource_without_stickiness) {
  Scenario s(cluster_yaml(2) + dummy("a") +
                 constraint("prefer", "location: {resource: a, node: n1, score: 100}"),
             2);
  s.running("a", "n2").stopped("a", "n1");
  EXPECT_THAT(changes(s.schedule()), ElementsAre("move a n2->n1"));
}

TEST(Scheduling, stickiness_keeps_a_resource_where_it_runs_against_a_weaker_preference) {
  Scenario s(cluster_yaml(2) + dummy("a", "  meta: {stickiness: 200}\n") +
                 constraint("prefer", "location: {resource: a, node: n1, score: 100}"),
             2);
  s.running("a", "n2").stopped("a", "n1");
  EXPECT_THAT(changes(s.schedule()), IsEmpty());
}

TEST(Scheduling, a_resource_leaves_a_node_put_in_standby) {
  Scenario s(cluster_yaml(2) + dummy("a", "  meta: {stickiness: INFINITY}\n"), 2);
  s.running("a", "n1").stopped("a", "n2");
  s.node("n1").attributes["standby"] = "on";
  EXPECT_THAT(changes(s.schedule()), ElementsAre("move a n1->n2"));
}

TEST(Scheduling, an_opt_in_cluster_runs_a_resource_only_where_a_location_allows_it) {
  Scenario s(cluster_yaml(3, "fencingEnabled: false, symmetricCluster: false") + dummy("a") +
                 dummy("b") + constraint("allow", "location: {resource: a, node: n3, score: 0}"),
             3);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start a n3"));
}

TEST(Scheduling, a_location_rule_applies_only_to_nodes_whose_attribute_matches) {
  std::string yaml = cluster_yaml(0) + dummy("a") + constraint("ssd", R"(location:
    resource: a
    rules:
      - score: 50
        expressions: [{attribute: disk, operation: eq, value: ssd}])");
  for (int n = 1; n <= 3; ++n) {
    yaml += "---\napiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n" +
            std::to_string(n) + "}\nspec: {attributes: {disk: " + (n == 3 ? "ssd" : "hdd") + "}}\n";
  }
  Scenario s(yaml, 3);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start a n3"));
}

TEST(Scheduling, a_mandatory_colocation_places_the_dependent_with_its_primary) {
  Scenario s(
      cluster_yaml(3) + dummy("db") + dummy("app") +
          constraint("with", "colocation: {resource: app, withResource: db, score: INFINITY}") +
          constraint("where", "location: {resource: db, node: n2, score: 100}"),
      3);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start app n2", "start db n2"));
}

TEST(Scheduling, the_dependent_of_a_mandatory_colocation_stops_when_its_primary_cannot_run) {
  Scenario s(
      cluster_yaml(2) + dummy("db", "  meta: {targetRole: Stopped}\n") + dummy("app") +
          constraint("with", "colocation: {resource: app, withResource: db, score: INFINITY}"),
      2);
  s.running("db", "n1").running("app", "n1").stopped("db", "n2").stopped("app", "n2");
  EXPECT_THAT(changes(s.schedule()), ElementsAre("stop app n1", "stop db n1"));
}

TEST(Scheduling, an_anti_colocation_keeps_two_resources_on_different_nodes) {
  Scenario s(
      cluster_yaml(2) + dummy("a") + dummy("b") +
          constraint("apart", "colocation: {resource: b, withResource: a, score: -INFINITY}") +
          constraint("both", "location: {resource: b, node: n1, score: 100}") +
          constraint("a-first", "location: {resource: a, node: n1, score: 200}"),
      2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n1", "b@n2"));
}

TEST(Scheduling, a_mandatory_order_blocks_the_second_start_when_the_first_cannot_start) {
  Scenario s(cluster_yaml(2) + dummy("db", "  meta: {targetRole: Stopped}\n") + dummy("app") +
                 constraint("db-then-app", "order: {first: db, then: app}"),
             2);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start app n1 (blocked)"));
}

TEST(Scheduling, an_optional_order_does_not_block_the_second_start) {
  Scenario s(cluster_yaml(2) + dummy("db", "  meta: {targetRole: Stopped}\n") + dummy("app") +
                 constraint("db-then-app", "order: {first: db, then: app, kind: Optional}"),
             2);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start app n1"));
}

TEST(Scheduling, a_restart_of_the_first_resource_restarts_what_is_ordered_after_it) {
  Scenario s(cluster_yaml(1) + dummy("db") + dummy("app") +
                 constraint("db-then-app", "order: {first: db, then: app}"),
             1);
  s.running("db", "n1").running("app", "n1");
  // db's monitor failed: it is recovered in place, and app with it.
  s.op("db", "n1", "monitor", 7, 10'000, 0);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("recover db n1", "restart app n1"));
}

TEST(Scheduling, an_optional_order_with_restart_then_restarts_the_second_with_the_first) {
  auto yaml = [](const std::string& extra) {
    return cluster_yaml(1) + dummy("db") + dummy("app") +
           constraint("db-then-app", "order: {first: db, then: app, kind: Optional" + extra + "}");
  };
  auto failed_db = [](Scenario& s) {
    s.running("db", "n1").running("app", "n1");
    s.op("db", "n1", "monitor", 7, 10'000, 0);
  };
  Scenario plain(yaml(""), 1);
  failed_db(plain);
  EXPECT_THAT(changes(plain.schedule()), ElementsAre("recover db n1"));
  Scenario restarting(yaml(", restartThen: true"), 1);
  failed_db(restarting);
  EXPECT_THAT(changes(restarting.schedule()), ElementsAre("recover db n1", "restart app n1"));
}

TEST(Scheduling, with_shutdown_lock_a_resource_waits_for_its_node_instead_of_moving) {
  const std::string resources = dummy("db");
  Scenario unlocked(cluster_yaml(2) + resources, 2);
  unlocked.running("db", "n1");
  unlocked.node("n1").shutdown = true;
  EXPECT_THAT(changes(unlocked.schedule()), ElementsAre("move db n1->n2", "shutdown n1"));

  Scenario locked(cluster_yaml(2, "fencingEnabled: false, shutdownLock: true") + resources, 2);
  locked.running("db", "n1");
  locked.node("n1").shutdown = true;
  EXPECT_THAT(changes(locked.schedule()), ElementsAre("shutdown n1", "stop db n1"));
}

TEST(Scheduling, a_shutdown_lock_from_the_history_expires_after_its_limit) {
  auto scenario = [](const std::string& limit) {
    Scenario s(
        cluster_yaml(2, "fencingEnabled: true, shutdownLock: true, shutdownLockLimit: " + limit) +
            dummy("db") +
            "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\n"
            "metadata: {name: fencer}\nspec:\n  agent: {fence: {type: fence_xvm}}\n",
        2);
    s.node("n2").online = false;
    s.running("fencer", "n1");
    s.op("db", "n2", "stop", 0);
    s.history("db", "n2").shutdown_lock = s.observed.now.value() - 600;
    return s;
  };
  Scenario waiting = scenario("1h");
  EXPECT_THAT(changes(waiting.schedule()), ElementsAre());
  Scenario expired = scenario("5m");
  EXPECT_THAT(changes(expired.schedule()), ElementsAre("start db n1"));
}

TEST(Scheduling, a_failure_inside_a_container_restarts_the_container_and_what_it_holds) {
  Scenario s(cluster_yaml(2) + dummy("vm") + dummy("app", "  meta: {container: vm}\n"), 2);
  s.running("vm", "n1").running("app", "n1");
  s.op("app", "n1", "monitor", 7, 10'000, 0);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("recover app n1", "restart vm n1"));
}

TEST(Scheduling, a_resource_inside_a_container_runs_where_the_container_does) {
  Scenario s(cluster_yaml(2) + dummy("vm") + dummy("app", "  meta: {container: vm}\n") +
                 constraint("vm-on-n2", "location: {resource: vm, node: n2, score: 100}") +
                 constraint("app-on-n1", "location: {resource: app, node: n1, score: 50}"),
             2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("app@n2", "vm@n2"));
}

TEST(Scheduling, a_group_runs_its_members_together_where_a_member_prefers) {
  std::string yaml = cluster_yaml(2) + dummy("ip") + dummy("web") +
                     "---\napiVersion: tandem.dev/v1alpha1\nkind: HAGroup\nmetadata: {name: g}\n"
                     "spec: {resources: [ip, web]}\n" +
                     constraint("web-on-n2", "location: {resource: web, node: n2, score: 10}");
  Scenario s(yaml, 2);
  // web's preference pulls ip (the group's first member) along, and web
  // follows ip.
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("ip@n2", "web@n2"));
}

TEST(Scheduling, a_failed_monitor_recovers_the_resource_in_place) {
  Scenario s(cluster_yaml(2) + dummy("a"), 2);
  s.running("a", "n1").stopped("a", "n2").op("a", "n1", "monitor", 7, 10'000, 0);
  s.failures("a", "n1", 1, 1'699'999'000);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("recover a n1"));
}

TEST(Scheduling, reaching_the_migration_threshold_moves_the_resource_away) {
  Scenario s(cluster_yaml(2) + dummy("a", "  meta: {migrationThreshold: 3}\n"), 2);
  s.running("a", "n1").stopped("a", "n2").op("a", "n1", "monitor", 7, 10'000, 0);
  s.failures("a", "n1", 3, 1'699'999'000);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("recover a n1->n2"));
}

TEST(Scheduling, failures_older_than_the_failure_timeout_no_longer_count) {
  Scenario s(cluster_yaml(2) + dummy("a", "  meta: {migrationThreshold: 3, failureTimeout: 10m}\n"),
             2);
  s.running("a", "n1").stopped("a", "n2");
  s.failures("a", "n1", 3, 1'700'000'000 - 3600);  // an hour ago
  EXPECT_THAT(changes(s.schedule()), IsEmpty());
  s.observed.now = 1'700'000'000 - 3600 + 60;  // a minute after the failures
  EXPECT_THAT(changes(s.schedule()), ElementsAre("move a n1->n2"));
}

TEST(Scheduling, on_fail_block_leaves_the_failed_resource_where_it_is) {
  Scenario s(cluster_yaml(2) + dummy("a",
                                     "  operations:\n"
                                     "    - {name: monitor, interval: 10s, onFail: block}\n"),
             2);
  s.running("a", "n1").stopped("a", "n2").op("a", "n1", "monitor", 7, 10'000, 0);
  const Transition transition = s.schedule();
  EXPECT_THAT(changes(transition), IsEmpty());
  ASSERT_EQ(transition.placement.size(), 1u);
  EXPECT_TRUE(transition.placement[0].failed);
}

TEST(Scheduling, an_unclean_node_is_fenced_and_its_resources_recovered_elsewhere) {
  std::string yaml = cluster_yaml(2, "fencingEnabled: true") + dummy("a") +
                     "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\n"
                     "metadata: {name: fencer}\nspec:\n  agent: {fence: {type: fence_xvm}}\n";
  Scenario s(yaml, 2);
  s.running("a", "n1").stopped("a", "n2").running("fencer", "n2").stopped("fencer", "n1");
  s.node("n1").online = false;
  s.node("n1").unclean = true;
  s.node("n1").unclean_reason = "peer is no longer part of the cluster";
  EXPECT_THAT(changes(s.schedule()), ElementsAre("fence n1", "move a n1->n2"));
}

TEST(Scheduling, without_fencing_a_lost_node_is_not_fenced_and_its_resources_restart_elsewhere) {
  Scenario s(cluster_yaml(2) + dummy("a"), 2);
  s.running("a", "n1").stopped("a", "n2");
  s.node("n1").online = false;
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start a n2"));
}

TEST(Scheduling, without_quorum_the_stop_policy_stops_everything) {
  Scenario s(cluster_yaml(2) + dummy("a"), 2);
  s.running("a", "n1").stopped("a", "n2");
  s.observed.have_quorum = false;
  EXPECT_THAT(changes(s.schedule()), ElementsAre("stop a n1"));
}

TEST(Scheduling, without_quorum_the_freeze_policy_keeps_running_resources_but_starts_nothing) {
  Scenario s(
      cluster_yaml(2, "fencingEnabled: false, noQuorumPolicy: freeze") + dummy("a") + dummy("b"),
      2);
  s.running("a", "n1").stopped("a", "n2");
  s.observed.have_quorum = false;
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start b n2 (blocked)"));
}

TEST(Scheduling, target_role_stopped_stops_the_resource) {
  Scenario s(cluster_yaml(2) + dummy("a", "  meta: {targetRole: Stopped}\n"), 2);
  s.running("a", "n1").stopped("a", "n2");
  EXPECT_THAT(changes(s.schedule()), ElementsAre("stop a n1"));
}

TEST(Scheduling, an_unmanaged_resource_is_left_as_it_is) {
  Scenario s(cluster_yaml(2) + dummy("a", "  meta: {isManaged: false}\n") +
                 constraint("away", "location: {resource: a, node: n1, score: -INFINITY}"),
             2);
  s.running("a", "n1").stopped("a", "n2");
  EXPECT_THAT(changes(s.schedule()), IsEmpty());
}

TEST(Scheduling, stop_all_resources_stops_everything) {
  Scenario s(
      cluster_yaml(2, "fencingEnabled: false, stopAllResources: true") + dummy("a") + dummy("b"),
      2);
  s.running("a", "n1").running("b", "n2");
  EXPECT_THAT(changes(s.schedule()), ElementsAre("stop a n1", "stop b n2"));
}

TEST(Scheduling, a_node_shutting_down_is_emptied_then_shut_down) {
  Scenario s(cluster_yaml(2) + dummy("a"), 2);
  s.running("a", "n1").stopped("a", "n2");
  s.node("n1").shutdown = true;
  EXPECT_THAT(changes(s.schedule()), ElementsAre("move a n1->n2", "shutdown n1"));
}

TEST(Scheduling, a_resource_active_on_two_nodes_is_stopped_on_both_and_started_once) {
  Scenario s(cluster_yaml(2) + dummy("a"), 2);
  s.running("a", "n1").running("a", "n2");
  const Transition transition = s.schedule();
  EXPECT_THAT(placement_of(transition), ElementsAre("a@n1"));
}

TEST(Scheduling, the_same_input_always_gives_the_same_transition) {
  Scenario s(cluster_yaml(3) + dummy("a") + dummy("b") + dummy("c") +
                 constraint("ab", "colocation: {resource: b, withResource: a, score: 50}"),
             3);
  s.running("a", "n2");
  EXPECT_EQ(changes(s.schedule()), changes(s.schedule()));
  EXPECT_EQ(placement_of(s.schedule()), placement_of(s.schedule()));
}

}  // namespace
}  // namespace tandem::placement
