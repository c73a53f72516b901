#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 2: where resources run, in which role, and what their failures
// require, from the operation history.
void unpack_history(WorkingSet& ws, const ObservedState& observed);

}  // namespace tandem::placement::detail
