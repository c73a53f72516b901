#include "operator/reconcile/maintenance.h"

namespace tandem::reconcile {

bool is_true(const std::string& value) {
  return value == "true" || value == "on" || value == "yes" || value == "1";
}

bool cluster_in_maintenance(const model::Manifests& manifests) {
  return !manifests.clusters.empty() && manifests.clusters.front().spec.options.maintenance_mode;
}

bool node_in_maintenance(const model::Manifests& manifests, const Reports& reports,
                         const std::string& node) {
  if (auto it = reports.find(node); it != reports.end()) {
    const auto& attributes = it->second.report.attributes;
    if (auto a = attributes.find("maintenance"); a != attributes.end()) return is_true(a->second);
  }
  for (const model::HANode& configured : manifests.nodes) {
    if (configured.metadata.name == node) return configured.spec.maintenance;
  }
  return false;
}

bool resource_in_maintenance(const model::Manifests& manifests, const std::string& resource) {
  const std::string base = resource.substr(0, resource.find(':'));
  for (const model::HAResource& configured : manifests.resources) {
    if (configured.metadata.name == base) return configured.spec.meta.maintenance.value_or(false);
  }
  return false;
}

}  // namespace tandem::reconcile
