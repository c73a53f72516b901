#pragma once

// The status file's other views: the links in corosync-cfgtool -s's layout
// and the clock offsets in a layout of tandem's own (corosync has none).
// Pure.

#include <string>

#include "sidecar/transport/status.h"

namespace tandem::transport {

// corosync-cfgtool -s as corosync 3.1.7 prints it for transport udpu: the
// local node id, then link 0 with the address of the last other node in
// node id order (corosync's choice) and, for every node of the nodelist in
// node id order, "localhost", "connected" or "disconnected".
std::string cfgtool_text(const MembershipStatus& status);

// The process groups in corosync-cpgtool's layout: a header, then each
// group's name and a line per member with its pid, node id and the node's
// address.
std::string cpgtool_text(const MembershipStatus& status);

// "10.0.0.1:5405" -> "10.0.0.1", "[fd00::1]:5405" -> "fd00::1".
std::string host_of(const std::string& address);

// "Clock information": each other node's offset (its clock minus this
// node's) and the round trip it was measured with.
std::string clock_text(const MembershipStatus& status);

// "+1.250 ms", "-0.004 ms": microseconds as milliseconds.
std::string milliseconds_text(std::int64_t microseconds, bool sign);

}  // namespace tandem::transport
