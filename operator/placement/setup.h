#pragma once

#include <string_view>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 1: nodes, resources and their initial scores.
void setup(WorkingSet& ws, const model::Manifests& manifests, const ObservedState& observed);

// Pacemaker's node-name order: case-insensitive, with runs of digits
// compared as numbers (node2 before node10).
int numeric_strcasecmp(std::string_view a, std::string_view b);

}  // namespace tandem::placement::detail
