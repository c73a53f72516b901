#include "common/model/fence_device.h"

#include <algorithm>
#include <regex>
#include <sstream>

namespace tandem::model {
namespace {

std::string param(const HAResource& device, const std::string& name) {
  auto it = device.spec.params.find(name);
  return it == device.spec.params.end() ? "" : it->second;
}

// pcmk_host_map: "node1:plug1;node2:plug2", also with "=" and spaces or
// commas between entries. The plug for `node`, if the map names it.
std::optional<std::string> mapped_plug(const std::string& map, const std::string& node) {
  std::string entry;
  std::istringstream entries(map);
  while (entries >> entry) {
    std::string::size_type start = 0;
    while (start <= entry.size()) {
      const std::string::size_type end = entry.find_first_of(";,", start);
      const std::string part =
          entry.substr(start, end == std::string::npos ? std::string::npos : end - start);
      const std::string::size_type sep = part.find_first_of(":=");
      if (sep != std::string::npos && part.substr(0, sep) == node) return part.substr(sep + 1);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  return std::nullopt;
}

bool listed(const std::string& list, const std::string& node) {
  std::string normalized = list;
  for (char& c : normalized) {
    if (c == ',' || c == ';') c = ' ';
  }
  std::istringstream names(normalized);
  std::string name;
  while (names >> name) {
    if (name == node) return true;
  }
  return false;
}

}  // namespace

std::string fence_agent_path(const FenceAgent& agent, std::string_view directory) {
  return std::string(directory) + "/" + agent.type;
}

bool fence_device_reaches(const HAResource& device, const std::string& node) {
  const std::string list = param(device, "pcmk_host_list");
  const std::string map = param(device, "pcmk_host_map");
  if (list.empty() && map.empty()) return true;
  return listed(list, node) || mapped_plug(map, node).has_value();
}

std::string fence_agent_input(const HAResource& device, std::string_view action,
                              const std::optional<std::string>& node) {
  std::string out;
  for (const auto& [name, value] : device.spec.params) {
    // Pacemaker's own settings are not the agent's; a line break would
    // smuggle in another setting.
    if (name.starts_with("pcmk_") || name == "action" || value.find('\n') != std::string::npos)
      continue;
    out += name + "=" + value + "\n";
  }
  std::string agent_action(action);
  if (const std::string renamed = param(device, "pcmk_" + agent_action + "_action");
      !renamed.empty())
    agent_action = renamed;
  out += "action=" + agent_action + "\n";
  if (node) {
    const std::string argument = param(device, "pcmk_host_argument");
    if (argument != "none") {
      const std::string plug = mapped_plug(param(device, "pcmk_host_map"), *node).value_or(*node);
      // The node's name first: agents that take either read the plug last.
      out += "nodename=" + *node + "\n";
      out += (argument.empty() ? "port" : argument) + "=" + plug + "\n";
    }
  }
  return out;
}

namespace {

bool targets(const FencingLevel& level, const Manifests& manifests, const std::string& node) {
  if (level.target) return *level.target == node;
  if (level.target_pattern) {
    // Validation refuses patterns that do not compile; a damaged one
    // targets nothing rather than everything.
    try {
      return std::regex_search(node, std::regex(*level.target_pattern, std::regex::extended));
    } catch (const std::regex_error&) {
      return false;
    }
  }
  if (level.target_attribute) {
    for (const HANode& n : manifests.nodes) {
      if (n.metadata.name != node) continue;
      auto it = n.spec.attributes.find(*level.target_attribute);
      return it != n.spec.attributes.end() && it->second == level.target_value.value_or("");
    }
  }
  return false;
}

const HAResource* fence_device_named(const Manifests& manifests, const std::string& name) {
  for (const HAResource& resource : manifests.resources) {
    if (resource.metadata.name == name && resource.spec.agent.fence) return &resource;
  }
  return nullptr;
}

}  // namespace

std::vector<FenceLevelPlan> fence_levels_for(const Manifests& manifests, const std::string& node) {
  std::vector<FenceLevelPlan> levels;
  const HACluster* cluster = manifests.clusters.empty() ? nullptr : &manifests.clusters.front();
  if (cluster && !cluster->spec.options.fencing_enabled) return levels;
  const std::vector<FencingLevel> none;
  for (const FencingLevel& level : cluster ? cluster->spec.fencing_topology : none) {
    if (!targets(level, manifests, node)) continue;
    FenceLevelPlan plan{level.index, {}, {}};
    for (const std::string& name : level.devices) {
      if (const HAResource* device = fence_device_named(manifests, name)) {
        plan.devices.push_back(device);
      } else {
        plan.missing.push_back(name);
      }
    }
    levels.push_back(std::move(plan));
  }
  if (!levels.empty()) {
    std::stable_sort(
        levels.begin(), levels.end(),
        [](const FenceLevelPlan& a, const FenceLevelPlan& b) { return a.index < b.index; });
    return levels;
  }
  for (const HAResource& resource : manifests.resources) {
    if (resource.spec.agent.fence && fence_device_reaches(resource, node))
      levels.push_back({0, {&resource}, {}});
  }
  return levels;
}

}  // namespace tandem::model
