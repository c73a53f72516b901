// The status file's link, clock and process group views: corosync-cfgtool -s's layout (as
// corosync 3.1.7 printed it for transport udpu, three nodes, seen from node
// 2) and tandem's clock table, and their JSON.

#include "sidecar/transport/status_text.h"

#include <limits>

#include <gtest/gtest.h>

#include "test/unit/transport/sample_status.h"

namespace tandem::transport {
namespace {

MembershipStatus three_nodes_seen_from_two() {
  MembershipStatus s = two_of_three_seen_from(2);
  s.local_address = "10.0.0.2";
  s.link_timeout_ms = 5000;
  s.links = {{1, "alpha", "10.0.0.1:5405", true, 1'700'000'000'100},
             {3, "gamma", "10.0.0.3:5405", false, std::nullopt}};
  s.max_clock_offset_us = 500'000;
  s.clock = {{1, "alpha", 612'345, 412, 1'700'000'000'050, 8, true},
             {3, "gamma", std::nullopt, std::nullopt, std::nullopt, 0, false}};
  s.updated_unix_ms = 1'700'000'000'123;
  return s;
}

TEST(StatusText, links_print_in_corosync_cfgtools_layout_in_node_id_order) {
  EXPECT_EQ(cfgtool_text(three_nodes_seen_from_two()),
            "Local node ID 2, transport udpu\n"
            "LINK ID 0 \n"
            "\taddr\t= 10.0.0.3\n"
            "\tstatus:\n"
            "\t\tnodeid:          1:\tconnected\n"
            "\t\tnodeid:          2:\tlocalhost\n"
            "\t\tnodeid:          3:\tdisconnected\n");
}

TEST(StatusText, the_address_is_the_last_other_nodes_as_corosync_prints_it) {
  MembershipStatus s = three_nodes_seen_from_two();
  s.node_id = 3;
  s.links = {{1, "alpha", "10.0.0.1:5405", true, {}}, {2, "beta", "10.0.0.2:5405", true, {}}};
  EXPECT_NE(cfgtool_text(s).find("\taddr\t= 10.0.0.2\n"), std::string::npos);
  s.links.clear();
  EXPECT_NE(cfgtool_text(s).find("\taddr\t= 10.0.0.2\n"), std::string::npos)
      << "alone in the nodelist: its own address";
  EXPECT_EQ(host_of("[fd00:213::3]:5405"), "fd00:213::3");
  EXPECT_EQ(host_of("10.0.0.3:5405"), "10.0.0.3");
  EXPECT_EQ(host_of("weird"), "weird");
}

TEST(StatusText, the_local_node_comes_first_or_last_by_its_id) {
  MembershipStatus s = three_nodes_seen_from_two();
  s.node_id = 9;
  EXPECT_NE(cfgtool_text(s).find("disconnected\n\t\tnodeid:          9:\tlocalhost\n"),
            std::string::npos);
  s.node_id = 0;
  s.links.clear();
  EXPECT_EQ(cfgtool_text(s).substr(cfgtool_text(s).find("\tstatus:")),
            "\tstatus:\n\t\tnodeid:          0:\tlocalhost\n");
}

TEST(StatusText, clocks_print_their_offset_round_trip_and_whether_beyond_the_bound) {
  EXPECT_EQ(clock_text(three_nodes_seen_from_two()),
            "Clock information\n"
            "-----------------\n"
            "Node ID:          2\n"
            "Max offset:       500.000 ms\n"
            "\n"
            "    Nodeid          Offset      Round trip Name\n"
            "         1     +612.345 ms        0.412 ms alpha (beyond the bound)\n"
            "         3               -               - gamma\n");
}

TEST(StatusText, milliseconds_print_with_their_sign_even_at_the_extremes) {
  EXPECT_EQ(milliseconds_text(-4, true), "-0.004 ms");
  EXPECT_EQ(milliseconds_text(1250, true), "+1.250 ms");
  EXPECT_EQ(milliseconds_text(0, false), "0.000 ms");
  EXPECT_EQ(milliseconds_text(std::numeric_limits<std::int64_t>::min(), true),
            "-9223372036854775.808 ms");
}

TEST(StatusText, links_and_clocks_round_trip_through_the_json) {
  MembershipStatus s = three_nodes_seen_from_two();
  auto back = status_from_json(to_json(s), "status.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s);
  EXPECT_NE(to_json(s).find("\"offset_us\": 612345"), std::string::npos);
  EXPECT_NE(to_json(s).find("\"offset_us\": null"), std::string::npos);
}

TEST(StatusText, a_file_from_before_links_reads_without_them) {
  MembershipStatus s = three_nodes_seen_from_two();
  s.local_address.clear();
  std::string json = to_json(s);
  EXPECT_EQ(json.find("\"links\""), std::string::npos);
  auto back = status_from_json(json, "status.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(back->links.empty());
  EXPECT_TRUE(back->clock.empty());
}

TEST(StatusText, links_that_are_not_a_list_are_refused_by_name) {
  std::string json = to_json(three_nodes_seen_from_two());
  std::size_t at = json.find("\"nodes\": [");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, 10, "\"nodes\": 7, \"x\": [");
  auto back = status_from_json(json, "/x/status.json");
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().message, "/x/status.json: links.nodes is not a list of nodes");
}

MembershipStatus with_groups() {
  MembershipStatus s = three_nodes_seen_from_two();
  s.groups = std::vector<GroupStatus>{{"crmd", {{1, 1725}, {2, 880}}}, {"a\\b\x01", {{2, 7}}}};
  return s;
}

TEST(StatusText, groups_print_in_corosync_cpgtools_layout_with_each_members_address) {
  EXPECT_EQ(cpgtool_text(with_groups()),
            "Group Name\t       PID\t   Node ID\n"
            "crmd\n"
            "\t\t      1725\t         1 (10.0.0.1)\n"
            "\t\t       880\t         2 (10.0.0.2)\n"
            "a\\\\b\\x01\n"
            "\t\t         7\t         2 (10.0.0.2)\n");
}

TEST(StatusText, groups_round_trip_through_the_json_and_are_absent_without_a_socket) {
  auto back = status_from_json(to_json(with_groups()), "status.json");
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, with_groups());
  const std::string without = to_json(three_nodes_seen_from_two());
  EXPECT_EQ(without.find("\"groups\""), std::string::npos);
  auto read = status_from_json(without, "status.json");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_FALSE(read->groups.has_value());
}

TEST(StatusText, groups_that_are_not_a_list_are_refused_by_name) {
  std::string json = to_json(with_groups());
  std::size_t at = json.find("\"groups\": [");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, 11, "\"groups\": 7, \"x\": [");
  auto back = status_from_json(json, "/x/status.json");
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().message,
            "/x/status.json: groups is not a list of groups with a list of members each");
}

}  // namespace
}  // namespace tandem::transport
