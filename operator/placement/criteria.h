#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 4: node-specific criteria on every resource's scores: location
// constraints, stickiness, migration-threshold bans and exclusive discovery
// (Pacemaker's apply_node_criteria).
void apply_node_criteria(WorkingSet& ws);

}  // namespace tandem::placement::detail
