#pragma once

// votequorum's arithmetic as pure functions (corosync exec/votequorum.c,
// calculate_quorum and check_auto_tie_breaker).

#include <cstdint>
#include <optional>
#include <vector>

#include "sidecar/membership/config.h"
#include "sidecar/membership/node_set.h"

namespace tandem::membership {

// floor(expected / 2) + 1: the smallest strict majority of the votes.
constexpr std::uint32_t majority_of(std::uint32_t votes) {
  return votes / 2 + 1;
}

// The quorum for a partition: a majority of the highest expected votes any
// member knows of (and of the votes present, which never exceed it), never
// lower than before unless lowering is allowed, and 1 in a two-node cluster
// down to two nodes or fewer.
struct QuorumInputs {
  std::uint32_t highest_expected = 0;
  std::uint32_t total_votes = 0;
  std::size_t member_count = 0;
  std::uint32_t previous_quorum = 0;
  bool allow_decrease = false;
  bool two_node = false;
};
std::uint32_t calculate_quorum(const QuorumInputs& in);

// The tie-breaker node a majority partition designates: its lowest or
// highest member, or the first node of the list that is a member (none if
// no listed node is).
NodeId designate_tie_breaker(TieBreakerMode mode, const std::vector<NodeId>& list,
                             const NodeSet& members);

// What a member remembers about the last majority partition it was in: the
// sequence of that ring and the tie-breaker node it designated. Sequence 0
// means it does not know (it has not been in a majority partition since it
// started).
struct TieBreakerMemory {
  std::uint64_t ring_seq = 0;
  NodeId node = 0;

  friend bool operator==(const TieBreakerMemory&, const TieBreakerMemory&) = default;
};

// Whether a partition holding exactly half of the expected votes may be
// quorate. The tie-breaker is the one designated by the latest majority
// partition any member remembers, and every member must remember one.
//
// Why this is safe: majority partitions are totally ordered by ring
// sequence (any two share a node, whose ring sequences only grow), and each
// of two disjoint halves shares a node with the latest one. So both halves
// see the same latest designation, and only one of them holds that node.
// corosync decides from each node's own last quorate partition, and also
// breaks ties one vote short of half in odd-sized clusters; the simulator
// found both let two partitions be quorate at once (docs/membership.md).
bool tie_breaker_allows(const std::vector<TieBreakerMemory>& memories, const NodeSet& members);

}  // namespace tandem::membership
