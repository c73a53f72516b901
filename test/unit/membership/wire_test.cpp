// The wire encoding: every message round-trips, and malformed datagrams
// are refused with a message that names the field.

#include "sidecar/membership/wire.h"

#include <gtest/gtest.h>

#include "sidecar/membership/events.h"

namespace tandem::membership {
namespace {

std::string decode_error(const Bytes& bytes) {
  auto decoded = decode(bytes);
  EXPECT_FALSE(decoded.has_value());
  return decoded ? "" : decoded.error().message;
}

JoinMessage join() {
  return JoinMessage{2, 8, NodeSet::from({1, 2, 3}), NodeSet::from({3})};
}

Token token() {
  Token t;
  t.sender = 1;
  t.ring = RingId{1, 8};
  t.token_seq = 40;
  t.seq = 10;
  t.aru = 9;
  t.aru_addr = 2;
  t.fcc = 3;
  t.rotation = 5;
  t.rotation_min_aru = 8;
  t.safe_aru = 7;
  t.install_seq = 0;
  t.rotation_pending = true;
  t.retransmit_requests = {4, 6};
  return t;
}

TEST(Wire, every_message_type_round_trips) {
  CommitToken commit{
      1, RingId{1, 12}, NodeSet::from({1, 2}), {CommitEntry{RingId{1, 8}, 5, 4, 6, {1, 2, 3}}}};
  McastMessage mcast{2, RingId{1, 8}, 3, 2, Guarantee::kSafe, false, {}, 0, {9, 8, 7}};
  McastMessage recovered{2, RingId{1, 12}, 1, 3, Guarantee::kAgreed, true, RingId{1, 8}, 5, {1}};
  std::vector<Message> messages = {join(),
                                   commit,
                                   token(),
                                   mcast,
                                   recovered,
                                   MergeDetect{1, RingId{1, 8}},
                                   TokenHoldCancel{3, RingId{1, 8}}};
  for (const Message& message : messages) {
    Bytes bytes = encode(message);
    auto back = decode(bytes);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, message);
  }
}

TEST(Wire, refuses_a_datagram_shorter_than_the_header) {
  EXPECT_EQ(decode_error({'T', 'N', 1}), "datagram has 3 bytes, shorter than the 8-byte header");
}

TEST(Wire, refuses_a_datagram_larger_than_udp_allows) {
  EXPECT_EQ(decode_error(Bytes(70000, 0)), "datagram has 70000 bytes, at most 65507 allowed");
}

TEST(Wire, refuses_foreign_magic_and_other_versions) {
  Bytes bytes = encode(join());
  bytes[0] = 'X';
  EXPECT_EQ(decode_error(bytes), "datagram does not start with the Tandem magic \"TN\"");
  bytes = encode(join());
  bytes[2] = 2;
  EXPECT_EQ(decode_error(bytes), "datagram has wire version 2; this node speaks version 1");
}

TEST(Wire, refuses_an_unknown_message_type) {
  Bytes bytes = encode(join());
  bytes[3] = 99;
  EXPECT_EQ(decode_error(bytes), "datagram has unknown message type 99");
}

TEST(Wire, refuses_sender_zero) {
  Bytes bytes = encode(MergeDetect{1, RingId{1, 8}});
  bytes[4] = 0;
  EXPECT_EQ(decode_error(bytes), "datagram sender is node id 0, which is reserved");
}

TEST(Wire, refuses_trailing_bytes) {
  Bytes bytes = encode(MergeDetect{1, RingId{1, 8}});
  bytes.push_back(0);
  EXPECT_EQ(decode_error(bytes), "merge detect from node 1: 1 unexpected bytes after the body");
}

TEST(Wire, refuses_every_truncation_of_every_message) {
  Bytes bytes = encode(token());
  for (std::size_t size = 8; size < bytes.size(); ++size) {
    Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
    EXPECT_EQ(decode_error(cut).find("token from node 1: truncated: "), 0u) << size;
  }
}

TEST(Wire, refuses_a_node_list_that_is_not_increasing) {
  JoinMessage j = join();
  Bytes bytes = encode(j);
  // proc list {1 2 3} starts after header (8) + ring seq (8) + count (2).
  bytes[18] = 2;
  EXPECT_EQ(decode_error(bytes),
            "join from node 2: join proc list is not strictly increasing (2 after 2)");
}

TEST(Wire, refuses_a_join_whose_proc_list_lacks_its_sender) {
  JoinMessage j = join();
  j.proc = NodeSet::from({1, 3});
  EXPECT_EQ(decode_error(encode(j)),
            "join from node 2: join proc list does not contain its sender 2");
}

TEST(Wire, refuses_a_commit_token_whose_representative_is_not_the_lowest_member) {
  CommitToken commit{2, RingId{2, 12}, NodeSet::from({1, 2}), {}};
  EXPECT_EQ(decode_error(encode(commit)),
            "commit token from node 2: commit token ring id representative 2 is not the lowest "
            "member 1");
}

TEST(Wire, refuses_a_commit_entry_whose_counters_are_out_of_order) {
  CommitToken commit{
      1, RingId{1, 12}, NodeSet::from({1, 2}), {CommitEntry{RingId{1, 8}, 5, 6, 7, {}}}};
  EXPECT_EQ(decode_error(encode(commit)),
            "commit token from node 1: commit token entry for member 1 breaks high delivered <= "
            "aru <= high received (6, 5, 7)");
}

TEST(Wire, refuses_a_token_whose_aru_is_past_its_seq) {
  Token t = token();
  t.aru = 11;
  EXPECT_EQ(decode_error(encode(t)), "token from node 1: token aru 11 is past token seq 10");
}

TEST(Wire, refuses_retransmit_requests_outside_the_ring) {
  Token t = token();
  t.retransmit_requests = {11};
  EXPECT_EQ(decode_error(encode(t)),
            "token from node 1: token retransmit request 11 is outside 1..10");
}

TEST(Wire, refuses_a_message_whose_origin_is_not_its_sender) {
  McastMessage m{2, RingId{1, 8}, 3, 3, Guarantee::kAgreed, false, {}, 0, {}};
  EXPECT_EQ(decode_error(encode(m)),
            "message from node 2: message origin 3 differs from its sender 2");
}

TEST(Wire, refuses_an_unknown_guarantee) {
  McastMessage m{2, RingId{1, 8}, 3, 2, Guarantee::kAgreed, false, {}, 0, {}};
  Bytes bytes = encode(m);
  // header 8 + ring 12 + seq 8 + origin 4 = 32: the guarantee byte.
  bytes[32] = 7;
  EXPECT_EQ(decode_error(bytes),
            "message from node 2: message guarantee 7 is neither 1 (agreed) nor 2 (safe)");
}

TEST(Wire, refuses_a_payload_length_past_the_end) {
  McastMessage m{2, RingId{1, 8}, 3, 2, Guarantee::kAgreed, false, {}, 0, {1, 2}};
  Bytes bytes = encode(m);
  bytes[bytes.size() - 6] = 3;  // the length's low byte: 3 instead of 2
  EXPECT_EQ(decode_error(bytes),
            "message from node 2: truncated: message payload needs 3 bytes, 2 left");
}

}  // namespace
}  // namespace tandem::membership
