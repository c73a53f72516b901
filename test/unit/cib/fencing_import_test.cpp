// Importing fence devices that unfence (Pacemaker's provides=unfencing).

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

}  // namespace
}  // namespace tandem::cib
