// The hub between the HTTP handlers and the reconciler's thread: versioned
// pending actions, so that a sidecar's long poll waits for a change.

#include "operator/server/hub.h"

#include <thread>

#include <gtest/gtest.h>

namespace tandem::server {
namespace {

protocol::ActionRequest action(const std::string& id) {
  protocol::ActionRequest a;
  a.id = id;
  a.task = "start";
  a.resource = "web";
  return a;
}

TEST(Hub, the_version_moves_only_when_a_nodes_pending_actions_change) {
  Hub hub("op7");
  hub.publish({{"n1", {action("op7-1")}}}, "{}", "");
  const protocol::ActionBatch first = hub.wait_actions("n1", std::chrono::milliseconds(0));
  ASSERT_EQ(first.actions.size(), 1U);
  EXPECT_EQ(first.version.rfind("op7.", 0), 0U);

  hub.publish({{"n1", {action("op7-1")}}, {"n2", {action("op7-2")}}}, "{}", "");
  EXPECT_EQ(hub.wait_actions("n1", std::chrono::milliseconds(0), first.version).version,
            first.version);
  hub.publish({{"n1", {action("op7-1"), action("op7-3")}}}, "{}", "");
  const protocol::ActionBatch second =
      hub.wait_actions("n1", std::chrono::milliseconds(0), first.version);
  EXPECT_NE(second.version, first.version);
  EXPECT_EQ(second.actions.size(), 2U);
}

TEST(Hub, a_poll_with_the_current_version_is_answered_when_the_actions_change) {
  Hub hub("op1");
  hub.publish({{"n1", {action("op1-1")}}}, "{}", "");
  const std::string seen = hub.wait_actions("n1", std::chrono::milliseconds(0)).version;
  std::thread publisher([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    hub.publish({}, "{}", "");
  });
  // Bounded by the wait; answered early because the set changed (to none).
  const protocol::ActionBatch next = hub.wait_actions("n1", std::chrono::seconds(30), seen);
  publisher.join();
  EXPECT_NE(next.version, seen);
  EXPECT_TRUE(next.actions.empty());
}

TEST(Hub, versions_of_another_operator_incarnation_never_match) {
  Hub before("op1");
  Hub after("op2");
  EXPECT_NE(before.wait_actions("n1", std::chrono::milliseconds(0)).version,
            after.wait_actions("n1", std::chrono::milliseconds(0)).version);
}

}  // namespace
}  // namespace tandem::server
