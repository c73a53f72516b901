// The Totem machine's inputs, timers and outputs. The protocol itself is in
// the totem_*.cpp files named in totem.h.

#include "sidecar/membership/totem.h"

#include <algorithm>
#include <string>

#include "common/core/assert.h"
#include "sidecar/membership/wire.h"

namespace tandem::membership {
namespace {

// Every timer is at least 1 ms, so a timer re-armed while firing lies in the
// future; this bound is only a backstop against a bug looping forever.
constexpr int kMaxFiringsPerTick = 4 * static_cast<int>(TimerKind::kCount);

bool names_unknown_node(const NodeSet& nodes, const NodeSet& configured) {
  return !nodes.is_subset_of(configured);
}

}  // namespace

Totem::Totem(TotemConfig config, std::uint64_t persisted_ring_seq, Random& random, TimePoint now,
             Bytes member_info)
    : config_(std::move(config)), random_(random), now_(now), member_info_(std::move(member_info)) {
  TANDEM_ASSERT(config_.self != kNoNode && config_.nodes.contains(config_.self),
                "the Totem configuration must name this node and list it among the nodes");
  ring_seq_ = persisted_ring_seq;
  highest_ring_seq_ = persisted_ring_seq;
  ring_id_ = RingId{config_.self, persisted_ring_seq + 1};
  members_ = {config_.self};
  proc_ = {config_.self};
  gather_enter(GatherReason::kStartup);
}

void Totem::receive(std::span<const std::uint8_t> datagram, TimePoint now) {
  now_ = std::max(now_, now);
  ++stats_.datagrams_received;
  Result<Message> decoded = decode(datagram);
  if (!decoded) {
    reject(decoded.error().message);
    return;
  }
  NodeId sender = sender_of(*decoded);
  if (!config_.nodes.contains(sender)) {
    reject("datagram from node " + std::to_string(sender) + ", which is not in the nodelist");
    return;
  }
  if (const auto* join = std::get_if<JoinMessage>(&*decoded)) {
    if (names_unknown_node(join->proc, config_.nodes) ||
        names_unknown_node(join->fail, config_.nodes)) {
      reject("join from node " + std::to_string(sender) + " names nodes not in the nodelist");
      return;
    }
  }
  if (const auto* commit = std::get_if<CommitToken>(&*decoded)) {
    if (names_unknown_node(commit->members, config_.nodes)) {
      reject("commit token from node " + std::to_string(sender) +
             " names nodes not in the nodelist");
      return;
    }
  }
  if (sender != config_.self) last_heard_[sender] = now_;
  // Only tokens travel to oneself (in a ring of one); anything else "from"
  // this node is a loop in the network or a forgery.
  bool token =
      std::holds_alternative<Token>(*decoded) || std::holds_alternative<CommitToken>(*decoded);
  if (sender == config_.self && !token) return;
  auto encoded = std::make_shared<const Bytes>(datagram.begin(), datagram.end());
  dispatch(std::move(*decoded), std::move(encoded));
}

void Totem::dispatch(Message message, SharedBytes encoded) {
  std::visit(
      [&](auto&& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, JoinMessage>) {
          on_join(m);
        } else if constexpr (std::is_same_v<T, CommitToken>) {
          on_commit_token(std::move(m));
        } else if constexpr (std::is_same_v<T, Token>) {
          on_token(std::move(m));
        } else if constexpr (std::is_same_v<T, McastMessage>) {
          on_mcast(std::move(m), std::move(encoded));
        } else if constexpr (std::is_same_v<T, MergeDetect>) {
          on_merge_detect(m);
        } else {
          on_token_hold_cancel(m);
        }
      },
      std::move(message));
}

void Totem::tick(TimePoint now) {
  now_ = std::max(now_, now);
  for (int i = 0; i < kMaxFiringsPerTick; ++i) {
    std::optional<TimerKind> kind = timers_.next_expired(now_);
    if (!kind) return;
    timers_.cancel(*kind);
    on_timer(*kind);
  }
}

void Totem::on_timer(TimerKind kind) {
  switch (kind) {
    case TimerKind::kToken:
      if (state_ == State::kOperational) {
        gather_enter(GatherReason::kTokenLostInOperational);
      } else if (state_ == State::kCommit) {
        gather_enter(GatherReason::kTokenLostInCommit);
      } else if (state_ == State::kRecovery) {
        gather_enter(GatherReason::kTokenLostInRecovery);
      }
      break;
    case TimerKind::kTokenRetransmit:
      if (state_ != State::kGather && last_token_sent_ && !holding_) {
        ++stats_.token_retransmits;
        send(last_token_to_, last_token_sent_);
        timers_.arm(TimerKind::kTokenRetransmit, now_ + config_.token_retransmit);
      }
      break;
    case TimerKind::kHold:
      release_held_token();
      break;
    case TimerKind::kConsensus:
      if (state_ == State::kGather) on_consensus_timeout();
      break;
    case TimerKind::kJoin:
      if (state_ == State::kGather) on_join_timer();
      break;
    case TimerKind::kSendJoin:
      if (state_ == State::kGather) transmit_join();
      break;
    case TimerKind::kMerge:
      if (state_ == State::kOperational && members_.front() == config_.self)
        broadcast(std::make_shared<const Bytes>(encode(MergeDetect{config_.self, ring_id_})));
      break;
    case TimerKind::kDowncheck:
      on_downcheck();
      break;
    case TimerKind::kCount:
      break;
  }
}

Result<void> Totem::multicast(Bytes payload, Guarantee guarantee, TimePoint now) {
  now_ = std::max(now_, now);
  if (payload.size() > kMaxPayloadSize)
    return fail("message payload has " + std::to_string(payload.size()) + " bytes, at most " +
                std::to_string(kMaxPayloadSize) + " allowed");
  if (pending_.size() >= config_.max_pending_messages)
    return fail("the send queue is full (" + std::to_string(pending_.size()) +
                " messages); try again once the token has carried some away");
  pending_.push_back(Pending{std::move(payload), guarantee});
  if (state_ == State::kOperational) {
    if (holding_) {
      release_held_token();
    } else if (members_.front() != config_.self &&
               seq_unchanged_ >= config_.seqno_unchanged_const && !hold_cancel_sent_) {
      // The ring is idle, so the representative probably holds the token:
      // ask for it rather than wait out the hold timer.
      hold_cancel_sent_ = true;
      broadcast(std::make_shared<const Bytes>(encode(TokenHoldCancel{config_.self, ring_id_})));
    }
  }
  return {};
}

void Totem::set_member_info(Bytes info) {
  TANDEM_ASSERT(info.size() <= kMaxMemberInfoSize, "member info larger than the wire allows");
  member_info_ = std::move(info);
}

void Totem::set_interface_up(bool up, TimePoint now) {
  now_ = std::max(now_, now);
  reported_interface_up_ = up;
  if (!timers_.armed(TimerKind::kDowncheck))
    timers_.arm(TimerKind::kDowncheck, now_ + config_.downcheck);
}

Ready Totem::take_ready() {
  return std::exchange(ready_, Ready{});
}

void Totem::set_state(State to, std::optional<GatherReason> reason) {
  emit(StateChanged{state_, to, reason, ring_id_});
  state_ = to;
}

void Totem::send(NodeId to, SharedBytes bytes) {
  // With the interface down this node can only talk to itself.
  if (!interface_up_ && to != config_.self) return;
  ready_.datagrams.push_back(Datagram{to, std::move(bytes)});
}

void Totem::broadcast(SharedBytes bytes) {
  if (!interface_up_ || config_.nodes.size() < 2) return;
  ready_.datagrams.push_back(Datagram{kBroadcast, std::move(bytes)});
}

void Totem::send_token(NodeId to, const Message& token) {
  last_token_sent_ = std::make_shared<const Bytes>(encode(token));
  last_token_to_ = to;
  send(to, last_token_sent_);
  timers_.arm(TimerKind::kTokenRetransmit, now_ + config_.token_retransmit);
}

void Totem::reject(std::string reason) {
  ++stats_.datagrams_rejected;
  emit(DatagramRejected{std::move(reason)});
}

bool Totem::is_stale(NodeId sender, RingId ring) const {
  return members_.contains(sender) && ring.sequence < ring_id_.sequence;
}

const NodeSet& Totem::ring_members() const {
  if (state_ == State::kRecovery) {
    TANDEM_ASSERT(commit_.has_value(), "Recovery without a commit token");
    return commit_->members;
  }
  return members_;
}

}  // namespace tandem::membership
