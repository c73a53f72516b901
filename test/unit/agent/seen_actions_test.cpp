#include "sidecar/agent/seen_actions.h"

#include <gtest/gtest.h>

namespace tandem::agent {
namespace {

TEST(SeenActions, an_action_repeated_in_later_batches_is_taken_once) {
  SeenActions seen;
  EXPECT_TRUE(seen.first_time("op-1"));
  EXPECT_FALSE(seen.first_time("op-1"));
  EXPECT_TRUE(seen.first_time("op-2"));
  EXPECT_FALSE(seen.first_time("op-1"));
}

TEST(SeenActions, the_window_is_bounded_and_forgets_the_oldest_first) {
  SeenActions seen(2);
  EXPECT_TRUE(seen.first_time("a"));
  EXPECT_TRUE(seen.first_time("b"));
  EXPECT_TRUE(seen.first_time("c"));
  EXPECT_EQ(seen.size(), 2U);
  EXPECT_FALSE(seen.first_time("c"));
  EXPECT_TRUE(seen.first_time("a"));  // forgotten
}

}  // namespace
}  // namespace tandem::agent
