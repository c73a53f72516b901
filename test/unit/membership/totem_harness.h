#pragma once

// Drives one Totem the way the daemon does, for the unit tests: joins from
// other nodes in, due timers fired, datagrams to itself looped back.

#include <optional>
#include <vector>

#include "sidecar/membership/totem.h"
#include "sidecar/membership/wire.h"

namespace tandem::membership::harness {

inline Bytes join_from(NodeId sender, NodeSet proc, NodeSet fail = {}) {
  return encode(JoinMessage{sender, 0, std::move(proc), std::move(fail)});
}

// Runs the timers that are due (a join is sent at the tick that follows
// the datagrams that changed the sets, as the daemon's loop runs it),
// loops datagrams this node sends to itself (a ring of one) back in, and
// returns the joins it broadcast.
inline std::vector<JoinMessage> pump(Totem& totem, TimePoint now) {
  std::vector<JoinMessage> joins;
  for (int round = 0; round < 100; ++round) {
    std::optional<TimePoint> deadline = totem.next_deadline();
    if (deadline && *deadline <= now) totem.tick(now);
    Ready ready = totem.take_ready();
    if (ready.datagrams.empty()) break;
    for (const Datagram& datagram : ready.datagrams) {
      if (datagram.destination == totem.self()) {
        totem.receive(*datagram.bytes, now);
        continue;
      }
      auto decoded = decode(*datagram.bytes);
      if (!decoded) continue;
      if (const auto* join = std::get_if<JoinMessage>(&*decoded)) joins.push_back(*join);
    }
  }
  return joins;
}

// A node started alone: it has formed a ring of itself and is Operational.
struct Alone {
  SplitMix64 random{1};
  TimePoint now{};
  Totem totem;

  explicit Alone(TotemConfig config) : totem(std::move(config), 0, random, now) {
    pump(totem, now);
  }
};

}  // namespace tandem::membership::harness
