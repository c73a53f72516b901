// The text exposition writer and the histogram both programs use.

#include "common/metrics/exposition.h"

#include <array>
#include <cmath>
#include <limits>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/metrics/histogram.h"

namespace tandem::metrics {
namespace {

constexpr std::array<double, 3> kBounds = {0.1, 1, 10};

TEST(Histogram, a_value_on_a_bound_counts_in_that_bucket_and_above_the_last_only_in_the_count) {
  Histogram h(kBounds);
  h.observe(0.1);
  h.observe(0.5);
  h.observe(1);
  h.observe(60);
  EXPECT_EQ(h.bucket(0), 1u);
  EXPECT_EQ(h.bucket(1), 2u);
  EXPECT_EQ(h.bucket(2), 0u);
  EXPECT_EQ(h.count(), 4u);
  EXPECT_DOUBLE_EQ(h.sum(), 61.6);
}

TEST(Histogram, copies_compare_equal_until_one_observes) {
  Histogram a(kBounds);
  a.observe(2);
  Histogram b = a;
  EXPECT_EQ(a, b);
  b.observe(2);
  EXPECT_NE(a, b);
}

TEST(Exposition, a_family_has_help_and_type_then_its_samples) {
  Exposition out;
  out.family("tandem_things_total", MetricType::kCounter, "Things.");
  out.sample({}, std::uint64_t{3});
  out.family("tandem_level", MetricType::kGauge, "A level.");
  out.sample({{"node", "n1"}, {"kind", "a"}}, 0.5);
  EXPECT_EQ(out.text(),
            "# HELP tandem_things_total Things.\n"
            "# TYPE tandem_things_total counter\n"
            "tandem_things_total 3\n"
            "# HELP tandem_level A level.\n"
            "# TYPE tandem_level gauge\n"
            "tandem_level{node=\"n1\",kind=\"a\"} 0.5\n");
}

TEST(Exposition, histogram_buckets_are_cumulative_with_le_after_the_labels) {
  Histogram h(kBounds);
  h.observe(0.05);
  h.observe(5);
  h.observe(50);
  Exposition out;
  out.family("tandem_wait_seconds", MetricType::kHistogram, "Waits.");
  out.histogram({{"operation", "start"}}, h);
  EXPECT_EQ(out.text(),
            "# HELP tandem_wait_seconds Waits.\n"
            "# TYPE tandem_wait_seconds histogram\n"
            "tandem_wait_seconds_bucket{operation=\"start\",le=\"0.1\"} 1\n"
            "tandem_wait_seconds_bucket{operation=\"start\",le=\"1\"} 1\n"
            "tandem_wait_seconds_bucket{operation=\"start\",le=\"10\"} 2\n"
            "tandem_wait_seconds_bucket{operation=\"start\",le=\"+Inf\"} 3\n"
            "tandem_wait_seconds_sum{operation=\"start\"} 55.05\n"
            "tandem_wait_seconds_count{operation=\"start\"} 3\n");
}

TEST(Exposition, label_values_and_help_are_escaped) {
  EXPECT_EQ(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  Exposition out;
  out.family("tandem_x", MetricType::kGauge, "back\\slash\nnew line");
  out.sample({{"name", "say \"hi\""}}, 1.0);
  EXPECT_THAT(out.text(), ::testing::HasSubstr("# HELP tandem_x back\\\\slash\\nnew line\n"));
  EXPECT_THAT(out.text(), ::testing::HasSubstr("tandem_x{name=\"say \\\"hi\\\"\"} 1\n"));
}

TEST(Exposition, numbers_are_written_short_and_exact) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(300), "300");
  EXPECT_EQ(format_number(-0.000125), "-0.000125");
  EXPECT_EQ(std::stod(format_number(1.0 / 3.0)), 1.0 / 3.0);
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_number(std::nan("")), "NaN");
}

}  // namespace
}  // namespace tandem::metrics
