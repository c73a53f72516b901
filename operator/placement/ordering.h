#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 9: resource-level orderings become edges between actions, and
// required/unrunnable spread along them until nothing changes (Pacemaker's
// pcmk__apply_orderings).
void apply_orderings(WorkingSet& ws);

// Pacemaker's pcmk__block_colocation_dependents: a start that cannot run
// keeps everything mandatorily colocated with its resource from starting.
void block_colocation_dependents(WorkingSet& ws, int action);

}  // namespace tandem::placement::detail
