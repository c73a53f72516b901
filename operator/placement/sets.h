#pragma once

// Resource sets in order and colocation constraints, expanded into the
// working set's orderings and colocations.

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// An order constraint given as sets: the order within each sequential set,
// between consecutive sets (through a "one or more" pseudo-action when a set
// has requireAll false), and the inverse when symmetrical.
void unpack_order_sets(WorkingSet& ws, const model::HAConstraint& constraint);

// A colocation constraint given as sets: within each sequential set, and
// between consecutive sets.
void unpack_colocation_sets(WorkingSet& ws, const model::HAConstraint& constraint);

}  // namespace tandem::placement::detail
