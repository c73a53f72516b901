// Utilization and placement strategies: node capacities, what resources
// use of them, and how each strategy chooses among nodes that fit.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/placement/scenario.h"

namespace tandem::placement {
namespace {

using testing::changes;
using testing::constraint;
using testing::dummy;
using ::testing::ElementsAre;
using testing::placement_of;
using testing::Scenario;

// A cluster with the given strategy and nodes n1..nN of the given cpu
// capacities.
std::string cluster(const std::string& strategy, const std::vector<int>& cpus) {
  std::string text =
      "apiVersion: tandem.dev/v1alpha1\nkind: HACluster\nmetadata: {name: c}\nspec:\n"
      "  options: {fencingEnabled: false, placementStrategy: " +
      strategy + "}\n";
  for (std::size_t n = 0; n < cpus.size(); ++n) {
    text += "---\napiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n" +
            std::to_string(n + 1) + "}\nspec: {utilization: {cpu: " + std::to_string(cpus[n]) +
            "}}\n";
  }
  return text;
}

std::string using_cpu(const std::string& name, int cpu, const std::string& meta = "") {
  return dummy(name, "  meta: {utilization: {cpu: " + std::to_string(cpu) + "}" + meta + "}\n");
}

TEST(Utilization, the_default_strategy_ignores_capacity) {
  Scenario s(cluster("default", {1, 1}) + using_cpu("a", 2) + using_cpu("b", 2), 2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n1", "b@n2"));
}

TEST(Utilization, a_resource_that_fits_nowhere_cannot_run) {
  Scenario s(cluster("utilization", {1, 1}) + using_cpu("a", 2), 2);
  EXPECT_THAT(changes(s.schedule()), ElementsAre());
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre());
}

TEST(Utilization, once_capacity_is_used_up_the_next_resource_goes_elsewhere) {
  Scenario s(cluster("utilization", {2, 2}) + using_cpu("a", 2) + using_cpu("b", 1) +
                 constraint("a-n1", "location: {resource: a, node: n1, score: 10}") +
                 constraint("b-n1", "location: {resource: b, node: n1, score: 10}"),
             2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n1", "b@n2"));
}

TEST(Utilization, when_capacity_is_exhausted_everywhere_the_last_resource_stays_stopped) {
  Scenario s(
      cluster("utilization", {1, 1}) + using_cpu("a", 1) + using_cpu("b", 1) + using_cpu("c", 1),
      2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n1", "b@n2"));
}

TEST(Utilization, higher_priority_resources_get_the_capacity_first) {
  Scenario s(
      cluster("utilization", {1}) + using_cpu("low", 1) + using_cpu("high", 1, ", priority: 10"),
      1);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("high@n1"));
}

TEST(Utilization, balanced_puts_a_resource_on_the_node_with_most_free_capacity) {
  Scenario s(cluster("balanced", {4, 8}) + using_cpu("a", 1), 2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n2"));
}

TEST(Utilization, balanced_spreads_resources_by_what_remains) {
  Scenario s(
      cluster("balanced", {4, 8}) + using_cpu("a", 5) + using_cpu("b", 1) + using_cpu("c", 1), 2);
  // a takes 5 of n2's 8, leaving 3 there against n1's 4: b goes to n1. Then
  // c finds 3 free on each, and one resource on each: the name decides.
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n2", "b@n1", "c@n1"));
}

TEST(Utilization, minimal_packs_resources_onto_the_first_node_that_fits) {
  Scenario s(cluster("minimal", {4, 8}) + using_cpu("a", 1) + using_cpu("b", 1), 2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n1", "b@n1"));
}

TEST(Utilization, a_group_needs_room_for_all_its_members_on_one_node) {
  Scenario s(cluster("utilization", {2, 3}) + using_cpu("a", 2) + using_cpu("b", 1) +
                 "---\napiVersion: tandem.dev/v1alpha1\nkind: HAGroup\nmetadata: {name: g}\n"
                 "spec: {resources: [a, b]}\n",
             2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n2", "b@n2"));
}

TEST(Utilization, colocated_resources_need_room_together) {
  Scenario s(cluster("utilization", {2, 3}) + using_cpu("a", 2) + using_cpu("b", 1) +
                 constraint("with", "colocation: {resource: b, withResource: a, score: INFINITY}"),
             2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n2", "b@n2"));
}

}  // namespace
}  // namespace tandem::placement
