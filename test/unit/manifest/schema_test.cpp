// The committed CRDs and field reference are generated; they must match
// what the code generates today. Regenerate with scripts/regen-schema.

#include "common/manifest/schema.h"

#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace tandem::manifest {
namespace {

std::string read(const std::string& relative) {
  std::ifstream in(std::string(TANDEM_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(in) << relative;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(Schema, committed_crds_match_the_generated_ones) {
  for (const CrdFile& crd : generate_crds()) {
    EXPECT_EQ(read("crds/" + crd.file_name), crd.yaml)
        << "crds/" << crd.file_name << " is stale: run scripts/regen-schema";
  }
}

TEST(Schema, crds_are_well_formed_kubernetes_objects) {
  auto crds = generate_crds();
  ASSERT_EQ(crds.size(), 5u);
  for (const CrdFile& crd : crds) {
    YAML::Node doc = YAML::Load(crd.yaml);
    EXPECT_EQ(doc["apiVersion"].as<std::string>(), "apiextensions.k8s.io/v1");
    EXPECT_EQ(doc["kind"].as<std::string>(), "CustomResourceDefinition");
    EXPECT_EQ(doc["spec"]["group"].as<std::string>(), "tandem.dev");
    YAML::Node version = doc["spec"]["versions"][0];
    EXPECT_EQ(version["name"].as<std::string>(), "v1alpha1");
    YAML::Node schema = version["schema"]["openAPIV3Schema"];
    EXPECT_EQ(schema["type"].as<std::string>(), "object");
    EXPECT_TRUE(schema["properties"]["spec"].IsMap());
    EXPECT_TRUE(schema["properties"]["status"].IsMap());
  }
}

TEST(Schema, one_of_groups_become_cel_rules) {
  YAML::Node doc;
  for (const CrdFile& crd : generate_crds()) {
    if (crd.file_name == "tandem.dev_haresources.yaml") doc = YAML::Load(crd.yaml);
  }
  YAML::Node agent = doc["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]
                        ["properties"]["agent"];
  EXPECT_EQ(agent["x-kubernetes-validations"][0]["rule"].as<std::string>(),
            "[has(self.ocf), has(self.process), has(self.systemd), has(self.fence)].filter(x, x)"
            ".size() == 1");
}

TEST(Schema, the_field_reference_in_the_docs_is_current) {
  const std::string doc = read("docs/manifests.md");
  const std::string begin = "<!-- BEGIN GENERATED FIELD REFERENCE -->\n";
  const std::string end = "<!-- END GENERATED FIELD REFERENCE -->";
  auto from = doc.find(begin);
  auto to = doc.find(end);
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  EXPECT_EQ(doc.substr(from + begin.size(), to - from - begin.size()),
            "\n" + generate_field_reference() + "\n")
      << "docs/manifests.md is stale: run scripts/regen-schema";
}

}  // namespace
}  // namespace tandem::manifest
