#include "operator/server/metrics_text.h"

#include <cstdio>

namespace tandem::server {
namespace {

std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

}  // namespace

std::string escape_label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string metrics_text(const reconcile::Status& status) {
  std::string out;
  header(out, "tandem_failovers_total", "counter",
         "Resources that ran on another node after being detected down (failed or node lost).");
  out += "tandem_failovers_total " + std::to_string(status.failover_stats.count) + "\n";

  header(out, "tandem_failover_duration_seconds", "histogram",
         "Time from a resource being detected down to it running on another node.");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < reconcile::kFailoverBuckets; ++b) {
    cumulative += status.failover_stats.buckets[b];
    out += "tandem_failover_duration_seconds_bucket{le=\"" +
           number(reconcile::kFailoverBucketBounds[b]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += "tandem_failover_duration_seconds_bucket{le=\"+Inf\"} " +
         std::to_string(status.failover_stats.count) + "\n";
  out += "tandem_failover_duration_seconds_sum " + number(status.failover_stats.sum_seconds) + "\n";
  out += "tandem_failover_duration_seconds_count " + std::to_string(status.failover_stats.count) +
         "\n";

  header(out, "tandem_resource_running", "gauge",
         "1 for each node a resource runs on, with its role; presumed copies on unclean nodes "
         "included.");
  for (const reconcile::ResourceStatus& r : status.resources) {
    auto line = [&](const std::string& node) {
      out += "tandem_resource_running{resource=\"" + escape_label(r.resource) + "\",node=\"" +
             escape_label(node) + "\",role=\"" + escape_label(r.role) + "\"} 1\n";
    };
    for (const std::string& node : r.running_on) line(node);
    for (const std::string& node : r.presumed_on) line(node);
  }

  header(out, "tandem_fail_count", "gauge", "A resource's failure count on a node.");
  for (const reconcile::FailCountStatus& f : status.fail_counts) {
    out += "tandem_fail_count{resource=\"" + escape_label(f.resource) + "\",node=\"" +
           escape_label(f.node) + "\",operation=\"" + escape_label(f.operation) + "\"} " +
           std::to_string(f.count) + "\n";
  }

  header(out, "tandem_cluster_members", "gauge",
         "Nodes in the ring of the quorate partition (0 when none reports).");
  out += "tandem_cluster_members " + std::to_string(status.quorum.members.size()) + "\n";
  header(out, "tandem_cluster_quorate", "gauge",
         "1 when a quorate partition reports to the operator.");
  out += std::string("tandem_cluster_quorate ") + (status.quorum.quorate ? "1" : "0") + "\n";

  header(out, "tandem_node_online", "gauge", "1 when a node is online, else 0.");
  for (const reconcile::NodeStatus& n : status.nodes) {
    const bool online = n.state == "online" || n.state == "standby" || n.state == "maintenance";
    out +=
        "tandem_node_online{node=\"" + escape_label(n.name) + "\"} " + (online ? "1" : "0") + "\n";
  }
  header(out, "tandem_node_unclean", "gauge",
         "1 while a node is lost and presumed to run its resources (not yet fenced or "
         "self-fenced).");
  for (const reconcile::NodeStatus& n : status.nodes) {
    out += "tandem_node_unclean{node=\"" + escape_label(n.name) + "\"} " +
           (n.state == "unclean" ? "1" : "0") + "\n";
  }

  header(out, "tandem_operator_transitions_total", "counter",
         "Transitions (waves of actions) the operator dispatched.");
  out += "tandem_operator_transitions_total " + std::to_string(status.transitions_total) + "\n";
  return out;
}

}  // namespace tandem::server
