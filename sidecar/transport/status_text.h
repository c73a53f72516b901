#pragma once

// The status file's other views: the links in corosync-cfgtool -s's layout
// and the clock offsets in a layout of tandem's own (corosync has none).
// Pure.

#include <string>

#include "sidecar/transport/status.h"

namespace tandem::transport {

// corosync-cfgtool -s as corosync 3 prints it for transport udpu: the local
// node id, then link 0 with this node's address and, for every node of the
// nodelist in node id order, "localhost", "connected" or "disconnected".
std::string cfgtool_text(const MembershipStatus& status);

// "Clock information": each other node's offset (its clock minus this
// node's) and the round trip it was measured with.
std::string clock_text(const MembershipStatus& status);

// "+1.250 ms", "-0.004 ms": microseconds as milliseconds.
std::string milliseconds_text(std::int64_t microseconds, bool sign);

}  // namespace tandem::transport
