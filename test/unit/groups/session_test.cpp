// A client connection's buffers: lines in, bounded; lines out, bounded,
// and a dropped client never gets half a line followed by another.

#include "sidecar/groups/session.h"

#include <gtest/gtest.h>

namespace tandem::groups {
namespace {

TEST(LineReader, lines_split_across_reads_come_out_whole) {
  LineReader reader(100);
  reader.feed("{\"a\":1}\n{\"b\"");
  EXPECT_EQ(reader.next(), "{\"a\":1}");
  EXPECT_EQ(reader.next(), std::nullopt);
  reader.feed(":2}\r\n\n");
  EXPECT_EQ(reader.next(), "{\"b\":2}");
  EXPECT_EQ(reader.next(), "");
  EXPECT_EQ(reader.next(), std::nullopt);
  EXPECT_FALSE(reader.overflowed());
}

TEST(LineReader, a_line_beyond_the_limit_overflows_with_or_without_its_newline) {
  LineReader open_ended(4);
  open_ended.feed("12345");
  EXPECT_EQ(open_ended.next(), std::nullopt);
  EXPECT_TRUE(open_ended.overflowed());
  LineReader ended(4);
  ended.feed("1234\n12345\n");
  EXPECT_EQ(ended.next(), "1234");
  EXPECT_EQ(ended.next(), std::nullopt);
  EXPECT_TRUE(ended.overflowed());
}

TEST(OutputQueue, refuses_what_goes_beyond_its_limit) {
  OutputQueue queue(10);
  EXPECT_TRUE(queue.push("12345\n"));
  EXPECT_FALSE(queue.push("12345\n"));
  EXPECT_EQ(queue.bytes(), 6U);
  queue.consume(6);
  EXPECT_TRUE(queue.empty());
  EXPECT_TRUE(queue.push("12345\n"));
}

TEST(OutputQueue, closing_keeps_the_rest_of_the_line_being_written_then_the_last_line) {
  OutputQueue queue(100);
  ASSERT_TRUE(queue.push("first\n"));
  ASSERT_TRUE(queue.push("second\n"));
  queue.consume(2);
  queue.close_with("bye\n");
  EXPECT_EQ(queue.front(), "rst\n");
  queue.consume(4);
  EXPECT_EQ(queue.front(), "bye\n");
  EXPECT_EQ(queue.bytes(), 4U);
  OutputQueue untouched(100);
  ASSERT_TRUE(untouched.push("first\n"));
  untouched.close_with("bye\n");
  EXPECT_EQ(untouched.front(), "bye\n");
}

}  // namespace
}  // namespace tandem::groups
