#pragma once

// HACluster: cluster-wide options, the membership (Totem) and quorum
// (votequorum) settings of one Tandem cluster.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/core/duration.h"
#include "common/model/object.h"
#include "common/model/resource_meta.h"

namespace tandem::model {

using namespace std::chrono_literals;

// Scores for node health colours; used by the progressive and custom
// strategies (the others fix them).
struct NodeHealth {
  HealthStrategy strategy = HealthStrategy::kNone;
  Score green = Score::of(0);
  Score yellow = Score::of(0);
  Score red = Score::minus_infinity();
  Score base = Score::of(0);

  bool operator==(const NodeHealth&) const = default;
};

struct ClusterOptions {
  bool fencing_enabled = true;
  FencingAction fencing_action = FencingAction::kReboot;
  Duration fencing_timeout = 60s;
  NoQuorumPolicy no_quorum_policy = NoQuorumPolicy::kStop;
  bool symmetric_cluster = true;
  PlacementStrategy placement_strategy = PlacementStrategy::kDefault;
  bool maintenance_mode = false;
  bool stop_all_resources = false;
  bool start_failure_is_fatal = true;
  Duration cluster_recheck_interval = 15min;
  bool startup_probes = true;
  bool startup_fencing = true;
  bool stop_orphan_resources = true;
  // A node that shuts down cleanly keeps its resources: they stop with it
  // and wait for it instead of moving, for at most the limit (0: forever).
  bool shutdown_lock = false;
  Duration shutdown_lock_limit{0};
  NodeHealth node_health;

  bool operator==(const ClusterOptions&) const = default;
};

struct OperationDefaults {
  Duration timeout = 20s;
  std::optional<OnFail> on_fail;

  bool operator==(const OperationDefaults&) const = default;
};

// Totem's timers and constants, as corosync.conf(5) names them. The optional
// ones are derived from the others when unset (see normalize()).
struct TotemTimings {
  Duration token = 3000ms;
  Duration token_coefficient = 650ms;
  std::int32_t token_retransmits_before_loss_const = 4;
  std::optional<Duration> token_retransmit;
  std::optional<Duration> hold;
  Duration join = 50ms;
  Duration send_join = 0ms;
  std::optional<Duration> consensus;
  Duration merge = 200ms;
  Duration downcheck = 1000ms;
  std::int32_t fail_recv_const = 2500;
  std::int32_t seqno_unchanged_const = 30;
  std::int32_t miss_count_const = 5;
  std::int32_t window_size = 50;
  std::int32_t max_messages = 17;
  Duration max_network_delay = 50ms;
  std::int32_t token_warning = 75;
  std::int32_t netmtu = 1500;

  bool operator==(const TotemTimings&) const = default;
};

struct SecretKeyRef {
  std::string name;
  std::string key = "authkey";

  bool operator==(const SecretKeyRef&) const = default;
};

struct Crypto {
  CryptoCipher cipher = CryptoCipher::kNone;
  CryptoHash hash = CryptoHash::kSha256;
  std::optional<std::string> key_file;
  std::optional<SecretKeyRef> key_secret;

  bool operator==(const Crypto&) const = default;
};

struct MemberNode {
  std::string name;
  std::uint32_t node_id = 0;
  std::string address;
  std::uint32_t quorum_votes = 1;

  bool operator==(const MemberNode&) const = default;
};

struct Membership {
  std::optional<std::string> cluster_name;
  std::int32_t port = 5405;
  TotemTimings totem;
  Crypto crypto;
  std::vector<MemberNode> nodes;

  bool operator==(const Membership&) const = default;
};

struct QuorumOptions {
  std::optional<std::uint32_t> expected_votes;
  bool two_node = false;
  std::optional<bool> wait_for_all;
  bool last_man_standing = false;
  Duration last_man_standing_window = 10s;
  bool auto_tie_breaker = false;
  TieBreaker auto_tie_breaker_node = TieBreaker::kLowest;
  std::vector<std::uint32_t> auto_tie_breaker_nodes;

  bool operator==(const QuorumOptions&) const = default;
};

// One level of the fencing topology (Pacemaker's fencing-level): for the
// nodes it targets, its devices together fence a node, each of them having
// to succeed. A node's levels are tried in index order until one succeeds.
// It targets a node by name, by a pattern on names, or by a node attribute.
struct FencingLevel {
  std::optional<std::string> target;
  std::optional<std::string> target_pattern;  // extended regular expression
  std::optional<std::string> target_attribute;
  std::optional<std::string> target_value;
  std::int32_t index = 1;
  std::vector<std::string> devices;  // HAResources with agent.fence

  bool operator==(const FencingLevel&) const = default;
};

struct ClusterSpec {
  ClusterOptions options;
  ResourceMeta resource_defaults;
  OperationDefaults operation_defaults;
  Membership membership;
  QuorumOptions quorum;
  std::vector<FencingLevel> fencing_topology;

  bool operator==(const ClusterSpec&) const = default;
};

struct RingId {
  std::uint32_t representative = 0;
  std::uint64_t sequence = 0;

  bool operator==(const RingId&) const = default;
};

struct QuorumStatus {
  bool quorate = false;
  std::uint32_t expected_votes = 0;
  std::uint32_t total_votes = 0;
  std::uint32_t quorum = 0;

  bool operator==(const QuorumStatus&) const = default;
};

struct ClusterStatus {
  std::optional<std::int64_t> observed_generation;
  std::optional<QuorumStatus> quorum;
  std::optional<RingId> ring_id;
  std::vector<std::string> members;
  std::optional<Timestamp> last_transition_time;
  std::vector<Condition> conditions;

  bool operator==(const ClusterStatus&) const = default;
};

struct HACluster : Object<ClusterSpec, ClusterStatus> {
  static constexpr std::string_view kKind = "HACluster";
};

// The token timeout Totem really uses: with three or more nodes, corosync
// adds tokenCoefficient per node beyond two.
inline Duration effective_token(const Membership& membership) {
  std::size_t nodes = membership.nodes.size();
  Duration token = membership.totem.token;
  if (nodes >= 3)
    token += membership.totem.token_coefficient * static_cast<std::int64_t>(nodes - 2);
  return token;
}

// Corosync's floor for every Totem timer (3 x 1000/HZ).
inline constexpr Duration kMinimumTotemTimeout = 30ms;

}  // namespace tandem::model
