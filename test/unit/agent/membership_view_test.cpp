#include "sidecar/agent/membership_view.h"

#include <gtest/gtest.h>

#include "test/unit/transport/sample_status.h"

namespace tandem::agent {
namespace {

transport::MembershipStatus status() {
  transport::MembershipStatus s = transport::two_of_three_seen_from(1);
  s.ring_sequence = 13;
  return s;
}

TEST(MembershipView, the_report_shows_the_ring_as_corosync_prints_it_with_member_names) {
  protocol::MembershipView view = membership_view(status(), 1234);
  EXPECT_EQ(view.ring_id, "1.d");
  EXPECT_EQ(view.state, "OPERATIONAL");
  ASSERT_EQ(view.members.size(), 2U);
  EXPECT_EQ(view.members[1].node_id, 2U);
  EXPECT_EQ(view.members[1].name, "beta");
  EXPECT_TRUE(view.quorate);
  EXPECT_EQ(view.expected_votes, 3U);
  EXPECT_EQ(view.total_votes, 2U);
  EXPECT_EQ(view.quorum, 2U);
  EXPECT_EQ(view.quorate_since_unix_ms, 1234);
}

TEST(MembershipView, before_the_first_ring_there_is_no_ring_id) {
  transport::MembershipStatus s = status();
  s.ring_representative = 0;
  s.ring_sequence = 0;
  EXPECT_EQ(membership_view(s, 0).ring_id, "");
  EXPECT_EQ(quorum_snapshot(s).ring_id, "");
}

TEST(MembershipView, only_an_operational_ring_counts_as_formed) {
  transport::MembershipStatus s = status();
  EXPECT_TRUE(quorum_snapshot(s).operational);
  s.state = "GATHER";
  QuorumSnapshot forming = quorum_snapshot(s);
  EXPECT_FALSE(forming.operational);
  EXPECT_TRUE(forming.quorate);
}

}  // namespace
}  // namespace tandem::agent
