#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 6: every resource gets a node or none, in priority order, with
// colocations pulling and pushing (Pacemaker's allocate_resources).
void assign_resources(WorkingSet& ws);

// Pacemaker's pe__current_node: the node a resource is active on, the first
// clean one when it does not need fencing.
int current_node(const WorkingSet& ws, const Resource& rsc);

// Assigns one resource (and what it depends on), preferring `prefer` when it
// is as good as the best node; returns the node or kNone.
int assign_resource(WorkingSet& ws, int r, int prefer = kNone);

// Pacemaker's pcmk__finalize_assignment: `node` (kNone: nothing) becomes
// the resource's node; unless `force`, only where it may run.
bool assign_to(WorkingSet& ws, int r, int node, bool force);

// The scores as crm_simulate --show-scores prints them, at `stage`.
void record_assignment_scores(WorkingSet& ws, const char* stage, int r);

}  // namespace tandem::placement::detail
