#pragma once

// The operator's metrics in Prometheus' text exposition format (0.0.4),
// written by hand: prometheus-cpp is not packaged in Debian. Names follow
// Prometheus' conventions (units in the name, counters end in _total);
// labels are bounded by the numbers of resources and nodes.

#include <string>
#include <string_view>

#include "operator/reconcile/status.h"

namespace tandem::server {

std::string metrics_text(const reconcile::Status& status);

// A label value with \, " and newlines escaped.
std::string escape_label(std::string_view value);

}  // namespace tandem::server
