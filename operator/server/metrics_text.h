#pragma once

// The operator's /metrics, from its status: failovers and their durations,
// resources by node and role, fail counts, nodes, quorum as the operator
// sees it, and its actions' durations. Labels are bounded by the manifests
// (resources, nodes) and by fixed sets (roles, states, tasks).
// docs/operator.md lists every metric and the ha_cluster_exporter metric it
// corresponds to.

#include <string>

#include "operator/reconcile/status.h"

namespace tandem::server {

std::string metrics_text(const reconcile::Status& status);

}  // namespace tandem::server
