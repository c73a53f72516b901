// What `tandemctl show` prints must read back to the same objects.

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/manifest/encode.h"
#include "common/manifest/load.h"
#include "test/unit/support.h"

namespace tandem::manifest {
namespace {

using ::testing::IsEmpty;

model::Manifests reread(const std::string& yaml) {
  auto checked = testing::check(yaml, "shown.yaml");
  EXPECT_THAT(checked.messages, IsEmpty()) << yaml;
  model::normalize(checked.manifests);
  return checked.manifests;
}

TEST(RoundTrip, the_normalized_examples_read_back_unchanged) {
  auto loaded = load_manifests({std::string(TANDEM_SOURCE_DIR) + "/examples"});
  ASSERT_TRUE(loaded);
  model::validate(loaded->manifests, loaded->diagnostics);
  ASSERT_FALSE(loaded->diagnostics.has_errors());
  model::normalize(loaded->manifests);
  std::string shown = encode_yaml(loaded->manifests);
  EXPECT_EQ(reread(shown), loaded->manifests);
  EXPECT_EQ(encode_yaml(reread(shown)), shown);
}

TEST(RoundTrip, strings_that_look_like_other_types_are_quoted) {
  model::Manifests manifests;
  model::HANode node;
  node.metadata.name = "n1";
  node.spec.attributes = {{"a", "24"},          {"b", "on"},          {"c", "~"},
                          {"d", "1.5"},         {"e", "true"},        {"f", "-INFINITY"},
                          {"g", "with: colon"}, {"h", "line\nbreak"}, {"on", "key looks boolean"}};
  manifests.nodes.push_back(node);
  std::string yaml = encode_yaml(manifests);
  EXPECT_EQ(reread(yaml), manifests) << yaml;
}

TEST(RoundTrip, infinite_scores_and_durations_survive) {
  const char* text = R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: a}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
  meta: {stickiness: -INFINITY, migrationThreshold: INFINITY, failureTimeout: 1h30m}
)";
  auto once = reread(text);
  EXPECT_EQ(reread(encode_yaml(once)), once);
  EXPECT_EQ(once.resources[0].spec.meta.stickiness, Score::minus_infinity());
}

}  // namespace
}  // namespace tandem::manifest
