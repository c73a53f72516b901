// Checks of the HACluster's fencing topology: each level targets nodes one
// way, names fence devices that exist, and no two levels share a target
// and an index.

#include <map>
#include <regex>
#include <string>
#include <tuple>

#include "common/core/text.h"
#include "common/model/validate_internal.h"

namespace tandem::model::detail {

void validate_fencing_topology(const HACluster& cluster, const Namespace& ns, Diagnostics& d) {
  const std::vector<FencingLevel>& levels = cluster.spec.fencing_topology;
  // (how it targets, what, index) -> the level that defined it first.
  std::map<std::tuple<int, std::string, std::int32_t>, std::size_t> defined;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const FencingLevel& level = levels[i];
    const std::string path = indexed("spec.fencingTopology", i);
    const int ways = int(level.target.has_value()) + int(level.target_pattern.has_value()) +
                     int(level.target_attribute.has_value());
    if (ways != 1)
      d.error(cluster, path,
              "needs exactly one of target, targetPattern and targetAttribute, got " +
                  std::to_string(ways));
    if (level.target_attribute && !level.target_value)
      d.error(cluster, path + ".targetValue",
              "targetAttribute needs the value the nodes' attribute must have");
    if (level.target_value && !level.target_attribute)
      d.error(cluster, path + ".targetValue", "is used with targetAttribute only");
    if (level.target && ns.declares_nodes() && !ns.node_names.contains(*level.target))
      d.error(cluster, path + ".target",
              quote(*level.target) +
                  " is not a node of the cluster (an HANode or a membership "
                  "node)");
    if (level.target_pattern) {
      try {
        std::regex pattern(*level.target_pattern, std::regex::extended);
      } catch (const std::regex_error&) {
        d.error(cluster, path + ".targetPattern",
                quote(*level.target_pattern) + " is not an extended regular expression");
      }
    }
    if (level.devices.empty()) d.error(cluster, path + ".devices", "names no fence device");
    for (std::size_t j = 0; j < level.devices.size(); ++j) {
      const std::string& name = level.devices[j];
      auto it = ns.resources.find(name);
      if (it == ns.resources.end()) {
        d.error(cluster, indexed(path + ".devices", j),
                quote(name) + " is not an HAResource of namespace " + quote(ns.name));
      } else if (!it->second->spec.agent.fence) {
        d.error(cluster, indexed(path + ".devices", j),
                quote(name) + " is not a fence device (it has no agent.fence)");
      }
    }
    if (ways != 1) continue;
    const auto key =
        level.target ? std::make_tuple(0, *level.target, level.index)
        : level.target_pattern
            ? std::make_tuple(1, *level.target_pattern, level.index)
            : std::make_tuple(2, *level.target_attribute + "=" + level.target_value.value_or(""),
                              level.index);
    if (auto [it, fresh] = defined.emplace(key, i); !fresh)
      d.error(cluster, path + ".index",
              "level " + std::to_string(level.index) + " of this target is already " +
                  indexed("spec.fencingTopology", it->second));
  }
}

}  // namespace tandem::model::detail
