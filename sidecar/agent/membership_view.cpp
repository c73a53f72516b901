#include "sidecar/agent/membership_view.h"

namespace tandem::agent {

protocol::MembershipView membership_view(const transport::MembershipStatus& status,
                                         std::int64_t quorate_since_unix_ms) {
  protocol::MembershipView view;
  // Before the first ring the representative is 0 and there is no ring id.
  if (status.ring_representative != 0)
    view.ring_id = transport::ring_id_text(status.ring_representative, status.ring_sequence);
  view.state = status.state;
  for (const transport::MemberStatus& member : status.members)
    view.members.push_back(protocol::MemberView{member.node_id, member.name});
  view.quorate = status.quorate;
  view.expected_votes = status.expected_votes;
  view.total_votes = status.total_votes;
  view.quorum = status.quorum;
  view.quorate_since_unix_ms = quorate_since_unix_ms;
  return view;
}

QuorumSnapshot quorum_snapshot(const transport::MembershipStatus& status) {
  QuorumSnapshot snapshot;
  snapshot.quorate = status.quorate;
  snapshot.operational = status.state == "OPERATIONAL";
  if (status.ring_representative != 0)
    snapshot.ring_id = transport::ring_id_text(status.ring_representative, status.ring_sequence);
  return snapshot;
}

}  // namespace tandem::agent
