#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 5: the orderings and colocations every resource implies by itself:
// stop before start, and a group's chain of members (Pacemaker's
// pcmk__create_internal_constraints).
void create_internal_constraints(WorkingSet& ws);

}  // namespace tandem::placement::detail
