// Driving a fence device through the fence_* agents' stdin interface.

#include "common/model/fence_device.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tandem::model {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

HAResource device(std::map<std::string, std::string> params) {
  HAResource r;
  r.metadata.name = "ipmi";
  r.spec.agent.fence = FenceAgent{"fence_ipmilan", {}};
  r.spec.params = std::move(params);
  return r;
}

TEST(FenceDevice, the_agent_gets_the_parameters_the_action_and_the_plug_without_pcmk_settings) {
  const std::string input = fence_agent_input(
      device({{"ipaddr", "10.0.0.9"}, {"pcmk_host_list", "n1 n2"}}), "reboot", "n1");
  EXPECT_EQ(input, "ipaddr=10.0.0.9\naction=reboot\nnodename=n1\nport=n1\n");
}

TEST(FenceDevice, pcmk_host_map_gives_the_plug_and_decides_which_nodes_it_reaches) {
  const HAResource mapped = device({{"pcmk_host_map", "n1:3;n2:4"}});
  EXPECT_TRUE(fence_device_reaches(mapped, "n2"));
  EXPECT_FALSE(fence_device_reaches(mapped, "n3"));
  EXPECT_THAT(fence_agent_input(mapped, "off", "n2"), HasSubstr("port=4\n"));
  EXPECT_TRUE(fence_device_reaches(device({{"pcmk_host_list", "n1,n3"}}), "n3"));
  EXPECT_TRUE(fence_device_reaches(device({}), "anything"));
}

TEST(FenceDevice, action_overrides_host_argument_and_monitor_without_a_node) {
  const HAResource r = device({{"pcmk_reboot_action", "off"}, {"pcmk_host_argument", "plug"}});
  EXPECT_EQ(fence_agent_input(r, "reboot", "n1"), "action=off\nnodename=n1\nplug=n1\n");
  EXPECT_EQ(fence_agent_input(device({{"pcmk_host_argument", "none"}}), "off", "n1"),
            "action=off\n");
  EXPECT_EQ(fence_agent_input(device({{"login", "admin"}}), "monitor", std::nullopt),
            "login=admin\naction=monitor\n");
}

TEST(FenceDevice, a_value_with_a_line_break_cannot_smuggle_in_a_setting) {
  EXPECT_THAT(fence_agent_input(device({{"login", "x\naction=on"}}), "off", "n1"),
              Not(HasSubstr("action=on")));
}

Manifests with_devices(bool fencing_enabled) {
  Manifests m;
  HACluster cluster;
  cluster.spec.options.fencing_enabled = fencing_enabled;
  m.clusters.push_back(cluster);
  HAResource web;
  web.metadata.name = "web";
  m.resources.push_back(web);
  HAResource a = device({{"pcmk_host_list", "n1"}});
  a.metadata.name = "a";
  m.resources.push_back(a);
  HAResource b = device({});
  b.metadata.name = "b";
  m.resources.push_back(b);
  return m;
}

// "a b | c": each level's devices, levels separated by " | ".
std::string levels_of(const Manifests& m, const std::string& node) {
  std::string out;
  for (const FenceLevelPlan& level : fence_levels_for(m, node)) {
    if (!out.empty()) out += " | ";
    std::string devices;
    for (const HAResource* d : level.devices)
      devices += (devices.empty() ? "" : " ") + d->metadata.name;
    for (const std::string& name : level.missing)
      devices += (devices.empty() ? "" : " ") + name + "?";
    out += devices;
  }
  return out;
}

TEST(FenceDevice, without_a_topology_each_device_that_reaches_a_node_is_a_level_in_manifest_order) {
  const Manifests m = with_devices(true);
  EXPECT_EQ(levels_of(m, "n1"), "a | b");
  EXPECT_EQ(levels_of(m, "n2"), "b");
}

TEST(FenceDevice, no_device_fences_when_the_cluster_turned_fencing_off) {
  EXPECT_TRUE(fence_levels_for(with_devices(false), "n1").empty());
}

FencingLevel level(std::int32_t index, std::vector<std::string> devices) {
  FencingLevel l;
  l.index = index;
  l.devices = std::move(devices);
  return l;
}

TEST(FenceDevice, a_topology_gives_a_node_its_levels_by_index_and_only_those) {
  Manifests m = with_devices(true);
  FencingLevel second = level(2, {"b"});
  second.target = "n1";
  FencingLevel first = level(1, {"a", "b"});
  first.target = "n1";
  m.clusters[0].spec.fencing_topology = {second, first};
  EXPECT_EQ(levels_of(m, "n1"), "a b | b");
  // Levels for other nodes do not take n2's devices away.
  EXPECT_EQ(levels_of(m, "n2"), "b");
}

TEST(FenceDevice, a_level_targets_nodes_by_a_pattern_in_their_names_or_by_an_attribute) {
  Manifests m = with_devices(true);
  FencingLevel by_pattern = level(1, {"a"});
  by_pattern.target_pattern = "[0-9]$";
  FencingLevel by_rack = level(2, {"b"});
  by_rack.target_attribute = "rack";
  by_rack.target_value = "east";
  m.clusters[0].spec.fencing_topology = {by_pattern, by_rack};
  HANode n2;
  n2.metadata.name = "n2";
  n2.spec.attributes["rack"] = "east";
  m.nodes.push_back(n2);
  EXPECT_EQ(levels_of(m, "n1"), "a");
  EXPECT_EQ(levels_of(m, "n2"), "a | b");
  EXPECT_EQ(levels_of(m, "gateway"), "b");  // no level matches: every device that reaches it
}

TEST(FenceDevice, a_level_naming_what_is_not_a_fence_device_keeps_the_name_to_fail_with) {
  Manifests m = with_devices(true);
  FencingLevel broken = level(1, {"web", "a"});
  broken.target = "n1";
  m.clusters[0].spec.fencing_topology = {broken};
  EXPECT_EQ(levels_of(m, "n1"), "a web?");
}

}  // namespace
}  // namespace tandem::model
