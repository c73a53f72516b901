// Maintenance as Pacemaker means it, in the reconciler: nothing started,
// stopped or fenced for a node, resource or cluster in maintenance, its
// recurring monitors not asked for until it ends; a resource that is only
// unmanaged keeps its monitors.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "operator/reconcile/status_json.h"
#include "test/unit/reconcile/fake_cluster.h"

namespace tandem::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

std::string manifests_text() {
  return three_nodes() + primitive("web", "  operations:\n    - {name: monitor, interval: 10s}\n");
}

model::Manifests in_maintenance(const std::string& node) {
  model::Manifests m = normalized(manifests_text());
  for (model::HANode& n : m.nodes) {
    if (n.metadata.name == node) n.spec.maintenance = true;
  }
  return m;
}

model::Manifests cluster_in_maintenance() {
  model::Manifests m = normalized(manifests_text());
  m.clusters.front().spec.options.maintenance_mode = true;
  return m;
}

// The resource's process died on `node` and the sidecar's own recurring
// monitor found it so.
void dies_on(FakeCluster& c, const std::string& node) {
  c.node(node).running.erase("web");
  c.record(c.node(node), "web", "monitor", 10'000, 7, 0);
}

// Starts and stops of web the fake nodes carried out.
std::vector<std::string> starts_and_stops(FakeCluster& c) {
  std::vector<std::string> out;
  for (const std::string& e : c.executed()) {
    if (e.starts_with("start ") || e.starts_with("stop ")) out.push_back(e);
  }
  return out;
}

TEST(Maintenance, nothing_restarts_or_moves_a_resource_that_died_on_a_node_in_maintenance) {
  FakeCluster c(manifests_text());
  c.converge();
  ASSERT_THAT(c.running("web"), SizeIs(1));
  const std::string node = c.running("web").front();
  c.set_manifests(in_maintenance(node));
  c.executed().clear();
  dies_on(c, node);
  run_for(c, 20'000);
  EXPECT_THAT(starts_and_stops(c), IsEmpty());
  EXPECT_THAT(c.running("web"), IsEmpty());
  EXPECT_EQ(node_status(c, node).state, "maintenance");
  ASSERT_THAT(c.core().status().resources, SizeIs(1));
  EXPECT_FALSE(c.core().status().resources[0].managed);

  c.set_manifests(normalized(manifests_text()));
  c.converge();
  EXPECT_THAT(c.running("web"), SizeIs(1));
  EXPECT_THAT(starts_and_stops(c), Contains(HasSubstr("start web")));
  EXPECT_TRUE(c.core().status().resources[0].managed);
}

TEST(Maintenance, recurring_monitors_are_cancelled_in_maintenance_and_asked_for_again_after) {
  FakeCluster c(manifests_text());
  c.converge();
  const std::string node = c.running("web").front();
  for (const model::Manifests& paused : {in_maintenance(node), cluster_in_maintenance()}) {
    c.set_manifests(paused);
    c.executed().clear();
    run_for(c, 25'000);
    EXPECT_THAT(c.executed(), ElementsAre("cancel:10000 web " + node));
    for (const protocol::OpResult& op : c.node(node).history["web"])
      EXPECT_EQ(op.interval_ms, 0) << op.id;
    c.set_manifests(normalized(manifests_text()));
    c.executed().clear();
    c.converge();
    EXPECT_THAT(c.executed(), ElementsAre("monitor:10000 web " + node));
  }
}

TEST(Maintenance, a_resource_in_maintenance_has_its_monitor_cancelled_and_no_other) {
  FakeCluster c(three_nodes() +
                primitive("web", "  operations:\n    - {name: monitor, interval: 10s}\n") +
                primitive("db", "  operations:\n    - {name: monitor, interval: 5s}\n"));
  c.converge();
  model::Manifests m = normalized(
      three_nodes() + primitive("web", "  operations:\n    - {name: monitor, interval: 10s}\n") +
      primitive("db", "  operations:\n    - {name: monitor, interval: 5s}\n"));
  for (model::HAResource& r : m.resources) {
    if (r.metadata.name == "db") r.spec.meta.maintenance = true;
  }
  c.set_manifests(m);
  c.executed().clear();
  run_for(c, 12'000);
  EXPECT_THAT(c.executed(), ElementsAre("cancel:5000 db " + c.running("db").front()));
}

TEST(Maintenance, an_unmanaged_resource_keeps_its_recurring_monitor) {
  model::Manifests unmanaged = normalized(manifests_text());
  unmanaged.resources.front().spec.meta.is_managed = false;
  FakeCluster c(manifests_text());
  c.converge();
  const std::string node = c.running("web").front();
  c.set_manifests(unmanaged);
  std::erase_if(c.node(node).history["web"],
                [](const protocol::OpResult& op) { return op.interval_ms > 0; });
  c.executed().clear();
  c.converge();
  EXPECT_THAT(c.executed(), ElementsAre("monitor:10000 web " + node));
  EXPECT_FALSE(c.core().status().resources[0].managed);
}

TEST(Maintenance, a_lost_node_in_maintenance_is_not_fenced_and_waits_for_the_self_fence_time) {
  FakeCluster c(manifests_text(), {.fencing_available = true});
  c.converge();
  const std::string lost = c.running("web").front();
  c.set_manifests(in_maintenance(lost));
  c.node(lost).up = false;
  c.next_ring();
  c.partition({lost});
  run_for(c, 5'000);
  EXPECT_THAT(c.fences(), IsEmpty());
  EXPECT_EQ(node_status(c, lost).state, "unclean");
  EXPECT_THAT(c.running("web"), ElementsAre(lost));
  run_for(c, 8'000);
  EXPECT_THAT(c.fences(), IsEmpty());
  EXPECT_EQ(node_status(c, lost).cleared_by, "the self-fence time");
}

TEST(Maintenance, the_cluster_in_maintenance_fences_nobody_and_says_so_in_its_status) {
  FakeCluster c(manifests_text(), {.fencing_available = true});
  c.converge();
  c.set_manifests(cluster_in_maintenance());
  const std::string lost = c.running("web").front();
  c.node(lost).up = false;
  c.next_ring();
  c.partition({lost});
  run_for(c, 5'000);
  EXPECT_THAT(c.fences(), IsEmpty());
  EXPECT_TRUE(c.core().status().maintenance_mode);
  EXPECT_THAT(reconcile::status_json(c.core().status(), 0), HasSubstr("\"maintenanceMode\": true"));
  c.set_manifests(normalized(manifests_text()));
  run_for(c, 1'000);
  EXPECT_THAT(c.fences(), SizeIs(1));
}

}  // namespace
}  // namespace tandem::testing
