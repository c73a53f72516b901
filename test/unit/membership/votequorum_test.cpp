// votequorum for every option: each test forms rings over a set of
// Votequorum instances the way the Totem does (every member's record
// travels in the commit token) and reads each member's quorate flag.

#include "sidecar/membership/votequorum.h"

#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "sidecar/membership/config.h"
#include "sidecar/membership/quorum_math.h"

namespace tandem::membership {
namespace {

using namespace std::chrono_literals;

class Cluster {
 public:
  Cluster(std::size_t count, const model::QuorumOptions& options,
          std::map<NodeId, std::uint32_t> votes = {}) {
    for (NodeId id = 1; id <= count; ++id) {
      std::uint32_t v = votes.contains(id) ? votes.at(id) : 1;
      membership_.nodes.push_back(
          model::MemberNode{"node" + std::to_string(id), id, "10.0.0." + std::to_string(id), v});
    }
    for (NodeId id = 1; id <= count; ++id) {
      auto config = make_membership_config(membership_, options, id);
      EXPECT_TRUE(config.has_value()) << config.error().message;
      notes_ = config->notes;
      nodes_.emplace(id, std::make_unique<Votequorum>(config->quorum, now_));
    }
  }

  // Forms a ring of `members`: each collects everyone's record first.
  void form(std::initializer_list<NodeId> members) {
    NodeSet set = NodeSet::from(std::vector<NodeId>(members));
    seq_ += 4;
    std::vector<MemberInfo> infos;
    for (NodeId id : set) infos.push_back(MemberInfo{id, encode_record(nodes_.at(id)->record())});
    for (NodeId id : set)
      nodes_.at(id)->on_configuration(RingId{set.front(), seq_}, set, infos, now_);
  }

  void advance(Duration d) {
    now_ += Micros(d);
    for (auto& [id, node] : nodes_) (void)node->tick(now_);
  }

  const Votequorum& operator[](NodeId id) const { return *nodes_.at(id); }
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  model::Membership membership_;
  std::map<NodeId, std::unique_ptr<Votequorum>> nodes_;
  std::vector<std::string> notes_;
  TimePoint now_{};
  std::uint64_t seq_ = 0;
};

model::QuorumOptions defaults() {
  return model::QuorumOptions{};
}

TEST(QuorumMath, quorum_is_a_strict_majority_of_expected_votes) {
  EXPECT_EQ(majority_of(1), 1u);
  EXPECT_EQ(majority_of(2), 2u);
  EXPECT_EQ(majority_of(3), 2u);
  EXPECT_EQ(majority_of(4), 3u);
  EXPECT_EQ(majority_of(5), 3u);
  EXPECT_EQ(majority_of(16), 9u);
}

TEST(QuorumMath, two_node_lowers_quorum_to_one_only_with_two_nodes_or_fewer) {
  EXPECT_EQ(calculate_quorum({2, 1, 1, 2, false, true}), 1u);
  EXPECT_EQ(calculate_quorum({2, 1, 1, 2, false, false}), 2u);
  EXPECT_EQ(calculate_quorum({3, 3, 3, 0, false, true}), 2u);
}

TEST(QuorumMath, quorum_never_drops_unless_allowed) {
  EXPECT_EQ(calculate_quorum({3, 3, 3, 4, false, false}), 4u);
  EXPECT_EQ(calculate_quorum({3, 3, 3, 4, true, false}), 2u);
}

TEST(Votequorum, the_majority_partition_is_quorate_and_the_minority_is_not) {
  Cluster c(5, defaults());
  c.form({1, 2, 3, 4, 5});
  EXPECT_TRUE(c[1].quorate());
  EXPECT_EQ(c[1].expected_votes(), 5u);
  EXPECT_EQ(c[1].quorum(), 3u);
  c.form({1, 2, 3});
  c.form({4, 5});
  EXPECT_TRUE(c[1].quorate());
  EXPECT_FALSE(c[4].quorate());
  EXPECT_FALSE(c[5].quorate());
}

TEST(Votequorum, a_node_alone_at_startup_is_not_quorate) {
  Cluster c(3, defaults());
  EXPECT_FALSE(c[1].quorate());
  EXPECT_EQ(c[1].quorum(), 2u);
}

TEST(Votequorum, configured_expected_votes_raise_the_quorum) {
  model::QuorumOptions options;
  options.expected_votes = 7;
  Cluster c(5, options);
  c.form({1, 2, 3});
  EXPECT_EQ(c[1].quorum(), 4u);
  EXPECT_FALSE(c[1].quorate());
  c.form({1, 2, 3, 4});
  EXPECT_TRUE(c[1].quorate());
}

TEST(Votequorum, a_node_with_more_votes_counts_them) {
  Cluster c(3, defaults(), {{1, 3}});
  c.form({1});
  EXPECT_EQ(c[1].expected_votes(), 5u);
  EXPECT_EQ(c[1].total_votes(), 3u);
  EXPECT_TRUE(c[1].quorate());
  c.form({2, 3});
  EXPECT_FALSE(c[2].quorate());
}

TEST(Votequorum, two_node_keeps_quorum_with_one_node) {
  model::QuorumOptions options;
  options.two_node = true;
  Cluster c(2, options);
  c.form({1, 2});
  EXPECT_TRUE(c[1].quorate());
  EXPECT_EQ(c[1].quorum(), 1u);
  c.form({1});
  EXPECT_TRUE(c[1].quorate());
}

TEST(Votequorum, two_node_implies_wait_for_all_at_startup) {
  model::QuorumOptions options;
  options.two_node = true;
  Cluster c(2, options);
  c.form({1});
  EXPECT_FALSE(c[1].quorate());
  EXPECT_TRUE(c[1].waiting_for_all());
  c.form({1, 2});
  EXPECT_TRUE(c[1].quorate());
}

TEST(Votequorum, two_node_without_wait_for_all_is_quorate_alone_at_startup) {
  model::QuorumOptions options;
  options.two_node = true;
  options.wait_for_all = false;
  Cluster c(2, options);
  c.form({1});
  EXPECT_TRUE(c[1].quorate());
}

TEST(Votequorum, wait_for_all_waits_until_every_node_has_been_seen) {
  model::QuorumOptions options;
  options.wait_for_all = true;
  Cluster c(3, options);
  c.form({1, 2});
  EXPECT_FALSE(c[1].quorate());
  c.form({1, 2, 3});
  EXPECT_TRUE(c[1].quorate());
  c.form({1, 2});
  EXPECT_TRUE(c[1].quorate());
}

TEST(Votequorum, wait_for_all_applies_again_after_quorum_is_lost) {
  model::QuorumOptions options;
  options.wait_for_all = true;
  Cluster c(3, options);
  c.form({1, 2, 3});
  c.form({1});
  EXPECT_FALSE(c[1].quorate());
  EXPECT_TRUE(c[1].waiting_for_all());
}

TEST(Votequorum, last_man_standing_lowers_expected_votes_after_the_window) {
  model::QuorumOptions options;
  options.last_man_standing = true;
  options.wait_for_all = true;
  options.last_man_standing_window = 10s;
  Cluster c(5, options);
  c.form({1, 2, 3, 4, 5});
  c.form({1, 2, 3});
  EXPECT_TRUE(c[1].quorate());
  EXPECT_EQ(c[1].expected_votes(), 5u);
  c.advance(9s);
  EXPECT_EQ(c[1].expected_votes(), 5u);
  c.advance(2s);
  EXPECT_EQ(c[1].expected_votes(), 3u);
  EXPECT_EQ(c[1].quorum(), 2u);
  // Two of the three remaining can now carry on.
  c.form({1, 2});
  EXPECT_TRUE(c[1].quorate());
}

TEST(Votequorum, last_man_standing_is_disabled_when_a_node_has_more_than_one_vote) {
  model::QuorumOptions options;
  options.last_man_standing = true;
  options.wait_for_all = true;
  Cluster c(3, options, {{2, 2}});
  ASSERT_EQ(c.notes().size(), 1u);
  EXPECT_EQ(c.notes()[0],
            "last_man_standing works only when every node has 1 vote: last_man_standing has been "
            "disabled");
}

TEST(Votequorum, auto_tie_breaker_lowest_gives_an_even_split_to_the_lowest_node) {
  model::QuorumOptions options;
  options.auto_tie_breaker = true;
  Cluster c(4, options);
  c.form({1, 2, 3, 4});
  c.form({1, 2});
  c.form({3, 4});
  EXPECT_TRUE(c[1].quorate());
  EXPECT_TRUE(c[2].quorate());
  EXPECT_FALSE(c[3].quorate());
  EXPECT_FALSE(c[4].quorate());
}

TEST(Votequorum, auto_tie_breaker_highest_gives_an_even_split_to_the_highest_node) {
  model::QuorumOptions options;
  options.auto_tie_breaker = true;
  options.auto_tie_breaker_node = model::TieBreaker::kHighest;
  Cluster c(4, options);
  c.form({1, 2, 3, 4});
  c.form({1, 2});
  c.form({3, 4});
  EXPECT_FALSE(c[1].quorate());
  EXPECT_TRUE(c[3].quorate());
}

TEST(Votequorum, auto_tie_breaker_list_prefers_the_first_listed_node_present) {
  model::QuorumOptions options;
  options.auto_tie_breaker = true;
  options.auto_tie_breaker_node = model::TieBreaker::kList;
  options.auto_tie_breaker_nodes = {3, 1};
  Cluster c(4, options);
  c.form({1, 2, 3, 4});
  c.form({1, 4});
  c.form({2, 3});
  EXPECT_FALSE(c[1].quorate());
  EXPECT_TRUE(c[2].quorate());
  EXPECT_TRUE(c[3].quorate());
}

TEST(Votequorum, auto_tie_breaker_does_not_help_a_half_that_never_saw_a_majority) {
  model::QuorumOptions options;
  options.auto_tie_breaker = true;
  Cluster c(4, options);
  c.form({1, 2});
  EXPECT_FALSE(c[1].quorate());
}

TEST(Votequorum, two_node_and_auto_tie_breaker_together_disable_two_node) {
  model::QuorumOptions options;
  options.two_node = true;
  options.auto_tie_breaker = true;
  Cluster c(2, options);
  ASSERT_FALSE(c.notes().empty());
  EXPECT_EQ(c.notes()[0],
            "two_node and auto_tie_breaker are not compatible: two_node has been disabled");
}

TEST(Votequorum, auto_tie_breaker_with_odd_votes_needs_wait_for_all) {
  model::QuorumOptions options;
  options.auto_tie_breaker = true;
  options.wait_for_all = false;
  Cluster c(3, options);
  ASSERT_EQ(c.notes().size(), 1u);
  EXPECT_EQ(c.notes()[0],
            "auto_tie_breaker needs wait_for_all in a cluster with an odd number of votes: "
            "auto_tie_breaker has been disabled");
}

TEST(Votequorum, a_member_record_that_does_not_decode_counts_with_its_configured_votes) {
  auto config = make_membership_config(
      model::Membership{
          std::nullopt,
          5405,
          {},
          {},
          {{"a", 1, "10.0.0.1", 1}, {"b", 2, "10.0.0.2", 1}, {"c", 3, "10.0.0.3", 1}}},
      defaults(), 1);
  ASSERT_TRUE(config.has_value());
  Votequorum q(config->quorum, TimePoint{});
  NodeSet members = NodeSet::from({1, 2});
  std::vector<MemberInfo> infos = {{1, encode_record(q.record())}, {2, Bytes{1, 2, 3}}};
  QuorumChanged change = q.on_configuration(RingId{1, 4}, members, infos, TimePoint{});
  EXPECT_TRUE(change.quorate);
  EXPECT_EQ(change.total_votes, 2u);
  auto notices = q.take_notices();
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0], "node 2: votequorum record has 3 bytes, expected 22");
}

TEST(VotequorumRecord, round_trips_and_rejects_bad_versions_and_flags) {
  NodeRecord record{3, 7, true, false, TieBreakerMemory{12, 2}};
  Bytes bytes = encode_record(record);
  auto back = decode_record(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, record);
  bytes[0] = 9;
  EXPECT_EQ(decode_record(bytes).error().message, "votequorum record has version 9, expected 1");
  bytes = encode_record(record);
  bytes[9] = 0x80;
  EXPECT_EQ(decode_record(bytes).error().message, "votequorum record flags have unknown bits set");
}

}  // namespace
}  // namespace tandem::membership
