#include "common/model/fence_device.h"

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

std::vector<const HAResource*> fence_devices_for(const Manifests& manifests,
                                                 const std::string& node) {
  std::vector<const HAResource*> devices;
  if (!manifests.clusters.empty() && !manifests.clusters.front().spec.options.fencing_enabled)
    return devices;
  for (const HAResource& resource : manifests.resources) {
    if (resource.spec.agent.fence && fence_device_reaches(resource, node))
      devices.push_back(&resource);
  }
  return devices;
}

}  // namespace tandem::model
