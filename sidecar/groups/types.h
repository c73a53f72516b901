#pragma once

// The vocabulary of process groups (what corosync's CPG offers
// applications): a member is one client connection of one node, a group is
// a name, and every change of a group's membership has a reason.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sidecar/membership/types.h"

namespace tandem::groups {

using membership::NodeId;
using membership::RingId;

// Chosen by the node's adapter, unique among the clients of one run of the
// node's sidecar. A restarted sidecar starts again at 1, which is safe: its
// node leaves every other node's view first (a restarted Totem comes from a
// ring of its own, so it is never in a transitional configuration with
// the nodes that knew its earlier clients).
using ClientId = std::uint64_t;

struct MemberId {
  NodeId node = membership::kNoNode;
  ClientId client = 0;

  friend auto operator<=>(const MemberId&, const MemberId&) = default;
};

struct Member {
  MemberId id;
  std::uint32_t pid = 0;  // the client's process, for people reading events

  friend bool operator==(const Member&, const Member&) = default;
};

enum class Reason : std::uint8_t {
  kJoin = 1,      // the member asked to join
  kLeave = 2,     // the member asked to leave
  kNodeDown = 3,  // its node left the ring
  kNodeUp = 4,    // its node joined the ring, with the member already in the group
  kProcDown = 5,  // its client disconnected (or was dropped) without leaving
};
const char* to_string(Reason reason);

// CPG's limit on group names. Names are text: no control characters, so
// that they can be logged as they are.
inline constexpr std::size_t kMaxGroupName = 128;
// The largest message body: well inside one Totem message (60,000 bytes),
// so that a message is never split.
inline constexpr std::size_t kMaxMessageData = 32 * 1024;
// (client, group) memberships one node may hold, joins still on their way
// included: a node's whole membership must fit in one sync message.
inline constexpr std::size_t kMaxLocalMemberships = 256;

// Why a group name cannot be used, or nullopt when it can.
std::optional<std::string> check_group_name(std::string_view name);

}  // namespace tandem::groups
