// Process groups over the total order: who gets which message, and that
// every node sees the same membership at the same point of the stream,
// across configuration changes (sidecar/groups/groups.h).

#include "sidecar/groups/groups.h"

#include <gtest/gtest.h>

#include "test/unit/groups/harness.h"

namespace tandem::groups {
namespace {

using membership::Delivered;
using testing::Harness;

std::string node_members(Groups& groups, std::string_view group) {
  std::string out;
  for (const Member& member : groups.members(group))
    out += (out.empty() ? "" : " ") + std::to_string(member.id.node) + ":" +
           std::to_string(member.id.client);
  return out;
}

// Three nodes in one ring, client 1 on each.
Harness three_nodes() {
  Harness h({1, 2, 3});
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) h.connect(id, 1);
  h.start({{1, 2, 3}});
  return h;
}

TEST(Groups, a_message_reaches_the_members_of_its_group_and_no_one_else) {
  Harness h = three_nodes();
  ASSERT_TRUE(h.at(1).join(1, "g"));
  ASSERT_TRUE(h.at(2).join(1, "g"));
  h.settle();
  ASSERT_TRUE(h.at(1).mcast(1, "g", "hello"));
  h.settle();
  EXPECT_EQ(h.messages(1, 1), std::vector<std::string>{"hello"});
  EXPECT_EQ(h.messages(2, 1), std::vector<std::string>{"hello"});
  EXPECT_TRUE(h.log(3, 1).empty());
  EXPECT_EQ(h.log(2, 1).back(),
            "{\"type\":\"message\",\"group\":\"g\",\"ring\":\"1.1\",\"seq\":6,\"sender\":"
            "{\"node\":1,\"client\":1,\"pid\":1001},\"data\":\"hello\"}\n");
}

TEST(Groups, every_member_sees_the_joins_and_messages_in_the_same_order) {
  Harness h = three_nodes();
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) ASSERT_TRUE(h.at(id).join(1, "g"));
  h.settle();
  for (int i = 0; i < 5; ++i)
    for (NodeId id : std::vector<NodeId>{3, 1, 2})
      ASSERT_TRUE(h.at(id).mcast(1, "g", std::to_string(id) + "." + std::to_string(i)));
  h.settle();
  // Node 1's client joined first and saw the others join; from the third
  // join on, all three logs are the same lines.
  const auto& first = h.log(1, 1);
  ASSERT_EQ(first.size(), 3U + 15U);
  for (NodeId id : std::vector<NodeId>{2, 3}) {
    const auto& other = h.log(id, 1);
    ASSERT_GE(other.size(), 15U);
    EXPECT_TRUE(std::equal(other.end() - 16, other.end(), first.end() - 16)) << "node " << id;
  }
  EXPECT_EQ(node_members(h.at(3), "g"), "1:1 2:1 3:1");
  EXPECT_EQ(h.at(2).stats().messages_delivered, 15U);
}

TEST(Groups, a_join_is_reported_to_the_joiner_and_the_members_with_the_member_list) {
  Harness h = three_nodes();
  ASSERT_TRUE(h.at(1).join(1, "g"));
  h.settle();
  ASSERT_TRUE(h.at(2).join(1, "g"));
  h.settle();
  std::string expected =
      "{\"type\":\"membership\",\"group\":\"g\",\"ring\":\"1.1\",\"members\":["
      "{\"node\":1,\"client\":1,\"pid\":1001},{\"node\":2,\"client\":1,\"pid\":1001}],"
      "\"joined\":[{\"node\":2,\"client\":1,\"pid\":1001,\"reason\":\"join\"}],\"left\":[]}\n";
  EXPECT_EQ(h.log(1, 1).back(), expected);
  EXPECT_EQ(h.log(2, 1).back(), expected);
  EXPECT_EQ(h.log(2, 1).size(), 1U);
}

TEST(Groups, every_group_with_members_is_listed_by_name_and_changes_are_counted) {
  Harness h = three_nodes();
  ASSERT_TRUE(h.at(1).join(1, "b"));
  ASSERT_TRUE(h.at(2).join(1, "a"));
  h.settle();
  const std::uint64_t changes = h.at(3).view_changes();
  EXPECT_GE(changes, 2U);
  const auto all = h.at(3).all_members();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].first, "a");
  EXPECT_EQ(all[1].first, "b");
  ASSERT_EQ(all[1].second.size(), 1U);
  EXPECT_EQ(all[1].second[0].id.node, 1U);
  ASSERT_TRUE(h.at(2).leave(1, "a"));
  h.settle();
  EXPECT_GT(h.at(3).view_changes(), changes);
  ASSERT_EQ(h.at(3).all_members().size(), 1U);
  EXPECT_EQ(h.at(3).all_members()[0].first, "b");
}

TEST(Groups, a_leave_is_reported_to_the_leaver_too_and_ends_its_messages) {
  Harness h = three_nodes();
  ASSERT_TRUE(h.at(1).join(1, "g"));
  ASSERT_TRUE(h.at(2).join(1, "g"));
  h.settle();
  ASSERT_TRUE(h.at(2).leave(1, "g"));
  h.settle();
  ASSERT_TRUE(h.at(1).mcast(1, "g", "after"));
  h.settle();
  EXPECT_NE(h.log(2, 1).back().find("\"left\":[{\"node\":2,\"client\":1,\"pid\":1001,"
                                    "\"reason\":\"leave\"}]"),
            std::string::npos);
  EXPECT_TRUE(h.messages(2, 1).empty());
  EXPECT_EQ(h.messages(1, 1), std::vector<std::string>{"after"});
  EXPECT_EQ(node_members(h.at(3), "g"), "1:1");
}

TEST(Groups, a_client_that_disconnects_leaves_every_group_with_reason_proc_down) {
  Harness h = three_nodes();
  ASSERT_TRUE(h.at(1).join(1, "g"));
  ASSERT_TRUE(h.at(2).join(1, "g"));
  ASSERT_TRUE(h.at(2).join(1, "h"));
  h.settle();
  h.at(2).disconnect(1);
  h.settle();
  EXPECT_NE(h.log(1, 1).back().find("\"reason\":\"proc_down\""), std::string::npos);
  EXPECT_EQ(node_members(h.at(3), "g"), "1:1");
  EXPECT_EQ(node_members(h.at(3), "h"), "");
}

TEST(Groups, requests_that_cannot_be_carried_out_say_why) {
  Harness h = three_nodes();
  EXPECT_EQ(h.at(1).mcast(1, "g", "x").error().code, RequestErrorCode::kNotJoined);
  EXPECT_EQ(h.at(1).leave(1, "g").error().code, RequestErrorCode::kNotJoined);
  ASSERT_TRUE(h.at(1).join(1, "g"));
  EXPECT_EQ(h.at(1).join(1, "g").error().code, RequestErrorCode::kAlreadyJoined);
  EXPECT_EQ(h.at(1).join(1, "").error().message, "a group name must not be empty");
  EXPECT_EQ(h.at(1).join(1, std::string(129, 'x')).error().message,
            "a group name has at most 128 bytes, this one 129");
  EXPECT_EQ(h.at(1).join(1, "a\nb").error().message,
            "a group name must not contain control characters (byte 1 is 10)");
  EXPECT_EQ(h.at(1).mcast(1, "g", std::string(kMaxMessageData + 1, 'x')).error().code,
            RequestErrorCode::kInvalid);
  EXPECT_EQ(h.at(1).join(7, "g").error().code, RequestErrorCode::kUnknownClient);
}

TEST(Groups, a_node_holds_a_bounded_number_of_memberships) {
  GroupsLimits limits;
  limits.max_local_memberships = 2;
  Harness h({1}, limits);
  h.connect(1, 1);
  h.start({{1}});
  ASSERT_TRUE(h.at(1).join(1, "a"));
  ASSERT_TRUE(h.at(1).join(1, "b"));
  h.settle();
  EXPECT_EQ(h.at(1).join(1, "c").error().code, RequestErrorCode::kLimit);
  // A leave on its way still holds its place until it is delivered.
  ASSERT_TRUE(h.at(1).leave(1, "a"));
  EXPECT_EQ(h.at(1).join(1, "c").error().code, RequestErrorCode::kLimit);
  h.settle();
  EXPECT_TRUE(h.at(1).join(1, "c"));
}

TEST(Groups, too_much_waiting_for_the_ring_is_refused_with_try_again_until_it_is_delivered) {
  GroupsLimits limits;
  limits.max_unsent_messages = 3;
  limits.max_unsent_bytes = 10;
  Harness h({1}, limits);
  h.connect(1, 1);
  h.start({{1}});
  ASSERT_TRUE(h.at(1).join(1, "g"));
  ASSERT_TRUE(h.at(1).mcast(1, "g", "12345"));
  EXPECT_EQ(h.at(1).mcast(1, "g", "123456").error().code, RequestErrorCode::kTryAgain);
  ASSERT_TRUE(h.at(1).mcast(1, "g", "12345"));
  auto refused = h.at(1).mcast(1, "g", "");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, RequestErrorCode::kTryAgain);
  EXPECT_EQ(refused.error().message,
            "this node has 3 messages (10 bytes of data) waiting for the ring; try again later");
  // Sent is not enough: only delivery frees the room.
  h.offer();
  EXPECT_FALSE(h.at(1).mcast(1, "g", ""));
  h.settle();
  EXPECT_TRUE(h.at(1).mcast(1, "g", "12345"));
}

TEST(Groups, nothing_but_the_sync_message_goes_out_until_every_node_has_sent_its_own) {
  Harness h({1, 2});
  h.connect(1, 1);
  h.reform({{1, 2}});
  ASSERT_TRUE(h.at(1).join(1, "g"));
  const Bytes* first = h.at(1).next_outgoing();
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(std::holds_alternative<SyncMessage>(*decode(*first)));
  h.offer();
  EXPECT_EQ(h.at(1).next_outgoing(), nullptr);
  EXPECT_FALSE(h.at(1).synchronized());
  h.settle();
  EXPECT_TRUE(h.at(1).synchronized());
  EXPECT_EQ(node_members(h.at(2), "g"), "1:1");
}

TEST(Groups,
     a_lost_node_leaves_every_group_at_the_transitional_configuration_after_its_last_messages) {
  Harness h = three_nodes();
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) ASSERT_TRUE(h.at(id).join(1, "g"));
  ASSERT_TRUE(h.at(3).join(1, "h"));
  h.settle();
  ASSERT_TRUE(h.at(3).mcast(1, "g", "last words of 3"));
  h.settle();
  // Node 1's next message is on the old ring when node 3 crashes: it is
  // delivered in the transitional configuration. The one after it waits.
  ASSERT_TRUE(h.at(1).mcast(1, "g", "old ring, from 1"));
  h.offer();
  ASSERT_TRUE(h.at(1).mcast(1, "g", "queued in the old ring"));
  h.reform({{1, 2}}, {1});
  h.settle();
  for (NodeId id : std::vector<NodeId>{1, 2}) {
    const auto& log = h.log(id, 1);
    ASSERT_GE(log.size(), 4U);
    EXPECT_NE(log[log.size() - 4].find("\"data\":\"last words of 3\""), std::string::npos);
    EXPECT_EQ(log[log.size() - 3],
              "{\"type\":\"membership\",\"group\":\"g\",\"ring\":\"1.2\",\"members\":["
              "{\"node\":1,\"client\":1,\"pid\":1001},{\"node\":2,\"client\":1,\"pid\":1001}],"
              "\"joined\":[],\"left\":[{\"node\":3,\"client\":1,\"pid\":1001,\"reason\":"
              "\"node_down\"}]}\n");
    EXPECT_NE(log[log.size() - 2].find("\"ring\":\"1.1\""), std::string::npos);
    EXPECT_NE(log[log.size() - 2].find("\"data\":\"old ring, from 1\""), std::string::npos);
    EXPECT_NE(log[log.size() - 1].find("\"data\":\"queued in the old ring\""), std::string::npos);
  }
  EXPECT_TRUE(std::equal(h.log(1, 1).end() - 5, h.log(1, 1).end(), h.log(2, 1).end() - 5));
  EXPECT_EQ(node_members(h.at(1), "h"), "");
}

TEST(Groups, a_message_that_crosses_a_ring_change_is_dropped_everywhere_and_sent_again_in_order) {
  Harness h = three_nodes();
  for (NodeId id : std::vector<NodeId>{1, 2}) ASSERT_TRUE(h.at(id).join(1, "g"));
  h.settle();
  for (const char* data : {"a", "b", "c"}) ASSERT_TRUE(h.at(1).mcast(1, "g", data));
  h.offer();
  // Taken by Totem in ring 1.1, delivered in 1.2: stale.
  h.reform({{1, 2}});
  ASSERT_TRUE(h.at(1).mcast(1, "g", "d"));
  h.settle();
  EXPECT_EQ(h.messages(1, 1), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(h.messages(2, 1), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(h.at(2).stats().stale, 3U);
  EXPECT_EQ(h.at(1).stats().resent, 3U);
}

TEST(Groups, a_message_tagged_with_an_earlier_ring_is_dropped_even_after_synchronization) {
  // Totem's per-sender order already puts a stale message before its
  // sender's sync message; the ring in the message does not depend on it.
  Harness h({1, 2});
  for (NodeId id : std::vector<NodeId>{1, 2}) h.connect(id, 1);
  h.start({{1, 2}});
  for (NodeId id : std::vector<NodeId>{1, 2}) ASSERT_TRUE(h.at(id).join(1, "g"));
  h.settle();
  h.reform({{1, 2}});
  h.settle();
  ASSERT_TRUE(h.at(1).synchronized());
  AppMessage old{.kind = MessageKind::kMcast,
                 .ring = {1, 1},
                 .id = 99,
                 .client = 1,
                 .pid = 1001,
                 .group = "g",
                 .data = "from ring 1.1"};
  h.event(1, Delivered{{1, 2}, 50, 2, membership::Guarantee::kAgreed, false, encode(old)});
  EXPECT_TRUE(h.messages(1, 1).empty());
  EXPECT_EQ(h.at(1).stats().stale, 1U);
}

TEST(Groups, partitions_that_merge_learn_each_others_members_as_node_up) {
  Harness h({1, 2, 3});
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) h.connect(id, 1);
  h.start({{1, 2}, {3}});
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) ASSERT_TRUE(h.at(id).join(1, "g"));
  h.settle();
  EXPECT_EQ(node_members(h.at(1), "g"), "1:1 2:1");
  EXPECT_EQ(node_members(h.at(3), "g"), "3:1");
  h.reform({{1, 2, 3}});
  h.settle();
  for (NodeId id : std::vector<NodeId>{1, 2, 3})
    EXPECT_EQ(node_members(h.at(id), "g"), "1:1 2:1 3:1");
  EXPECT_NE(h.log(1, 1).back().find("\"joined\":[{\"node\":3,\"client\":1,\"pid\":1001,"
                                    "\"reason\":\"node_up\"}]"),
            std::string::npos);
  EXPECT_NE(h.log(3, 1).back().find("\"joined\":[{\"node\":1,\"client\":1,\"pid\":1001,"
                                    "\"reason\":\"node_up\"},{\"node\":2,\"client\":1,"
                                    "\"pid\":1001,\"reason\":\"node_up\"}]"),
            std::string::npos);
  // From here on the streams are the same.
  ASSERT_TRUE(h.at(3).mcast(1, "g", "merged"));
  h.settle();
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) EXPECT_EQ(h.messages(id, 1).back(), "merged");
}

TEST(Groups, a_synchronization_cut_short_by_another_ring_change_ends_in_one_view) {
  Harness h({1, 2, 3, 4});
  for (NodeId id : std::vector<NodeId>{1, 2, 3, 4}) h.connect(id, 1);
  h.start({{1, 2}, {3, 4}});
  for (NodeId id : std::vector<NodeId>{1, 2, 3, 4}) ASSERT_TRUE(h.at(id).join(1, "g"));
  h.settle();
  ASSERT_TRUE(h.at(2).mcast(1, "g", "before"));
  h.offer();
  // The merge forms, nodes send their sync messages, node 4 is lost
  // before they are delivered.
  h.reform({{1, 2, 3, 4}});
  h.offer();
  h.reform({{1, 2, 3}});
  h.settle();
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) {
    EXPECT_TRUE(h.at(id).synchronized());
    EXPECT_EQ(node_members(h.at(id), "g"), "1:1 2:1 3:1") << "node " << id;
  }
  ASSERT_TRUE(h.at(1).mcast(1, "g", "after"));
  h.settle();
  EXPECT_EQ(h.messages(1, 1), (std::vector<std::string>{"before", "after"}));
  EXPECT_EQ(h.messages(2, 1), (std::vector<std::string>{"before", "after"}));
  EXPECT_EQ(h.messages(3, 1), (std::vector<std::string>{"before", "after"}));
}

TEST(Groups, the_sync_message_of_a_ring_that_is_gone_is_ignored) {
  Harness h({1, 2});
  for (NodeId id : std::vector<NodeId>{1, 2}) h.connect(id, 1);
  h.start({{1, 2}});
  ASSERT_TRUE(h.at(1).join(1, "g"));
  h.settle();
  // A sync message for ring 1.1 arriving in ring 1.2 describes the past.
  Bytes old = encode(SyncMessage{{1, 1}, {SyncEntry{"g", 9, 9}}});
  h.reform({{1, 2}});
  h.event(2, Delivered{{1, 2}, 1, 1, membership::Guarantee::kAgreed, false, old});
  h.settle();
  EXPECT_EQ(node_members(h.at(2), "g"), "1:1");
}

TEST(Groups, payloads_of_others_are_ignored_and_malformed_group_messages_counted) {
  Harness h({1});
  h.connect(1, 1);
  h.start({{1}});
  h.event(1, Delivered{{1, 1}, 9, 1, membership::Guarantee::kAgreed, false, {'x', 'y'}});
  EXPECT_EQ(h.at(1).stats().malformed, 0U);
  h.event(1, Delivered{{1, 1}, 10, 1, membership::Guarantee::kAgreed, false, {'T', 'G', 1, 9}});
  EXPECT_EQ(h.at(1).stats().malformed, 1U);
  EXPECT_EQ(h.at(1).stats().last_malformed, "from node 1: kind: 9 is not a group message kind");
}

TEST(Groups, a_members_list_is_the_view_after_the_last_event_handed_out) {
  Harness h = three_nodes();
  ASSERT_TRUE(h.at(1).join(1, "g"));
  EXPECT_TRUE(h.at(1).members("g").empty());
  h.settle();
  ASSERT_EQ(h.at(2).members("g").size(), 1U);
  EXPECT_EQ(h.at(2).members("g")[0], (Member{{1, 1}, 1001}));
}

}  // namespace
}  // namespace tandem::groups
