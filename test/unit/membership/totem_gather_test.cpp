// Gather: which failures a node takes from the join of a node outside its
// own ring. Taking them from anyone caused join storms; taking them from
// nobody left groups that learnt of a crash separately failing each other
// (simulator seed 11946). The rule: a reported failure is taken when this
// node has not heard from the failed node within the consensus timeout.
// And at a consensus timeout, a node that disagrees but is heard from gets
// one more timeout before it is failed.

#include <optional>

#include <gtest/gtest.h>

#include "test/unit/membership/totem_harness.h"

namespace tandem::membership {
namespace {

using namespace std::chrono_literals;
using harness::join_from;
using harness::pump;

TotemConfig three_nodes() {
  TotemConfig config;
  config.self = 1;
  config.nodes = NodeSet::from({1, 2, 3});
  config.token = Duration(1000);
  config.consensus = Duration(1200);
  return config;
}

// The fail set of the last join the node broadcast, if any.
std::optional<NodeSet> last_fail(const std::vector<JoinMessage>& joins) {
  if (joins.empty()) return std::nullopt;
  return joins.back().fail;
}

// Node 1 forms a ring alone, then hears node 3 (which knows only itself
// yet) and gathers with it; node 3 then falls silent. At `later`, node 2
// (from another ring) reports node 3 failed. Returns the fail set of node
// 1's answer.
std::optional<NodeSet> report_after(Micros later) {
  harness::Alone node(three_nodes());
  Totem& totem = node.totem;
  TimePoint& now = node.now;
  EXPECT_EQ(totem.state(), State::kOperational);
  now += 10ms;
  totem.receive(join_from(3, NodeSet::from({3}), NodeSet{}), now);
  pump(totem, now);
  EXPECT_EQ(totem.state(), State::kGather);
  now += later;
  // Node 2 has not heard of node 1 yet, so node 1 answers with a join
  // rather than agreeing with it at once.
  totem.receive(join_from(2, NodeSet::from({2, 3}), NodeSet::from({3})), now);
  return last_fail(pump(totem, now));
}

TEST(TotemGather, takes_a_failure_another_ring_reports_of_a_node_it_has_not_heard_either) {
  // Longer than the consensus timeout (1.2 s) without a word from node 3.
  EXPECT_EQ(report_after(1500ms), NodeSet::from({3}));
}

TEST(TotemGather, keeps_a_node_it_heard_recently_although_another_ring_reports_it_failed) {
  EXPECT_EQ(report_after(100ms), NodeSet{});
}

TEST(TotemGather, a_join_whose_sets_it_adopts_counts_as_agreement_at_once) {
  // Node 3's join names exactly the sets node 1 takes from it: node 1 (the
  // lowest) commits without waiting a join interval for node 3's next join.
  harness::Alone node(three_nodes());
  Totem& totem = node.totem;
  TimePoint& now = node.now;
  ASSERT_EQ(totem.state(), State::kOperational);
  now += 10ms;
  totem.receive(join_from(3, NodeSet::from({1, 3}), NodeSet{}), now);
  pump(totem, now);
  EXPECT_EQ(totem.state(), State::kCommit);
}

// Node 1 forms a ring alone, then hears node 2, which never sends the sets
// node 1 holds. Returns how long after first hearing it node 1 fails node
// 2 and forms a ring without it (nullopt if not within 5 s). `talking`:
// node 2 keeps sending its join.
std::optional<Micros> time_to_fail_disagreeing_node(bool talking) {
  harness::Alone node(three_nodes());
  Totem& totem = node.totem;
  TimePoint& now = node.now;
  const TimePoint start = now;
  for (int step = 0; step < 500; ++step) {
    if (step == 0 || talking) totem.receive(join_from(2, NodeSet::from({2}), NodeSet{}), now);
    totem.tick(now);
    pump(totem, now);
    if (step > 0 && totem.state() == State::kOperational) return now - start;
    now += 10ms;
  }
  return std::nullopt;
}

TEST(TotemGather, fails_a_silent_node_at_the_first_consensus_timeout) {
  std::optional<Micros> after = time_to_fail_disagreeing_node(false);
  ASSERT_TRUE(after.has_value());
  EXPECT_GE(*after, 1200ms);
  EXPECT_LT(*after, 1300ms);
}

TEST(TotemGather, spares_a_live_node_that_disagrees_until_the_second_consensus_timeout) {
  std::optional<Micros> after = time_to_fail_disagreeing_node(true);
  ASSERT_TRUE(after.has_value());
  EXPECT_GE(*after, 2400ms);
  EXPECT_LT(*after, 2500ms);
}

}  // namespace
}  // namespace tandem::membership
