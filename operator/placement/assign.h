#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 6: every resource gets a node or none, in priority order, with
// colocations pulling and pushing (Pacemaker's allocate_resources).
void assign_resources(WorkingSet& ws);

// Pacemaker's pe__current_node: the node a resource is active on, the first
// clean one when it does not need fencing.
int current_node(const WorkingSet& ws, const Resource& rsc);

}  // namespace tandem::placement::detail
