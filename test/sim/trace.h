#pragma once

// One readable line per membership event, for --trace and scenario files.

#include <string>

#include "sidecar/membership/events.h"

namespace tandem::sim {

std::string describe_event(const membership::Event& event);
// The membership messages worth reading in a trace (joins, commit tokens,
// merge detection); empty for tokens and application messages.
std::string describe_datagram(const membership::Datagram& datagram);

}  // namespace tandem::sim
