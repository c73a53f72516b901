#pragma once

// A node's membership: the Totem machine with votequorum on top. This is
// what the sidecar runs and what the simulator runs N of: datagrams and
// time in; datagrams, the ring sequence to persist, and events out.
//
//   Membership node(config, persisted_seq, random, now);
//   node.receive(bytes, now);   // a datagram arrived
//   node.tick(now);             // at node.next_deadline()
//   Ready ready = node.take_ready();
//   // persist ready.persist_ring_seq, send ready.datagrams, handle ready.events
//
// Each regular configuration change is followed by a QuorumChanged event
// with the quorate flag for the new ring.

#include <optional>
#include <span>

#include "common/core/result.h"
#include "sidecar/membership/config.h"
#include "sidecar/membership/events.h"
#include "sidecar/membership/random.h"
#include "sidecar/membership/totem.h"
#include "sidecar/membership/votequorum.h"

namespace tandem::membership {

class Membership {
 public:
  Membership(MembershipConfig config, std::uint64_t persisted_ring_seq, Random& random,
             TimePoint now);

  void receive(std::span<const std::uint8_t> datagram, TimePoint now);
  void tick(TimePoint now);
  Result<void> multicast(Bytes payload, Guarantee guarantee, TimePoint now);
  void set_interface_up(bool up, TimePoint now);

  Ready take_ready();
  std::optional<TimePoint> next_deadline() const;

  const Totem& totem() const { return totem_; }
  const Votequorum& quorum() const { return quorum_; }

 private:
  // Moves the Totem's output into ready_, deciding quorum on each regular
  // configuration change.
  void absorb(TimePoint now);
  void notices();

  // Votequorum first: the Totem's first commit token carries its record.
  Votequorum quorum_;
  Totem totem_;
  Ready ready_;
};

}  // namespace tandem::membership
