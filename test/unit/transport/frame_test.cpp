// Frames: what a sealed datagram looks like, and every way a frame is
// refused: another cluster, another key, other crypto settings, tampering,
// truncation, unknown senders, wrong addresses and replays.

#include "sidecar/transport/frame.h"

#include <gtest/gtest.h>

#include "sidecar/transport/receive_filter.h"

namespace tandem::transport {
namespace {

using model::CryptoCipher;
using model::CryptoHash;

AuthKey key_of(std::uint8_t fill) {
  return AuthKey(std::vector<std::uint8_t>(256, fill));
}

FrameCodec codec(CryptoSettings settings, std::uint8_t key_fill = 1,
                 const std::string& cluster = "web") {
  AuthKey key = key_of(key_fill);
  auto made = FrameCodec::make(settings, &key, cluster);
  EXPECT_TRUE(made) << made.error().message;
  return std::move(*made);
}

constexpr CryptoSettings kHmac{CryptoCipher::kNone, CryptoHash::kSha256};
constexpr CryptoSettings kEncrypted{CryptoCipher::kAes256, CryptoHash::kSha256};
constexpr CryptoSettings kPlain{CryptoCipher::kNone, CryptoHash::kNone};

const Bytes kPayload{'T', 'N', 1, 2, 3, 4, 5, 6, 7, 8, 9};

TEST(Frame, an_authenticated_frame_opens_with_its_sender_counter_and_payload) {
  FrameCodec c = codec(kHmac);
  auto frame = c.seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->size(), kFrameHeaderSize + kPayload.size() + kMacSize);
  auto opened = c.open(*frame);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->sender, 7U);
  EXPECT_EQ(opened->counter, 42U);
  EXPECT_EQ(opened->payload, kPayload);
}

TEST(Frame, an_authenticated_frame_carries_the_payload_in_the_clear) {
  FrameCodec c = codec(kHmac);
  auto frame = c.seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  EXPECT_TRUE(std::equal(kPayload.begin(), kPayload.end(), frame->begin() + kFrameHeaderSize));
}

TEST(Frame, an_encrypted_frame_hides_the_payload_and_opens_to_it) {
  FrameCodec c = codec(kEncrypted);
  auto frame = c.seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->size(), kFrameHeaderSize + kPayload.size() + kGcmTagSize + kMacSize);
  EXPECT_FALSE(std::equal(kPayload.begin(), kPayload.end(), frame->begin() + kFrameHeaderSize));
  auto opened = c.open(*frame);
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->payload, kPayload);
}

TEST(Frame, the_same_payload_encrypts_differently_under_another_counter) {
  FrameCodec c = codec(kEncrypted);
  auto a = c.seal(7, 1, kPayload);
  auto b = c.seal(7, 2, kPayload);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(std::equal(a->begin() + kFrameHeaderSize, a->end(), b->begin() + kFrameHeaderSize));
}

TEST(Frame, an_empty_payload_round_trips_in_every_mode) {
  for (CryptoSettings s : {kPlain, kHmac, kEncrypted}) {
    FrameCodec c = codec(s);
    auto frame = c.seal(1, 1, {});
    ASSERT_TRUE(frame);
    auto opened = c.open(*frame);
    ASSERT_TRUE(opened);
    EXPECT_TRUE(opened->payload.empty());
  }
}

TEST(Frame, a_frame_under_another_key_has_a_bad_mac) {
  auto frame = codec(kHmac, 1).seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  auto opened = codec(kHmac, 2).open(*frame);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error(), DropReason::kBadMac);
}

TEST(Frame, an_encrypted_frame_under_another_key_has_a_bad_mac) {
  auto frame = codec(kEncrypted, 1).seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  auto opened = codec(kEncrypted, 2).open(*frame);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error(), DropReason::kBadMac);
}

TEST(Frame, flipping_any_bit_of_an_authenticated_frame_gets_it_dropped) {
  for (CryptoSettings s : {kHmac, kEncrypted}) {
    FrameCodec c = codec(s);
    auto frame = c.seal(7, 42, kPayload);
    ASSERT_TRUE(frame);
    for (std::size_t i = 0; i < frame->size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes bad = *frame;
        bad[i] = static_cast<std::uint8_t>(bad[i] ^ (1 << bit));
        EXPECT_FALSE(c.open(bad)) << "byte " << i << " bit " << bit;
      }
    }
  }
}

TEST(Frame, a_frame_for_another_cluster_is_dropped_as_such) {
  auto frame = codec(kHmac, 1, "db").seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  auto opened = codec(kHmac, 1, "web").open(*frame);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error(), DropReason::kWrongCluster);
}

TEST(Frame, a_frame_from_a_node_with_other_crypto_settings_is_dropped_as_such) {
  auto frame = codec(kEncrypted).seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  auto opened = codec(kHmac).open(*frame);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error(), DropReason::kCryptoMismatch);
}

TEST(Frame, truncated_frames_and_wrong_magic_are_malformed) {
  FrameCodec c = codec(kEncrypted);
  auto frame = c.seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  for (std::size_t n = 0; n < kFrameHeaderSize; ++n) {
    auto opened = c.open(std::span(*frame).first(n));
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error(), DropReason::kMalformed) << n;
  }
  auto too_short = c.open(std::span(*frame).first(kFrameHeaderSize + kGcmTagSize));
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error(), DropReason::kMalformed);
  Bytes wrong = *frame;
  wrong[0] = 'X';
  EXPECT_EQ(c.open(wrong).error(), DropReason::kMalformed);
  wrong = *frame;
  wrong[2] = 2;
  EXPECT_EQ(c.open(wrong).error(), DropReason::kMalformed);
}

TEST(Frame, without_crypto_a_frame_is_still_checked_for_its_cluster) {
  auto frame = codec(kPlain, 1, "db").seal(7, 42, kPayload);
  ASSERT_TRUE(frame);
  EXPECT_EQ(codec(kPlain, 1, "web").open(*frame).error(), DropReason::kWrongCluster);
  EXPECT_TRUE(codec(kPlain, 1, "db").open(*frame));
}

TEST(Frame, authentication_without_a_key_is_refused) {
  auto made = FrameCodec::make(kHmac, nullptr, "web");
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().message,
            "totem.crypto_hash: authentication needs the authkey, and none was given");
}

TEST(Frame, encryption_without_authentication_is_refused_naming_the_key) {
  model::Crypto crypto;
  crypto.cipher = CryptoCipher::kAes256;
  crypto.hash = CryptoHash::kNone;
  auto settings = crypto_settings(crypto);
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().message,
            "totem.crypto_cipher: encryption needs authentication: set totem.crypto_hash to "
            "sha256");
}

TEST(Frame, a_payload_too_large_for_a_datagram_is_refused) {
  FrameCodec c = codec(kEncrypted);
  Bytes big(kMaxFrameSize, 0);
  auto frame = c.seal(1, 1, big);
  ASSERT_FALSE(frame);
  EXPECT_NE(frame.error().message.find("too large"), std::string::npos);
  Bytes largest(kMaxFrameSize - c.overhead(), 0);
  EXPECT_TRUE(c.seal(1, 1, largest));
}

// The receive filter: the checks that need the nodelist and memory.

const std::vector<std::uint32_t> kNodes{1, 2, 3};

TEST(ReceiveFilter, a_frame_from_a_listed_node_at_its_address_is_accepted_once) {
  FrameCodec sender = codec(kHmac);
  ReceiveFilter filter(codec(kHmac), kNodes, 1);
  auto frame = sender.seal(2, 100, kPayload);
  ASSERT_TRUE(frame);
  auto accepted = filter.accept(*frame, 2);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->sender, 2U);
  EXPECT_EQ(accepted->payload, kPayload);
  EXPECT_FALSE(filter.accept(*frame, 2));
  EXPECT_EQ(filter.last_drop(), DropReason::kReplayed);
  EXPECT_EQ(filter.drops()[DropReason::kReplayed], 1U);
  EXPECT_EQ(filter.accepted(), 1U);
}

TEST(ReceiveFilter, a_node_outside_the_nodelist_is_dropped_and_counted) {
  FrameCodec sender = codec(kHmac);
  ReceiveFilter filter(codec(kHmac), kNodes, 1);
  auto frame = sender.seal(9, 1, kPayload);
  ASSERT_TRUE(frame);
  EXPECT_FALSE(filter.accept(*frame, 9));
  EXPECT_EQ(filter.drops()[DropReason::kUnknownNode], 1U);
}

TEST(ReceiveFilter, a_frame_claiming_this_nodes_own_id_is_dropped) {
  FrameCodec sender = codec(kHmac);
  ReceiveFilter filter(codec(kHmac), kNodes, 1);
  auto frame = sender.seal(1, 1, kPayload);
  ASSERT_TRUE(frame);
  EXPECT_FALSE(filter.accept(*frame, 1));
  EXPECT_EQ(filter.drops()[DropReason::kUnknownNode], 1U);
}

TEST(ReceiveFilter, a_node_id_from_another_nodes_address_is_dropped) {
  FrameCodec sender = codec(kHmac);
  ReceiveFilter filter(codec(kHmac), kNodes, 1);
  auto frame = sender.seal(2, 1, kPayload);
  ASSERT_TRUE(frame);
  EXPECT_FALSE(filter.accept(*frame, 3));
  EXPECT_FALSE(filter.accept(*frame, 0));
  EXPECT_EQ(filter.drops()[DropReason::kWrongAddress], 2U);
  // The failed attempts did not use up the counter.
  EXPECT_TRUE(filter.accept(*frame, 2));
}

TEST(ReceiveFilter, bad_macs_other_clusters_and_garbage_are_counted_by_reason) {
  ReceiveFilter filter(codec(kHmac), kNodes, 1);
  auto other_key = codec(kHmac, 9).seal(2, 1, kPayload);
  auto other_cluster = codec(kHmac, 1, "db").seal(2, 1, kPayload);
  ASSERT_TRUE(other_key && other_cluster);
  EXPECT_FALSE(filter.accept(*other_key, 2));
  EXPECT_FALSE(filter.accept(*other_cluster, 2));
  EXPECT_FALSE(filter.accept(Bytes{1, 2, 3}, 2));
  EXPECT_EQ(filter.drops()[DropReason::kBadMac], 1U);
  EXPECT_EQ(filter.drops()[DropReason::kWrongCluster], 1U);
  EXPECT_EQ(filter.drops()[DropReason::kMalformed], 1U);
  EXPECT_EQ(filter.drops().total(), 3U);
}

TEST(ReceiveFilter, a_forged_counter_under_a_bad_mac_does_not_move_the_window) {
  FrameCodec sender = codec(kHmac);
  ReceiveFilter filter(codec(kHmac), kNodes, 1);
  auto forged = codec(kHmac, 9).seal(2, 1'000'000, kPayload);
  auto genuine = sender.seal(2, 5, kPayload);
  ASSERT_TRUE(forged && genuine);
  EXPECT_FALSE(filter.accept(*forged, 2));
  EXPECT_TRUE(filter.accept(*genuine, 2));
}

TEST(ReceiveFilter, each_sender_has_its_own_counters) {
  FrameCodec sender = codec(kHmac);
  ReceiveFilter filter(codec(kHmac), kNodes, 1);
  auto from2 = sender.seal(2, 5, kPayload);
  auto from3 = sender.seal(3, 5, kPayload);
  ASSERT_TRUE(from2 && from3);
  EXPECT_TRUE(filter.accept(*from2, 2));
  EXPECT_TRUE(filter.accept(*from3, 3));
}

TEST(ReceiveFilter, a_counter_of_zero_is_malformed) {
  FrameCodec sender = codec(kHmac);
  ReceiveFilter filter(codec(kHmac), kNodes, 1);
  auto frame = sender.seal(2, 0, kPayload);
  ASSERT_TRUE(frame);
  EXPECT_FALSE(filter.accept(*frame, 2));
  EXPECT_EQ(filter.last_drop(), DropReason::kMalformed);
}

}  // namespace
}  // namespace tandem::transport
