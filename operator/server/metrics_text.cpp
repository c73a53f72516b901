#include "operator/server/metrics_text.h"

#include <map>
#include <string_view>

#include "common/metrics/exposition.h"
#include "common/metrics/operations.h"

namespace tandem::server {
namespace {

using metrics::Exposition;
using metrics::MetricType;

double flag(bool value) {
  return value ? 1.0 : 0.0;
}

void failovers(Exposition& out, const reconcile::Status& status) {
  out.family("tandem_failovers_total", MetricType::kCounter,
             "Resources that ran on another node after being detected down (failed, or their "
             "node lost).");
  out.sample({}, status.failover_durations.count());
  out.family("tandem_failover_duration_seconds", MetricType::kHistogram,
             "Time from a resource being detected down to it running on another node.");
  out.histogram({}, status.failover_durations);
  out.family("tandem_resources_down", MetricType::kGauge,
             "Resources detected down (failed, or their node lost) and not running again yet.");
  out.sample({}, static_cast<std::uint64_t>(status.outages.size()));
}

// One line per node an instance is active on or presumed on, and one with
// an empty node for an instance active nowhere: as ha_cluster_exporter's
// ha_cluster_pacemaker_resources, the value is always 1.
void resources(Exposition& out, const reconcile::Status& status) {
  out.family("tandem_resources", MetricType::kGauge,
             "1 for each node a resource (or clone instance) is active on, with its role and "
             "status (active, failed, unclean: presumed on a lost node); node \"\" with role "
             "Stopped when it is active nowhere.");
  for (const reconcile::ResourceStatus& r : status.resources) {
    const std::string_view managed = r.managed ? "true" : "false";
    const std::string_view active = r.failed ? "failed" : "active";
    for (const std::string& node : r.running_on)
      out.sample({{"resource", r.resource},
                  {"node", node},
                  {"role", r.role},
                  {"status", active},
                  {"managed", managed}},
                 1.0);
    for (const std::string& node : r.presumed_on)
      out.sample({{"resource", r.resource},
                  {"node", node},
                  {"role", r.role},
                  {"status", "unclean"},
                  {"managed", managed}},
                 1.0);
    if (r.running_on.empty() && r.presumed_on.empty())
      out.sample({{"resource", r.resource},
                  {"node", ""},
                  {"role", "Stopped"},
                  {"status", r.failed ? "failed" : "stopped"},
                  {"managed", managed}},
                 1.0);
  }

  out.family("tandem_resource_failcount", MetricType::kGauge,
             "A resource's fail count on a node, per operation and interval, as the node's "
             "sidecar reports it.");
  for (const reconcile::FailCountStatus& f : status.fail_counts) {
    const std::string interval = std::to_string(f.interval_ms);
    out.sample({{"resource", f.resource},
                {"node", f.node},
                {"operation", f.operation},
                {"interval_ms", interval}},
               static_cast<double>(f.count));
  }
}

void nodes(Exposition& out, const reconcile::Status& status) {
  out.family("tandem_nodes", MetricType::kGauge,
             "1 when a node has the status, else 0: online (standby and maintenance nodes are "
             "online too), standby, maintenance, unclean (lost, presumed to run its resources).");
  for (const reconcile::NodeStatus& n : status.nodes) {
    const bool online = n.state == "online" || n.state == "standby" || n.state == "maintenance";
    out.sample({{"node", n.name}, {"status", "online"}}, flag(online));
    out.sample({{"node", n.name}, {"status", "standby"}}, flag(n.state == "standby"));
    out.sample({{"node", n.name}, {"status", "maintenance"}}, flag(n.state == "maintenance"));
    out.sample({{"node", n.name}, {"status", "unclean"}}, flag(n.state == "unclean"));
  }

  const reconcile::QuorumStatus& q = status.quorum;
  out.family("tandem_cluster_quorate", MetricType::kGauge,
             "1 when a quorate partition reports to the operator, else 0.");
  out.sample({}, flag(q.quorate));
  out.family("tandem_cluster_members", MetricType::kGauge,
             "Nodes in the ring of the quorate partition the operator follows (0 without one).");
  out.sample({}, static_cast<std::uint64_t>(q.members.size()));
  out.family("tandem_cluster_quorum_votes", MetricType::kGauge,
             "Votes as the quorate partition's reporter counts them, by type (0 without one).");
  out.sample({{"type", "expected_votes"}}, static_cast<std::uint64_t>(q.expected_votes));
  out.sample({{"type", "total_votes"}}, static_cast<std::uint64_t>(q.total_votes));
  out.sample({{"type", "quorum"}}, static_cast<std::uint64_t>(q.quorum));
}

void actions(Exposition& out, const reconcile::Status& status) {
  out.family("tandem_operator_transitions_total", MetricType::kCounter,
             "Waves of actions the operator dispatched.");
  out.sample({}, status.transitions_total);

  // The core operations always, at zero before the first; others once seen.
  std::map<std::string, reconcile::ActionStats> all = status.action_stats;
  for (std::string_view task : metrics::kCoreOperations) all.try_emplace(std::string(task));
  out.family("tandem_operator_action_duration_seconds", MetricType::kHistogram,
             "Time from dispatching an action to a sidecar to its outcome (or to giving up on "
             "it), by operation.");
  for (const auto& [task, stats] : all) out.histogram({{"operation", task}}, stats.durations);
  out.family("tandem_operator_action_failures_total", MetricType::kCounter,
             "Actions that did not succeed (failed, timed out, or their node was lost), by "
             "operation.");
  for (const auto& [task, stats] : all) out.sample({{"operation", task}}, stats.failed);
}

}  // namespace

std::string metrics_text(const reconcile::Status& status) {
  Exposition out;
  failovers(out, status);
  resources(out, status);
  nodes(out, status);
  actions(out, status);
  return out.text();
}

}  // namespace tandem::server
