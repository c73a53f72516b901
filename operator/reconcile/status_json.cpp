#include "operator/reconcile/status_json.h"

#include <nlohmann/json.hpp>

namespace tandem::reconcile {
namespace {

using nlohmann::json;

json optional_ms(const std::optional<UnixMs>& value) {
  return value ? json(*value) : json(nullptr);
}

json node_json(const NodeStatus& n) {
  return {{"name", n.name},
          {"state", n.state},
          {"inRing", n.in_ring},
          {"reporting", n.reporting},
          {"reason", n.reason},
          {"uncleanSinceUnixMs", optional_ms(n.unclean_since)},
          {"cleanAtUnixMs", optional_ms(n.clears_at)},
          {"clearedBy", n.cleared_by},
          {"fenceError", n.fence_error}};
}

json resource_json(const ResourceStatus& r) {
  // As HAResource status.instances: one per node it runs on, presumed
  // copies on unclean nodes marked.
  json instances = json::array();
  for (const std::string& node : r.running_on)
    instances.push_back(
        {{"node", node}, {"role", r.role}, {"failed", r.failed}, {"unclean", false}});
  for (const std::string& node : r.presumed_on)
    instances.push_back({{"node", node},
                         {"role", r.role == "Stopped" ? "Started" : r.role},
                         {"failed", r.failed},
                         {"unclean", true}});
  return {{"name", r.resource},      {"instances", instances},    {"resource", r.resource},
          {"role", r.role},          {"runningOn", r.running_on}, {"presumedOn", r.presumed_on},
          {"failed", r.failed},      {"managed", r.managed},      {"nextNode", r.next_node},
          {"nextRole", r.next_role}, {"reason", r.reason}};
}

json transition_json(const TransitionStatus& t) {
  json actions = json::array();
  for (const ActionStatus& a : t.actions) {
    actions.push_back({{"id", a.id},
                       {"key", a.key},
                       {"task", a.task},
                       {"resource", a.resource},
                       {"node", a.node},
                       {"state", a.state},
                       {"rc", a.rc},
                       {"detail", a.detail}});
  }
  return {{"number", t.number},
          {"startedUnixMs", t.started_ms},
          {"finishedUnixMs", optional_ms(t.finished_ms)},
          {"actions", actions}};
}

}  // namespace

std::string status_json(const Status& s, UnixMs updated_ms) {
  json nodes = json::array();
  for (const NodeStatus& n : s.nodes) nodes.push_back(node_json(n));
  json resources = json::array();
  for (const ResourceStatus& r : s.resources) resources.push_back(resource_json(r));
  json cli_constraints = json::array();
  for (const CliConstraintStatus& c : s.cli_constraints) {
    cli_constraints.push_back({{"name", c.name},
                               {"resource", c.resource},
                               {"node", c.node},
                               {"kind", c.ban ? "ban" : "prefer"},
                               {"expiresUnixMs", optional_ms(c.expires_ms)}});
  }
  json failed = json::array();
  for (const FailedOperation& f : s.failed_operations) {
    failed.push_back({{"resource", f.resource},
                      {"node", f.node},
                      {"task", f.task},
                      {"intervalMs", f.interval_ms},
                      {"rc", f.rc},
                      {"status", f.status},
                      {"exitReason", f.exit_reason},
                      {"lastRcChangeUnix", f.last_rc_change_unix}});
  }
  json fail_counts = json::array();
  for (const FailCountStatus& f : s.fail_counts) {
    fail_counts.push_back({{"resource", f.resource},
                           {"node", f.node},
                           {"operation", f.operation},
                           {"intervalMs", f.interval_ms},
                           {"count", f.count},
                           {"lastFailureUnix", f.last_failure_unix}});
  }
  json failovers = json::array();
  for (const Failover& f : s.failovers) {
    failovers.push_back({{"resource", f.resource},
                         {"from", f.from},
                         {"to", f.to},
                         {"cause", f.cause},
                         {"detectedUnixMs", f.detected_ms},
                         {"recoveredUnixMs", f.recovered_ms},
                         {"durationMs", f.duration_ms()}});
  }
  json outages = json::array();
  for (const Outage& o : s.outages) {
    outages.push_back({{"resource", o.resource},
                       {"from", o.from},
                       {"cause", o.cause},
                       {"detectedUnixMs", o.detected_ms}});
  }
  json buckets = json::array();
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < s.failover_durations.bounds().size(); ++b) {
    cumulative += s.failover_durations.bucket(b);
    buckets.push_back({{"le", s.failover_durations.bounds()[b]}, {"count", cumulative}});
  }
  json out = {
      {"cluster", s.cluster},
      {"generation", s.generation},
      {"maintenanceMode", s.maintenance_mode},
      {"updatedUnixMs", updated_ms},
      {"quorum",
       {{"quorate", s.quorum.quorate},
        {"reporter", s.quorum.reporter},
        {"ringId", s.quorum.ring_id},
        {"members", s.quorum.members},
        {"expectedVotes", s.quorum.expected_votes},
        {"totalVotes", s.quorum.total_votes},
        {"quorum", s.quorum.quorum}}},
      {"nodes", nodes},
      {"resources", resources},
      {"failedOperations", failed},
      {"failCounts", fail_counts},
      {"held", s.held},
      {"cliConstraints", cli_constraints},
      {"plan", s.plan},
      {"transitionsTotal", s.transitions_total},
      {"lastTransition", s.last_transition ? transition_json(*s.last_transition) : json(nullptr)},
      {"failovers", failovers},
      {"outages", outages},
      {"failoverStats",
       {{"count", s.failover_durations.count()},
        {"sumSeconds", s.failover_durations.sum()},
        {"buckets", buckets}}},
  };
  return out.dump(2) + "\n";
}

}  // namespace tandem::reconcile
