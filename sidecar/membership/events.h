#pragma once

// What the membership state machine asks its caller to do and tells it
// happened. The caller takes a Ready after each input, persists the ring
// sequence if asked (before sending anything), sends the datagrams, and
// hands the events to the application in order.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sidecar/membership/gather_reason.h"
#include "sidecar/membership/node_set.h"
#include "sidecar/membership/types.h"

namespace tandem::membership {

using Bytes = std::vector<std::uint8_t>;
using SharedBytes = std::shared_ptr<const Bytes>;

// destination kBroadcast: every node of the nodelist except this one (the
// way corosync's udpu transport multicasts). Datagrams addressed to this
// node itself carry the token of a single-node ring and must be looped back.
inline constexpr NodeId kBroadcast = kNoNode;
struct Datagram {
  NodeId destination = kBroadcast;
  SharedBytes bytes;
};

struct StateChanged {
  State from;
  State to;
  std::optional<GatherReason> reason;  // set when entering Gather
  RingId ring;                         // the ring installed when it happened
};

// A message delivered in the total order. `transitional` is set for old-ring
// messages delivered after the transitional configuration change.
struct Delivered {
  RingId ring;
  std::uint64_t seq = 0;
  NodeId origin = kNoNode;
  Guarantee guarantee = Guarantee::kAgreed;
  bool transitional = false;
  Bytes payload;
};

enum class ConfigurationKind : std::uint8_t { kTransitional, kRegular };
const char* to_string(ConfigurationKind kind);

struct MemberInfo {
  NodeId node = kNoNode;
  Bytes info;
};

// Extended virtual synchrony: the transitional configuration (the members
// that move together from the previous ring) comes first, with the
// old-ring messages delivered in it, then the regular configuration.
struct ConfigurationChanged {
  ConfigurationKind kind = ConfigurationKind::kRegular;
  RingId ring;           // the new ring
  RingId previous_ring;  // the ring this node comes from
  NodeSet members;
  NodeSet left;                 // transitional: previous ring members that did not come along
  NodeSet joined;               // regular: members that were not in this node's previous ring
  std::uint64_t first_seq = 0;  // regular: seq of the first message to deliver
  std::vector<MemberInfo> member_info;  // regular: each member's info, in member order
};

struct QuorumChanged {
  RingId ring;
  NodeSet members;
  bool quorate = false;
  std::uint32_t expected_votes = 0;
  std::uint32_t total_votes = 0;
  std::uint32_t quorum = 0;
  std::string reason;  // e.g. "configuration change", "last man standing window expired"
};

// A datagram that failed to decode or does not belong here.
struct DatagramRejected {
  std::string reason;
};

// Anything else worth a log line.
struct Notice {
  std::string text;
};

using Event = std::variant<StateChanged, Delivered, ConfigurationChanged, QuorumChanged,
                           DatagramRejected, Notice>;

struct Ready {
  // Write durably before sending `datagrams`: a ring sequence, once sent,
  // must never be reused after a restart.
  std::optional<std::uint64_t> persist_ring_seq;
  std::vector<Datagram> datagrams;
  std::vector<Event> events;

  bool empty() const { return !persist_ring_seq && datagrams.empty() && events.empty(); }
};

}  // namespace tandem::membership
