#pragma once

// What the nodes multicast to each other for process groups, carried as
// Totem message payloads.
//
// Every payload starts with "TG", the wire version (1) and the kind;
// integers are little-endian; nothing may follow the body. Decoding checks
// every field and accepts only what encode() writes.
//
//   join, leave, mcast: the ring the sender was synchronized in when it
//     sent the message (a message that arrives in another ring is stale and
//     dropped everywhere; its sender sends it again), the sender's own
//     number for it, the client, its pid and the group; a leave adds its
//     reason (leave or proc_down), an mcast its data.
//   sync: after each new ring, each node's own members of every group, as
//     of the ring's regular configuration change.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "common/core/result.h"
#include "sidecar/groups/types.h"

namespace tandem::groups {

using Bytes = std::vector<std::uint8_t>;

enum class MessageKind : std::uint8_t { kJoin = 1, kLeave = 2, kMcast = 3, kSync = 4 };

struct AppMessage {
  MessageKind kind = MessageKind::kJoin;  // join, leave or mcast
  RingId ring;
  std::uint64_t id = 0;
  ClientId client = 0;
  std::uint32_t pid = 0;
  std::string group;
  Reason reason = Reason::kLeave;  // leave only: kLeave or kProcDown
  std::string data;                // mcast only

  friend bool operator==(const AppMessage&, const AppMessage&) = default;
};

struct SyncEntry {
  std::string group;
  ClientId client = 0;
  std::uint32_t pid = 0;

  friend bool operator==(const SyncEntry&, const SyncEntry&) = default;
};

struct SyncMessage {
  RingId ring;
  std::vector<SyncEntry> entries;  // sorted by (group, client), no duplicates

  friend bool operator==(const SyncMessage&, const SyncMessage&) = default;
};

using GroupMessage = std::variant<AppMessage, SyncMessage>;

Bytes encode(const GroupMessage& message);
// True when the payload claims to be a group message (its first bytes are
// "TG"); anything else on the ring belongs to someone else.
bool is_group_message(std::span<const std::uint8_t> payload);
// Fails naming the field that is wrong.
Result<GroupMessage> decode(std::span<const std::uint8_t> payload);

}  // namespace tandem::groups
