// Messages: storing what arrives, delivering it in the total order, and
// installing a new ring once recovery is complete.
//
// Installing follows extended virtual synchrony. Every member of the
// transitional configuration (the members that come from the same old
// ring) holds the same old-ring messages after recovery, and they all
// deliver them the same way:
//   1. in the old regular configuration: the messages following what was
//      delivered, up to the first gap, stopping at a safe message that no
//      transitional member had delivered (it cannot be known to be safe in
//      the old ring);
//   2. the transitional configuration change;
//   3. in the transitional configuration: the remaining messages in order,
//      skipping gaps, from origins that moved along (corosync does the
//      same: a later message of a failed origin may depend on its lost one);
//   4. the regular configuration change of the new ring.

#include "common/core/assert.h"
#include "sidecar/membership/totem.h"
#include "sidecar/membership/wire.h"

namespace tandem::membership {

void Totem::on_mcast(McastMessage message, SharedBytes encoded) {
  switch (state_) {
    case State::kOperational:
      if (message.ring == ring_id_) {
        if (!members_.contains(message.sender)) return;
        store_message(store_, message, std::move(encoded));
        deliver_in_order();
        return;
      }
      on_foreign(message.sender, message.ring, GatherReason::kForeignMessageInOperational,
                 GatherReason::kForeignMessageInGather);
      return;
    case State::kGather:
      // Messages of the ring we are leaving still count: the more of them
      // we hold, the less recovery has to resend.
      if (message.ring == ring_id_) {
        if (members_.contains(message.sender)) store_message(store_, message, std::move(encoded));
        return;
      }
      on_foreign(message.sender, message.ring, GatherReason::kForeignMessageInOperational,
                 GatherReason::kForeignMessageInGather);
      return;
    case State::kCommit:
      // What we hold of the old ring is frozen in our commit entry.
      return;
    case State::kRecovery:
      if (message.ring != commit_->ring || !commit_->members.contains(message.sender)) return;
      store_message(new_store_, message, std::move(encoded));
      return;
  }
}

void Totem::store_message(MessageStore& store, const McastMessage& message, SharedBytes encoded) {
  StoredMessage stored;
  stored.origin = message.origin;
  stored.guarantee = message.guarantee;
  stored.recovered = message.recovered;
  stored.old_ring = message.old_ring;
  stored.old_seq = message.old_seq;
  stored.payload = std::make_shared<const Bytes>(message.payload);
  stored.encoded = std::move(encoded);
  // A recovered message of our own old ring fills a hole there too.
  if (message.recovered && state_ == State::kRecovery && message.old_ring == ring_id_ &&
      !store_.contains(message.old_seq)) {
    StoredMessage old;
    old.origin = message.origin;
    old.guarantee = message.guarantee;
    old.payload = stored.payload;
    // No datagram: the old ring is gone, so nobody will ask for it there.
    store_.insert(message.old_seq, std::move(old));
  }
  store.insert(message.seq, std::move(stored));
}

void Totem::deliver_in_order() {
  for (;;) {
    std::uint64_t seq = store_.delivered() + 1;
    const StoredMessage* message = store_.find(seq);
    if (message == nullptr) return;
    if (!message->recovered) {
      if (message->guarantee == Guarantee::kSafe && seq > safe_aru_) return;
      emit(Delivered{ring_id_, seq, message->origin, message->guarantee, false, *message->payload});
    }
    store_.set_delivered(seq);
  }
}

void Totem::install(std::uint64_t install_seq) {
  TANDEM_ASSERT(state_ == State::kRecovery && commit_.has_value(), "install outside Recovery");
  // 1. The old ring's messages that belong to the old regular configuration.
  for (;;) {
    std::uint64_t seq = store_.delivered() + 1;
    const StoredMessage* message = store_.find(seq);
    if (message == nullptr) break;
    if (!message->recovered) {
      if (message->guarantee == Guarantee::kSafe && seq > max_high_delivered_) break;
      emit(Delivered{ring_id_, seq, message->origin, message->guarantee, false, *message->payload});
    }
    store_.set_delivered(seq);
  }
  // 2. The transitional configuration.
  ConfigurationChanged transitional;
  transitional.kind = ConfigurationKind::kTransitional;
  transitional.ring = commit_->ring;
  transitional.previous_ring = ring_id_;
  transitional.members = transitional_;
  transitional.left = members_.minus(transitional_);
  emit(std::move(transitional));
  // 3. The rest of the old ring, in the transitional configuration.
  store_.for_each(
      store_.delivered(), store_.high(), [&](std::uint64_t seq, const StoredMessage& message) {
        if (message.recovered || !transitional_.contains(message.origin)) return;
        emit(Delivered{ring_id_, seq, message.origin, message.guarantee, true, *message.payload});
      });
  // 4. The new ring.
  ConfigurationChanged regular;
  regular.kind = ConfigurationKind::kRegular;
  regular.ring = commit_->ring;
  regular.previous_ring = ring_id_;
  regular.members = commit_->members;
  regular.joined = commit_->members.minus(transitional_);
  regular.first_seq = install_seq + 1;
  for (std::size_t i = 0; i < commit_->members.size(); ++i)
    regular.member_info.push_back(MemberInfo{commit_->members[i], commit_->entries[i].member_info});

  ring_id_ = commit_->ring;
  members_ = commit_->members;
  store_ = std::move(new_store_);
  new_store_ = MessageStore{};
  store_.set_delivered(install_seq);
  safe_aru_ = new_safe_aru_;
  proc_ = members_;
  fail_.clear();
  second_chance_.clear();
  consensus_.clear();
  recovery_queue_.clear();
  transitional_.clear();
  commit_.reset();
  ++stats_.rings_installed;
  emit(std::move(regular));
  set_state(State::kOperational);
}

}  // namespace tandem::membership
