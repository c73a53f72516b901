#pragma once

// The sidecar's /metrics, from a snapshot: the membership (ring changes,
// members, quorum and votes), its links and the other nodes' clock offsets,
// the transport's counters, and the node's operations. Labels are bounded
// by the nodelist and by fixed sets (vote types, drop reasons, operations).
// docs/sidecar-agent.md lists every metric and the ha_cluster_exporter
// metric it corresponds to. Pure.

#include <string>

#include "sidecar/agent/agent_metrics.h"

namespace tandem::agent {

std::string agent_metrics_text(const AgentMetricsSnapshot& snapshot);

}  // namespace tandem::agent
