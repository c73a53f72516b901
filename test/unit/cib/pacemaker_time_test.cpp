#include "operator/cib/pacemaker_time.h"

#include <gtest/gtest.h>

namespace tandem::cib::detail {
namespace {

std::string read(std::string_view text) {
  auto time = parse_pacemaker_time(text);
  return time ? time->to_string() : "error: " + time.error().message;
}

TEST(PacemakerTime, reads_the_forms_cibs_carry) {
  EXPECT_EQ(read("2019-09-20 15:10:52 +00:00"), "2019-09-20T15:10:52Z");
  EXPECT_EQ(read("2019-09-20T15:10:52+02:00"), "2019-09-20T13:10:52Z");
  EXPECT_EQ(read("2019-09-20 15:10:52 -0130"), "2019-09-20T16:40:52Z");
  EXPECT_EQ(read("2019-09-20T15:10:52Z"), "2019-09-20T15:10:52Z");
  EXPECT_EQ(read("2019-09-20"), "2019-09-20T00:00:00Z");
  EXPECT_EQ(read("20190920T151052Z"), "2019-09-20T15:10:52Z");
}

TEST(PacemakerTime, reads_ordinal_and_week_dates) {
  EXPECT_EQ(read("2005-020T12:30"), "2005-01-20T12:30:00Z");
  EXPECT_EQ(read("2024-366"), "2024-12-31T00:00:00Z");
  EXPECT_EQ(read("2005-W03-4"), "2005-01-20T00:00:00Z");
  EXPECT_EQ(read("2026-W53-5"), "2027-01-01T00:00:00Z");
}

TEST(PacemakerTime, rejects_what_is_no_time_with_the_text) {
  for (const char* bad : {"", "yesterday", "2019-13-01", "2019-02-30", "2025-366", "2025-W53-1",
                          "2019-09-20 25:00", "2019-09-20T15:10:52 +00:00x"}) {
    auto time = parse_pacemaker_time(bad);
    ASSERT_FALSE(time) << bad;
    EXPECT_NE(time.error().message.find("is not an ISO 8601 time"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace tandem::cib::detail
