// The fencer runs a node's fence levels in turn: a level succeeds only when
// every one of its steps exits 0, and the first level that succeeds ends
// the fence. Steps are real processes (/bin/sh).

#include "operator/daemon/fencer.h"

#include <chrono>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tandem::operator_daemon {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

FenceStep shell(const std::string& what, const std::string& script) {
  return {what, {"/bin/sh", "-c", script}, {}};
}

// Runs one fence and waits (bounded) for its result.
server::FenceResult fence(std::vector<FenceLevel> levels) {
  server::Hub hub;
  Fencer fencer(std::chrono::seconds(5), hub);
  fencer.fence("f1", std::move(levels));
  for (int i = 0; i < 100; ++i) {
    server::Inbox inbox = hub.take(std::chrono::milliseconds(100));
    if (!inbox.fence_results.empty()) return inbox.fence_results.front();
  }
  ADD_FAILURE() << "no fence result within 10 s";
  return {};
}

TEST(Fencer, a_level_succeeds_only_when_every_device_does_and_the_next_level_is_tried) {
  const server::FenceResult result =
      fence({{"level 1", {shell("device ok", "exit 0"), shell("device broken", "exit 3")}},
             {"level 2", {shell("device a", "exit 0"), shell("device b", "exit 0")}}});
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.detail,
            "level 2: device a, device b exited 0 (after level 1: device broken: exited 3)");
}

TEST(Fencer, a_failed_device_ends_its_level_before_the_next_device_runs) {
  const server::FenceResult result =
      fence({{"level 1", {shell("device broken", "exit 1"), shell("device never", "exit 0")}}});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.detail, "level 1: device broken: exited 1");
}

TEST(Fencer, the_first_level_that_succeeds_ends_the_fence) {
  const server::FenceResult result =
      fence({{"", {shell("device first", "exit 0")}}, {"", {shell("device second", "exit 9")}}});
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.detail, "device first exited 0");
}

TEST(Fencer, every_failure_is_reported_and_a_device_that_cannot_run_fails_its_level) {
  const server::FenceResult result =
      fence({{"level 1", {{"device gone (not a fence device in the manifests)", {}, {}}}},
             {"level 2", {shell("device slow", "exit 2")}}});
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.detail,
            "level 1: device gone (not a fence device in the manifests): nothing to run; "
            "level 2: device slow: exited 2");
  EXPECT_THAT(result.detail, Not(HasSubstr("exited 0")));
}

TEST(Fencer, no_level_at_all_says_nothing_can_fence_the_node) {
  const server::FenceResult result = fence({});
  EXPECT_FALSE(result.ok);
  EXPECT_THAT(result.detail, HasSubstr("no fence device reaches the node"));
}

}  // namespace
}  // namespace tandem::operator_daemon
