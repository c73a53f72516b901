#pragma once

// The status as JSON (GET /v1/status, STATE_DIR/status.json); tandemctl
// status reads it back. Field names are camelCase as in the manifests.

#include <string>

#include "operator/reconcile/status.h"

namespace tandem::reconcile {

std::string status_json(const Status& status, UnixMs updated_ms);

}  // namespace tandem::reconcile
