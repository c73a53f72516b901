#include "common/core/timestamp.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(Timestamp, reads_utc_and_offsets_to_the_same_instant) {
  auto utc = Timestamp::parse("2026-11-24T19:42:00Z");
  auto offset = Timestamp::parse("2026-11-24T21:42:00+02:00");
  ASSERT_TRUE(utc && offset);
  EXPECT_EQ(*utc, *offset);
  EXPECT_EQ(utc->to_string(), "2026-11-24T19:42:00Z");
}

TEST(Timestamp, keeps_milliseconds) {
  auto t = Timestamp::parse("2026-01-02T03:04:05.678901Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->to_string(), "2026-01-02T03:04:05.678Z");
}

TEST(Timestamp, knows_leap_years) {
  EXPECT_TRUE(Timestamp::parse("2024-02-29T00:00:00Z"));
  EXPECT_FALSE(Timestamp::parse("2026-02-29T00:00:00Z"));
}

TEST(Timestamp, rejects_what_is_not_rfc3339) {
  for (const char* text :
       {"", "2026-11-24", "2026-11-24 19:42:00Z", "2026-11-24T19:42:00", "2026-13-01T00:00:00Z",
        "2026-11-24T24:00:00Z", "2026-11-24T19:42:60Z", "2026-11-24T19:42:00.Z",
        "2026-11-24T19:42:00+2:00", "2026-11-24T19:42:00Zjunk", "yesterday"}) {
    EXPECT_FALSE(Timestamp::parse(text)) << text;
  }
  EXPECT_EQ(Timestamp::parse("yesterday").error().message,
            "\"yesterday\" is not an RFC 3339 timestamp (e.g. 2026-11-24T19:42:00Z)");
}

TEST(Timestamp, round_trips_through_text) {
  for (const char* text :
       {"1970-01-01T00:00:00Z", "2000-02-29T12:00:00.5Z", "9999-12-31T23:59:59Z"}) {
    auto t = Timestamp::parse(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(*Timestamp::parse(t->to_string()), *t);
  }
}

}  // namespace
}  // namespace tandem
