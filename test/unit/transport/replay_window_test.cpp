// Replay windows and send counters: reordering within the window is
// accepted once, copies and stale counters are not, and a restarted sender
// starts above everything it sent before.

#include "sidecar/transport/replay_window.h"

#include <limits>

#include <gtest/gtest.h>

#include "sidecar/transport/send_counter.h"

namespace tandem::transport {
namespace {

bool take(ReplayWindow& w, std::uint64_t counter) {
  if (!w.fresh(counter)) return false;
  w.accept(counter);
  return true;
}

TEST(ReplayWindow, increasing_counters_are_accepted_and_repeats_are_not) {
  ReplayWindow w;
  EXPECT_TRUE(take(w, 1));
  EXPECT_TRUE(take(w, 2));
  EXPECT_FALSE(take(w, 2));
  EXPECT_FALSE(take(w, 1));
  EXPECT_EQ(w.highest(), 2U);
}

TEST(ReplayWindow, a_reordered_counter_inside_the_window_is_accepted_once) {
  ReplayWindow w;
  EXPECT_TRUE(take(w, 10));
  EXPECT_TRUE(take(w, 8));
  EXPECT_FALSE(take(w, 8));
  EXPECT_TRUE(take(w, 9));
  EXPECT_FALSE(take(w, 10));
}

TEST(ReplayWindow, a_counter_older_than_the_window_is_refused) {
  ReplayWindow w;
  EXPECT_TRUE(take(w, 100));
  EXPECT_TRUE(take(w, 100 - ReplayWindow::kSize + 1));
  EXPECT_FALSE(take(w, 100 - ReplayWindow::kSize));
}

TEST(ReplayWindow, a_large_jump_forgets_the_old_window) {
  ReplayWindow w;
  EXPECT_TRUE(take(w, 5));
  EXPECT_TRUE(take(w, std::uint64_t{1} << 40));
  EXPECT_FALSE(take(w, 5));
  EXPECT_TRUE(take(w, (std::uint64_t{1} << 40) - 1));
}

TEST(ReplayWindow, zero_is_never_fresh) {
  ReplayWindow w;
  EXPECT_FALSE(w.fresh(0));
}

TEST(SendCounter, counters_carry_the_epoch_above_the_count) {
  SendCounter c(3);
  EXPECT_EQ(c.next(), (std::uint64_t{3} << 32) | 1);
  EXPECT_EQ(c.next(), (std::uint64_t{3} << 32) | 2);
}

TEST(SendCounter, the_next_epoch_restarts_the_count_and_the_last_epoch_cannot_advance) {
  SendCounter c(3);
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(c.next());
  // Skip to the end of the epoch by advancing a fresh counter.
  SendCounter last(std::numeric_limits<std::uint32_t>::max());
  EXPECT_FALSE(last.advance_epoch());
  EXPECT_TRUE(c.advance_epoch());
  EXPECT_EQ(c.epoch(), 4U);
  EXPECT_EQ(c.next(), (std::uint64_t{4} << 32) | 1);
}

TEST(SendCounter, a_restart_starts_above_the_persisted_epoch_even_with_a_clock_behind) {
  EXPECT_EQ(next_epoch(1'800'000'000, 1'700'000'000), 1'800'000'001U);
}

TEST(SendCounter, a_lost_state_directory_starts_at_the_clocks_seconds) {
  EXPECT_EQ(next_epoch(std::nullopt, 1'700'000'000), 1'700'000'000U);
  EXPECT_EQ(next_epoch(5, 1'700'000'000), 1'700'000'000U);
}

TEST(SendCounter, a_clock_before_1970_still_gives_an_epoch_above_zero) {
  EXPECT_EQ(next_epoch(std::nullopt, -5), 1U);
}

}  // namespace
}  // namespace tandem::transport
