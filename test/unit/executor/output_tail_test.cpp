#include "sidecar/executor/output_tail.h"

#include <gtest/gtest.h>

namespace tandem::executor {
namespace {

TEST(OutputTail, keeps_everything_below_the_limit) {
  OutputTail tail(16);
  tail.append("hello ");
  tail.append("world");
  EXPECT_EQ(tail.text(), "hello world");
  EXPECT_FALSE(tail.truncated());
  EXPECT_EQ(tail.total_bytes(), 11u);
}

TEST(OutputTail, keeps_the_last_bytes_past_the_limit) {
  OutputTail tail(8);
  tail.append("0123456");
  tail.append("789ab");
  EXPECT_EQ(tail.text(), "456789ab");
  tail.append("c");
  EXPECT_EQ(tail.text(), "56789abc");
  tail.append("a very long line that is longer than the limit");
  EXPECT_EQ(tail.text(), "he limit");
  EXPECT_TRUE(tail.truncated());
  EXPECT_EQ(tail.total_bytes(), 7u + 5u + 1u + 46u);
}

TEST(OutputTail, never_grows_past_its_limit) {
  OutputTail tail(100);
  std::string chunk(37, 'x');
  for (int i = 0; i < 10000; ++i) tail.append(chunk);
  EXPECT_EQ(tail.text().size(), 100u);
  EXPECT_EQ(tail.total_bytes(), 370000u);
}

TEST(ExitReason, is_the_last_prefixed_line) {
  EXPECT_EQ(exit_reason("starting\nocf-exit-reason:first\nmore\nocf-exit-reason: disk full \n"),
            "disk full");
  EXPECT_EQ(exit_reason("no reason here\n"), "");
  EXPECT_EQ(exit_reason("text ocf-exit-reason:not at the start\n"), "");
}

TEST(ExitReason, is_bounded) {
  std::string output = "ocf-exit-reason:" + std::string(2000, 'r');
  EXPECT_EQ(exit_reason(output).size(), 512u);
}

}  // namespace
}  // namespace tandem::executor
