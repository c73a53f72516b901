#pragma once

// Utilization and the placement strategy (Pacemaker's
// pcmk_sched_utilization.c and the strategy-dependent parts of assignment):
// nodes have capacities, resources use some of them, and unless the
// strategy is "default" a resource goes only where what it needs (with the
// resources colocated with it) still fits.

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

bool uses_utilization(const WorkingSet& ws);

// Node capacities and resource utilization from the manifests.
void setup_utilization(WorkingSet& ws);

// Pacemaker's pcmk__sort_resources, with any strategy but "default": the
// order resources are assigned in, by priority, then the score on the
// current node, then the scores on the nodes in order of preference.
void sort_resources_for_strategy(WorkingSet& ws);

// Bans `rsc` from the nodes where it (with the resources colocated with it
// that are not placed yet) does not fit. When it fits nowhere with them,
// returns the node with most free capacity, which assignment then prefers.
int ban_insufficient_capacity(WorkingSet& ws, int rsc);

// Negative when node `a` has more free capacity than `b`, by majority over
// the capacities either has (Pacemaker's pcmk__compare_node_capacities).
int compare_node_capacities(const WorkingSet& ws, int a, int b);

// A resource assigned to or taken off a node uses or frees its capacity.
void consume_capacity(WorkingSet& ws, int rsc, int node);
void release_capacity(WorkingSet& ws, int rsc, int node);

}  // namespace tandem::placement::detail
