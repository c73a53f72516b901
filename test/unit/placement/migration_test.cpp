// Live migration: a resource that allows it moves by migrate_to and
// migrate_from instead of a stop and a start.

#include <algorithm>
#include <string>
#include <vector>

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
using testing::Scenario;

std::string migratable(const std::string& name) {
  return dummy(name, "  meta: {allowMigrate: true}\n");
}

std::string prefer(const std::string& rsc, const std::string& node) {
  return constraint(rsc + "-" + node,
                    "location: {resource: " + rsc + ", node: " + node + ", score: 100}");
}

TEST(Migration, a_migratable_resource_that_moves_is_migrated) {
  Scenario s(cluster_yaml(2) + migratable("vm") + prefer("vm", "n2"), 2);
  s.running("vm", "n1").stopped("vm", "n2");
  EXPECT_THAT(changes(s.schedule()), ElementsAre("migrate vm n1->n2"));
}

TEST(Migration, a_resource_that_does_not_allow_it_is_moved_by_stop_and_start) {
  Scenario s(cluster_yaml(2) + dummy("vm") + prefer("vm", "n2"), 2);
  s.running("vm", "n1").stopped("vm", "n2");
  EXPECT_THAT(changes(s.schedule()), ElementsAre("move vm n1->n2"));
}

TEST(Migration, a_failed_resource_is_recovered_rather_than_migrated) {
  Scenario s(cluster_yaml(2) + migratable("vm") + prefer("vm", "n2"), 2);
  s.running("vm", "n1").stopped("vm", "n2");
  s.op("vm", "n1", "monitor", 1, 10'000);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("recover vm n1->n2"));
}

TEST(Migration, the_migration_and_its_stop_and_start_are_all_in_the_transition) {
  Scenario s(cluster_yaml(2) + migratable("vm") + prefer("vm", "n2"), 2);
  s.running("vm", "n1").stopped("vm", "n2");
  const Transition transition = s.schedule();
  std::vector<std::string> tasks;
  for (const auto& action : transition.actions) {
    if (action.resource == "vm" && action.task != "monitor") {
      tasks.push_back(action.task + "@" + action.node + (action.pseudo ? " (pseudo)" : ""));
    }
  }
  std::sort(tasks.begin(), tasks.end());
  EXPECT_THAT(tasks,
              ElementsAre("migrate_from@n2", "migrate_to@n1", "start@n2 (pseudo)", "stop@n1"));
}

TEST(Migration, two_ordered_migratable_resources_both_migrate) {
  Scenario s(cluster_yaml(2) + migratable("a") + migratable("b") + prefer("a", "n2") +
                 prefer("b", "n1") + constraint("a-then-b", "order: {first: a, then: b}"),
             2);
  s.running("a", "n1").stopped("a", "n2").running("b", "n2").stopped("b", "n1");
  EXPECT_THAT(changes(s.schedule()), ElementsAre("migrate a n1->n2", "migrate b n2->n1"));
}

// The history of a migration from n1 to n2 that got as far as migrate_to.
void half_migrated(Scenario& s, const std::string& rsc) {
  s.running(rsc, "n1").stopped(rsc, "n2");
  s.op(rsc, "n1", "migrate_to", 0);
  s.history(rsc, "n1").ops.back().migrate_source = "n1";
  s.history(rsc, "n1").ops.back().migrate_target = "n2";
}

std::vector<std::string> resource_actions(const Transition& transition, const std::string& rsc) {
  std::vector<std::string> out;
  for (const auto& action : transition.actions) {
    if (action.resource == rsc && action.task != "monitor" && !action.pseudo) {
      out.push_back(action.task + "@" + action.node);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Migration, a_migration_found_half_done_goes_on_with_migrate_from) {
  Scenario s(cluster_yaml(2) + migratable("vm") + prefer("vm", "n2"), 2);
  half_migrated(s, "vm");
  const Transition transition = s.schedule();
  EXPECT_THAT(changes(transition), ElementsAre("migrate vm n1->n2"));
  EXPECT_THAT(resource_actions(transition, "vm"), ElementsAre("migrate_from@n2", "stop@n1"));
}

TEST(Migration, a_half_done_migration_whose_target_changed_stops_on_both_nodes) {
  Scenario s(cluster_yaml(3) + migratable("vm") +
                 constraint("not-n2", "location: {resource: vm, node: n2, score: -INFINITY}") +
                 prefer("vm", "n3"),
             3);
  half_migrated(s, "vm");
  s.stopped("vm", "n3");
  EXPECT_THAT(resource_actions(s.schedule(), "vm"), ElementsAre("start@n3", "stop@n1", "stop@n2"));
}

}  // namespace
}  // namespace tandem::placement
