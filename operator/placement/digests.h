#pragma once

#include <map>
#include <string>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Before assignment: resources whose parameters changed since an operation
// ran restart (or reload) where they run (Pacemaker's
// pcmk__handle_rsc_config_changes).
void handle_config_changes(WorkingSet& ws);

// Pacemaker's operation digest of these parameters.
std::string parameters_digest(const std::map<std::string, std::string>& params);

}  // namespace tandem::placement::detail
