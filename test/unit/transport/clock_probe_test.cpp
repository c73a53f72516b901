// Clock probes on the wire: what encodes, what decodes, and that nothing
// else does.

#include "sidecar/transport/clock_probe.h"

#include <limits>

#include <gtest/gtest.h>

namespace tandem::transport {
namespace {

const ClockProbe kRequest{ClockProbeKind::kRequest, 7, 1'700'000'000'000'000, 0, 0};
const ClockProbe kReply{ClockProbeKind::kReply, 7, 1'700'000'000'000'000, 1'700'000'000'200'000,
                        1'700'000'000'200'050};

TEST(ClockProbe, a_request_and_a_reply_round_trip) {
  EXPECT_EQ(decode_clock_probe(encode(kRequest)), kRequest);
  EXPECT_EQ(decode_clock_probe(encode(kReply)), kReply);
}

TEST(ClockProbe, a_request_is_as_large_as_its_reply_so_answering_never_amplifies) {
  EXPECT_EQ(encode(kRequest).size(), kClockProbeSize);
  EXPECT_EQ(encode(kReply).size(), kClockProbeSize);
}

TEST(ClockProbe, a_probe_is_told_apart_from_totem_by_its_first_bytes) {
  EXPECT_TRUE(is_clock_probe(encode(kRequest)));
  const std::vector<std::uint8_t> totem{'T', 'N', 1, 3, 1, 0, 0, 0};
  EXPECT_FALSE(is_clock_probe(totem));
  EXPECT_FALSE(is_clock_probe(std::vector<std::uint8_t>{'T'}));
}

TEST(ClockProbe, a_reply_echoes_the_request_and_carries_the_responders_times) {
  auto reply = reply_to(kRequest, 5, 9);
  ASSERT_TRUE(reply);
  EXPECT_EQ(*reply, (ClockProbe{ClockProbeKind::kReply, 7, kRequest.t1, 5, 9}));
  EXPECT_FALSE(reply_to(kReply, 5, 9)) << "a reply is never answered";
}

TEST(ClockProbe, anything_encode_would_not_write_is_refused) {
  std::vector<std::uint8_t> good = encode(kReply);
  auto changed = [&](std::size_t at, std::uint8_t value) {
    std::vector<std::uint8_t> bytes = good;
    bytes[at] = value;
    return decode_clock_probe(bytes);
  };
  EXPECT_FALSE(changed(2, 2)) << "another version";
  EXPECT_FALSE(changed(3, 3)) << "an unknown kind";
  std::vector<std::uint8_t> longer = good;
  longer.push_back(0);
  EXPECT_FALSE(decode_clock_probe(longer));
  EXPECT_FALSE(decode_clock_probe(std::span(good).first(kClockProbeSize - 1)));
  EXPECT_FALSE(decode_clock_probe(encode(ClockProbe{ClockProbeKind::kReply, 0, 1, 2, 3})))
      << "id 0";
  EXPECT_FALSE(decode_clock_probe(encode(ClockProbe{ClockProbeKind::kRequest, 1, 1, 2, 0})))
      << "a request with a reply's times";
}

TEST(ClockProbe, a_hostile_timestamp_is_refused_before_any_arithmetic) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  EXPECT_FALSE(decode_clock_probe(encode(ClockProbe{ClockProbeKind::kReply, 1, 0, kMax, 0})));
  EXPECT_FALSE(decode_clock_probe(encode(ClockProbe{ClockProbeKind::kReply, 1, 0, 0, kMin})));
  EXPECT_FALSE(decode_clock_probe(
      encode(ClockProbe{ClockProbeKind::kRequest, 1, kMaxClockTimestamp + 1, 0, 0})));
  EXPECT_TRUE(decode_clock_probe(
      encode(ClockProbe{ClockProbeKind::kRequest, 1, -kMaxClockTimestamp, 0, 0})));
  EXPECT_FALSE(reply_to(kRequest, kMax, 0));
}

}  // namespace
}  // namespace tandem::transport
