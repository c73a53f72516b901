// The token: whoever holds it answers retransmission requests, asks for the
// messages it misses, multicasts new messages with the next sequence
// numbers (within the flow-control window), updates the ring's aru and
// passes it on. The representative counts rotations; at the start of each
// it publishes `safe_aru`, the lowest aru any member reported during the
// rotation just completed. Every member has every message up to safe_aru:
// safe messages up to it may be delivered, messages up to it may be freed,
// and recovery ends when it reaches the last recovery message.

#include <algorithm>

#include "common/core/assert.h"
#include "sidecar/membership/totem.h"
#include "sidecar/membership/wire.h"

namespace tandem::membership {

void Totem::on_token(Token token) {
  if (state_ != State::kOperational && state_ != State::kRecovery) return;
  const bool recovering = state_ == State::kRecovery;
  if (token.ring != (recovering ? commit_->ring : ring_id_)) return;
  if (!ring_members().contains(token.sender)) return;
  if (token.token_seq <= last_token_seq_) return;  // a retransmitted copy
  ++stats_.tokens_received;
  visit(std::move(token));
}

void Totem::originate_token() {
  if (originated_token_) return;
  originated_token_ = true;
  Token token;
  token.sender = config_.self;
  token.ring = commit_->ring;
  token.token_seq = last_token_seq_ + 1;
  visit(std::move(token));
}

void Totem::visit(Token token) {
  // A copy: installing the new ring below replaces the sets it refers to.
  const NodeSet members = ring_members();
  const bool representative = members.front() == config_.self;
  last_token_seq_ = token.token_seq;
  timers_.arm(TimerKind::kToken, now_ + config_.token);
  timers_.cancel(TimerKind::kTokenRetransmit);

  // An unchanged seq means an idle ring: the representative then announces
  // the ring now and then (merge detection) and holds the token a while.
  if (token.seq == last_seen_seq_) {
    ++seq_unchanged_;
  } else {
    seq_unchanged_ = 0;
    hold_cancel_sent_ = false;
    timers_.cancel(TimerKind::kMerge);
  }
  last_seen_seq_ = token.seq;

  if (representative) {
    if (token.rotation > 0) {
      token.safe_aru = std::max(token.safe_aru, token.rotation_min_aru);
      token.previous_pending = token.rotation_pending;
    }
    ++token.rotation;
    token.rotation_min_aru = UINT64_MAX;
    token.rotation_pending = false;
    if (state_ == State::kOperational) token.install = false;  // it went all the way round
    // A whole rotation in which nobody had recovery messages left to send
    // and everyone held everything sent: recovery is complete.
    if (state_ == State::kRecovery && token.rotation >= 2 && !token.previous_pending &&
        token.safe_aru == token.seq) {
      token.install = true;
      token.install_seq = token.seq;
    }
  }

  if (state_ == State::kRecovery) {
    new_safe_aru_ = std::max(new_safe_aru_, token.safe_aru);
    // A forged or corrupt install flag cannot make this node skip messages
    // it does not have; the ring then times out instead.
    if (token.install && new_store_.aru() >= token.install_seq) install(token.install_seq);
  } else {
    safe_aru_ = std::max(safe_aru_, token.safe_aru);
  }
  const bool recovering = state_ == State::kRecovery;
  MessageStore& store = recovering ? new_store_ : store_;

  if (!recovering && representative && seq_unchanged_ > 0 && !timers_.armed(TimerKind::kMerge))
    timers_.arm(TimerKind::kMerge, now_ + config_.merge);

  // Flow control: at most max_messages from this node, and at most
  // window_size on the ring per rotation (fcc counts the last rotation).
  std::int64_t window = std::int64_t{config_.window_size} - std::int64_t{token.fcc};
  std::uint32_t budget = static_cast<std::uint32_t>(
      std::clamp<std::int64_t>(std::min<std::int64_t>(config_.max_messages, window), 0, INT32_MAX));
  std::uint32_t retransmitted = retransmit_requested(token, store, budget);
  for (std::uint64_t seq :
       store.missing(token.seq, config_.miss_count_const, kMaxRetransmitRequests)) {
    auto& requests = token.retransmit_requests;
    if (requests.size() >= kMaxRetransmitRequests) break;
    auto it = std::lower_bound(requests.begin(), requests.end(), seq);
    if (it == requests.end() || *it != seq) requests.insert(it, seq);
  }
  std::uint32_t sent = send_new_messages(token, budget - retransmitted);
  std::uint64_t fcc = std::uint64_t{token.fcc} + retransmitted + sent;
  token.fcc = static_cast<std::uint32_t>(fcc > sent_last_visit_ ? fcc - sent_last_visit_ : 0);
  sent_last_visit_ = retransmitted + sent;

  // corosync's aru: lowered by whoever lacks messages, raised only by the
  // member that lowered it. If this node keeps holding it down for
  // fail_recv_const visits, it cannot receive and leaves the ring.
  MessageStore& current = state_ == State::kRecovery ? new_store_ : store_;
  std::uint64_t aru = current.aru();
  std::uint64_t previous_aru = last_token_aru_;
  last_token_aru_ = token.aru;
  if (aru < token.aru || token.aru_addr == config_.self || token.aru_addr == kNoNode) {
    token.aru = aru;
    token.aru_addr = token.aru == token.seq ? kNoNode : config_.self;
  }
  if (token.aru == previous_aru && token.aru_addr != kNoNode) {
    ++aru_count_;
  } else {
    aru_count_ = 0;
  }
  if (aru_count_ > config_.fail_recv_const && token.aru_addr == config_.self) {
    emit(Notice{"failed to receive: messages up to " + std::to_string(token.seq) +
                " were sent but this node has only " + std::to_string(aru)});
    fail_ = members.minus(NodeSet{config_.self});
    gather_enter(GatherReason::kFailedToReceive);
    return;
  }

  token.rotation_min_aru = std::min(token.rotation_min_aru, aru);
  if (state_ == State::kRecovery && !recovery_queue_.empty()) token.rotation_pending = true;
  ++token.token_seq;

  // Never hold a token that still has to tell members to install the ring.
  bool hold = state_ == State::kOperational && representative && !token.install &&
              seq_unchanged_ > config_.seqno_unchanged_const && pending_.empty() &&
              token.retransmit_requests.empty();
  forward_token(token, hold);

  if (state_ == State::kOperational) {
    deliver_in_order();
    store_.release(safe_aru_);
  }
}

std::uint32_t Totem::retransmit_requested(Token& token, MessageStore& store, std::uint32_t budget) {
  std::uint32_t done = 0;
  auto& requests = token.retransmit_requests;
  for (auto it = requests.begin(); it != requests.end() && done < budget;) {
    const StoredMessage* message = store.find(*it);
    if (message == nullptr || !message->encoded) {
      ++it;
      continue;
    }
    broadcast(message->encoded);
    ++stats_.messages_retransmitted;
    ++done;
    it = requests.erase(it);
  }
  return done;
}

std::uint32_t Totem::send_new_messages(Token& token, std::uint32_t budget) {
  // Keep every message within every member's acceptance window: members'
  // arus are all at least safe_aru.
  std::uint64_t limit = token.safe_aru + MessageStore::kAcceptSpan / 2;
  std::uint32_t sent = 0;
  const bool recovering = state_ == State::kRecovery;
  while (sent < budget && token.seq < limit) {
    McastMessage message;
    message.sender = config_.self;
    if (recovering) {
      if (recovery_queue_.empty()) break;
      const StoredMessage* old = store_.find(recovery_queue_.front());
      std::uint64_t old_seq = recovery_queue_.front();
      recovery_queue_.pop_front();
      if (old == nullptr) continue;
      message.ring = commit_->ring;
      message.origin = old->origin;
      message.guarantee = old->guarantee;
      message.recovered = true;
      message.old_ring = ring_id_;
      message.old_seq = old_seq;
      message.payload = *old->payload;
    } else {
      if (pending_.empty()) break;
      message.ring = ring_id_;
      message.origin = config_.self;
      message.guarantee = pending_.front().guarantee;
      message.payload = std::move(pending_.front().payload);
      pending_.pop_front();
    }
    message.seq = ++token.seq;
    auto encoded = std::make_shared<const Bytes>(encode(message));
    store_message(recovering ? new_store_ : store_, message, encoded);
    broadcast(encoded);
    ++stats_.messages_sent;
    ++sent;
  }
  return sent;
}

void Totem::forward_token(Token& token, bool hold) {
  const NodeSet& members = ring_members();
  std::size_t position = members.index_of(config_.self);
  TANDEM_ASSERT(position < members.size(), "forwarding the token of a ring we are not in");
  token.sender = config_.self;
  NodeId next = members[(position + 1) % members.size()];
  if (hold) {
    last_token_sent_ = std::make_shared<const Bytes>(encode(token));
    last_token_to_ = next;
    holding_ = true;
    timers_.arm(TimerKind::kHold, now_ + config_.hold);
    return;
  }
  holding_ = false;
  send_token(next, token);
}

void Totem::release_held_token() {
  if (!holding_ || state_ != State::kOperational || !last_token_sent_) return;
  holding_ = false;
  timers_.cancel(TimerKind::kHold);
  send(last_token_to_, last_token_sent_);
  timers_.arm(TimerKind::kTokenRetransmit, now_ + config_.token_retransmit);
}

void Totem::on_token_hold_cancel(const TokenHoldCancel& cancel) {
  if (state_ != State::kOperational || cancel.ring != ring_id_) return;
  seq_unchanged_ = 0;
  release_held_token();
}

}  // namespace tandem::membership
