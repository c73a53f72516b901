#include "sidecar/membership/quorum_math.h"

#include <algorithm>

namespace tandem::membership {

std::uint32_t calculate_quorum(const QuorumInputs& in) {
  std::uint32_t quorum = std::max(majority_of(in.highest_expected), majority_of(in.total_votes));
  if (!in.allow_decrease) quorum = std::max(quorum, in.previous_quorum);
  if (in.two_node && in.member_count <= 2) quorum = 1;
  return quorum;
}

NodeId designate_tie_breaker(TieBreakerMode mode, const std::vector<NodeId>& list,
                             const NodeSet& members) {
  if (members.empty()) return 0;
  switch (mode) {
    case TieBreakerMode::kNone:
      return 0;
    case TieBreakerMode::kLowest:
      return members.front();
    case TieBreakerMode::kHighest:
      return members.back();
    case TieBreakerMode::kList:
      for (NodeId id : list)
        if (members.contains(id)) return id;
      return 0;
  }
  return 0;
}

bool tie_breaker_allows(const std::vector<TieBreakerMemory>& memories, const NodeSet& members) {
  if (memories.empty()) return false;
  const TieBreakerMemory* latest = &memories.front();
  for (const TieBreakerMemory& memory : memories) {
    if (memory.ring_seq == 0) return false;
    if (memory.ring_seq > latest->ring_seq) latest = &memory;
  }
  return latest->node != 0 && members.contains(latest->node);
}

}  // namespace tandem::membership
