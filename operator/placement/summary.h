#pragma once

#include "operator/placement/transition.h"
#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 10: the transition as users see it: one change per resource (start,
// move, recover...) as Pacemaker's transition summary lists them, the
// required actions and their order, the placement once they have run, and
// the scores.
Transition summarize(WorkingSet& ws);

}  // namespace tandem::placement::detail
