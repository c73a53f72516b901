#include "sidecar/agent/prepared_action.h"

#include <gtest/gtest.h>

namespace tandem::agent {
namespace {

using executor::Action;

constexpr const char* kDummy = R"(apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: dummy}
spec:
  agent:
    ocf: {provider: pacemaker, type: Dummy}
  operations:
    - {name: monitor, interval: 10s, timeout: 15s}
    - {name: start, timeout: 30s}
)";

constexpr const char* kStatefulClone = R"(apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: db}
spec:
  agent:
    ocf: {provider: pacemaker, type: Stateful}
  clone:
    max: 2
    notify: true
    promotable: {}
  operations:
    - {name: monitor, interval: 10s, role: Promoted}
    - {name: monitor, interval: 11s, role: Unpromoted}
)";

protocol::ActionRequest action(std::string task, std::string resource, const char* yaml) {
  protocol::ActionRequest a;
  a.id = "a-1";
  a.task = std::move(task);
  a.resource = std::move(resource);
  a.resource_yaml = yaml;
  return a;
}

TEST(PrepareAction, a_start_takes_its_timeout_from_the_manifest) {
  auto prepared = prepare_action(action("start", "dummy", kDummy));
  ASSERT_TRUE(prepared.has_value()) << prepared.error().reason;
  EXPECT_EQ(prepared->instance, "dummy");
  EXPECT_EQ(prepared->resource.metadata.name, "dummy");
  EXPECT_EQ(prepared->request.action, Action::kStart);
  EXPECT_EQ(prepared->request.timeout, Duration(30'000));
  EXPECT_FALSE(prepared->clone_instance.has_value());
  EXPECT_EQ(expected_rc(prepared->request), 0);
}

TEST(PrepareAction, the_actions_timeout_wins) {
  auto a = action("start", "dummy", kDummy);
  a.timeout_ms = 5000;
  auto prepared = prepare_action(a);
  ASSERT_TRUE(prepared.has_value());
  EXPECT_EQ(prepared->request.timeout, Duration(5000));
}

TEST(PrepareAction, a_probe_expects_not_running) {
  auto prepared = prepare_action(action("monitor", "dummy", kDummy));
  ASSERT_TRUE(prepared.has_value());
  EXPECT_TRUE(prepared->request.is_probe());
  EXPECT_EQ(expected_rc(prepared->request), 7);
}

TEST(PrepareAction, a_recurring_monitor_of_the_promoted_role_expects_running_promoted) {
  auto a = action("monitor", "db:1", kStatefulClone);
  a.interval_ms = 10'000;
  auto prepared = prepare_action(a);
  ASSERT_TRUE(prepared.has_value()) << prepared.error().reason;
  EXPECT_EQ(prepared->request.interval, Duration(10'000));
  EXPECT_EQ(prepared->request.role, model::Role::kPromoted);
  EXPECT_EQ(expected_rc(prepared->request), 8);
  EXPECT_EQ(prepared->clone_instance, 1);
}

TEST(PrepareAction, instances_of_an_anonymous_clone_run_under_the_clones_name) {
  // As Pacemaker's executor knows them: on one node, "db:0" and "db:1" are
  // one resource with one history, whichever number the operator gives.
  for (const char* resource : {"db:0", "db:1"}) {
    auto prepared = prepare_action(action("start", resource, kStatefulClone));
    ASSERT_TRUE(prepared.has_value()) << prepared.error().reason;
    EXPECT_EQ(prepared->instance, "db");
  }
}

TEST(PrepareAction, instances_of_a_globally_unique_clone_keep_their_number) {
  constexpr const char* kUnique = R"(apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: ip}
spec:
  agent:
    ocf: {provider: heartbeat, type: IPaddr2}
  params: {ip: 192.0.2.10}
  clone: {max: 2, nodeMax: 2, globallyUnique: true}
)";
  auto prepared = prepare_action(action("start", "ip:1", kUnique));
  ASSERT_TRUE(prepared.has_value()) << prepared.error().reason;
  EXPECT_EQ(prepared->instance, "ip:1");
  EXPECT_EQ(prepared->clone_instance, 1);
}

TEST(PrepareAction, the_clone_number_comes_from_the_meta_first) {
  auto a = action("start", "db:1", kStatefulClone);
  a.meta["clone"] = "3";
  auto prepared = prepare_action(a);
  ASSERT_TRUE(prepared.has_value());
  EXPECT_EQ(prepared->clone_instance, 3);
}

TEST(PrepareAction, a_notification_carries_its_type_operation_and_lists) {
  auto a = action("notify", "db:0", kStatefulClone);
  a.meta["notify_type"] = "pre";
  a.meta["OCF_RESKEY_CRM_meta_notify_operation"] = "promote";
  a.meta["notify_promote_uname"] = "node2";
  auto prepared = prepare_action(a);
  ASSERT_TRUE(prepared.has_value());
  ASSERT_TRUE(prepared->notification.has_value());
  EXPECT_EQ(prepared->notification->type, "pre");
  EXPECT_EQ(prepared->notification->operation, "promote");
  EXPECT_EQ(prepared->notification->lists.at("promote_uname"), "node2");
}

TEST(PrepareAction, an_unknown_task_is_not_supported) {
  auto prepared = prepare_action(action("migrate_to", "dummy", kDummy));
  ASSERT_FALSE(prepared.has_value());
  EXPECT_EQ(prepared.error().status, "not_supported");
  EXPECT_EQ(prepared.error().rc, 3);
}

TEST(PrepareAction, an_invalid_manifest_is_a_configuration_error_naming_the_action) {
  auto prepared = prepare_action(action("start", "dummy", "kind: HAResource\nspec: [1, 2\n"));
  ASSERT_FALSE(prepared.has_value());
  EXPECT_EQ(prepared.error().status, "error");
  EXPECT_EQ(prepared.error().rc, 6);
  EXPECT_NE(prepared.error().reason.find("action a-1"), std::string::npos);
}

TEST(PrepareAction, a_manifest_for_another_resource_is_refused) {
  auto prepared = prepare_action(action("start", "web", kDummy));
  ASSERT_FALSE(prepared.has_value());
  EXPECT_NE(prepared.error().reason.find("the manifest is for dummy, not for web"),
            std::string::npos);
}

TEST(PrepareAction, an_instance_number_for_a_primitive_is_refused) {
  auto prepared = prepare_action(action("start", "dummy:2", kDummy));
  ASSERT_FALSE(prepared.has_value());
  EXPECT_EQ(prepared.error().rc, 6);
}

}  // namespace
}  // namespace tandem::agent

namespace tandem::agent {
namespace {

TEST(StaleRing, an_action_planned_in_another_ring_is_refused_with_both_rings) {
  EXPECT_FALSE(stale_ring("1.8", "1.8").has_value());
  EXPECT_FALSE(stale_ring("", "1.8").has_value());
  auto refused = stale_ring("1.8", "2.c");
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("1.8"), std::string::npos);
  EXPECT_NE(refused->find("2.c"), std::string::npos);
  EXPECT_TRUE(stale_ring("1.8", "").has_value());
}

}  // namespace
}  // namespace tandem::agent
