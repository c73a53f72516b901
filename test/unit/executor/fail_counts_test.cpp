#include "sidecar/executor/fail_counts.h"

#include <gtest/gtest.h>

namespace tandem::executor {
namespace {

using namespace std::chrono_literals;

Instant at(Duration d) {
  return Instant(d);
}

TEST(FailCounts, count_per_operation_and_per_resource) {
  FailCounts counts;
  counts.record({"web", Action::kMonitor, 10s}, at(1s));
  counts.record({"web", Action::kMonitor, 10s}, at(2s));
  counts.record({"web", Action::kStart, 0s}, at(3s));
  counts.record({"db", Action::kStop, 0s}, at(3s));
  EXPECT_EQ(counts.count(FailKey{"web", Action::kMonitor, 10s}), 2);
  EXPECT_EQ(counts.count(FailKey{"web", Action::kStart, 0s}), 1);
  EXPECT_EQ(counts.count("web"), 3);
  EXPECT_EQ(counts.count("db"), 1);
  EXPECT_EQ(counts.count("ghost"), 0);
}

TEST(FailCounts, expire_together_a_failure_timeout_after_the_last_failure) {
  FailCounts counts;
  counts.record({"web", Action::kMonitor, 10s}, at(0s));
  counts.record({"web", Action::kStart, 0s}, at(30s));
  std::map<std::string, Duration> timeouts{{"web", 60s}};
  EXPECT_TRUE(counts.expire(at(89s), timeouts).empty());
  EXPECT_EQ(counts.count("web"), 2);
  EXPECT_EQ(counts.expire(at(90s), timeouts), std::vector<std::string>{"web"});
  EXPECT_EQ(counts.count("web"), 0);
}

TEST(FailCounts, never_expire_without_a_failure_timeout) {
  FailCounts counts;
  counts.record({"web", Action::kMonitor, 10s}, at(0s));
  EXPECT_TRUE(counts.expire(at(1000h), {{"web", 0s}}).empty());
  EXPECT_TRUE(counts.expire(at(1000h), {}).empty());
  EXPECT_EQ(counts.count("web"), 1);
}

TEST(FailCounts, clear_forgets_one_resource) {
  FailCounts counts;
  counts.record({"web", Action::kMonitor, 10s}, at(0s));
  counts.record({"db", Action::kMonitor, 10s}, at(0s));
  counts.clear("web");
  EXPECT_EQ(counts.count("web"), 0);
  EXPECT_EQ(counts.count("db"), 1);
}

}  // namespace
}  // namespace tandem::executor
