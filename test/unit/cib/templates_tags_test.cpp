// Importing resource templates, tags and resource sets: Tandem has no
// templates or tags, so they resolve into plain resources and constraints.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "operator/cib/cib_import.h"

namespace tandem::cib {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string cib(const std::string& resources, const std::string& constraints,
                const std::string& tags = "") {
  return R"(<cib have-quorum="1"><configuration><crm_config/><nodes>
<node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources>)" +
         resources + "</resources><constraints>" + constraints + "</constraints>" + tags +
         "</configuration><status/></cib>";
}

const std::string kTemplate = R"(
<template id="tpl" class="ocf" provider="pacemaker" type="Dummy">
  <instance_attributes id="tpl-i"><nvpair id="tpl-i1" name="state" value="/tmp/a"/>
    <nvpair id="tpl-i2" name="fake" value="template"/></instance_attributes>
  <meta_attributes id="tpl-m"><nvpair id="tpl-m1" name="target-role" value="Stopped"/>
  </meta_attributes>
  <operations><op id="tpl-o1" name="monitor" interval="10s"/>
    <op id="tpl-o2" name="start" interval="0" timeout="30s"/></operations>
</template>)";

const model::HAResource& resource(const Imported& imported, const std::string& name) {
  for (const auto& r : imported.manifests.resources) {
    if (r.metadata.name == name) return r;
  }
  ADD_FAILURE() << "no resource " << name;
  return imported.manifests.resources.front();
}

const model::HAConstraint& constraint(const Imported& imported, const std::string& name) {
  for (const auto& c : imported.manifests.constraints) {
    if (c.metadata.name == name) return c;
  }
  ADD_FAILURE() << "no constraint " << name;
  return imported.manifests.constraints.front();
}

TEST(TemplateImport, a_primitive_inherits_its_templates_agent_parameters_meta_and_operations) {
  auto imported = import_cib(cib(kTemplate + R"(<primitive id="r1" template="tpl"/>)", ""), "t");
  ASSERT_TRUE(imported) << imported.error().message;
  const model::HAResource& r1 = resource(*imported, "r1");
  ASSERT_TRUE(r1.spec.agent.ocf);
  EXPECT_EQ(r1.spec.agent.ocf->type, "Dummy");
  EXPECT_THAT(r1.spec.params, ElementsAre(Pair("fake", "template"), Pair("state", "/tmp/a")));
  EXPECT_EQ(r1.spec.meta.target_role, model::Role::kStopped);
  EXPECT_EQ(r1.spec.operations.size(), 2u);
}

TEST(TemplateImport, the_primitives_own_values_win_over_the_templates) {
  auto imported = import_cib(cib(kTemplate + R"(<primitive id="r1" template="tpl">
  <instance_attributes id="r1-i"><nvpair id="r1-i1" name="fake" value="own"/></instance_attributes>
  <meta_attributes id="r1-m"><nvpair id="r1-m1" name="target-role" value="Started"/>
  </meta_attributes>
  <operations><op id="r1-o1" name="monitor" interval="20s"/></operations>
</primitive>)",
                                 ""),
                             "t");
  ASSERT_TRUE(imported) << imported.error().message;
  const model::HAResource& r1 = resource(*imported, "r1");
  EXPECT_EQ(r1.spec.params.at("fake"), "own");
  EXPECT_EQ(r1.spec.params.at("state"), "/tmp/a");
  EXPECT_EQ(r1.spec.meta.target_role, model::Role::kStarted);
  // The own monitor replaces the template's (same name and role); the
  // template's start stays.
  ASSERT_EQ(r1.spec.operations.size(), 2u);
  EXPECT_EQ(r1.spec.operations[0].name, model::OperationName::kMonitor);
  EXPECT_EQ(r1.spec.operations[0].interval, Duration(20'000));
  EXPECT_EQ(r1.spec.operations[1].name, model::OperationName::kStart);
}

TEST(TemplateImport, a_missing_template_is_named_in_the_error) {
  auto imported = import_cib(cib(R"(<primitive id="r1" template="nope"/>)", ""), "t");
  ASSERT_FALSE(imported);
  EXPECT_THAT(imported.error().message, HasSubstr("template \"nope\" does not exist"));
}

TEST(TemplateImport, a_constraint_on_a_template_applies_to_every_primitive_made_from_it) {
  auto imported = import_cib(
      cib(kTemplate + R"(<primitive id="r1" template="tpl"/><primitive id="r2" template="tpl"/>
<primitive id="other" class="ocf" provider="pacemaker" type="Dummy"/>)",
          R"(<rsc_order id="o" first="other" then="tpl"/>)"),
      "t");
  ASSERT_TRUE(imported) << imported.error().message;
  const model::OrderConstraint& order = *constraint(*imported, "o").spec.order;
  ASSERT_EQ(order.sets.size(), 2u);
  EXPECT_THAT(order.sets[0].resources, ElementsAre("other"));
  EXPECT_THAT(order.sets[1].resources, ElementsAre("r1", "r2"));
  EXPECT_FALSE(order.sets[1].sequential);
}

TEST(TagImport, a_location_on_a_tag_becomes_one_location_per_tagged_resource) {
  auto imported =
      import_cib(cib(R"(<primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/>
<primitive id="b" class="ocf" provider="pacemaker" type="Dummy"/>)",
                     R"(<rsc_location id="loc" rsc="web" node="n2" score="100"/>)",
                     R"(<tags><tag id="web"><obj_ref id="a"/><obj_ref id="b"/></tag></tags>)"),
                 "t");
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_EQ(*constraint(*imported, "loc-a").spec.location->resource, "a");
  EXPECT_EQ(*constraint(*imported, "loc-b").spec.location->node, "n2");
}

TEST(TagImport, a_colocation_with_a_tag_becomes_two_sets_with_the_roles_on_them) {
  auto imported =
      import_cib(cib(R"(<primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/>
<primitive id="b" class="ocf" provider="pacemaker" type="Dummy"/>
<primitive id="c" class="ocf" provider="pacemaker" type="Dummy"/>)",
                     R"(<rsc_colocation id="col" rsc="web" with-rsc="c" score="INFINITY"
  rsc-role="Started"/>)",
                     R"(<tags><tag id="web"><obj_ref id="a"/><obj_ref id="b"/></tag></tags>)"),
                 "t");
  ASSERT_TRUE(imported) << imported.error().message;
  const model::ColocationConstraint& col = *constraint(*imported, "col").spec.colocation;
  ASSERT_EQ(col.sets.size(), 2u);
  EXPECT_THAT(col.sets[0].resources, ElementsAre("a", "b"));
  EXPECT_EQ(col.sets[0].role, model::Role::kStarted);
  EXPECT_THAT(col.sets[1].resources, ElementsAre("c"));
}

TEST(SetImport, order_sets_keep_sequential_require_all_and_action) {
  auto imported =
      import_cib(cib(R"(<primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/>
<primitive id="b" class="ocf" provider="pacemaker" type="Dummy"/>
<primitive id="c" class="ocf" provider="pacemaker" type="Dummy"/>)",
                     R"(<rsc_order id="o" symmetrical="false">
  <resource_set id="s1" sequential="false" require-all="false"><resource_ref id="a"/>
    <resource_ref id="b"/></resource_set>
  <resource_set id="s2" action="stop"><resource_ref id="c"/></resource_set></rsc_order>)"),
                 "t");
  ASSERT_TRUE(imported) << imported.error().message;
  const model::OrderConstraint& order = *constraint(*imported, "o").spec.order;
  ASSERT_EQ(order.sets.size(), 2u);
  EXPECT_FALSE(order.sets[0].sequential);
  EXPECT_EQ(order.sets[0].require_all, false);
  EXPECT_EQ(order.sets[1].action, model::OrderAction::kStop);
  EXPECT_EQ(order.symmetrical, false);
}

TEST(SetImport, a_set_naming_a_resource_that_does_not_exist_drops_the_constraint_with_a_note) {
  auto imported =
      import_cib(cib(R"(<primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/>)",
                     R"(<rsc_colocation id="col" score="INFINITY"><resource_set id="s1">
  <resource_ref id="a"/><resource_ref id="ghost"/></resource_set></rsc_colocation>)"),
                 "t");
  ASSERT_TRUE(imported) << imported.error().message;
  EXPECT_TRUE(imported->manifests.constraints.empty());
  ASSERT_FALSE(imported->notes.empty());
  EXPECT_THAT(imported->notes.back(), HasSubstr("\"ghost\""));
}

TEST(SetImport, a_score_on_a_set_is_named_as_unsupported) {
  auto imported =
      import_cib(cib(R"(<primitive id="a" class="ocf" provider="pacemaker" type="Dummy"/>)",
                     R"(<rsc_colocation id="col" score="INFINITY"><resource_set id="s1" score="10">
  <resource_ref id="a"/></resource_set></rsc_colocation>)"),
                 "t");
  ASSERT_FALSE(imported);
  EXPECT_THAT(imported.error().message, HasSubstr("score on a resource set is not supported"));
}

}  // namespace
}  // namespace tandem::cib
