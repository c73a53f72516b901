#include "operator/reconcile/monitors.h"

#include <algorithm>

#include "operator/reconcile/maintenance.h"

namespace tandem::reconcile {
namespace {

const protocol::ResourceReport* find_report(const Reports& reports, const std::string& node,
                                            const std::string& resource) {
  auto it = reports.find(node);
  if (it == reports.end()) return nullptr;
  for (const protocol::ResourceReport& r : it->second.report.resources) {
    if (r.resource == resource) return &r;
  }
  return nullptr;
}

// Whether the history shows a monitor with this interval that ran after the
// last operation that changed the instance's state.
bool monitor_running(const protocol::ResourceReport* report, std::int64_t interval_ms) {
  if (report == nullptr) return false;
  int last_change = -1;
  for (const protocol::OpResult& op : report->ops) {
    if (op.task == "start" || op.task == "promote" || op.task == "demote" ||
        op.task == "migrate_from")
      last_change = std::max(last_change, op.call_id);
  }
  return std::any_of(report->ops.begin(), report->ops.end(), [&](const protocol::OpResult& op) {
    return op.task == "monitor" && op.interval_ms == interval_ms && op.call_id > last_change;
  });
}

}  // namespace

bool monitor_applies(const model::Operation& op, model::Role role) {
  if (op.role) return *op.role == role;
  // Without a role a monitor watches the started (or unpromoted) instance;
  // Pacemaker's promoted instance needs a monitor with role Promoted.
  return role == model::Role::kStarted || role == model::Role::kUnpromoted;
}

std::vector<placement::PlannedAction> missing_monitors(const model::Manifests& manifests,
                                                       const placement::Transition& transition,
                                                       const Reports& reports,
                                                       const Liveness& liveness) {
  std::vector<placement::PlannedAction> out;
  // Maintenance pauses monitors, as Pacemaker cancels them; a resource that
  // is merely unmanaged keeps them.
  if (cluster_in_maintenance(manifests)) return out;
  for (const placement::Assignment& a : transition.assignments) {
    if (a.failed || a.role == model::Role::kStopped ||
        resource_in_maintenance(manifests, a.resource))
      continue;
    const std::string base = a.resource.substr(0, a.resource.find(':'));
    const model::HAResource* config = nullptr;
    for (const model::HAResource& r : manifests.resources) {
      if (r.metadata.name == base) config = &r;
    }
    if (config == nullptr) continue;
    for (const std::string& node : a.running_on) {
      if (!liveness.online(node) || node_in_maintenance(manifests, reports, node)) continue;
      const bool busy =
          std::any_of(transition.actions.begin(), transition.actions.end(),
                      [&](const auto& x) { return x.resource == a.resource && x.node == node; });
      if (busy) continue;
      // Sidecars report an anonymous clone's instances under the clone's
      // name, as Pacemaker's executor knows them.
      const bool anonymous = config->spec.clone && !config->spec.clone->globally_unique;
      const protocol::ResourceReport* report =
          find_report(reports, node, anonymous ? base : a.resource);
      for (const model::Operation& op : config->spec.operations) {
        if (op.name != model::OperationName::kMonitor || op.interval.count() <= 0 ||
            !monitor_applies(op, a.role))
          continue;
        if (monitor_running(report, op.interval.count())) continue;
        placement::PlannedAction monitor;
        monitor.key = a.resource + "_monitor_" + std::to_string(op.interval.count());
        monitor.task = "monitor";
        monitor.resource = a.resource;
        monitor.node = node;
        out.push_back(std::move(monitor));
      }
    }
  }
  return out;
}

std::vector<placement::PlannedAction> monitors_to_cancel(const model::Manifests& manifests,
                                                         const Reports& reports,
                                                         const Liveness& liveness) {
  std::vector<placement::PlannedAction> out;
  const bool everything = cluster_in_maintenance(manifests);
  for (const auto& [node, received] : reports) {
    if (!liveness.online(node)) continue;
    const bool whole_node = everything || node_in_maintenance(manifests, reports, node);
    for (const protocol::ResourceReport& resource : received.report.resources) {
      if (!whole_node && !resource_in_maintenance(manifests, resource.resource)) continue;
      for (const protocol::OpResult& op : resource.ops) {
        if (op.task != "monitor" || op.interval_ms <= 0) continue;
        placement::PlannedAction cancel;
        cancel.key = resource.resource + "_monitor_" + std::to_string(op.interval_ms);
        cancel.task = "cancel";
        cancel.resource = resource.resource;
        cancel.node = node;
        out.push_back(std::move(cancel));
      }
    }
  }
  return out;
}

}  // namespace tandem::reconcile
