// The observed state against the manifests it is simulated with. The engine
// ignores a node it does not know and takes an unknown resource for one that
// is no longer configured; in a hand-edited file both are more likely typos.

#include <set>
#include <vector>

#include "common/core/text.h"
#include "operator/observed/observed_file.h"

namespace tandem::observed {
namespace {

void add(model::Diagnostics& diagnostics, model::Severity severity, std::string_view file,
         const Location& location, const std::string& field, std::string message) {
  std::string path = location.path;
  if (!field.empty()) path += (path.empty() ? "" : ".") + field;
  diagnostics.add(model::Diagnostic{severity, std::string(file), 1, location.line, location.column,
                                    "", std::move(path), std::move(message)});
}

std::string did_you_mean(const std::string& word, const std::vector<std::string_view>& names) {
  if (auto guess = closest_match(word, names)) return " (did you mean " + quote(*guess) + "?)";
  return "";
}

}  // namespace

void check_observed(const Decoded& decoded, const model::Manifests& manifests,
                    std::string_view file, model::Diagnostics& diagnostics) {
  std::vector<std::string_view> nodes;
  for (const auto& node : manifests.nodes) nodes.push_back(node.metadata.name);
  for (const auto& cluster : manifests.clusters) {
    for (const auto& member : cluster.spec.membership.nodes) nodes.push_back(member.name);
  }
  std::vector<std::string_view> resources;
  std::set<std::string_view> groups;
  for (const auto& resource : manifests.resources) resources.push_back(resource.metadata.name);
  for (const auto& group : manifests.groups) groups.insert(group.metadata.name);
  auto is_in = [](const std::vector<std::string_view>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };

  const placement::ObservedState& state = decoded.state;
  for (std::size_t i = 0; i < state.nodes.size() && i < decoded.nodes.size(); ++i) {
    const std::string& name = state.nodes[i].name;
    if (is_in(nodes, name)) continue;
    add(diagnostics, model::Severity::kError, file, decoded.nodes[i], "name",
        "node " + quote(name) + " is not in the manifests" + did_you_mean(name, nodes));
  }
  // Resources that only the history knows: orphans, which the engine stops.
  std::set<std::string> orphans;
  for (std::size_t i = 0; i < state.history.size() && i < decoded.history.size(); ++i) {
    const placement::ResourceHistory& history = state.history[i];
    if (is_in(resources, history.resource)) continue;
    if (groups.contains(history.resource)) {
      add(diagnostics, model::Severity::kError, file, decoded.history[i], "name",
          quote(history.resource) +
              " is a group; the history is kept per resource, so list its members");
      continue;
    }
    if (history.agent_class.empty()) {
      add(diagnostics, model::Severity::kError, file, decoded.history[i], "name",
          "resource " + quote(history.resource) + " is not in the manifests" +
              did_you_mean(history.resource, resources) +
              "; to simulate a resource that still runs but is no longer configured, give its "
              "agent");
      continue;
    }
    orphans.insert(history.resource);
  }
  for (std::size_t i = 0; i < state.fail_counts.size() && i < decoded.fail_counts.size(); ++i) {
    const std::string& resource = state.fail_counts[i].resource;
    if (is_in(resources, resource) || orphans.contains(resource)) continue;
    add(diagnostics, model::Severity::kWarning, file, decoded.fail_counts[i], "resource",
        "resource " + quote(resource) + " is not in the manifests" +
            did_you_mean(resource, resources) + "; this fail count has no effect");
  }
}

}  // namespace tandem::observed
