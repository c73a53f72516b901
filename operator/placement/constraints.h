#pragma once

#include <optional>
#include <string>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 3: the constraints of the manifests, as orderings, colocations and
// locations of the working set.
void unpack_constraints(WorkingSet& ws);

// Orders `first_task` of `first` before `then_task` of `then` (Pacemaker's
// pcmk__order_resource_actions).
void order_resources(WorkingSet& ws, int first, const std::string& first_task, int then,
                     const std::string& then_task, std::uint32_t flags);

// Adds a colocation of `dependent` with `primary` (Pacemaker's
// pcmk__new_colocation); a score of 0 adds nothing.
void new_colocation(WorkingSet& ws, const std::string& id, Score score, int dependent, int primary,
                    RoleX dependent_role, RoleX primary_role,
                    std::optional<std::string> node_attribute, bool influence);

}  // namespace tandem::placement::detail
