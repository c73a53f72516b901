#include "common/core/duration.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

using namespace std::chrono_literals;

TEST(Duration, a_bare_integer_means_seconds) {
  EXPECT_EQ(*parse_duration("10"), 10s);
  EXPECT_EQ(*parse_duration("0"), 0s);
}

TEST(Duration, units_can_be_chained) {
  EXPECT_EQ(*parse_duration("500ms"), 500ms);
  EXPECT_EQ(*parse_duration("1m30s"), 90s);
  EXPECT_EQ(*parse_duration("2h"), 2h);
  EXPECT_EQ(*parse_duration("1h0m5s"), 1h + 5s);
}

TEST(Duration, pacemaker_unit_spellings_are_accepted) {
  EXPECT_EQ(*parse_duration("20sec"), 20s);
  EXPECT_EQ(*parse_duration("5min"), 5min);
  EXPECT_EQ(*parse_duration("1hr"), 1h);
  EXPECT_EQ(*parse_duration("250msec"), 250ms);
}

TEST(Duration, malformed_text_names_the_input) {
  EXPECT_EQ(parse_duration("10x").error().message, "\"10x\" is not a duration");
  for (const char* text : {"", "s", "-5s", "1.5s", "1m30", "10 s", "10s ", "us", "5us", "0x10"}) {
    EXPECT_FALSE(parse_duration(text)) << text;
  }
}

TEST(Duration, values_past_the_maximum_are_rejected_without_overflow) {
  EXPECT_FALSE(parse_duration("101d"));
  EXPECT_FALSE(parse_duration("2401h"));
  EXPECT_FALSE(parse_duration("99999999999999999999999999s"));
  EXPECT_FALSE(parse_duration("9223372036854775807h"));
  EXPECT_TRUE(parse_duration("2400h"));
}

TEST(Duration, formats_in_the_shortest_form_that_parses_back) {
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(250ms), "250ms");
  EXPECT_EQ(format_duration(1200ms), "1200ms");
  EXPECT_EQ(format_duration(90s), "1m30s");
  EXPECT_EQ(format_duration(1h + 5s), "1h5s");
  for (auto d : {0ms, 1ms, 999ms, 1000ms, 61001ms, 3600000ms, 86399999ms}) {
    EXPECT_EQ(*parse_duration(format_duration(d)), d) << format_duration(d);
  }
}

}  // namespace
}  // namespace tandem
