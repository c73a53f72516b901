// The control state: tandemctl's commands on it, its lifetimes, its file
// form, and how it is laid over the manifests.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "operator/control/apply.h"
#include "operator/reconcile/status.h"
#include "test/unit/support.h"

namespace tandem::testing {
namespace {

using control::ControlCommand;
using control::ControlState;
using control::Verb;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr control::UnixMs kNow = 1'700'000'000'000;

model::Manifests cluster(const std::string& node2_spec = "") {
  std::string text =
      "apiVersion: tandem.dev/v1alpha1\nkind: HACluster\nmetadata: {name: c}\nspec:\n"
      "  options: {fencingEnabled: false}\n  membership:\n    nodes:\n"
      "      - {name: n1, nodeId: 1, address: 10.0.0.1}\n"
      "      - {name: n2, nodeId: 2, address: 10.0.0.2}\n"
      "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: web}\n"
      "spec:\n  agent: {ocf: {provider: pacemaker, type: Dummy}}\n";
  if (!node2_spec.empty())
    text += "---\napiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n2}\nspec: " +
            node2_spec + "\n";
  return normalized(text);
}

Result<std::string> apply(ControlState& state, ControlCommand command,
                          const model::Manifests& manifests,
                          const std::vector<std::string>& running_on = {}) {
  return control::apply_command(state, command, manifests, running_on, kNow);
}

TEST(ControlCommands, standby_is_laid_over_a_node_without_an_hanode_manifest) {
  const model::Manifests m = cluster();
  ControlState state;
  ASSERT_TRUE(apply(state, {Verb::kStandby, "n1", "", {}}, m).has_value());
  const control::Overlay laid = control::overlay(m, state);
  ASSERT_THAT(laid.manifests.nodes, SizeIs(1));
  EXPECT_EQ(laid.manifests.nodes[0].metadata.name, "n1");
  EXPECT_TRUE(laid.manifests.nodes[0].spec.standby);
  EXPECT_THAT(laid.skipped, IsEmpty());
}

TEST(ControlCommands, unstandby_undoes_standby_and_says_so_when_the_manifest_keeps_it) {
  const model::Manifests m = cluster("{standby: true}");
  ControlState state;
  auto refused = apply(state, {Verb::kUnstandby, "n2", "", {}}, m);
  ASSERT_FALSE(refused.has_value());
  EXPECT_THAT(refused.error().message, HasSubstr("HANode manifest"));

  ASSERT_TRUE(apply(state, {Verb::kStandby, "n1", "", {}}, m).has_value());
  ASSERT_TRUE(apply(state, {Verb::kUnstandby, "n1", "", {}}, m).has_value());
  EXPECT_THAT(state.standby, IsEmpty());
}

TEST(ControlCommands, unknown_names_are_refused_with_the_name) {
  const model::Manifests m = cluster();
  ControlState state;
  auto node = apply(state, {Verb::kStandby, "n7", "", {}}, m);
  ASSERT_FALSE(node.has_value());
  EXPECT_THAT(node.error().message, HasSubstr("n7"));
  auto resource = apply(state, {Verb::kBan, "n1", "db", {}}, m);
  ASSERT_FALSE(resource.has_value());
  EXPECT_THAT(resource.error().message, HasSubstr("db"));
  EXPECT_EQ(state, ControlState{});
}

TEST(ControlCommands, a_ban_without_a_node_bans_the_node_the_resource_runs_on) {
  const model::Manifests m = cluster();
  ControlState state;
  EXPECT_FALSE(apply(state, {Verb::kBan, "", "web", {}}, m).has_value());
  ASSERT_TRUE(apply(state, {Verb::kBan, "", "web", {}}, m, {"n2"}).has_value());
  ASSERT_THAT(state.constraints, SizeIs(1));
  EXPECT_EQ(state.constraints[0].name, "cli-ban-web-on-n2");

  const control::Overlay laid = control::overlay(m, state);
  ASSERT_THAT(laid.manifests.constraints, SizeIs(1));
  const model::HAConstraint& made = laid.manifests.constraints[0];
  ASSERT_TRUE(made.spec.location.has_value());
  EXPECT_EQ(made.spec.location->node, "n2");
  EXPECT_EQ(made.spec.location->score, Score::minus_infinity());
  EXPECT_EQ(made.metadata.annotations.at(std::string(reconcile::kCreatedByAnnotation)),
            "tandemctl");
}

TEST(ControlCommands, a_second_move_replaces_the_first_and_clear_removes_it) {
  const model::Manifests m = cluster();
  ControlState state;
  ASSERT_TRUE(apply(state, {Verb::kMove, "n1", "web", {}}, m).has_value());
  ASSERT_TRUE(apply(state, {Verb::kMove, "n2", "web", {}}, m).has_value());
  ASSERT_THAT(state.constraints, SizeIs(1));
  EXPECT_EQ(state.constraints[0].node, "n2");
  EXPECT_EQ(state.constraints[0].kind, control::CliKind::kPrefer);
  ASSERT_TRUE(apply(state, {Verb::kClear, "", "web", {}}, m).has_value());
  EXPECT_THAT(state.constraints, IsEmpty());
}

TEST(ControlCommands, a_constraint_with_a_lifetime_expires_and_only_then) {
  const model::Manifests m = cluster();
  ControlState state;
  ASSERT_TRUE(apply(state, {Verb::kBan, "n1", "web", 60'000}, m).has_value());
  ASSERT_EQ(control::next_expiry(state), kNow + 60'000);
  EXPECT_THAT(control::expire(state, kNow + 59'999), IsEmpty());
  EXPECT_THAT(control::expire(state, kNow + 60'000), SizeIs(1));
  EXPECT_THAT(state.constraints, IsEmpty());
  EXPECT_FALSE(control::next_expiry(state).has_value());
}

TEST(ControlCommands, entries_that_no_longer_fit_the_manifests_are_left_out_and_named) {
  ControlState state;
  state.standby.insert("gone");
  state.maintenance.insert("away");
  state.unmanaged.insert("lost");
  state.constraints.push_back({"cli-ban-old-on-n1", control::CliKind::kBan, "old", "n1", {}, 0});
  const control::Overlay laid = control::overlay(cluster(), state);
  EXPECT_THAT(laid.manifests.constraints, IsEmpty());
  EXPECT_THAT(laid.manifests.nodes, IsEmpty());
  EXPECT_EQ(laid.manifests.resources, cluster().resources);
  ASSERT_THAT(laid.skipped, SizeIs(4));
  EXPECT_THAT(laid.skipped[0], HasSubstr("gone"));
  EXPECT_THAT(laid.skipped[1], HasSubstr("away"));
  EXPECT_THAT(laid.skipped[2], HasSubstr("lost"));
  EXPECT_THAT(laid.skipped[3], HasSubstr("old"));
}

ControlCommand maintenance(const std::string& node, bool on) {
  ControlCommand command{Verb::kMaintenance, node, "", {}};
  command.on = on;
  command.cluster = node.empty();
  return command;
}

model::Manifests grouped() {
  return normalized(
      "apiVersion: tandem.dev/v1alpha1\nkind: HACluster\nmetadata: {name: c}\nspec:\n"
      "  options: {fencingEnabled: false}\n  membership:\n    nodes:\n"
      "      - {name: n1, nodeId: 1, address: 10.0.0.1}\n"
      "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: vip}\n"
      "spec:\n  agent: {ocf: {provider: heartbeat, type: IPaddr2}}\n  params: {ip: 10.0.0.9}\n"
      "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: web}\n"
      "spec:\n  agent: {ocf: {provider: pacemaker, type: Dummy}}\n"
      "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: db}\n"
      "spec:\n  agent: {ocf: {provider: pacemaker, type: Dummy}}\n"
      "---\napiVersion: tandem.dev/v1alpha1\nkind: HAGroup\nmetadata: {name: service}\n"
      "spec: {resources: [vip, web]}\n");
}

TEST(ControlCommands, node_maintenance_is_laid_over_the_hanode_and_off_takes_it_back) {
  const model::Manifests m = cluster();
  ControlState state;
  ASSERT_TRUE(apply(state, maintenance("n2", true), m).has_value());
  EXPECT_THAT(state.maintenance, ::testing::ElementsAre("n2"));
  control::Overlay laid = control::overlay(m, state);
  ASSERT_THAT(laid.manifests.nodes, SizeIs(1));
  EXPECT_EQ(laid.manifests.nodes[0].metadata.name, "n2");
  EXPECT_TRUE(laid.manifests.nodes[0].spec.maintenance);
  EXPECT_FALSE(laid.manifests.nodes[0].spec.standby);

  ASSERT_TRUE(apply(state, maintenance("n2", false), m).has_value());
  EXPECT_THAT(state.maintenance, IsEmpty());
  EXPECT_THAT(control::overlay(m, state).manifests.nodes, IsEmpty());
}

TEST(ControlCommands, maintenance_off_names_the_manifest_that_keeps_a_node_in_maintenance) {
  const model::Manifests m = cluster("{maintenance: true}");
  ControlState state;
  auto refused = apply(state, maintenance("n2", false), m);
  ASSERT_FALSE(refused.has_value());
  EXPECT_THAT(refused.error().message, HasSubstr("HANode manifest"));
  EXPECT_FALSE(apply(state, maintenance("n7", true), m).has_value());
}

TEST(ControlCommands, cluster_maintenance_sets_maintenance_mode_on_the_hacluster) {
  const model::Manifests m = cluster();
  ControlState state;
  auto done = apply(state, maintenance("", true), m);
  ASSERT_TRUE(done.has_value());
  EXPECT_THAT(*done, HasSubstr("cluster is in maintenance"));
  EXPECT_TRUE(state.cluster_maintenance);
  EXPECT_TRUE(control::overlay(m, state).manifests.clusters.front().spec.options.maintenance_mode);
  EXPECT_FALSE(m.clusters.front().spec.options.maintenance_mode);
  ASSERT_TRUE(apply(state, maintenance("", false), m).has_value());
  EXPECT_FALSE(control::overlay(m, state).manifests.clusters.front().spec.options.maintenance_mode);
}

TEST(ControlCommands, unmanaging_a_group_unmanages_its_members_and_nothing_else) {
  const model::Manifests m = grouped();
  ControlState state;
  ASSERT_TRUE(apply(state, {Verb::kUnmanage, "", "service", {}}, m).has_value());
  const control::Overlay laid = control::overlay(m, state);
  for (const model::HAResource& r : laid.manifests.resources) {
    EXPECT_EQ(r.spec.meta.is_managed, r.metadata.name == "db") << r.metadata.name;
  }
  EXPECT_EQ(laid.manifests.groups.front().spec.meta.is_managed, false);
  ASSERT_TRUE(apply(state, {Verb::kManage, "", "service", {}}, m).has_value());
  EXPECT_EQ(control::overlay(m, state).manifests, m);
}

TEST(ControlCommands, manage_names_the_manifest_that_keeps_a_resource_unmanaged) {
  model::Manifests m = grouped();
  m.resources.back().spec.meta.is_managed = false;  // db
  m.resources.back().origin.file = "db.yaml";
  ControlState state;
  auto refused = apply(state, {Verb::kManage, "", "db", {}}, m);
  ASSERT_FALSE(refused.has_value());
  EXPECT_THAT(refused.error().message, HasSubstr("db.yaml"));
  EXPECT_FALSE(apply(state, {Verb::kUnmanage, "", "nosuch", {}}, m).has_value());
}

TEST(ControlState, the_state_file_reads_back_what_was_written) {
  ControlState state;
  state.standby = {"n1", "n2"};
  state.maintenance = {"n2"};
  state.cluster_maintenance = true;
  state.unmanaged = {"web"};
  state.constraints.push_back(
      {"cli-ban-web-on-n1", control::CliKind::kBan, "web", "n1", kNow + 5, kNow});
  state.constraints.push_back({"cli-prefer-web", control::CliKind::kPrefer, "web", "n2", {}, kNow});
  auto back = control::decode_state(control::encode(state), "control.json");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, state);
}

TEST(ControlState, a_damaged_state_file_is_an_error_naming_the_place) {
  for (const char* text : {"", "[]", "{\"standby\": [1]}", "{\"maintenance\": \"n1\"}",
                           "{\"unmanaged\": [\"\"]}", "{\"clusterMaintenance\": 1}",
                           "{\"constraints\": [{\"name\": \"x\", \"kind\": \"maybe\", "
                           "\"resource\": \"web\", \"node\": \"n1\"}]}"}) {
    auto read = control::decode_state(text, "control.json");
    ASSERT_FALSE(read.has_value()) << text;
    EXPECT_THAT(read.error().message, HasSubstr("control.json")) << text;
  }
}

TEST(ControlCommandCodec, a_command_travels_whole_and_bad_ones_name_the_field) {
  const ControlCommand ban{Verb::kBan, "n1", "web", 30'000};
  auto back = control::decode_command(control::encode(ban));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, ban);
  for (const ControlCommand& command : {maintenance("n1", true), maintenance("", false)}) {
    auto again = control::decode_command(control::encode(command));
    ASSERT_TRUE(again.has_value()) << again.error().message;
    EXPECT_EQ(*again, command);
  }

  const std::pair<const char*, const char*> bad[] = {
      {"{\"command\": \"reboot\"}", "command"},
      {"{\"command\": \"standby\"}", "node"},
      {"{\"command\": \"cleanup\"}", "resource"},
      {"{\"command\": \"ban\", \"resource\": \"web\", \"lifetimeMs\": -5}", "lifetimeMs"},
      {"{\"command\": \"standby\", \"node\": \"n1\", \"lifetimeMs\": 5}", "lifetimeMs"},
      {"not json", "JSON"},
      {"{\"command\": \"maintenance\", \"node\": \"n1\"}", "on"},
      {"{\"command\": \"maintenance\", \"on\": true}", "node"},
      {"{\"command\": \"maintenance\", \"node\": \"n1\", \"cluster\": true, \"on\": true}", "node"},
      {"{\"command\": \"maintenance\", \"cluster\": \"yes\", \"on\": true}", "cluster"},
      {"{\"command\": \"standby\", \"node\": \"n1\", \"cluster\": true}", "cluster"},
      {"{\"command\": \"unmanage\"}", "resource"},
      {"{\"command\": \"manage\", \"resource\": \"web\", \"node\": \"n1\"}", "node"},
  };
  for (const auto& [text, field] : bad) {
    auto decoded = control::decode_command(text);
    ASSERT_FALSE(decoded.has_value()) << text;
    EXPECT_THAT(decoded.error().message, HasSubstr(field)) << text;
  }
}

}  // namespace
}  // namespace tandem::testing
