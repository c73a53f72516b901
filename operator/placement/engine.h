#pragma once

// The placement engine: a pure function from the manifests and the observed
// state to a transition. No I/O, no clock ("now" is part of the observed
// state), no threads; the same input always gives the same transition.

#include "common/model/manifests.h"
#include "operator/placement/observed.h"
#include "operator/placement/transition.h"

namespace tandem::placement {

struct ScheduleOptions {
  // Record every resource's score for every node (Transition::scores): for
  // explanations; costs memory proportional to resources times nodes.
  bool scores = false;
};

// `manifests` must have passed validation and normalize(). They describe one
// cluster: the first HACluster found is its configuration.
Transition schedule(const model::Manifests& manifests, const ObservedState& observed,
                    const ScheduleOptions& options = {});

}  // namespace tandem::placement
