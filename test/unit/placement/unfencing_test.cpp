// Unfencing: a device such as fence_scsi lets a node back in ("on") before
// anything that needs the shared storage probes or starts there.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/placement/scenario.h"

namespace tandem::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr const char* kFencingOn = "fencingEnabled: true";

std::string scsi(const std::string& extra = "") {
  return "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: scsi}\n"
         "spec:\n  agent: {fence: {type: fence_scsi, unfencing: true}}\n" +
         extra;
}

// "on n1 (reason)" for each unfencing in the transition.
std::vector<std::string> unfencings(const placement::Transition& transition) {
  std::vector<std::string> out;
  for (const placement::Change& change : transition.changes) {
    if (change.kind != placement::ChangeKind::kFence || change.fence_action != "on") continue;
    out.push_back("on " + change.node + " (" + change.reason + ")");
  }
  return out;
}

TEST(Unfencing, a_device_that_unfences_lets_every_node_in_before_probing_there) {
  Scenario s(cluster_yaml(2, kFencingOn) + scsi(), 2);
  const placement::Transition t = s.schedule();
  EXPECT_THAT(unfencings(t), UnorderedElementsAre("on n1 (required by scsi monitor)",
                                                  "on n2 (required by scsi monitor)"));
  EXPECT_THAT(placement_of(t), ElementsAre("scsi@n1"));
}

TEST(Unfencing, nodes_already_unfenced_are_not_unfenced_again) {
  Scenario s(cluster_yaml(2, kFencingOn) + scsi() + dummy("web"), 2);
  for (auto& node : s.observed.nodes) node.attributes["#node-unfenced"] = "1700000000";
  const placement::Transition t = s.schedule();
  EXPECT_THAT(unfencings(t), IsEmpty());
  EXPECT_THAT(changes(t), ElementsAre("start scsi n1", "start web n2"));
}

TEST(Unfencing, an_unfenced_attribute_of_zero_means_never_unfenced) {
  Scenario s(cluster_yaml(1, kFencingOn) + scsi(), 1);
  s.node("n1").attributes["#node-unfenced"] = "0";
  s.stopped("scsi", "n1");
  // Known stopped, so no probe: the start is what needs the node let in.
  EXPECT_THAT(unfencings(s.schedule()), ElementsAre("on n1 (required by scsi start)"));
}

TEST(Unfencing, resources_wait_for_unfencing_by_default_once_a_device_unfences) {
  Scenario s(cluster_yaml(1, kFencingOn) + scsi() + dummy("web"), 1);
  s.node("n1").attributes["#node-unfenced"] = "1700000000";
  s.running("scsi", "n1");
  s.stopped("web", "n1");
  EXPECT_EQ(s.manifests.resources[1].spec.meta.requires_, model::Requires::kUnfencing);
  EXPECT_EQ(s.manifests.resources[0].spec.meta.requires_, model::Requires::kQuorum);
  EXPECT_THAT(changes(s.schedule()), ElementsAre("start web n1"));
}

TEST(Unfencing, a_changed_device_agent_unfences_its_node_again_and_restarts_what_waits_for_it) {
  Scenario s(cluster_yaml(2, kFencingOn) + scsi() + dummy("web") +
                 constraint("web-on-n1", "location: {resource: web, node: n1, score: 100}"),
             2);
  for (auto& node : s.observed.nodes) node.attributes["#node-unfenced"] = "1700000000";
  s.running("scsi", "n1").stopped("scsi", "n2").running("web", "n1").stopped("web", "n2");
  s.history("scsi", "n1").type = "fence_virt";
  const placement::Transition t = s.schedule();
  EXPECT_THAT(unfencings(t), ElementsAre("on n1 (Device definition changed)"));
  EXPECT_THAT(changes(t), ElementsAre("fence n1", "restart scsi n1", "restart web n1"));
}

TEST(Unfencing, a_changed_agent_restarts_an_ordinary_resource_without_unfencing) {
  Scenario s(cluster_yaml(1) + dummy("web"), 1);
  s.running("web", "n1");
  s.history("web", "n1").type = "Stateful";
  const placement::Transition t = s.schedule();
  EXPECT_THAT(unfencings(t), IsEmpty());
  EXPECT_THAT(changes(t), ElementsAre("restart web n1"));
}

TEST(Unfencing, without_fencing_nothing_is_unfenced_and_resources_need_quorum_only) {
  Scenario s(cluster_yaml(1) + scsi() + dummy("web"), 1);
  EXPECT_EQ(s.manifests.resources[1].spec.meta.requires_, model::Requires::kQuorum);
  EXPECT_THAT(unfencings(s.schedule()), IsEmpty());
}

}  // namespace
}  // namespace tandem::testing
