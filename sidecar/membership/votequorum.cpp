#include "sidecar/membership/votequorum.h"

#include <algorithm>

#include "sidecar/membership/quorum_math.h"
#include "sidecar/membership/wire_buffer.h"

namespace tandem::membership {
namespace {

constexpr std::uint8_t kRecordVersion = 1;
constexpr std::uint8_t kRecordQuorate = 1;
constexpr std::uint8_t kRecordWaitingForAll = 2;
constexpr std::size_t kRecordSize = 22;

}  // namespace

Bytes encode_record(const NodeRecord& record) {
  detail::WireWriter out;
  out.u8(kRecordVersion);
  out.u32(record.votes);
  out.u32(record.expected_votes);
  std::uint8_t flags = 0;
  if (record.quorate) flags |= kRecordQuorate;
  if (record.waiting_for_all) flags |= kRecordWaitingForAll;
  out.u8(flags);
  out.u32(record.tie_breaker.node);
  out.u64(record.tie_breaker.ring_seq);
  return out.take();
}

Result<NodeRecord> decode_record(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kRecordSize)
    return fail("votequorum record has " + std::to_string(bytes.size()) + " bytes, expected " +
                std::to_string(kRecordSize));
  detail::WireReader in(bytes);
  std::uint8_t version = in.u8("version");
  NodeRecord record;
  record.votes = in.u32("votes");
  record.expected_votes = in.u32("expected votes");
  std::uint8_t flags = in.u8("flags");
  record.tie_breaker.node = in.u32("tie-breaker node");
  record.tie_breaker.ring_seq = in.u64("tie-breaker ring");
  if (version != kRecordVersion)
    return fail("votequorum record has version " + std::to_string(version) + ", expected " +
                std::to_string(kRecordVersion));
  if ((flags & ~(kRecordQuorate | kRecordWaitingForAll)) != 0)
    return fail("votequorum record flags have unknown bits set");
  record.quorate = (flags & kRecordQuorate) != 0;
  record.waiting_for_all = (flags & kRecordWaitingForAll) != 0;
  return record;
}

Votequorum::Votequorum(QuorumConfig config, TimePoint /*now*/) : config_(std::move(config)) {
  expected_votes_ = config_.expected_votes;
  last_man_standing_ = config_.last_man_standing;
  waiting_for_all_ = config_.wait_for_all;
  members_ = {config_.self};
  auto it = config_.votes.find(config_.self);
  votes_[config_.self] = it == config_.votes.end() ? 1 : it->second;
  node_expected_[config_.self] = expected_votes_;
  recalculate(false, false);
}

NodeRecord Votequorum::record() const {
  return NodeRecord{votes_.at(config_.self), expected_votes_, quorate_, waiting_for_all_,
                    tie_breaker_};
}

std::uint32_t Votequorum::total_votes() const {
  std::uint32_t total = 0;
  for (NodeId id : members_) {
    auto it = votes_.find(id);
    total += it == votes_.end() ? 0 : it->second;
  }
  return total;
}

QuorumChanged Votequorum::on_configuration(RingId ring, const NodeSet& members,
                                           const std::vector<MemberInfo>& infos, TimePoint now) {
  ring_ = ring;
  // corosync's sync_init: last_man_standing restarts its window when nodes
  // left a quorate partition (or, with a tie-breaker, when the tie-breaker
  // node is still here in a partition at or below quorum).
  bool someone_left = !members_.minus(members).empty();
  if (last_man_standing_) {
    bool tie_breaker_here = config_.tie_breaker != TieBreakerMode::kNone &&
                            tie_breaker_.node != 0 && members.contains(tie_breaker_.node);
    if ((members.size() >= quorum_ && someone_left) ||
        (members.size() <= quorum_ && tie_breaker_here))
      lms_deadline_ = now + Micros(config_.last_man_standing_window);
  }
  previous_members_ = members_;
  members_ = members;

  // Each member's record, in member order, as corosync handles nodeinfo.
  bool allow_decrease = false;
  bool joined_quorate_cluster = false;
  member_tie_breakers_.clear();
  for (const MemberInfo& info : infos) {
    if (!members.contains(info.node)) continue;
    NodeRecord record;
    if (Result<NodeRecord> decoded = decode_record(info.info)) {
      record = *decoded;
    } else {
      // A member without a readable record counts with its configured votes.
      auto it = config_.votes.find(info.node);
      record.votes = it == config_.votes.end() ? 1 : it->second;
      record.expected_votes = expected_votes_;
      notices_.push_back("node " + std::to_string(info.node) + ": " + decoded.error().message);
    }
    votes_[info.node] = record.votes;
    member_tie_breakers_.push_back(info.node == config_.self ? tie_breaker_ : record.tie_breaker);
    if (!quorate_ && record.quorate) {
      // Joining a quorate partition: take its expected votes, even lower.
      allow_decrease = true;
      expected_votes_ = record.expected_votes;
    }
    node_expected_[info.node] = record.quorate ? record.expected_votes : expected_votes_;
    if (record.quorate && !record.waiting_for_all) joined_quorate_cluster = true;
    if (last_man_standing_ && record.votes > 1) {
      last_man_standing_ = false;
      lms_deadline_.reset();
      notices_.push_back("last_man_standing works only when every node has 1 vote: node " +
                         std::to_string(info.node) + " has " + std::to_string(record.votes) +
                         "; last_man_standing disabled");
    }
  }
  for (NodeId id : members) {
    if (!votes_.contains(id)) {
      auto it = config_.votes.find(id);
      votes_[id] = it == config_.votes.end() ? 1 : it->second;
    }
    if (!node_expected_.contains(id)) node_expected_[id] = expected_votes_;
  }
  node_expected_[config_.self] = expected_votes_;
  recalculate(allow_decrease, false);
  if (config_.wait_for_all && waiting_for_all_ && joined_quorate_cluster) {
    waiting_for_all_ = false;
    recalculate(false, false);
  }
  return status("configuration change");
}

std::optional<QuorumChanged> Votequorum::tick(TimePoint now) {
  if (!lms_deadline_ || now < *lms_deadline_) return std::nullopt;
  lms_deadline_.reset();
  if (!quorate_) return std::nullopt;
  std::uint32_t before_expected = expected_votes_;
  std::uint32_t before_quorum = quorum_;
  recalculate(true, true);
  if (expected_votes_ == before_expected && quorum_ == before_quorum) return std::nullopt;
  return status("last_man_standing window expired: expected votes recalculated");
}

void Votequorum::recalculate(bool allow_decrease, bool by_current_nodes) {
  std::uint32_t total = total_votes();
  if (total > expected_votes_) expected_votes_ = total;
  node_expected_[config_.self] = expected_votes_;
  std::uint32_t highest = 0;
  for (NodeId id : members_) highest = std::max(highest, node_expected_[id]);
  if (by_current_nodes) {
    // last_man_standing: expect exactly the nodes present (each has 1 vote).
    highest = static_cast<std::uint32_t>(members_.size());
    for (NodeId id : members_) node_expected_[id] = highest;
    expected_votes_ = highest;
  }
  quorum_ = calculate_quorum(
      QuorumInputs{highest, total, members_.size(), quorum_, allow_decrease, config_.two_node});
  decide(total);
}

void Votequorum::decide(std::uint32_t total) {
  if (config_.wait_for_all && waiting_for_all_) {
    if (total != expected_votes_) {
      quorate_ = false;
      return;
    }
    waiting_for_all_ = false;
  }
  bool quorate = quorum_ <= total;
  bool majority = std::uint64_t{total} * 2 > expected_votes_;
  if (quorate && majority && config_.tie_breaker != TieBreakerMode::kNone) {
    tie_breaker_ = TieBreakerMemory{
        ring_.sequence,
        designate_tie_breaker(config_.tie_breaker, config_.tie_breaker_nodes, members_)};
  }
  // Exactly half of the expected votes: the tie-breaker decides (see
  // tie_breaker_allows for why this cannot leave two halves quorate).
  if (!quorate && config_.tie_breaker != TieBreakerMode::kNone &&
      std::uint64_t{total} * 2 == expected_votes_ &&
      tie_breaker_allows(member_tie_breakers_, members_))
    quorate = true;
  quorate_ = quorate;
  // Losing quorum means waiting for everyone again.
  if (config_.wait_for_all) waiting_for_all_ = !quorate;
}

QuorumChanged Votequorum::status(std::string reason) const {
  return QuorumChanged{ring_,         members_, quorate_,         expected_votes_,
                       total_votes(), quorum_,  std::move(reason)};
}

}  // namespace tandem::membership
