#pragma once

// How colocations change scores during assignment, as Pacemaker 2.1 does it.

#include <map>
#include <optional>
#include <string>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Keeps a resource's colocation lists sorted: the other side's priority
// first, then its variant, then its name; a new entry goes before equal
// ones (as GLib's g_list_insert_sorted places it).
void insert_this_with(WorkingSet& ws, int rsc, int colocation);
void insert_with_this(WorkingSet& ws, int rsc, int colocation);

bool any_node_available(const WorkingSet& ws, const NodeTable& table);

// Whether the dependent may pull the primary towards its own preferences.
bool colocation_has_influence(const WorkingSet& ws, const Colocation& colocation);

// Applies `colocation` to the scores of `dependent`, now that `primary` has
// been assigned.
void apply_colocation_score(WorkingSet& ws, int dependent, int primary,
                            const Colocation& colocation);

// Adds `factor` times the scores of `rsc` (and, recursively, of what is
// colocated with it) to `table`, for nodes that share the attribute value.
void add_colocated_node_scores(WorkingSet& ws, int rsc, NodeTable& table,
                               const std::optional<std::string>& attribute, float factor,
                               bool select_this_with);

}  // namespace tandem::placement::detail
