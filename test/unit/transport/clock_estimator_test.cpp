// The NTP-style clock estimate: offsets within the round trip's error, the
// best sample of a window, and every reply that must not count.

#include "sidecar/transport/clock_estimator.h"

#include <cstdlib>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace tandem::transport {
namespace {

const std::vector<std::uint32_t> kPeers{2, 3};
constexpr std::int64_t kStart = 1'700'000'000'000'000;  // our realtime, in µs
constexpr std::int64_t kMs = 1000;

// One probe to `peer` whose clock is `offset` ahead of ours: `out` and
// `back` one-way delays, the peer holds it for `held`. Returns whether the
// estimator took the sample.
bool exchange(ClockEstimator& clock, std::uint32_t peer, std::int64_t t1, std::int64_t offset,
              std::int64_t out, std::int64_t back, std::int64_t held = 50) {
  auto request = clock.start_probe(peer, t1);
  EXPECT_TRUE(request);
  std::int64_t t2 = t1 + out + offset;
  auto reply = reply_to(*request, t2, t2 + held);
  EXPECT_TRUE(reply);
  return clock.on_reply(peer, *reply, t1 + out + held + back);
}

TEST(ClockEstimator, a_peer_200_ms_ahead_is_estimated_within_the_round_trip_error) {
  ClockEstimator clock(kPeers, 1);
  // Asymmetric paths: the one error NTP's formula cannot see.
  ASSERT_TRUE(exchange(clock, 2, kStart, 200 * kMs, 3 * kMs, 7 * kMs));
  auto estimate = clock.estimate(2);
  ASSERT_TRUE(estimate);
  EXPECT_EQ(estimate->best.delay_us, 10 * kMs);
  EXPECT_LE(std::llabs(estimate->best.offset_us - 200 * kMs), estimate->best.delay_us / 2);
}

TEST(ClockEstimator, a_peer_behind_has_a_negative_offset_and_symmetric_paths_are_exact) {
  ClockEstimator clock(kPeers, 1);
  ASSERT_TRUE(exchange(clock, 3, kStart, -1234 * kMs, 2 * kMs, 2 * kMs));
  EXPECT_EQ(clock.estimate(3)->best.offset_us, -1234 * kMs);
  EXPECT_EQ(clock.estimate(3)->best.delay_us, 4 * kMs);
}

TEST(ClockEstimator, the_sample_with_the_smallest_round_trip_is_reported) {
  ClockEstimator clock(kPeers, 1);
  ASSERT_TRUE(exchange(clock, 2, kStart, 100 * kMs, 40 * kMs, 10 * kMs));
  ASSERT_TRUE(exchange(clock, 2, kStart + 2000 * kMs, 100 * kMs, 1 * kMs, 1 * kMs));
  ASSERT_TRUE(exchange(clock, 2, kStart + 4000 * kMs, 100 * kMs, 5 * kMs, 30 * kMs));
  auto estimate = clock.estimate(2);
  EXPECT_EQ(estimate->samples, 3U);
  EXPECT_EQ(estimate->best.delay_us, 2 * kMs);
  EXPECT_EQ(estimate->best.offset_us, 100 * kMs);
  EXPECT_EQ(estimate->best.at_us, kStart + 2000 * kMs + 2 * kMs + 50);
}

TEST(ClockEstimator, the_window_forgets_old_samples) {
  ClockEstimator clock(kPeers, 1);
  ASSERT_TRUE(exchange(clock, 2, kStart, 0, 0, 0));  // the best ever, and the oldest
  for (std::size_t i = 1; i <= kClockWindow; ++i)
    ASSERT_TRUE(
        exchange(clock, 2, kStart + static_cast<std::int64_t>(i) * 2000 * kMs, 0, kMs, kMs));
  EXPECT_EQ(clock.estimate(2)->samples, kClockWindow);
  EXPECT_EQ(clock.estimate(2)->best.delay_us, 2 * kMs);
}

TEST(ClockEstimator, a_reply_to_a_probe_never_sent_is_ignored) {
  ClockEstimator clock(kPeers, 1);
  ClockProbe forged{ClockProbeKind::kReply, 1, kStart, kStart, kStart};
  EXPECT_FALSE(clock.on_reply(2, forged, kStart + kMs));
  EXPECT_FALSE(clock.estimate(2));
}

TEST(ClockEstimator, a_reply_is_counted_once) {
  ClockEstimator clock(kPeers, 1);
  auto request = clock.start_probe(2, kStart);
  auto reply = reply_to(*request, kStart + kMs, kStart + kMs);
  EXPECT_TRUE(clock.on_reply(2, *reply, kStart + 2 * kMs));
  EXPECT_FALSE(clock.on_reply(2, *reply, kStart + 3 * kMs));
  EXPECT_EQ(clock.estimate(2)->samples, 1U);
}

TEST(ClockEstimator, a_reply_that_does_not_echo_the_probe_is_ignored) {
  ClockEstimator clock(kPeers, 1);
  auto request = clock.start_probe(2, kStart);
  ClockProbe other_id = *reply_to(*request, kStart, kStart);
  other_id.id += 1;
  EXPECT_FALSE(clock.on_reply(2, other_id, kStart + kMs));
  ClockProbe other_t1 = *reply_to(*request, kStart, kStart);
  other_t1.t1 -= 1;
  EXPECT_FALSE(clock.on_reply(2, other_t1, kStart + kMs));
  EXPECT_FALSE(clock.on_reply(3, *reply_to(*request, kStart, kStart), kStart + kMs))
      << "from a peer the probe did not go to";
  EXPECT_FALSE(clock.on_reply(9, *reply_to(*request, kStart, kStart), kStart + kMs))
      << "from a node outside the nodelist";
  EXPECT_FALSE(clock.on_reply(2, *request, kStart + kMs)) << "a request is not a reply";
}

TEST(ClockEstimator, a_newer_probe_makes_the_reply_to_the_older_one_ignored) {
  ClockEstimator clock(kPeers, 1);
  auto first = clock.start_probe(2, kStart);
  auto second = clock.start_probe(2, kStart + 2000 * kMs);
  EXPECT_NE(first->id, second->id);
  EXPECT_FALSE(clock.on_reply(2, *reply_to(*first, kStart, kStart), kStart + 2001 * kMs));
  EXPECT_TRUE(clock.on_reply(2, *reply_to(*second, kStart + 2000 * kMs, kStart + 2000 * kMs),
                             kStart + 2001 * kMs));
}

TEST(ClockEstimator, a_clock_stepped_back_during_a_probe_gives_no_sample) {
  ClockEstimator clock(kPeers, 1);
  auto request = clock.start_probe(2, kStart);
  EXPECT_FALSE(clock.on_reply(2, *reply_to(*request, kStart, kStart), kStart - kMs));
  request = clock.start_probe(2, kStart);
  // The peer claims to have sent its reply before it got the request.
  EXPECT_FALSE(clock.on_reply(2, *reply_to(*request, kStart + kMs, kStart), kStart + 2 * kMs));
  EXPECT_FALSE(clock.estimate(2));
}

TEST(ClockEstimator, a_hostile_timestamp_cannot_overflow) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  ClockEstimator clock(kPeers, 1);
  auto request = clock.start_probe(2, kStart);
  ClockProbe hostile{ClockProbeKind::kReply, request->id, request->t1, kMin, kMax};
  EXPECT_FALSE(clock.on_reply(2, hostile, kStart + kMs));
  EXPECT_FALSE(clock.start_probe(2, kMax)) << "our own clock out of range";
  // The extremes that are allowed compute without overflow (UBSan would say).
  request = clock.start_probe(2, -kMaxClockTimestamp);
  ASSERT_TRUE(request);
  ClockProbe far{ClockProbeKind::kReply, request->id, request->t1, kMaxClockTimestamp,
                 kMaxClockTimestamp};
  EXPECT_TRUE(clock.on_reply(2, far, kMaxClockTimestamp));
  EXPECT_EQ(clock.estimate(2)->best.offset_us, kMaxClockTimestamp);
  EXPECT_EQ(clock.estimate(2)->best.delay_us, 2 * kMaxClockTimestamp);
}

TEST(ClockEstimator, probes_go_only_to_known_peers) {
  ClockEstimator clock(kPeers, 1);
  EXPECT_FALSE(clock.start_probe(1, kStart));
  EXPECT_TRUE(clock.start_probe(3, kStart));
}

ClockEstimate offset_of(std::int64_t offset_us) {
  return ClockEstimate{ClockSample{offset_us, kMs, kStart}, 1};
}

TEST(ClockAlarms, an_offset_beyond_the_bound_is_raised_once_and_cleared_once) {
  ClockAlarms alarms(500 * kMs);
  EXPECT_EQ(alarms.update(2, offset_of(100 * kMs)), ClockAlarm::kUnchanged);
  EXPECT_EQ(alarms.update(2, offset_of(-600 * kMs)), ClockAlarm::kRaised);
  EXPECT_TRUE(alarms.raised(2));
  EXPECT_EQ(alarms.update(2, offset_of(700 * kMs)), ClockAlarm::kUnchanged);
  EXPECT_EQ(alarms.update(3, offset_of(0)), ClockAlarm::kUnchanged) << "per peer";
  EXPECT_EQ(alarms.update(2, offset_of(449 * kMs)), ClockAlarm::kCleared);
  EXPECT_FALSE(alarms.raised(2));
}

TEST(ClockAlarms, an_offset_hovering_at_the_bound_does_not_flap) {
  ClockAlarms alarms(500 * kMs);
  EXPECT_EQ(alarms.update(2, offset_of(501 * kMs)), ClockAlarm::kRaised);
  EXPECT_EQ(alarms.update(2, offset_of(499 * kMs)), ClockAlarm::kUnchanged);
  EXPECT_EQ(alarms.update(2, offset_of(-460 * kMs)), ClockAlarm::kUnchanged);
  EXPECT_EQ(alarms.update(2, offset_of(502 * kMs)), ClockAlarm::kUnchanged);
  EXPECT_TRUE(alarms.raised(2));
  EXPECT_EQ(alarms.update(2, offset_of(-449 * kMs)), ClockAlarm::kCleared);
}

TEST(ClockAlarms, a_bound_of_zero_never_warns) {
  ClockAlarms alarms(0);
  EXPECT_EQ(alarms.update(2, offset_of(kMaxClockTimestamp)), ClockAlarm::kUnchanged);
  EXPECT_FALSE(alarms.exceeds(offset_of(-kMaxClockTimestamp)));
}

}  // namespace
}  // namespace tandem::transport
