#pragma once

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Phase 7a: probes (one-shot monitors) of resources wherever their state is
// unknown, each ordered before the resource's start: nothing starts until
// it is known not to run anywhere else (Pacemaker's pcmk__schedule_probes).
void schedule_probes(WorkingSet& ws);

}  // namespace tandem::placement::detail
