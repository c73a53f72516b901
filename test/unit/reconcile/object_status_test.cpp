// The status written back on HANode and HAResource objects.

#include "operator/reconcile/object_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/reconcile/fake_cluster.h"

namespace tandem::testing {
namespace {

using ::testing::SizeIs;

const model::Condition& condition(const std::vector<model::Condition>& all,
                                  const std::string& type) {
  for (const model::Condition& c : all) {
    if (c.type == type) return c;
  }
  ADD_FAILURE() << "no condition " << type;
  return all.front();
}

TEST(ObjectStatus, a_running_resource_shows_its_node_role_and_a_true_running_condition) {
  const std::string yaml = three_nodes() + primitive("web");
  FakeCluster c(yaml);
  c.converge();
  const model::Manifests objects =
      reconcile::object_statuses(normalized(yaml), c.core().status(), {}, c.now());
  ASSERT_THAT(objects.resources, SizeIs(1));
  const model::HAResource& web = objects.resources[0];
  ASSERT_TRUE(web.status.has_value());
  ASSERT_THAT(web.status->instances, SizeIs(1));
  EXPECT_EQ(web.status->instances[0].node, c.running("web").at(0));
  EXPECT_EQ(web.status->instances[0].role, model::Role::kStarted);
  EXPECT_EQ(condition(web.status->conditions, "Running").status, model::ConditionStatus::kTrue);
  ASSERT_THAT(objects.nodes, SizeIs(3));
  for (const model::HANode& node : objects.nodes) {
    ASSERT_TRUE(node.status.has_value());
    EXPECT_EQ(node.status->state, model::NodeState::kOnline);
    EXPECT_EQ(condition(node.status->conditions, "Ready").status, model::ConditionStatus::kTrue);
  }
}

TEST(ObjectStatus, a_lost_node_is_unclean_and_its_resource_presumed_not_healthy) {
  const std::string yaml = three_nodes() + primitive("web");
  FakeCluster c(yaml);
  c.converge();
  const std::string where = c.running("web").at(0);
  c.node(where).up = false;
  c.partition({where});
  c.node(where).ring = {where};
  c.next_ring();
  c.converge(3);
  const model::Manifests objects =
      reconcile::object_statuses(normalized(yaml), c.core().status(), {}, c.now());
  for (const model::HANode& node : objects.nodes) {
    if (node.metadata.name != where) continue;
    EXPECT_EQ(node.status->state, model::NodeState::kUnclean);
    EXPECT_EQ(condition(node.status->conditions, "Unclean").status, model::ConditionStatus::kTrue);
  }
  const model::HAResource& web = objects.resources.at(0);
  ASSERT_THAT(web.status->instances, SizeIs(1));
  EXPECT_TRUE(web.status->instances[0].failed);
  EXPECT_EQ(condition(web.status->conditions, "Running").status, model::ConditionStatus::kFalse);
}

TEST(ObjectStatus, a_condition_keeps_its_transition_time_while_its_status_stays) {
  const std::string yaml = three_nodes() + primitive("web");
  FakeCluster c(yaml);
  c.converge();
  const model::Manifests first =
      reconcile::object_statuses(normalized(yaml), c.core().status(), {}, c.now());
  c.advance(60'000);
  c.converge();
  const model::Manifests later =
      reconcile::object_statuses(normalized(yaml), c.core().status(), first, c.now());
  EXPECT_EQ(condition(later.resources[0].status->conditions, "Running").last_transition_time,
            condition(first.resources[0].status->conditions, "Running").last_transition_time);
}

}  // namespace
}  // namespace tandem::testing
