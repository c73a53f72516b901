#pragma once

// A quorate ring of nodes 1 (alpha) and 2 (beta) out of three, as a status
// file describes it; tests add what they look at.

#include <cstdint>

#include "sidecar/transport/status.h"

namespace tandem::transport {

inline MembershipStatus two_of_three_seen_from(std::uint32_t node_id) {
  MembershipStatus s;
  s.pid = 42;
  s.cluster_name = "demo";
  s.node_id = node_id;
  s.state = "OPERATIONAL";
  s.ring_representative = 1;
  s.ring_sequence = 9;
  s.members = {{1, 1, "alpha"}, {2, 1, "beta"}};
  s.quorate = true;
  s.expected_votes = 3;
  s.highest_expected = 3;
  s.total_votes = 2;
  s.quorum = 2;
  s.flags = {"Quorate"};
  return s;
}

}  // namespace tandem::transport
