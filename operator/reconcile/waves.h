#pragma once

// Which actions of a transition go out now. An action goes out once all its
// predecessors have succeeded; pseudo-actions complete as soon as theirs
// have. The reconciler dispatches a wave only when nothing is in flight and
// recomputes the whole transition after it, so within one transition no
// real action has succeeded yet: a wave is the runnable real actions whose
// predecessors are all completed pseudo-actions (or none).

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "operator/placement/transition.h"
#include "operator/reconcile/observe.h"

namespace tandem::reconcile {

struct Wave {
  std::vector<std::size_t> ready;  // indices into Transition::actions
  // Actions that would be ready but start a copy of something an unclean
  // node is presumed to run, with the reason.
  std::vector<std::string> held;
};

// The resource a clone instance belongs to ("db:1" -> "db").
std::string base_resource(const std::string& instance);

// Whether `action` would start or promote a copy of what `hold` presumes
// running on an unclean node.
bool conflicts(const placement::PlannedAction& action, const Hold& hold);

// Tasks the sidecars carry out: resource operations on one node. Fencing
// and shutdowns are the operator's, pseudo-actions nobody's.
bool sidecar_task(const placement::PlannedAction& action);

Wave next_wave(const placement::Transition& transition, const std::set<std::string>& online,
               const std::vector<Hold>& holds);

}  // namespace tandem::reconcile
