#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 7: the actions that take every resource from where and how it runs
// to where and how it should (Pacemaker's create_actions).
void create_resource_actions(WorkingSet& ws);

}  // namespace tandem::placement::detail
