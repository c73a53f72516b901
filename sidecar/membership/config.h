#pragma once

// The configuration the membership state machine runs with: every timer
// resolved to its effective value, every node's votes known. It is built
// from the model's Membership and QuorumOptions (an HACluster, or a
// corosync.conf read by corosync_conf.h), with corosync's derivations and
// its adjustments of incompatible quorum options.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/core/duration.h"
#include "common/core/result.h"
#include "common/model/cluster.h"
#include "sidecar/membership/node_set.h"
#include "sidecar/membership/types.h"

namespace tandem::membership {

struct TotemConfig {
  NodeId self = kNoNode;
  NodeSet nodes;  // the nodelist; datagrams from anyone else are dropped

  Duration token{3000};  // effective: with token_coefficient applied
  Duration token_retransmit{714};
  Duration hold{561};
  Duration join{50};
  Duration send_join{0};
  Duration consensus{3600};
  Duration merge{200};
  Duration downcheck{1000};
  std::int32_t fail_recv_const = 2500;
  std::int32_t seqno_unchanged_const = 30;
  std::int32_t miss_count_const = 5;
  std::int32_t window_size = 50;
  std::int32_t max_messages = 17;
  // Messages the application may queue before multicast() says "try again".
  std::size_t max_pending_messages = 1024;
};

enum class TieBreakerMode : std::uint8_t { kNone, kLowest, kHighest, kList };

struct QuorumConfig {
  NodeId self = kNoNode;
  std::map<NodeId, std::uint32_t> votes;  // every node of the nodelist
  std::uint32_t expected_votes = 0;       // configured, else the nodelist's sum
  bool two_node = false;
  bool wait_for_all = false;
  bool last_man_standing = false;
  Duration last_man_standing_window{10000};
  TieBreakerMode tie_breaker = TieBreakerMode::kNone;
  std::vector<NodeId> tie_breaker_nodes;  // kList only, in order of preference
};

struct MembershipConfig {
  TotemConfig totem;
  QuorumConfig quorum;
  // Adjustments made the way corosync makes them, for the log:
  // "two_node and auto_tie_breaker are incompatible: two_node disabled".
  std::vector<std::string> notes;
};

// The timers as corosync derives them: effective token = token +
// (nodes - 2) x token_coefficient with 3 or more nodes; consensus 1.2 x
// that; token_retransmit = token / (retransmits + 0.2); hold =
// token_retransmit x 0.8 - 10 ms. Explicit values win.
struct DerivedTimers {
  Duration token;
  Duration token_retransmit;
  Duration hold;
  Duration consensus;
};
DerivedTimers derive_timers(const model::Membership& membership);

// Fails with every problem found, one per line.
Result<MembershipConfig> make_membership_config(const model::Membership& membership,
                                                const model::QuorumOptions& quorum, NodeId self);

}  // namespace tandem::membership
