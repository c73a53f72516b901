#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 8: fencing of unclean nodes and shutdown of nodes leaving cleanly,
// with what must wait for the fencing and what it makes unnecessary.
void schedule_fencing_and_shutdowns(WorkingSet& ws);

}  // namespace tandem::placement::detail
