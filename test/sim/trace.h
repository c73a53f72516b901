#pragma once

// One readable line per membership event, for --trace and scenario files.

#include <string>

#include "sidecar/membership/events.h"

namespace tandem::sim {

std::string describe_event(const membership::Event& event);

}  // namespace tandem::sim
