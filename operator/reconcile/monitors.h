#pragma once

// Recurring monitors. The placement engine plans starts, stops and probes
// but no recurring monitors, so the reconciler asks for them itself: every
// healthy instance on an online node gets each monitor its manifest
// declares for its role, unless the node's history shows that monitor
// running since the instance last started or changed role, or maintenance
// (maintenance.h) pauses it; maintenance cancels those that run.

#include <string>
#include <vector>

#include "common/model/manifests.h"
#include "operator/placement/transition.h"
#include "operator/reconcile/liveness.h"
#include "operator/reconcile/reports.h"

namespace tandem::reconcile {

// Monitors to start, as actions: task "monitor", key
// "<instance>_monitor_<interval ms>". Instances the transition still has
// actions for on that node are left until it has none.
std::vector<placement::PlannedAction> missing_monitors(const model::Manifests& manifests,
                                                       const placement::Transition& transition,
                                                       const Reports& reports,
                                                       const Liveness& liveness);

// Recurring monitors that maintenance pauses (maintenance.h) and an online
// node's history still shows, as "cancel" actions (key
// "<resource>_monitor_<interval ms>", the resource as the sidecar names
// it): Pacemaker cancels them, and the sidecar drops them from its history.
std::vector<placement::PlannedAction> monitors_to_cancel(const model::Manifests& manifests,
                                                         const Reports& reports,
                                                         const Liveness& liveness);

// Whether `op` (its role unset or set) applies to an instance in `role`.
bool monitor_applies(const model::Operation& op, model::Role role);

}  // namespace tandem::reconcile
