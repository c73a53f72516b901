// The observed state against the manifests it is simulated with.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "operator/observed/observed_file.h"
#include "test/unit/support.h"

namespace tandem::observed {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::string kManifests = R"(apiVersion: tandem.dev/v1alpha1
kind: HANode
metadata: {name: node1}
---
apiVersion: tandem.dev/v1alpha1
kind: HANode
metadata: {name: node2}
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: web}
spec: {agent: {ocf: {provider: heartbeat, type: apache}}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: vip}
spec: {agent: {ocf: {provider: heartbeat, type: IPaddr2}}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAGroup
metadata: {name: stack}
spec: {resources: [vip, web]}
)";

std::vector<std::string> check(const std::string& observed) {
  model::Manifests manifests = testing::normalized(kManifests);
  model::Diagnostics diagnostics;
  Decoded decoded =
      decode_observed("apiVersion: tandem.dev/v1alpha1\nkind: ObservedState\n" + observed,
                      "observed.yaml", diagnostics);
  EXPECT_FALSE(diagnostics.has_errors());
  check_observed(decoded, manifests, "observed.yaml", diagnostics);
  std::vector<std::string> messages;
  for (const auto& d : diagnostics.items()) messages.push_back(format_diagnostic(d));
  return messages;
}

TEST(CheckObserved, accepts_nodes_and_resources_of_the_manifests) {
  EXPECT_THAT(check("nodes:\n  - name: node1\n    state: online\n    resources:\n"
                    "      - {name: web, operations: [{operation: start}]}\n"
                    "    failCounts:\n      - {resource: vip, count: 1}\n"),
              IsEmpty());
}

TEST(CheckObserved, a_node_the_manifests_do_not_have_is_an_error) {
  EXPECT_THAT(check("nodes:\n  - {name: node3, state: online}\n  - {name: nod1, state: online}\n"),
              ElementsAre("observed.yaml:4:5: nodes[0].name: node \"node3\" is not in the "
                          "manifests (did you mean \"node1\"?)",
                          "observed.yaml:5:5: nodes[1].name: node \"nod1\" is not in the "
                          "manifests (did you mean \"node1\"?)"));
}

TEST(CheckObserved, an_unknown_resource_without_an_agent_is_taken_for_a_typo) {
  EXPECT_THAT(check("nodes:\n  - name: node1\n    state: online\n    resources:\n"
                    "      - {name: wbe}\n"),
              ElementsAre("observed.yaml:7:9: nodes[0].resources[0].name: resource \"wbe\" is "
                          "not in the manifests (did you mean \"web\"?); to simulate a resource "
                          "that still runs but is no longer configured, give its agent"));
}

TEST(CheckObserved, an_unknown_resource_with_an_agent_is_an_orphan) {
  EXPECT_THAT(check("nodes:\n  - name: node1\n    state: online\n    resources:\n"
                    "      - {name: old, agent: {class: ocf, provider: heartbeat, type: Dummy}}\n"
                    "    failCounts:\n      - {resource: old, count: 1}\n"),
              IsEmpty());
}

TEST(CheckObserved, a_group_has_no_history_of_its_own) {
  EXPECT_THAT(check("nodes:\n  - name: node1\n    state: online\n    resources:\n"
                    "      - {name: stack}\n"),
              ElementsAre("observed.yaml:7:9: nodes[0].resources[0].name: \"stack\" is a group; "
                          "the history is kept per resource, so list its members"));
}

TEST(CheckObserved, a_fail_count_of_an_unknown_resource_is_a_warning) {
  EXPECT_THAT(check("nodes:\n  - name: node1\n    state: online\n    failCounts:\n"
                    "      - {resource: wbe, count: 1}\n"),
              ElementsAre("observed.yaml:7:9: nodes[0].failCounts[0].resource: warning: resource "
                          "\"wbe\" is not in the manifests (did you mean \"web\"?); this fail "
                          "count has no effect"));
}

}  // namespace
}  // namespace tandem::observed
