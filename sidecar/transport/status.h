#pragma once

// What a running `tandem-sidecar membership` reports: the ring, its
// members, quorum, and the transport's counters. It is written to the state
// directory as JSON on every change, and `tandem-sidecar status` prints it
// in corosync-quorumtool -s's layout or as the JSON itself. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "sidecar/transport/receive_filter.h"

namespace tandem::transport {

struct MemberStatus {
  std::uint32_t node_id = 0;
  std::uint32_t votes = 0;
  std::string name;

  friend bool operator==(const MemberStatus&, const MemberStatus&) = default;
};

struct TransportCounters {
  std::uint64_t sent = 0;
  std::uint64_t send_errors = 0;
  std::uint64_t received = 0;
  std::uint64_t accepted = 0;
  DropCounts dropped;
  // Authenticated datagrams the membership machine refused (stale rings,
  // bad encodings from a node with the key).
  std::uint64_t rejected = 0;

  friend bool operator==(const TransportCounters&, const TransportCounters&) = default;
};

// One other node of the nodelist, as corosync-cfgtool -s reports its link.
struct LinkStatus {
  std::uint32_t node_id = 0;
  std::string name;
  std::string address;  // "10.0.0.2:5405"
  bool connected = false;
  std::optional<std::int64_t> last_heard_unix_ms;

  friend bool operator==(const LinkStatus&, const LinkStatus&) = default;
};

// One other node's clock, as the clock probes measured it. The offset is
// the peer's clock minus this node's; the true value is within delay / 2.
struct ClockStatus {
  std::uint32_t node_id = 0;
  std::string name;
  std::optional<std::int64_t> offset_us;  // nullopt until a probe was answered
  std::optional<std::int64_t> delay_us;
  std::optional<std::int64_t> measured_unix_ms;
  std::uint64_t samples = 0;
  bool exceeds = false;  // |offset| > the bound

  friend bool operator==(const ClockStatus&, const ClockStatus&) = default;
};

// One process group (sidecar/groups) and its members: a client process
// (pid) on a node.
struct GroupMemberStatus {
  std::uint32_t node_id = 0;
  std::uint32_t pid = 0;

  friend bool operator==(const GroupMemberStatus&, const GroupMemberStatus&) = default;
};

struct GroupStatus {
  std::string name;
  std::vector<GroupMemberStatus> members;

  friend bool operator==(const GroupStatus&, const GroupStatus&) = default;
};

struct MembershipStatus {
  std::int64_t pid = 0;
  std::string cluster_name;
  std::uint32_t node_id = 0;
  std::string state;  // OPERATIONAL, GATHER, COMMIT, RECOVERY
  std::uint32_t ring_representative = 0;
  std::uint64_t ring_sequence = 0;
  std::vector<MemberStatus> members;  // in node id order
  bool quorate = false;
  std::uint32_t expected_votes = 0;
  std::uint32_t highest_expected = 0;
  std::uint32_t total_votes = 0;
  std::uint32_t quorum = 0;
  // corosync-quorumtool's flags, in its order: 2Node Quorate WaitForAll
  // LastManStanding AutoTieBreaker
  std::vector<std::string> flags;
  TransportCounters transport;
  // This node's address, without the port; empty in files written before
  // links were reported.
  std::string local_address;
  std::int64_t link_timeout_ms = 0;
  std::vector<LinkStatus> links;         // the other nodes of the nodelist, in node id order
  std::int64_t max_clock_offset_us = 0;  // 0: no warnings
  std::vector<ClockStatus> clock;        // the other nodes, in node id order
  // Every group with members, by name; nullopt when the process groups are
  // not served (no --cpg-socket) or the file predates them.
  std::optional<std::vector<GroupStatus>> groups;
  std::int64_t updated_unix_ms = 0;  // when the file was written

  friend bool operator==(const MembershipStatus&, const MembershipStatus&) = default;
};

// "1.d": corosync prints ring ids in hexadecimal.
std::string ring_id_text(std::uint32_t representative, std::uint64_t sequence);

std::string to_json(const MembershipStatus& status);
// `file` names the file in messages.
Result<MembershipStatus> status_from_json(std::string_view text, const std::string& file);

// corosync-quorumtool -s's layout, line for line. `date` is the
// "Date:" line's value (corosync prints ctime(3) of now, without its newline).
std::string quorumtool_text(const MembershipStatus& status, const std::string& date);

}  // namespace tandem::transport
