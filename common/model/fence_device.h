#pragma once

// How a fence device (an HAResource with `agent.fence`) is driven through
// the fence_* agents' stdin interface, as Pacemaker's fencer drives them:
// one "name=value" line per parameter, the action, and the plug (the port
// that powers the node) from pcmk_host_map or the node's name. Pure: the
// operator and the sidecar run the agent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/manifests.h"
#include "common/model/resource.h"

namespace tandem::model {

// Fence agents live where Debian's fence-agents puts them.
inline constexpr std::string_view kFenceAgentDir = "/usr/sbin";

std::string fence_agent_path(const FenceAgent& agent, std::string_view directory);

// Whether the device's pcmk_host_list or pcmk_host_map names `node`; a
// device with neither is taken to reach every node (its agent says
// otherwise by failing).
bool fence_device_reaches(const HAResource& device, const std::string& node);

// One way to fence a node: these devices, each of which must succeed.
struct FenceLevelPlan {
  std::int32_t index = 0;  // the topology's index; 0 without a topology
  std::vector<const HAResource*> devices;
  // Devices the level names that are not fence devices in the manifests
  // (validation refuses them; a level that has any fails).
  std::vector<std::string> missing;
};

// How to fence `node`, first way first. With fencing topology levels that
// target it (by name, by a pattern its name contains, or by one of its
// HANode attributes), those levels by index; else every fence device that
// reaches it, each a level of its own, in the manifests' order. None when
// the cluster turned fencing off. The operator tries them in this order; a
// node with none is fenced only by the --fence-command, or waits out the
// self-fence time.
std::vector<FenceLevelPlan> fence_levels_for(const Manifests& manifests, const std::string& node);

// The agent's stdin for `action` (off, reboot, on, monitor, status, ...)
// on `node` (none for monitor): the device's parameters without Pacemaker's
// own pcmk_* ones, then action= and, unless pcmk_host_argument is "none",
// the plug. pcmk_off_action / pcmk_reboot_action rename the action.
std::string fence_agent_input(const HAResource& device, std::string_view action,
                              const std::optional<std::string>& node);

}  // namespace tandem::model
