// Renaming an imported CIB for Kubernetes: every reference follows its
// object, and what cannot follow is an error.

#include "operator/cib/rename.h"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/model/validate.h"
#include "operator/cib/cib_import.h"
#include "operator/cib/kube_names.h"

namespace tandem::cib {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;

const std::string kAnnotation(kPacemakerIdAnnotation);

std::string cib(const std::string& nodes, const std::string& resources,
                const std::string& constraints, const std::string& status) {
  return R"(<cib have-quorum="1" dc-uuid="1"><configuration><crm_config>
<cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="true"/>
</cluster_property_set></crm_config><nodes>)" +
         nodes + "</nodes><resources>" + resources + "</resources><constraints>" + constraints +
         "</constraints></configuration><status>" + status + "</status></cib>";
}

const std::string kNodes = R"(<node id="1" uname="Node_A"/><node id="2" uname="node-b"/>)";

const std::string kResources = R"(
<primitive id="Fence_1" class="stonith" type="fence_xvm">
  <instance_attributes id="f"><nvpair id="f1" name="pcmk_host_list" value="Node_A node-b"/>
  <nvpair id="f2" name="pcmk_host_map" value="Node_A:1;node-b:2,3"/></instance_attributes>
</primitive>
<group id="Web_Stack">
  <primitive id="IP_1" class="ocf" provider="heartbeat" type="IPaddr2"/>
  <primitive id="web" class="ocf" provider="heartbeat" type="apache"/>
</group>
<primitive id="DB" class="ocf" provider="heartbeat" type="pgsql"/>)";

const std::string kConstraints = R"(
<rsc_location id="Loc_1" rsc="Web_Stack" node="Node_A" score="100"/>
<rsc_location id="loc-2" rsc="DB">
  <rule id="r" score="50"><expression id="e" attribute="#uname" operation="eq" value="NODE_A"/></rule>
</rsc_location>
<rsc_colocation id="col" rsc="DB" with-rsc="Web_Stack" score="INFINITY"/>
<rsc_order id="ord" first="IP_1" then="DB"/>)";

const std::string kStatus = R"(
<node_state id="1" uname="Node_A" in_ccm="true" crmd="online" join="member" expected="member">
  <transient_attributes id="t1"><instance_attributes id="t1a">
    <nvpair id="t1b" name="fail-count-IP_1#monitor_10000" value="2"/>
    <nvpair id="t1c" name="last-failure-IP_1#monitor_10000" value="1700000000"/>
  </instance_attributes></transient_attributes>
  <lrm id="1"><lrm_resources>
    <lrm_resource id="IP_1" class="ocf" provider="heartbeat" type="IPaddr2">
      <lrm_rsc_op id="IP_1_last_0" operation="start" interval="0" rc-code="0" op-status="0"
        call-id="3" transition-key="1:1:0:x"/>
      <lrm_rsc_op id="IP_1_last_failure_0" operation="monitor" interval="10000" rc-code="7"
        op-status="0" call-id="5" transition-key="2:1:0:x"/>
    </lrm_resource>
    <lrm_resource id="Old_One" class="ocf" provider="heartbeat" type="Dummy">
      <lrm_rsc_op id="Old_One_last_0" operation="migrate_to" interval="0" rc-code="0"
        op-status="0" call-id="4" migrate_source="Node_A" migrate_target="node-b"
        transition-key="3:1:0:x"/>
    </lrm_resource>
  </lrm_resources></lrm>
</node_state>
<node_state id="2" uname="node-b" in_ccm="true" crmd="online" join="member" expected="member"/>)";

Imported import(const std::string& xml) {
  auto imported = import_cib(xml, "cib.xml");
  EXPECT_TRUE(imported.has_value()) << (imported ? "" : imported.error().message);
  return imported ? std::move(*imported) : Imported{};
}

Imported renamed(const std::string& xml) {
  Imported imported = import(xml);
  auto result = rename_for_kubernetes(imported);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return imported;
}

Imported example() {
  return renamed(cib(kNodes, kResources, kConstraints, kStatus));
}

TEST(Rename, gives_every_object_a_kubernetes_name) {
  Imported imported = example();
  const model::Manifests& m = imported.manifests;
  EXPECT_THAT(
      m.nodes,
      ElementsAre(Field(&model::HANode::metadata, Field(&model::ObjectMeta::name, "node-a")),
                  Field(&model::HANode::metadata, Field(&model::ObjectMeta::name, "node-b"))));
  ASSERT_EQ(m.resources.size(), 4u);
  EXPECT_EQ(m.resources[0].metadata.name, "fence-1");
  EXPECT_EQ(m.resources[1].metadata.name, "ip-1");
  EXPECT_EQ(m.resources[2].metadata.name, "web");
  EXPECT_EQ(m.resources[3].metadata.name, "db");
  EXPECT_EQ(m.groups.at(0).metadata.name, "web-stack");
  EXPECT_EQ(m.constraints.at(0).metadata.name, "loc-1");
}

TEST(Rename, keeps_the_pacemaker_id_in_an_annotation_when_the_name_changed) {
  Imported imported = example();
  const model::Manifests& m = imported.manifests;
  EXPECT_THAT(m.resources[1].metadata.annotations, ElementsAre(Pair(kAnnotation, "IP_1")));
  EXPECT_THAT(m.nodes[0].metadata.annotations, ElementsAre(Pair(kAnnotation, "Node_A")));
  EXPECT_THAT(m.groups[0].metadata.annotations, ElementsAre(Pair(kAnnotation, "Web_Stack")));
  EXPECT_THAT(m.constraints[0].metadata.annotations, ElementsAre(Pair(kAnnotation, "Loc_1")));
  // Names that did not change carry no annotation.
  EXPECT_THAT(m.resources[2].metadata.annotations, IsEmpty());
  EXPECT_THAT(m.nodes[1].metadata.annotations, IsEmpty());
  EXPECT_THAT(m.constraints[1].metadata.annotations, IsEmpty());
}

TEST(Rename, group_members_and_constraints_follow_their_resources_and_nodes) {
  Imported imported = example();
  const model::Manifests& m = imported.manifests;
  EXPECT_THAT(m.groups[0].spec.resources, ElementsAre("ip-1", "web"));
  EXPECT_EQ(m.constraints[0].spec.location->resource, "web-stack");
  EXPECT_EQ(m.constraints[0].spec.location->node, "node-a");
  EXPECT_EQ(m.constraints[2].spec.colocation->resource, "db");
  EXPECT_EQ(m.constraints[2].spec.colocation->with_resource, "web-stack");
  EXPECT_EQ(m.constraints[3].spec.order->first, "ip-1");
  EXPECT_EQ(m.constraints[3].spec.order->then, "db");
}

TEST(Rename, a_rule_on_uname_follows_its_node_whatever_the_case_it_was_written_in) {
  Imported imported = example();
  const model::Rule& rule = imported.manifests.constraints[1].spec.location->rules.at(0);
  EXPECT_EQ(rule.expressions.at(0).value, "node-a");
}

TEST(Rename, fence_devices_host_lists_follow_their_nodes) {
  Imported imported = example();
  const auto& params = imported.manifests.resources[0].spec.params;
  EXPECT_EQ(params.at("pcmk_host_list"), "node-a node-b");
  EXPECT_EQ(params.at("pcmk_host_map"), "node-a:1;node-b:2,3");
}

TEST(Rename, the_renamed_manifests_validate) {
  Imported imported = example();
  model::Diagnostics diagnostics;
  model::validate(imported.manifests, diagnostics);
  std::vector<std::string> messages;
  for (const auto& d : diagnostics.items()) messages.push_back(d.to_string());
  EXPECT_THAT(messages, IsEmpty());
}

TEST(Rename, the_observed_state_follows_its_nodes_and_resources) {
  Imported imported = example();
  const placement::ObservedState& o = imported.observed;
  ASSERT_EQ(o.nodes.size(), 2u);
  EXPECT_EQ(o.nodes[0].name, "node-a");
  EXPECT_EQ(o.nodes[0].id, "1");  // ids are Pacemaker's and stay as they are
  ASSERT_EQ(o.history.size(), 2u);
  EXPECT_EQ(o.history[0].resource, "ip-1");
  EXPECT_EQ(o.history[0].node, "node-a");
  ASSERT_EQ(o.fail_counts.size(), 1u);
  EXPECT_EQ(o.fail_counts[0].resource, "ip-1");
  EXPECT_EQ(o.fail_counts[0].node, "node-a");
}

TEST(Rename, operation_ids_follow_their_resource_so_the_engine_still_recognises_them) {
  Imported imported = example();
  const auto& ops = imported.observed.history[0].ops;
  EXPECT_EQ(ops.at(0).id, "ip-1_last_0");
  EXPECT_EQ(ops.at(1).id, "ip-1_last_failure_0");
}

TEST(Rename, resources_known_only_from_the_status_are_renamed_too) {
  Imported imported = example();
  const placement::ResourceHistory& orphan = imported.observed.history[1];
  EXPECT_EQ(orphan.resource, "old-one");
  EXPECT_EQ(orphan.ops.at(0).id, "old-one_last_0");
  EXPECT_EQ(orphan.ops.at(0).migrate_source, "node-a");
  EXPECT_EQ(orphan.ops.at(0).migrate_target, "node-b");
}

TEST(Rename, fail_count_attributes_follow_their_resource) {
  Imported imported = example();
  EXPECT_THAT(imported.observed.nodes[0].attributes,
              Contains(Pair("fail-count-ip-1#monitor_10000", "2")));
  EXPECT_THAT(imported.observed.nodes[0].attributes,
              Contains(Pair("last-failure-ip-1#monitor_10000", "1700000000")));
  EXPECT_THAT(imported.observed.nodes[0].attributes,
              Not(Contains(Key("fail-count-IP_1#monitor_10000"))));
}

TEST(Rename, lists_what_it_renamed_by_kind) {
  Imported imported = import(cib(kNodes, kResources, kConstraints, kStatus));
  auto renamings = rename_for_kubernetes(imported);
  ASSERT_TRUE(renamings.has_value());
  std::vector<std::string> lines;
  for (const Renaming& r : *renamings) lines.push_back(r.what + " " + r.from + " " + r.to);
  EXPECT_THAT(lines, ElementsAre("node Node_A node-a", "resource Fence_1 fence-1",
                                 "resource IP_1 ip-1", "resource DB db", "resource Old_One old-one",
                                 "group Web_Stack web-stack", "constraint Loc_1 loc-1"));
}

TEST(Rename, a_clash_between_a_renamed_and_a_valid_id_leaves_the_valid_one_alone) {
  Imported imported = renamed(cib(kNodes, R"(<primitive id="Web" class="ocf" provider="x" type="y"/>
<primitive id="web" class="ocf" provider="x" type="y"/>)",
                                  R"(<rsc_order id="o" first="Web" then="web"/>)", ""));
  EXPECT_EQ(imported.manifests.resources[0].metadata.name, "web-2");
  EXPECT_EQ(imported.manifests.resources[1].metadata.name, "web");
  EXPECT_EQ(imported.manifests.constraints[0].spec.order->first, "web-2");
  EXPECT_EQ(imported.manifests.constraints[0].spec.order->then, "web");
}

TEST(Rename, a_pattern_that_selects_the_same_resources_after_renaming_is_kept) {
  Imported imported =
      renamed(cib(kNodes, R"(<primitive id="web_1" class="ocf" provider="x" type="y"/>
<primitive id="db" class="ocf" provider="x" type="y"/>)",
                  R"(<rsc_location id="l" rsc-pattern="^web" node="node-b" score="5"/>)", ""));
  EXPECT_EQ(imported.manifests.constraints[0].spec.location->resource_pattern, "^web");
}

TEST(Rename, a_pattern_that_would_select_other_resources_is_an_error) {
  Imported imported =
      import(cib(kNodes, R"(<primitive id="Web_1" class="ocf" provider="x" type="y"/>
<primitive id="web-2" class="ocf" provider="x" type="y"/>)",
                 R"(<rsc_location id="l" rsc-pattern="^Web_" node="node-b" score="5"/>)", ""));
  auto result = rename_for_kubernetes(imported);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message,
            "<rsc_location> \"l\": rsc-pattern \"^Web_\" selects other resources once they have "
            "Kubernetes names (before: Web_1; after: none); change the pattern so that it selects "
            "the same resources either way");
}

TEST(Rename, a_rule_that_orders_node_names_is_an_error_when_nodes_are_renamed) {
  Imported imported =
      import(cib(kNodes, R"(<primitive id="db" class="ocf" provider="x" type="y"/>)",
                 R"(<rsc_location id="l" rsc="db"><rule id="r" score="5">
<expression id="e" attribute="#uname" operation="lt" value="node-b"/></rule></rsc_location>)",
                 ""));
  auto result = rename_for_kubernetes(imported);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message,
              HasSubstr("<rsc_location> \"l\": a rule compares #uname with lt \"node-b\", but "
                        "node names change on import"));
}

TEST(Rename, a_rule_that_orders_node_names_is_kept_when_no_node_is_renamed) {
  Imported imported = renamed(cib(R"(<node id="1" uname="a"/><node id="2" uname="b"/>)",
                                  R"(<primitive id="DB" class="ocf" provider="x" type="y"/>)",
                                  R"(<rsc_location id="l" rsc="DB"><rule id="r" score="5">
<expression id="e" attribute="#uname" operation="lt" value="b"/></rule></rsc_location>)",
                                  ""));
  EXPECT_EQ(imported.manifests.constraints[0].spec.location->rules[0].expressions[0].value, "b");
}

TEST(Rename, a_uname_value_matching_several_nodes_regardless_of_case_is_an_error) {
  Imported imported = import(cib(R"(<node id="1" uname="Alpha"/><node id="2" uname="alpha"/>)",
                                 R"(<primitive id="db" class="ocf" provider="x" type="y"/>)",
                                 R"(<rsc_location id="l" rsc="db"><rule id="r" score="5">
<expression id="e" attribute="#uname" operation="eq" value="ALPHA"/></rule></rsc_location>)",
                                 ""));
  auto result = rename_for_kubernetes(imported);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message, HasSubstr("which matches nodes Alpha, alpha"));
}

TEST(Rename, a_uname_value_that_would_start_matching_a_renamed_node_is_an_error) {
  Imported imported =
      import(cib(kNodes, R"(<primitive id="db" class="ocf" provider="x" type="y"/>)",
                 R"(<rsc_location id="l" rsc="db"><rule id="r" score="5">
<expression id="e" attribute="#uname" operation="ne" value="NODE-A"/></rule></rsc_location>)",
                 ""));
  auto result = rename_for_kubernetes(imported);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message,
              HasSubstr("\"NODE-A\", which is the Kubernetes name of node \"Node_A\""));
}

TEST(Rename, a_rule_on_is_dc_is_an_error_as_a_tandem_cluster_has_no_dc) {
  Imported imported =
      import(cib(kNodes, R"(<primitive id="db" class="ocf" provider="x" type="y"/>)",
                 R"(<rsc_location id="l" rsc="db"><rule id="r" score="-INFINITY" boolean-op="or">
<expression id="e" attribute="#is_dc" operation="eq" value="false"/></rule></rsc_location>)",
                 ""));
  auto result = rename_for_kubernetes(imported);
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message,
              HasSubstr("<rsc_location> \"l\": a rule tests #is_dc, but a Tandem cluster has no "
                        "designated controller (DC)"));
}

TEST(Import, an_init_script_named_by_its_path_runs_as_the_unit_of_its_file_name_and_says_so) {
  Imported imported = import(cib(
      kNodes, R"(<primitive id="lsb-dummy" class="lsb" type="/usr/lib/cts/LSBDummy"/>)", "", ""));
  ASSERT_EQ(imported.manifests.resources.size(), 1u);
  ASSERT_TRUE(imported.manifests.resources[0].spec.agent.systemd.has_value());
  EXPECT_EQ(imported.manifests.resources[0].spec.agent.systemd->unit, "LSBDummy");
  EXPECT_THAT(imported.notes,
              Contains(HasSubstr("lsb:/usr/lib/cts/LSBDummy runs as systemd unit "
                                 "LSBDummy.service; install the script as /etc/init.d/LSBDummy")));
}

TEST(Import, parameters_whose_names_start_with_a_digit_are_kept_and_validate) {
  Imported imported = renamed(cib(kNodes, R"(<primitive id="ip" class="ocf" provider="heartbeat"
type="IPaddr"><instance_attributes id="p"><nvpair id="p1" name="1" value="192.0.2.1"/>
</instance_attributes></primitive>)",
                                  "", ""));
  ASSERT_EQ(imported.manifests.resources.size(), 1u);
  EXPECT_THAT(imported.manifests.resources[0].spec.params, Contains(Pair("1", "192.0.2.1")));
  model::Diagnostics diagnostics;
  model::validate(imported.manifests, diagnostics);
  std::vector<std::string> messages;
  for (const auto& d : diagnostics.items()) messages.push_back(d.to_string());
  EXPECT_THAT(messages, IsEmpty());
}

TEST(Import, a_meta_attribute_pacemaker_ignores_too_is_a_note_not_an_error) {
  Imported imported = import(cib(kNodes, R"(<primitive id="db" class="ocf" provider="x" type="y">
<meta_attributes id="m"><nvpair id="m1" name="resource-stickines" value="100"/>
<nvpair id="m2" name="target-role" value="#default"/></meta_attributes></primitive>)",
                                 "", ""));
  EXPECT_THAT(imported.notes, Contains(HasSubstr("meta attribute \"resource-stickines\" means "
                                                 "nothing to Pacemaker either")));
  EXPECT_FALSE(imported.manifests.resources.at(0).spec.meta.target_role.has_value());
}

TEST(Import, a_pacemaker_meta_attribute_tandem_lacks_is_an_error) {
  auto result = import_cib(cib(kNodes, R"(<primitive id="db" class="ocf" provider="x" type="y">
<meta_attributes id="m"><nvpair id="m1" name="remote-node" value="guest1"/>
</meta_attributes></primitive>)",
                               "", ""),
                           "cib.xml");
  ASSERT_FALSE(result.has_value());
  EXPECT_THAT(result.error().message, HasSubstr("meta attribute \"remote-node\" is not supported"));
}

TEST(Import, an_unknown_order_kind_is_read_as_mandatory_with_a_note) {
  Imported imported = import(cib(kNodes, R"(<primitive id="a" class="ocf" provider="x" type="y"/>
<primitive id="b" class="ocf" provider="x" type="y"/>)",
                                 R"(<rsc_order id="o1" first="a" then="b" kind="foo"/>)", ""));
  ASSERT_EQ(imported.manifests.constraints.size(), 1u);
  EXPECT_EQ(imported.manifests.constraints[0].spec.order->kind, model::OrderKind::kMandatory);
  EXPECT_THAT(imported.notes, Contains(HasSubstr("kind \"foo\" is not Mandatory, Optional or "
                                                 "Serialize; imported as Mandatory")));
}

TEST(Import, restart_type_restart_makes_optional_orders_restart_their_then) {
  Imported imported = import(cib(kNodes, R"(<primitive id="a" class="ocf" provider="x" type="y"/>
<primitive id="b" class="ocf" provider="x" type="y">
<meta_attributes id="m"><nvpair id="m1" name="restart-type" value="restart"/></meta_attributes>
</primitive>)",
                                 R"(<rsc_order id="o1" first="a" then="b" kind="Optional"/>
<rsc_order id="o2" first="b" then="a" kind="Optional"/>)",
                                 ""));
  ASSERT_EQ(imported.manifests.constraints.size(), 2u);
  EXPECT_TRUE(imported.manifests.constraints[0].spec.order->restart_then);
  EXPECT_FALSE(imported.manifests.constraints[1].spec.order->restart_then);
}

TEST(Import, a_clone_becomes_the_cloned_resource_with_clone_settings_and_its_id_an_alias) {
  Imported imported =
      import(cib(kNodes, R"(<clone id="db-clone">
<meta_attributes id="c"><nvpair id="c1" name="clone-max" value="2"/>
<nvpair id="c2" name="interleave" value="true"/><nvpair id="c3" name="promotable" value="true"/>
<nvpair id="c4" name="resource-stickiness" value="7"/></meta_attributes>
<primitive id="db" class="ocf" provider="x" type="y"/></clone>)",
                 R"(<rsc_location id="l" rsc="db-clone" node="Node_A" score="5"/>)", ""));
  ASSERT_EQ(imported.manifests.resources.size(), 1u);
  const auto& spec = imported.manifests.resources[0].spec;
  ASSERT_TRUE(spec.clone.has_value());
  EXPECT_EQ(spec.clone->max, 2);
  EXPECT_TRUE(spec.clone->interleave);
  ASSERT_TRUE(spec.clone->promotable.has_value());
  EXPECT_EQ(spec.clone->promotable->promoted_max, 1);
  EXPECT_EQ(spec.meta.stickiness, Score::of(7));
  ASSERT_EQ(imported.manifests.constraints.size(), 1u);
  EXPECT_EQ(imported.manifests.constraints[0].spec.location->resource, "db");
}

}  // namespace
}  // namespace tandem::cib
