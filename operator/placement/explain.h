#pragma once

// "Why is it running there?" in plain words, from a transition computed
// with ScheduleOptions::scores: where the resource runs and will run, every
// node's score and what made it, what kept the other nodes out, and what is
// blocked.

#include <string>
#include <string_view>

#include "common/core/result.h"
#include "operator/placement/transition.h"

namespace tandem::placement {

// Fails when the transition has no such resource (the message names the
// closest one), or was computed without scores.
Result<std::string> explain(const Transition& transition, std::string_view resource);

}  // namespace tandem::placement
