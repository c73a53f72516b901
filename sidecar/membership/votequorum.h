#pragma once

// votequorum (votequorum(5)) for one node: votes, expected votes, quorum,
// two_node, wait_for_all, last_man_standing and auto_tie_breaker, with a
// quorate flag computed on every regular configuration change.
//
// Corosync's votequorum exchanges a "nodeinfo" record (votes, expected
// votes, quorate, waiting for all) among the members after each
// configuration change. Here each member puts that record into the commit
// token that forms the ring, so every member has everyone's record at the
// moment the ring is installed and quorum is decided with the change
// itself. The rules applied to the records are corosync's.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "sidecar/membership/config.h"
#include "sidecar/membership/events.h"
#include "sidecar/membership/quorum_math.h"

namespace tandem::membership {

// What a node tells the others about itself.
struct NodeRecord {
  std::uint32_t votes = 1;
  std::uint32_t expected_votes = 0;
  bool quorate = false;
  bool waiting_for_all = false;
  TieBreakerMemory tie_breaker;

  friend bool operator==(const NodeRecord&, const NodeRecord&) = default;
};
Bytes encode_record(const NodeRecord& record);
Result<NodeRecord> decode_record(std::span<const std::uint8_t> bytes);

class Votequorum {
 public:
  Votequorum(QuorumConfig config, TimePoint now);

  NodeRecord record() const;

  // A regular configuration: its members and each member's record (the
  // member_info of the configuration change).
  QuorumChanged on_configuration(RingId ring, const NodeSet& members,
                                 const std::vector<MemberInfo>& infos, TimePoint now);
  // The last_man_standing window.
  std::optional<QuorumChanged> tick(TimePoint now);
  std::optional<TimePoint> next_deadline() const { return lms_deadline_; }

  bool quorate() const { return quorate_; }
  std::uint32_t expected_votes() const { return expected_votes_; }
  std::uint32_t quorum() const { return quorum_; }
  std::uint32_t total_votes() const;
  bool waiting_for_all() const { return waiting_for_all_; }
  const TieBreakerMemory& tie_breaker() const { return tie_breaker_; }
  const NodeSet& members() const { return members_; }
  // Lines for the log: options switched off, records that did not decode.
  std::vector<std::string> take_notices() { return std::exchange(notices_, {}); }

  QuorumChanged status(std::string reason) const;

 private:
  void recalculate(bool allow_decrease, bool by_current_nodes);
  void decide(std::uint32_t total);

  QuorumConfig config_;
  RingId ring_;
  NodeSet members_;
  NodeSet previous_members_;
  std::map<NodeId, std::uint32_t> votes_;
  std::map<NodeId, std::uint32_t> node_expected_;
  std::uint32_t expected_votes_ = 0;
  std::uint32_t quorum_ = 0;
  bool quorate_ = false;
  bool waiting_for_all_ = false;
  bool last_man_standing_ = false;
  TieBreakerMemory tie_breaker_;
  std::vector<TieBreakerMemory> member_tie_breakers_;  // of the current members
  std::optional<TimePoint> lms_deadline_;
  std::vector<std::string> notices_;
};

}  // namespace tandem::membership
