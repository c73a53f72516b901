// The group messages on the ring: they decode to what was encoded, and
// anything else is refused with the field that is wrong.

#include "sidecar/groups/wire.h"

#include <gtest/gtest.h>

namespace tandem::groups {
namespace {

AppMessage mcast(std::string data) {
  AppMessage m;
  m.kind = MessageKind::kMcast;
  m.ring = {3, 0x1234567890};
  m.id = 77;
  m.client = 5;
  m.pid = 4242;
  m.group = "orders";
  m.data = std::move(data);
  return m;
}

std::string decode_error(const Bytes& bytes) {
  auto decoded = decode(bytes);
  return decoded ? "decoded" : decoded.error().message;
}

TEST(GroupWire, every_kind_decodes_to_what_was_encoded) {
  AppMessage join = mcast("");
  join.kind = MessageKind::kJoin;
  join.data.clear();
  AppMessage leave = join;
  leave.kind = MessageKind::kLeave;
  leave.reason = Reason::kProcDown;
  SyncMessage sync{{1, 9}, {SyncEntry{"a", 1, 10}, SyncEntry{"a", 2, 11}, SyncEntry{"b", 1, 10}}};
  for (const GroupMessage& message :
       {GroupMessage(join), GroupMessage(leave), GroupMessage(mcast(std::string("x\0y", 3))),
        GroupMessage(sync), GroupMessage(SyncMessage{{1, 1}, {}})}) {
    auto decoded = decode(encode(message));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, message);
  }
}

TEST(GroupWire, only_payloads_starting_with_tg_are_group_messages) {
  EXPECT_TRUE(is_group_message(encode(mcast("x"))));
  EXPECT_FALSE(is_group_message(Bytes{'T'}));
  EXPECT_FALSE(is_group_message(Bytes{'T', 'N', 1}));
}

TEST(GroupWire, truncated_and_trailing_bytes_are_refused) {
  Bytes bytes = encode(mcast("hello"));
  Bytes shorter(bytes.begin(), bytes.end() - 1);
  EXPECT_EQ(decode_error(shorter), "truncated: data needs 5 bytes, 4 left");
  bytes.push_back(0);
  EXPECT_EQ(decode_error(bytes), "1 bytes follow the message");
  EXPECT_EQ(decode_error(Bytes{'T', 'G', 2, 1}), "version: 2, this node speaks 1");
  EXPECT_EQ(decode_error(Bytes{'T', 'G', 1}), "truncated: kind needs 1 bytes, 0 left");
}

TEST(GroupWire, fields_out_of_bounds_are_named) {
  AppMessage leave = mcast("");
  leave.kind = MessageKind::kLeave;
  leave.reason = Reason::kNodeDown;
  EXPECT_EQ(decode_error(encode(leave)), "leave reason: 3 is neither leave (2) nor proc_down (5)");
  AppMessage named = mcast("");
  named.group = "a\tb";
  EXPECT_EQ(decode_error(encode(named)),
            "group: a group name must not contain control characters (byte 1 is 9)");
  Bytes big = encode(mcast(std::string(kMaxMessageData + 1, 'x')));
  EXPECT_EQ(decode_error(big), "data length: 32769 bytes, at most 32768 allowed");
}

TEST(GroupWire, sync_entries_must_be_in_order_without_duplicates) {
  SyncMessage twice{{1, 1}, {SyncEntry{"a", 1, 1}, SyncEntry{"a", 1, 1}}};
  EXPECT_EQ(decode_error(encode(twice)),
            "entry 1: not after the one before it in (group, client) order");
  SyncMessage backwards{{1, 1}, {SyncEntry{"b", 1, 1}, SyncEntry{"a", 1, 1}}};
  EXPECT_EQ(decode_error(encode(backwards)),
            "entry 1: not after the one before it in (group, client) order");
}

TEST(GroupWire, a_node_whole_membership_fits_in_one_totem_message) {
  SyncMessage full{{1, 1}, {}};
  for (std::size_t i = 0; i < kMaxLocalMemberships; ++i)
    full.entries.push_back(
        SyncEntry{std::string(kMaxGroupName - 3, 'g') + std::to_string(100 + i), i, 1});
  std::sort(full.entries.begin(), full.entries.end(),
            [](const SyncEntry& a, const SyncEntry& b) { return a.group < b.group; });
  Bytes bytes = encode(full);
  EXPECT_LE(bytes.size(), 60000U);
  EXPECT_TRUE(decode(bytes));
  EXPECT_LE(encode(mcast(std::string(kMaxMessageData, 'x'))).size(), 60000U);
}

}  // namespace
}  // namespace tandem::groups
