// Validation across files and namespaces. Single-object problems are in
// test/data/bad-manifests, one file per case.

#include "common/model/validate.h"

#include <fstream>
#include <iterator>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/support.h"

namespace tandem::model {
namespace {

using tandem::testing::check;
using tandem::testing::check_files;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string resource_yaml(const std::string& name, const std::string& ns = "default") {
  return "apiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: " + name +
         ", namespace: " + ns + "}\nspec: {agent: {ocf: {provider: heartbeat, type: Dummy}}}\n";
}

TEST(Validate, a_duplicate_name_names_the_file_of_the_first) {
  auto checked = check_files({{"a.yaml", resource_yaml("web")}, {"b.yaml", resource_yaml("web")}});
  EXPECT_THAT(checked.messages,
              ElementsAre("b.yaml: HAResource default/web: metadata.name: \"web\" is already used "
                          "by HAResource default/web (a.yaml)"));
}

TEST(Validate, the_same_name_in_two_namespaces_is_fine) {
  auto checked = check(resource_yaml("web", "a") + "---\n" + resource_yaml("web", "b"));
  EXPECT_THAT(checked.messages, IsEmpty());
}

TEST(Validate, references_do_not_cross_namespaces) {
  auto checked = check(resource_yaml("web", "a") + R"(---
apiVersion: tandem.dev/v1alpha1
kind: HAGroup
metadata: {name: g, namespace: b}
spec: {resources: [web]}
)");
  EXPECT_THAT(checked.messages, ElementsAre("web.yaml: HAGroup b/g: spec.resources[0]: resource "
                                            "\"web\" does not exist"));
}

TEST(Validate, every_file_is_checked_in_one_run) {
  auto checked = check_files({
      {"one.yaml", resource_yaml("Bad_Name")},
      {"two.yaml", "kind: HANode\n"},
      {"three.yaml", resource_yaml("fine")},
      {"four.yaml", "key: [unclosed\n"},
  });
  EXPECT_THAT(
      checked.messages,
      ElementsAre("one.yaml: HAResource default/Bad_Name: metadata.name: \"Bad_Name\" is not a "
                  "valid name: use lower-case letters, digits, '-' and '.', starting and ending "
                  "with a letter or digit (at most 253 characters)",
                  "two.yaml: HANode (document 1): apiVersion: required field is missing",
                  "two.yaml: HANode (document 1): metadata: required field is missing",
                  "four.yaml: line 2, column 1: invalid YAML: end of sequence flow not found"));
}

TEST(Validate, an_object_with_errors_can_still_be_referred_to) {
  // The group's reference to "web" resolves even though "web" itself is
  // broken, so the user sees one error, not two.
  auto checked = check(R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: web}
spec: {agent: {ocf: {provider: heartbeat}}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAGroup
metadata: {name: g}
spec: {resources: [web]}
)");
  EXPECT_THAT(checked.messages, ElementsAre("web.yaml: HAResource default/web: "
                                            "spec.agent.ocf.type: required field is missing"));
}

TEST(Validate, the_examples_are_valid_together) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const char* path :
       {"two-node-web/cluster.yaml", "two-node-web/web.yaml", "replicated-db/cluster.yaml",
        "replicated-db/resources.yaml", "replicated-db/constraints.yaml", "spread-web/cluster.yaml",
        "spread-web/resources.yaml", "spread-web/constraints.yaml"}) {
    std::ifstream in(std::string(TANDEM_SOURCE_DIR) + "/examples/" + path);
    ASSERT_TRUE(in) << path;
    files.emplace_back(path, std::string(std::istreambuf_iterator<char>(in), {}));
  }
  auto checked = check_files(files);
  EXPECT_THAT(checked.messages, IsEmpty());
  EXPECT_EQ(checked.manifests.size(), 23u);
}

}  // namespace
}  // namespace tandem::model
