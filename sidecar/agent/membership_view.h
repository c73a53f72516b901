#pragma once

// The membership daemon's status as the report carries it and as the
// quorum guard reads it. Pure.

#include <cstdint>

#include "common/protocol/messages.h"
#include "sidecar/agent/quorum_guard.h"
#include "sidecar/transport/status.h"

namespace tandem::agent {

// `quorate_since_unix_ms`: when this sidecar last saw its ring operational
// and quorate (0: never).
protocol::MembershipView membership_view(const transport::MembershipStatus& status,
                                         std::int64_t quorate_since_unix_ms);

QuorumSnapshot quorum_snapshot(const transport::MembershipStatus& status);

}  // namespace tandem::agent
