#include "common/model/normalize.h"

#include <gtest/gtest.h>

#include "test/unit/support.h"

namespace tandem::model {
namespace {

using namespace std::chrono_literals;
using testing::normalized;

const char* kCluster = R"(
apiVersion: tandem.dev/v1alpha1
kind: HACluster
metadata: {name: c}
spec:
  options: {fencingEnabled: false}
  resourceDefaults: {stickiness: 100, failureTimeout: 5m}
  operationDefaults: {timeout: 45s}
  membership:
    totem: {token: 1000ms}
    nodes:
      - {name: n1, nodeId: 1, address: 192.0.2.1}
      - {name: n2, nodeId: 2, address: 192.0.2.2}
      - {name: n3, nodeId: 3, address: 192.0.2.3}
---
)";

const char* kTwoNodeCluster = R"(
apiVersion: tandem.dev/v1alpha1
kind: HACluster
metadata: {name: c}
spec:
  membership:
    nodes:
      - {name: n1, nodeId: 1, address: 192.0.2.1}
      - {name: n2, nodeId: 2, address: 192.0.2.2}
)";

const HAResource& resource(const Manifests& m, const std::string& name) {
  for (const auto& r : m.resources) {
    if (r.metadata.name == name) return r;
  }
  throw std::runtime_error("no resource " + name);
}

TEST(Normalize, resources_take_the_cluster_defaults_they_do_not_set) {
  auto m = normalized(std::string(kCluster) + R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: a}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
  meta: {failureTimeout: 30s}
)");
  const ResourceMeta& meta = resource(m, "a").spec.meta;
  EXPECT_EQ(meta.stickiness, Score::of(100));
  EXPECT_EQ(meta.failure_timeout, 30s);
  EXPECT_EQ(meta.migration_threshold, Score::infinity());
  EXPECT_EQ(meta.target_role, Role::kStarted);
  EXPECT_EQ(meta.requires_, Requires::kQuorum);
  EXPECT_EQ(meta.critical, true);
}

TEST(Normalize, members_inherit_their_group_meta_before_cluster_defaults) {
  auto m = normalized(std::string(kCluster) + R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: a}
spec: {agent: {ocf: {provider: heartbeat, type: Dummy}}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: b}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
  meta: {targetRole: Started}
---
apiVersion: tandem.dev/v1alpha1
kind: HAGroup
metadata: {name: g}
spec:
  resources: [a, b]
  meta: {targetRole: Stopped, stickiness: 7}
)");
  EXPECT_EQ(resource(m, "a").spec.meta.target_role, Role::kStopped);
  EXPECT_EQ(resource(m, "a").spec.meta.stickiness, Score::of(7));
  EXPECT_EQ(resource(m, "b").spec.meta.target_role, Role::kStarted);
}

TEST(Normalize, clone_instances_are_sticky_by_default_and_run_on_every_node) {
  auto m = normalized(std::string(kTwoNodeCluster) + R"(---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: a}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
  clone: {}
)");
  EXPECT_EQ(resource(m, "a").spec.meta.stickiness, Score::of(1));
  EXPECT_EQ(resource(m, "a").spec.clone->max, 2);
  EXPECT_EQ(resource(m, "a").spec.meta.requires_, Requires::kFencing);
}

TEST(Normalize, a_failed_stop_fences_only_when_fencing_is_enabled) {
  const char* resource_yaml = R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: a}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
  operations:
    - {name: stop}
    - {name: monitor, interval: 10s}
    - {name: start, timeout: 90s}
)";
  auto fenced = normalized(resource_yaml);  // no HACluster: fencing is on by default
  const auto& ops = resource(fenced, "a").spec.operations;
  EXPECT_EQ(ops[0].on_fail, OnFail::kFence);
  EXPECT_EQ(ops[1].on_fail, OnFail::kRestart);
  EXPECT_EQ(ops[0].timeout, 20s);
  EXPECT_EQ(ops[2].timeout, 90s);

  auto unfenced = normalized(std::string(kCluster) + resource_yaml);
  EXPECT_EQ(resource(unfenced, "a").spec.operations[0].on_fail, OnFail::kBlock);
  EXPECT_EQ(resource(unfenced, "a").spec.operations[1].timeout, 45s);
}

TEST(Normalize, totem_timers_derive_from_the_effective_token_as_corosync_does) {
  auto m = normalized(kCluster);
  const Membership& membership = m.clusters[0].spec.membership;
  // 1000ms + (3 - 2) x 650ms
  EXPECT_EQ(effective_token(membership), 1650ms);
  EXPECT_EQ(membership.totem.consensus, 1980ms);
  EXPECT_EQ(membership.totem.token_retransmit, 392ms);  // 1650 / 4.2
  EXPECT_EQ(membership.totem.hold, 303ms);              // 392 x 0.8 - 10
  EXPECT_EQ(membership.cluster_name, "c");
  EXPECT_EQ(m.clusters[0].spec.quorum.expected_votes, 3u);
  EXPECT_EQ(m.clusters[0].spec.quorum.wait_for_all, false);
}

TEST(Normalize, two_node_clusters_wait_for_all_by_default) {
  auto m = normalized(std::string(kTwoNodeCluster) + "  quorum: {twoNode: true}\n");
  EXPECT_EQ(m.clusters[0].spec.quorum.wait_for_all, true);
  EXPECT_EQ(m.clusters[0].spec.membership.crypto.key_file, "/etc/corosync/authkey");
}

TEST(Normalize, systemd_units_get_their_service_suffix) {
  auto m = normalized(R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: a}
spec: {agent: {systemd: {unit: nginx}}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: b}
spec: {agent: {systemd: {unit: data.mount}}}
)");
  EXPECT_EQ(resource(m, "a").spec.agent.systemd->unit, "nginx.service");
  EXPECT_EQ(resource(m, "b").spec.agent.systemd->unit, "data.mount");
}

TEST(Normalize, orders_and_colocations_get_pacemaker_defaults) {
  auto m = normalized(R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: a}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
  meta: {critical: false}
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: b}
spec: {agent: {ocf: {provider: heartbeat, type: Dummy}}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAConstraint
metadata: {name: o}
spec: {order: {first: a, firstAction: stop, then: b}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAConstraint
metadata: {name: s}
spec: {order: {first: a, then: b, kind: Serialize}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAConstraint
metadata: {name: col}
spec: {colocation: {resource: a, withResource: b, score: INFINITY}}
)");
  const auto& order = *m.constraints[0].spec.order;
  EXPECT_EQ(order.then_action, OrderAction::kStop);
  EXPECT_EQ(order.symmetrical, true);
  EXPECT_EQ(m.constraints[1].spec.order->symmetrical, false);
  EXPECT_EQ(m.constraints[2].spec.colocation->influence, false);
}

TEST(Normalize, is_idempotent) {
  auto once = normalized(std::string(kCluster) + R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: a}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
  operations: [{name: monitor, interval: 10s}]
  clone: {}
)");
  Manifests twice = once;
  normalize(twice);
  EXPECT_EQ(once, twice);
}

}  // namespace
}  // namespace tandem::model
