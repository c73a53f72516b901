// Commit: the representative's commit token travels the new ring twice.
// On the first rotation each member checks the membership is the one it
// agreed to, records where it comes from (its old ring, how much of it it
// holds, its votequorum record) and moves to Commit. When the token is back
// at the representative every entry is filled; the second rotation moves
// each member to Recovery, and its return lets the representative start the
// new ring's regular token.

#include "common/core/assert.h"
#include "sidecar/membership/totem.h"
#include "sidecar/membership/wire.h"

namespace tandem::membership {
namespace {

// corosync leaves room between the sequences of successive rings.
constexpr std::uint64_t kRingSeqStep = 4;

}  // namespace

void Totem::create_commit_token() {
  CommitToken token;
  token.sender = config_.self;
  token.members = proc_.minus(fail_);
  // Above every ring sequence heard of, so the new ring id is fresh for
  // everyone, and above this node's own past rings, which it persisted.
  std::uint64_t seq = std::max(highest_ring_seq_, ring_seq_) + kRingSeqStep;
  token.ring = RingId{config_.self, seq};
  highest_ring_seq_ = seq;
  commit_enter(std::move(token));
}

void Totem::commit_enter(CommitToken token) {
  std::size_t position = token.entries.size();
  TANDEM_ASSERT(position < token.members.size() && token.members[position] == config_.self,
                "commit token entered out of turn");
  token.entries.push_back(
      CommitEntry{ring_id_, store_.aru(), store_.delivered(), store_.high(), member_info_});
  token.sender = config_.self;
  ring_seq_ = token.ring.sequence;
  highest_ring_seq_ = std::max(highest_ring_seq_, ring_seq_);
  ready_.persist_ring_seq = ring_seq_;
  timers_.cancel(TimerKind::kJoin);
  timers_.cancel(TimerKind::kSendJoin);
  timers_.cancel(TimerKind::kConsensus);
  commit_ = token;
  originated_token_ = false;
  set_state(State::kCommit);
  NodeId next = token.members[(position + 1) % token.members.size()];
  send_token(next, token);
  timers_.arm(TimerKind::kToken, now_ + config_.token);
}

void Totem::on_commit_token(CommitToken token) {
  switch (state_) {
    case State::kOperational:
      return;
    case State::kGather: {
      if (token.members != proc_.minus(fail_)) return;
      if (token.ring.sequence <= ring_seq_) return;
      std::size_t position = token.members.index_of(config_.self);
      // Our turn comes after the members before us filled theirs; the
      // representative never receives its own token in Gather.
      if (position == 0 || token.entries.size() != position) return;
      if (token.sender != token.members[position - 1]) return;
      commit_enter(std::move(token));
      return;
    }
    case State::kCommit: {
      if (token.ring != commit_->ring || token.members != commit_->members) return;
      if (token.entries.size() != token.members.size()) return;  // a first-rotation copy
      std::size_t position = token.members.index_of(config_.self);
      if (token.entries[position] != commit_->entries[position]) return;
      recovery_enter(token);
      return;
    }
    case State::kRecovery:
      if (token.ring != commit_->ring || commit_->members.front() != config_.self) return;
      if (token.entries.size() != token.members.size()) return;
      originate_token();
      return;
  }
}

void Totem::recovery_enter(const CommitToken& token) {
  commit_ = token;
  // The transitional configuration: the members coming from our old ring.
  transitional_.clear();
  std::uint64_t low_aru = UINT64_MAX;
  std::uint64_t high_received = 0;
  max_high_delivered_ = 0;
  for (std::size_t i = 0; i < token.members.size(); ++i) {
    const CommitEntry& entry = token.entries[i];
    if (entry.old_ring != ring_id_) continue;
    transitional_.insert(token.members[i]);
    low_aru = std::min(low_aru, entry.aru);
    high_received = std::max(high_received, entry.high_received);
    max_high_delivered_ = std::max(max_high_delivered_, entry.high_delivered);
  }
  TANDEM_ASSERT(transitional_.contains(config_.self), "this node is missing from its own ring");
  // If some member of the old ring lacks a message another one has, every
  // holder of messages past the lowest aru sends them again, wrapped in
  // messages of the new ring; receivers keep the first copy.
  recovery_queue_.clear();
  if (low_aru < high_received) {
    store_.for_each(low_aru, store_.high(), [&](std::uint64_t seq, const StoredMessage&) {
      recovery_queue_.push_back(seq);
    });
  }
  new_store_ = MessageStore{};
  new_safe_aru_ = 0;
  last_token_seq_ = 0;
  last_seen_seq_ = 0;
  seq_unchanged_ = 0;
  last_token_aru_ = 0;
  aru_count_ = 0;
  sent_last_visit_ = 0;
  holding_ = false;
  set_state(State::kRecovery);
  std::size_t position = token.members.index_of(config_.self);
  CommitToken forwarded = token;
  forwarded.sender = config_.self;
  send_token(token.members[(position + 1) % token.members.size()], forwarded);
  timers_.arm(TimerKind::kToken, now_ + config_.token);
}

void Totem::leave_recovery() {
  // The old ring stays as it was, plus whatever old-ring messages recovery
  // brought in: the next attempt starts from there.
  new_store_ = MessageStore{};
  new_safe_aru_ = 0;
  recovery_queue_.clear();
  transitional_.clear();
}

}  // namespace tandem::membership
