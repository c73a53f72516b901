// Resource sets in orders and colocations: how the engine expands them
// into the orderings and colocations Pacemaker would make.

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
using testing::placement_of;
using testing::Scenario;

// A resource that cannot start anywhere: a disabled one.
std::string disabled(const std::string& name) {
  return dummy(name, "  meta: {targetRole: Stopped}\n");
}

TEST(OrderSets, a_sequential_set_of_three_starts_each_only_after_the_one_before) {
  Scenario s(cluster_yaml(1) + disabled("a") + dummy("b") + dummy("c") +
                 constraint("chain", "order: {sets: [{resources: [a, b, c]}]}"),
             1);
  // a cannot start, so b may not, so c may not.
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start b n1 (blocked)", "start c n1 (blocked)"));
}

TEST(OrderSets, the_middle_of_a_sequential_set_blocks_only_what_follows_it) {
  Scenario s(cluster_yaml(1) + dummy("a") + disabled("b") + dummy("c") +
                 constraint("chain", "order: {sets: [{resources: [a, b, c]}]}"),
             1);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start a n1", "start c n1 (blocked)"));
}

TEST(OrderSets, members_of_a_non_sequential_set_do_not_wait_for_each_other) {
  Scenario s(cluster_yaml(1) + disabled("a") + dummy("b") + dummy("c") +
                 constraint("together",
                            "order: {sets: [{resources: [a, b], sequential: false}, "
                            "{resources: [c]}]}"),
             1);
  // b does not wait for a, but c waits for both.
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start b n1", "start c n1 (blocked)"));
}

TEST(OrderSets, with_require_all_false_one_startable_member_is_enough) {
  Scenario s(cluster_yaml(1) + disabled("a") + dummy("b") + dummy("c") +
                 constraint("any",
                            "order: {sets: [{resources: [a, b], sequential: false, "
                            "requireAll: false}, {resources: [c]}]}"),
             1);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start b n1", "start c n1"));
}

TEST(OrderSets, with_require_all_false_the_next_set_waits_when_no_member_can_start) {
  Scenario s(cluster_yaml(1) + disabled("a") + disabled("b") + dummy("c") +
                 constraint("any",
                            "order: {sets: [{resources: [a, b], sequential: false, "
                            "requireAll: false}, {resources: [c]}]}"),
             1);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start c n1 (blocked)"));
}

TEST(OrderSets, a_symmetrical_set_stops_in_reverse_when_the_first_member_restarts) {
  Scenario s(cluster_yaml(1) + dummy("a") + dummy("b") +
                 constraint("chain", "order: {sets: [{resources: [a, b]}]}"),
             1);
  s.running("a", "n1").running("b", "n1");
  s.op("a", "n1", "monitor", 7, 10'000);  // a failed: recovered in place
  EXPECT_THAT(changes(s.schedule()), ElementsAre("recover a n1", "restart b n1"));
}

TEST(ColocationSets, a_set_keeps_its_members_together_with_the_first_placed_first) {
  Scenario s(cluster_yaml(2) + dummy("a") + dummy("b") + dummy("c") +
                 constraint("prefer", "location: {resource: a, node: n2, score: 100}") +
                 constraint("together",
                            "colocation: {score: INFINITY, sets: "
                            "[{resources: [a, b, c]}]}"),
             2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n2", "b@n2", "c@n2"));
}

TEST(ColocationSets, a_negative_set_keeps_every_member_apart) {
  Scenario s(cluster_yaml(3) + dummy("a") + dummy("b") + dummy("c") +
                 constraint("apart",
                            "colocation: {score: -INFINITY, sets: "
                            "[{resources: [a, b, c]}]}"),
             3);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n1", "b@n2", "c@n3"));
}

TEST(ColocationSets, the_earlier_set_follows_the_last_member_of_the_later_one) {
  Scenario s(cluster_yaml(2) + dummy("a") + dummy("b") + dummy("c") +
                 constraint("prefer", "location: {resource: c, node: n2, score: 100}") +
                 constraint("stack",
                            "colocation: {score: INFINITY, sets: "
                            "[{resources: [a]}, {resources: [b, c]}]}"),
             2);
  // Within [b, c], c follows b; a follows c, the later set's last member.
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n2", "b@n2", "c@n2"));
}

TEST(ColocationSets, a_set_with_role_started_colocates_its_members_in_any_role) {
  Scenario s(cluster_yaml(2) + dummy("a") + dummy("b") +
                 constraint("prefer", "location: {resource: a, node: n2, score: 100}") +
                 constraint("together",
                            "colocation: {score: INFINITY, sets: "
                            "[{resources: [a, b], role: Started}]}"),
             2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n2", "b@n2"));
}

TEST(ColocationSets, a_non_sequential_set_alone_colocates_nothing) {
  Scenario s(cluster_yaml(2) + dummy("a") + dummy("b") +
                 constraint("loose",
                            "colocation: {score: INFINITY, sets: "
                            "[{resources: [a, b], sequential: false}]}"),
             2);
  EXPECT_THAT(placement_of(s.schedule()), ElementsAre("a@n1", "b@n2"));
}

}  // namespace
}  // namespace tandem::placement
