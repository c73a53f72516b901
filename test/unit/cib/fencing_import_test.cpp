// Importing fence devices that unfence (Pacemaker's provides=unfencing) and
// the fencing topology.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "operator/cib/cib_import.h"

namespace tandem::cib {
namespace {

using ::testing::HasSubstr;

std::string cib(const std::string& resources) {
  return R"(<cib have-quorum="1"><configuration><crm_config/><nodes>
<node id="1" uname="n1"/></nodes><resources>)" +
         resources + "</resources><constraints/></configuration><status/></cib>";
}

std::string primitive(const std::string& agent, const std::string& meta) {
  return R"(<primitive id="dev" )" + agent + R"(><meta_attributes id="dev-m">)" + meta +
         "</meta_attributes></primitive>";
}

TEST(FencingImport, provides_unfencing_marks_the_device_as_one_that_unfences) {
  auto imported =
      import_cib(cib(primitive(R"(class="stonith" type="fence_scsi")",
                               R"(<nvpair id="p" name="provides" value="unfencing"/>)")),
                 "test.xml");
  ASSERT_TRUE(imported) << imported.error().message;
  const auto& fence = imported->manifests.resources.front().spec.agent.fence;
  ASSERT_TRUE(fence.has_value());
  EXPECT_EQ(fence->unfencing, true);
}

TEST(FencingImport, provides_unfencing_on_a_resource_that_is_no_device_is_an_error) {
  auto imported =
      import_cib(cib(primitive(R"(class="ocf" provider="pacemaker" type="Dummy")",
                               R"(<nvpair id="p" name="provides" value="unfencing"/>)")),
                 "test.xml");
  ASSERT_FALSE(imported);
  EXPECT_THAT(imported.error().message, HasSubstr("provides=unfencing is for fence devices"));
}

TEST(FencingImport, a_device_requiring_unfencing_requires_quorum_with_a_note) {
  auto imported =
      import_cib(cib(primitive(R"(class="stonith" type="fence_scsi")",
                               R"(<nvpair id="r" name="requires" value="unfencing"/>)")),
                 "test.xml");
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(imported->manifests.resources.front().spec.meta.requires_, model::Requires::kQuorum);
  bool noted = false;
  for (const std::string& note : imported->notes) {
    noted = noted || note.find("cannot require unfencing") != std::string::npos;
  }
  EXPECT_TRUE(noted);
}

std::string with_topology(const std::string& levels) {
  return R"(<cib have-quorum="1"><configuration><crm_config/><nodes>
<node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources>
<primitive id="ipmi" class="stonith" type="fence_ipmilan"/>
<primitive id="pdu" class="stonith" type="fence_apc"/></resources><constraints/>
<fencing-topology>)" +
         levels + "</fencing-topology></configuration><status/></cib>";
}

TEST(FencingImport, fencing_levels_become_the_clusters_topology) {
  auto imported =
      import_cib(with_topology(R"(<fencing-level id="l1" target="n1" index="1" devices="ipmi"/>
<fencing-level id="l2" target-attribute="rack" target-value="b" index="2" devices="ipmi,pdu"/>)"),
                 "test.xml");
  ASSERT_TRUE(imported) << imported.error().message;
  const auto& levels = imported->manifests.clusters.front().spec.fencing_topology;
  ASSERT_EQ(levels.size(), 2U);
  EXPECT_EQ(levels[0].target, "n1");
  EXPECT_EQ(levels[0].index, 1);
  EXPECT_EQ(levels[0].devices, std::vector<std::string>{"ipmi"});
  EXPECT_EQ(levels[1].target_attribute, "rack");
  EXPECT_EQ(levels[1].target_value, "b");
  EXPECT_EQ(levels[1].devices, (std::vector<std::string>{"ipmi", "pdu"}));
}

TEST(FencingImport, a_level_whose_index_is_not_a_number_is_refused_by_id) {
  auto imported = import_cib(
      with_topology(R"(<fencing-level id="l1" target="n1" index="first" devices="ipmi"/>)"),
      "test.xml");
  ASSERT_FALSE(imported);
  EXPECT_THAT(imported.error().message,
              HasSubstr("<fencing-level id=\"l1\">: index \"first\" is not a number"));
}

}  // namespace
}  // namespace tandem::cib
