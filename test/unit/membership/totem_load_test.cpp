// What keeps a large cluster on a small machine from drowning in its own
// joins (docs/membership.md, "Many nodes on few cores"): a commit that a
// member has already left is abandoned at once, the changes a batch of
// datagrams makes go out in one join, and an unchanged join is repeated
// less and less often.

#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "test/unit/membership/totem_harness.h"

namespace tandem::membership {
namespace {

using namespace std::chrono_literals;
using harness::join_from;
using harness::pump;

TotemConfig four_nodes() {
  TotemConfig config;
  config.self = 1;
  config.nodes = NodeSet::from({1, 2, 3, 4});
  config.token = Duration(1000);
  config.consensus = Duration(1200);
  return config;
}

// Node 1 forms a ring alone, then agrees with node 2 on {1, 2} and, as the
// representative, sends it the commit token.
struct Committed : harness::Alone {
  Committed() : Alone(four_nodes()) {
    now += 10ms;
    totem.receive(join_from(2, NodeSet::from({1, 2})), now);
    pump(totem, now);
  }
};

TEST(TotemLoad, a_join_showing_a_member_took_another_node_abandons_the_commit_at_once) {
  Committed node;
  ASSERT_EQ(node.totem.state(), State::kCommit);
  // Node 2 heard from node 3 before the commit token reached it: it will
  // drop the token, whose members no longer match its sets. Waiting for
  // the token timeout would leave node 1 deaf to everyone meanwhile.
  node.now += 1ms;
  node.totem.receive(join_from(2, NodeSet::from({1, 2, 3})), node.now);
  EXPECT_EQ(node.totem.state(), State::kGather);
}

TEST(TotemLoad, an_echo_of_the_agreed_join_leaves_the_commit_alone) {
  Committed node;
  ASSERT_EQ(node.totem.state(), State::kCommit);
  node.now += 1ms;
  node.totem.receive(join_from(2, NodeSet::from({1, 2})), node.now);
  node.totem.receive(join_from(2, NodeSet::from({2})), node.now);
  EXPECT_EQ(node.totem.state(), State::kCommit);
}

TEST(TotemLoad, the_changes_a_batch_of_joins_makes_go_out_in_one_join) {
  harness::Alone node(four_nodes());
  Totem& totem = node.totem;
  TimePoint& now = node.now;
  ASSERT_EQ(totem.state(), State::kOperational);
  now += 10ms;
  // Three joins read in one turn of the loop, each naming a node more.
  totem.receive(join_from(2, NodeSet::from({2})), now);
  totem.receive(join_from(3, NodeSet::from({3})), now);
  totem.receive(join_from(4, NodeSet::from({4})), now);
  std::vector<JoinMessage> joins = pump(totem, now);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].proc, NodeSet::from({1, 2, 3, 4}));
}

TEST(TotemLoad, a_node_that_forms_its_ring_alone_at_start_still_announces_itself) {
  // Its join would wait for the next tick, but the ring of one forms at
  // once; the join must go out first, or the others learn of this node
  // only from its merge announcements.
  SplitMix64 random(1);
  TimePoint now{};
  Totem totem(four_nodes(), 0, random, now);
  std::vector<JoinMessage> joins = pump(totem, now);
  ASSERT_EQ(joins.size(), 1u);
  EXPECT_EQ(joins[0].proc, NodeSet::from({1}));
  EXPECT_EQ(totem.state(), State::kOperational);
}

TEST(TotemLoad, repeats_an_unchanged_join_less_and_less_often) {
  harness::Alone node(four_nodes());
  Totem& totem = node.totem;
  TimePoint& now = node.now;
  now += 10ms;
  // Node 2 never agrees; node 1 keeps repeating its join until the
  // consensus timeout (1.2 s) fails node 2.
  totem.receive(join_from(2, NodeSet::from({2})), now);
  std::vector<Micros> sent;
  const TimePoint start = now;
  for (int step = 0; step < 1100; ++step) {
    if (!pump(totem, now).empty()) sent.push_back(now - start);
    now += 1ms;
  }
  // At once, then after 50 ms (the join interval), 100 ms, and then every
  // tenth of the consensus timeout: 120 ms.
  std::vector<Micros> expected{0ms, 50ms, 150ms, 270ms, 390ms, 510ms, 630ms, 750ms, 870ms, 990ms};
  EXPECT_EQ(sent, expected);
}

}  // namespace
}  // namespace tandem::membership
