// The status file and `tandem-sidecar status`'s text: the layout is
// corosync-quorumtool -s's, checked against what corosync 3.1.7 printed for
// the same situations.

#include "sidecar/transport/status.h"

#include <gtest/gtest.h>

#include "test/unit/transport/sample_status.h"

namespace tandem::transport {
namespace {

MembershipStatus two_of_three() {
  MembershipStatus s = two_of_three_seen_from(1);
  s.transport.sent = 10;
  s.transport.received = 9;
  s.transport.accepted = 7;
  s.transport.rejected = 1;
  s.transport.dropped.by_reason[static_cast<std::size_t>(DropReason::kBadMac)] = 2;
  s.updated_unix_ms = 1'700'000'000'123;
  return s;
}

TEST(Status, a_quorate_ring_prints_as_corosync_quorumtool_does) {
  // corosync 3.1.7, three-node nodelist, nodes 1 and 2 running.
  EXPECT_EQ(quorumtool_text(two_of_three(), "Wed Nov 25 02:09:23 2026"),
            "Quorum information\n"
            "------------------\n"
            "Date:             Wed Nov 25 02:09:23 2026\n"
            "Quorum provider:  corosync_votequorum\n"
            "Nodes:            2\n"
            "Node ID:          1\n"
            "Ring ID:          1.9\n"
            "Quorate:          Yes\n"
            "\n"
            "Votequorum information\n"
            "----------------------\n"
            "Expected votes:   3\n"
            "Highest expected: 3\n"
            "Total votes:      2\n"
            "Quorum:           2  \n"
            "Flags:            Quorate \n"
            "\n"
            "Membership information\n"
            "----------------------\n"
            "    Nodeid      Votes Name\n"
            "         1          1 alpha (local)\n"
            "         2          1 beta\n");
}

TEST(Status, a_ring_without_quorum_says_activity_blocked_as_corosync_does) {
  MembershipStatus s = two_of_three();
  s.ring_sequence = 13;
  s.members = {{1, 1, "alpha"}};
  s.quorate = false;
  s.total_votes = 1;
  s.flags = {};
  EXPECT_EQ(quorumtool_text(s, "Wed Nov 25 02:09:28 2026"),
            "Quorum information\n"
            "------------------\n"
            "Date:             Wed Nov 25 02:09:28 2026\n"
            "Quorum provider:  corosync_votequorum\n"
            "Nodes:            1\n"
            "Node ID:          1\n"
            "Ring ID:          1.d\n"
            "Quorate:          No\n"
            "\n"
            "Votequorum information\n"
            "----------------------\n"
            "Expected votes:   3\n"
            "Highest expected: 3\n"
            "Total votes:      1\n"
            "Quorum:           2 Activity blocked\n"
            "Flags:            \n"
            "\n"
            "Membership information\n"
            "----------------------\n"
            "    Nodeid      Votes Name\n"
            "         1          1 alpha (local)\n");
}

TEST(Status, two_node_flags_print_in_corosyncs_order) {
  MembershipStatus s = two_of_three();
  s.expected_votes = s.highest_expected = 2;
  s.quorum = 1;
  s.flags = {"2Node", "Quorate", "WaitForAll"};
  std::string text = quorumtool_text(s, "now");
  EXPECT_NE(text.find("Quorum:           1  \nFlags:            2Node Quorate WaitForAll \n"),
            std::string::npos);
}

TEST(Status, ring_ids_are_hexadecimal_like_corosyncs) {
  EXPECT_EQ(ring_id_text(1, 9), "1.9");
  EXPECT_EQ(ring_id_text(26, 255), "1a.ff");
}

TEST(Status, the_json_round_trips) {
  MembershipStatus s = two_of_three();
  auto back = status_from_json(to_json(s), "status.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s);
}

TEST(Status, the_json_names_the_ring_members_and_drops) {
  std::string json = to_json(two_of_three());
  EXPECT_NE(json.find("\"ring_id\": \"1.9\""), std::string::npos);
  EXPECT_NE(json.find("\"bad_mac\": 2"), std::string::npos);
  EXPECT_NE(json.find("\"local\": true"), std::string::npos);
}

TEST(Status, a_file_that_is_not_json_is_refused_by_name) {
  auto s = status_from_json("garbage", "/x/status.json");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "/x/status.json: not a status file (not a JSON object)");
}

TEST(Status, a_file_with_missing_fields_is_refused_by_name) {
  auto s = status_from_json(R"({"version": 1, "pid": 3})", "/x/status.json");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message.rfind("/x/status.json: not a status file tandem-sidecar wrote: ", 0),
            0U);
}

TEST(Status, another_version_is_refused) {
  auto s = status_from_json(R"({"version": 7})", "/x/status.json");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message,
            "/x/status.json: status file version 7 is not the one this tandem-sidecar writes (1)");
}

}  // namespace
}  // namespace tandem::transport
