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

std::vector<std::string> names(const std::vector<const HAResource*>& devices) {
  std::vector<std::string> out;
  for (const HAResource* d : devices) out.push_back(d->metadata.name);
  return out;
}

TEST(FenceDevice, a_node_is_fenced_by_the_devices_that_reach_it_in_manifest_order) {
  const Manifests m = with_devices(true);
  EXPECT_EQ(names(fence_devices_for(m, "n1")), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(names(fence_devices_for(m, "n2")), (std::vector<std::string>{"b"}));
}

TEST(FenceDevice, no_device_fences_when_the_cluster_turned_fencing_off) {
  EXPECT_TRUE(fence_devices_for(with_devices(false), "n1").empty());
}

}  // namespace
}  // namespace tandem::model
