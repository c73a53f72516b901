#pragma once

// The manifest schema, written once. Describe<T>::fields(v, object) names
// every field of T with its documentation, whether it is required, its
// range, and which fields are alternatives (one_of). Visitors walk it to
// decode YAML, encode YAML, and generate the CRDs and docs/manifests.md, so
// the four can never disagree.
//
// Only the codec's .cpp files include this header; the rest of Tandem sees
// the plain structs in common/model.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "common/model/manifests.h"

namespace tandem::manifest {

struct FieldOpts {
  std::string_view doc;
  bool required = false;
  std::optional<std::int64_t> min;
  std::optional<std::int64_t> max;
  // For defaults computed by normalize() rather than held in the struct.
  std::string_view default_doc;
};

enum class OneOf { kExactlyOne, kAtMostOne };

template <class T>
struct Describe;

template <class T>
concept Described = requires {
  Describe<T>::kDoc;
};

namespace m = tandem::model;

template <>
struct Describe<m::ObjectMeta> {
  static constexpr std::string_view kDoc = "Standard Kubernetes object metadata.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("name", s.name,
            {.doc = "Object name: a DNS-1123 subdomain (lower-case letters, digits, '-' and "
                    "'.'). Resources and groups share one name space.",
             .required = true});
    v.field("namespace", s.namespace_,
            {.doc = "Namespace: one namespace holds one Tandem cluster."});
    v.field("labels", s.labels, {.doc = "Kubernetes labels."});
    v.field("annotations", s.annotations, {.doc = "Kubernetes annotations."});
    v.field("uid", s.uid, {.doc = "Set by the API server."});
    v.field("resourceVersion", s.resource_version, {.doc = "Set by the API server."});
    v.field("generation", s.generation, {.doc = "Set by the API server."});
    v.field("creationTimestamp", s.creation_timestamp, {.doc = "Set by the API server."});
  }
};

template <>
struct Describe<m::Condition> {
  static constexpr std::string_view kDoc = "A status condition (Kubernetes API conventions).";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("type", s.type, {.doc = "Condition type, e.g. Available.", .required = true});
    v.field("status", s.status, {.doc = "True, False or Unknown.", .required = true});
    v.field("reason", s.reason, {.doc = "One-word CamelCase reason."});
    v.field("message", s.message, {.doc = "Human-readable details."});
    v.field("lastTransitionTime", s.last_transition_time, {.doc = "When the status last changed."});
    v.field("observedGeneration", s.observed_generation,
            {.doc = "The metadata.generation the condition was computed from."});
  }
};

// ---- shared: resource meta attributes --------------------------------------

template <>
struct Describe<m::ResourceMeta> {
  static constexpr std::string_view kDoc =
      "Meta attributes that control how a resource is placed and recovered. Unset fields "
      "fall back to the HACluster's resourceDefaults, then to the built-in default.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("stickiness", s.stickiness,
            {.doc = "How much the resource prefers to stay where it runs (resource-stickiness).",
             .default_doc = "0 (1 for clone instances)"});
    v.field("migrationThreshold", s.migration_threshold,
            {.doc = "Failures on a node before the resource is banned from it; 0 disables.",
             .default_doc = "INFINITY"});
    v.field(
        "failureTimeout", s.failure_timeout,
        {.doc = "How long until a failure is forgotten; 0s never forgets.", .default_doc = "0s"});
    v.field("targetRole", s.target_role,
            {.doc = "The role the cluster should keep the resource in: Stopped, Started, "
                    "Unpromoted or Promoted (the last two for promotable clones).",
             .default_doc = "Started"});
    v.field("priority", s.priority,
            {.doc = "When not everything can run, higher priority resources are placed first.",
             .default_doc = "0"});
    v.field("isManaged", s.is_managed,
            {.doc = "false: Tandem monitors the resource but never starts or stops it.",
             .default_doc = "true"});
    v.field("maintenance", s.maintenance,
            {.doc = "true: not managed and not monitored.", .default_doc = "false"});
    v.field("allowMigrate", s.allow_migrate,
            {.doc = "Move by live migration (migrate_to/migrate_from) instead of stop and start.",
             .default_doc = "false"});
    v.field("multipleActive", s.multiple_active,
            {.doc = "What to do when found active on several nodes: stop_start, stop_only, "
                    "block or stop_unexpected.",
             .default_doc = "stop_start"});
    v.field("requires", s.requires_,
            {.doc = "What must hold before the resource may start: nothing, quorum, fencing "
                    "or unfencing.",
             .default_doc = "quorum for fence devices; else unfencing when a fence device "
                            "unfences and fencing is enabled; else fencing when fencing is "
                            "enabled; else nothing when noQuorumPolicy is ignore; else quorum"});
    v.field("critical", s.critical,
            {.doc = "Default for the influence of colocations where this resource depends on "
                    "another.",
             .default_doc = "true"});
    v.field("container", s.container,
            {.doc = "The resource this one runs inside (a VM or a container): it starts after "
                    "it, stops before it, runs on its node, and a failure restarts the "
                    "container (operations' onFail defaults to restart-container). On a group: "
                    "every member but the container itself."});
    v.field("utilization", s.utilization,
            {.doc = "Capacity the resource consumes on its node, by name (e.g. cpu: 2). "
                    "Used by the utilization placement strategies.",
             .min = 0});
  }
};

// ---- HACluster -----------------------------------------------------------

template <>
struct Describe<m::ClusterOptions> {
  static constexpr std::string_view kDoc = "Cluster-wide behaviour (Pacemaker's cluster options).";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("fencingEnabled", s.fencing_enabled,
            {.doc = "Fence (power off or reboot) nodes whose state is unknown before "
                    "recovering their resources (stonith-enabled)."});
    v.field("fencingAction", s.fencing_action, {.doc = "reboot or off (stonith-action)."});
    v.field("fencingTimeout", s.fencing_timeout,
            {.doc = "How long a fencing action may take (stonith-timeout)."});
    v.field("noQuorumPolicy", s.no_quorum_policy,
            {.doc = "What a partition without quorum does with its resources: stop, freeze, "
                    "ignore, demote or suicide."});
    v.field("symmetricCluster", s.symmetric_cluster,
            {.doc = "true: resources may run on any node unless a constraint says otherwise. "
                    "false (opt-in): only where a location constraint allows."});
    v.field("placementStrategy", s.placement_strategy,
            {.doc = "default, utilization, minimal or balanced."});
    v.field("maintenanceMode", s.maintenance_mode,
            {.doc = "true: nothing is started, stopped or monitored anywhere."});
    v.field("stopAllResources", s.stop_all_resources, {.doc = "true: stop every resource."});
    v.field("startFailureIsFatal", s.start_failure_is_fatal,
            {.doc = "true: a failed start bans the resource from that node at once."});
    v.field("shutdownLock", s.shutdown_lock,
            {.doc = "true: resources of a node that shuts down cleanly stop and wait for it "
                    "to come back instead of moving elsewhere (for maintenance reboots)."});
    v.field("shutdownLockLimit", s.shutdown_lock_limit,
            {.doc = "How long such resources wait before they may move; 0s: until the node "
                    "returns."});
    v.field("clusterRecheckInterval", s.cluster_recheck_interval,
            {.doc = "Upper bound between placement passes, so time-based rules and "
                    "failure timeouts take effect."});
    v.field("startupProbes", s.startup_probes,
            {.doc = "Check (probe) whether a resource already runs on a node before starting "
                    "it anywhere, wherever its state is unknown (enable-startup-probes)."});
    v.field("startupFencing", s.startup_fencing,
            {.doc = "Fence nodes never seen since the cluster started before trusting that "
                    "they run nothing (startup-fencing). false is unsafe: a node that is "
                    "merely unreachable may still run resources."});
    v.field("stopOrphanResources", s.stop_orphan_resources,
            {.doc = "Stop resources found running that are no longer configured "
                    "(stop-orphan-resources)."});
    v.field("nodeHealth", s.node_health,
            {.doc = "How node health attributes (#health-*) keep resources off unhealthy "
                    "nodes."});
  }
};

template <>
struct Describe<m::NodeHealth> {
  static constexpr std::string_view kDoc =
      "Node health: each node attribute named #health-<check> holds green, yellow, red or a "
      "score; their sum per node becomes a location score for every resource.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("strategy", s.strategy,
            {.doc = "none (ignore health), migrate-on-red (ban red nodes), only-green (ban "
                    "yellow and red nodes), progressive (add the colour scores below to the "
                    "base) or custom (add the colour scores; the user sets constraints)."});
    v.field("green", s.green, {.doc = "Score of a green attribute."});
    v.field("yellow", s.yellow, {.doc = "Score of a yellow attribute."});
    v.field("red", s.red, {.doc = "Score of a red attribute."});
    v.field("base", s.base,
            {.doc = "Starting score of every node under the progressive strategy."});
  }
};

template <>
struct Describe<m::OperationDefaults> {
  static constexpr std::string_view kDoc = "Defaults for every operation (op_defaults).";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("timeout", s.timeout, {.doc = "Operation timeout when an operation sets none."});
    v.field("onFail", s.on_fail,
            {.doc = "Failure policy when an operation sets none.",
             .default_doc = "restart; for stop: fence when fencing is enabled, else block"});
  }
};

template <>
struct Describe<m::TotemTimings> {
  static constexpr std::string_view kDoc =
      "Totem protocol timers and constants, named and defaulted as in corosync.conf(5).";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("token", s.token,
            {.doc = "Token timeout: how long without the token before a node is declared lost. "
                    "With 3 or more nodes the effective timeout is token + (nodes - 2) x "
                    "tokenCoefficient."});
    v.field("tokenCoefficient", s.token_coefficient,
            {.doc = "Added to the token timeout per node beyond two."});
    v.field(
        "tokenRetransmitsBeforeLossConst", s.token_retransmits_before_loss_const,
        {.doc = "Token retransmits before a new configuration is formed.", .min = 1, .max = 1000});
    v.field("tokenRetransmit", s.token_retransmit,
            {.doc = "Token retransmit timeout.",
             .default_doc = "effective token / (tokenRetransmitsBeforeLossConst + 0.2)"});
    v.field("hold", s.hold,
            {.doc = "How long the representative holds the token when the ring is idle.",
             .default_doc = "tokenRetransmit x 0.8 - 10ms"});
    v.field("join", s.join, {.doc = "How long to wait for join messages."});
    v.field("sendJoin", s.send_join,
            {.doc = "Upper bound of a random delay before sending a join message."});
    v.field("consensus", s.consensus,
            {.doc = "How long to wait for consensus before starting a new membership round; "
                    "at least join, and best at least 1.2 x the effective token.",
             .default_doc = "1.2 x effective token"});
    v.field("merge", s.merge,
            {.doc = "How long to wait before checking for another partition to merge with."});
    v.field("downcheck", s.downcheck,
            {.doc = "How long to wait before checking that a downed interface is back."});
    v.field("failRecvConst", s.fail_recv_const,
            {.doc = "Token rotations without receiving expected messages before a new "
                    "configuration is formed.",
             .min = 1,
             .max = 1'000'000});
    v.field("seqnoUnchangedConst", s.seqno_unchanged_const,
            {.doc = "Rotations without multicast traffic before the hold timer starts.",
             .min = 1,
             .max = 1'000'000});
    v.field("missCountConst", s.miss_count_const,
            {.doc = "Token receptions a message may be missing before it is retransmitted.",
             .min = 1,
             .max = 1000});
    v.field("windowSize", s.window_size,
            {.doc = "Most messages sent in one token rotation.", .min = 1, .max = 100'000});
    v.field("maxMessages", s.max_messages,
            {.doc = "Most messages one node sends per token reception.", .min = 1, .max = 100'000});
    v.field("maxNetworkDelay", s.max_network_delay,
            {.doc = "Approximate time for a packet to cross the network."});
    v.field("tokenWarning", s.token_warning,
            {.doc = "Warn when the token is late by this percentage of the token timeout; "
                    "0 disables.",
             .min = 0,
             .max = 100});
    v.field("netmtu", s.netmtu,
            {.doc = "Largest packet sent, in bytes.", .min = 576, .max = 65'536});
  }
};

template <>
struct Describe<m::SecretKeyRef> {
  static constexpr std::string_view kDoc = "A key in a Kubernetes Secret of the same namespace.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("name", s.name, {.doc = "Secret name.", .required = true});
    v.field("key", s.key, {.doc = "Key within the Secret."});
  }
};

template <>
struct Describe<m::Crypto> {
  static constexpr std::string_view kDoc =
      "Packet authentication and encryption (corosync's crypto_hash and crypto_cipher).";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("cipher", s.cipher, {.doc = "none or aes256 (AES-256-GCM); aes256 needs a hash."});
    v.field("hash", s.hash,
            {.doc = "sha256 (HMAC-SHA-256 on every packet) or none (no authentication)."});
    v.field("keyFile", s.key_file,
            {.doc = "Path of the shared key on each node, in corosync's authkey format "
                    "(corosync-keygen makes one).",
             .default_doc = "/etc/corosync/authkey, unless keySecret is set"});
    v.field("keySecret", s.key_secret,
            {.doc = "The shared key from a Kubernetes Secret instead of a file."});
    v.one_of({"keyFile", "keySecret"}, OneOf::kAtMostOne);
  }
};

template <>
struct Describe<m::MemberNode> {
  static constexpr std::string_view kDoc = "A node of the membership (corosync's nodelist.node).";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("name", s.name,
            {.doc = "Node name, as resources and constraints refer to it.", .required = true});
    v.field("nodeId", s.node_id,
            {.doc = "Unique node id (corosync's nodeid).",
             .required = true,
             .min = 1,
             .max = 4'294'967'295});
    v.field("address", s.address,
            {.doc = "IPv4 or IPv6 address (or host name) the node is reached at (ring0_addr).",
             .required = true});
    v.field("quorumVotes", s.quorum_votes,
            {.doc = "Votes the node contributes to quorum.", .min = 0, .max = 1000});
  }
};

template <>
struct Describe<m::Membership> {
  static constexpr std::string_view kDoc =
      "How the sidecars find each other and agree on membership (corosync's totem and "
      "nodelist sections).";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("clusterName", s.cluster_name,
            {.doc = "Cluster name carried in every packet; packets for another cluster are "
                    "dropped.",
             .default_doc = "metadata.name"});
    v.field("port", s.port, {.doc = "UDP port every node listens on.", .min = 1, .max = 65'535});
    v.field("totem", s.totem, {.doc = "Protocol timers and constants."});
    v.field("crypto", s.crypto, {.doc = "Authentication and encryption."});
    v.field("nodes", s.nodes,
            {.doc = "The nodes (VMs). Leave empty where nodes are discovered (Kubernetes "
                    "pods)."});
  }
};

template <>
struct Describe<m::QuorumOptions> {
  static constexpr std::string_view kDoc = "Quorum rules, as votequorum(5) defines them.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("expectedVotes", s.expected_votes,
            {.doc = "Votes expected in a complete cluster. Quorum is expectedVotes / 2 + 1.",
             .min = 1,
             .max = 1'000'000,
             .default_doc = "sum of the nodes' quorumVotes"});
    v.field("twoNode", s.two_node,
            {.doc = "Two-node cluster: one node alone keeps quorum (needs fencing or "
                    "waitForAll to be safe)."});
    v.field("waitForAll", s.wait_for_all,
            {.doc = "Become quorate for the first time only once all nodes have been seen "
                    "together.",
             .default_doc = "the value of twoNode"});
    v.field("lastManStanding", s.last_man_standing,
            {.doc = "Recompute expected votes downwards as nodes leave, one window at a time."});
    v.field("lastManStandingWindow", s.last_man_standing_window,
            {.doc = "How long membership must be stable before expected votes are lowered."});
    v.field("autoTieBreaker", s.auto_tie_breaker,
            {.doc = "In an even split, the half with the tie-breaker node keeps quorum."});
    v.field("autoTieBreakerNode", s.auto_tie_breaker_node,
            {.doc = "lowest or highest node id, or list (use autoTieBreakerNodes)."});
    v.field("autoTieBreakerNodes", s.auto_tie_breaker_nodes,
            {.doc = "Node ids tried in order when autoTieBreakerNode is list.",
             .min = 1,
             .max = 4'294'967'295});
  }
};

template <>
struct Describe<m::FencingLevel> {
  static constexpr std::string_view kDoc =
      "One level of the fencing topology (fencing-level): the devices that together fence "
      "the nodes it targets. A node's levels are tried by index until one succeeds; a level "
      "succeeds when every one of its devices does.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("target", s.target, {.doc = "The node it fences, by name."});
    v.field("targetPattern", s.target_pattern,
            {.doc = "Instead of target: an extended regular expression the names of the nodes "
                    "it fences contain."});
    v.field("targetAttribute", s.target_attribute,
            {.doc = "Instead of target: the nodes whose HANode attribute of this name has "
                    "targetValue."});
    v.field("targetValue", s.target_value, {.doc = "The value targetAttribute must have."});
    v.field("index", s.index,
            {.doc = "Order among the levels of a node, 1 first.",
             .required = true,
             .min = 1,
             .max = 9});
    v.field("devices", s.devices,
            {.doc = "Fence devices (HAResources with agent.fence), run in this order.",
             .required = true});
  }
};

template <>
struct Describe<m::ClusterSpec> {
  static constexpr std::string_view kDoc = "The desired configuration of the cluster.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("options", s.options, {.doc = "Cluster-wide behaviour."});
    v.field("resourceDefaults", s.resource_defaults,
            {.doc = "Defaults for every resource's and group's meta attributes."});
    v.field("operationDefaults", s.operation_defaults, {.doc = "Defaults for every operation."});
    v.field("membership", s.membership, {.doc = "Membership (Totem) settings."});
    v.field("quorum", s.quorum, {.doc = "Quorum (votequorum) settings."});
    v.field("fencingTopology", s.fencing_topology,
            {.doc = "Which devices fence which nodes, in which order (fencing-topology). "
                    "Without a level for a node, every fence device that reaches it is tried "
                    "in turn."});
  }
};

template <>
struct Describe<m::RingId> {
  static constexpr std::string_view kDoc = "Identifies a membership configuration.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("representative", s.representative, {.doc = "Node id of the ring's representative."});
    v.field("sequence", s.sequence, {.doc = "Ring sequence number."});
  }
};

template <>
struct Describe<m::QuorumStatus> {
  static constexpr std::string_view kDoc = "Quorum as the sidecars see it.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("quorate", s.quorate, {.doc = "Whether the partition has quorum."});
    v.field("expectedVotes", s.expected_votes, {.doc = "Expected votes."});
    v.field("totalVotes", s.total_votes, {.doc = "Votes present."});
    v.field("quorum", s.quorum, {.doc = "Votes needed for quorum."});
  }
};

template <>
struct Describe<m::ClusterStatus> {
  static constexpr std::string_view kDoc = "Observed state of the cluster.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("observedGeneration", s.observed_generation,
            {.doc = "The metadata.generation this status reflects."});
    v.field("quorum", s.quorum, {.doc = "Quorum."});
    v.field("ringId", s.ring_id, {.doc = "Current membership ring."});
    v.field("members", s.members, {.doc = "Names of the nodes in the current ring."});
    v.field("lastTransitionTime", s.last_transition_time,
            {.doc = "When the last transition finished."});
    v.field("conditions", s.conditions, {.doc = "Conditions."});
  }
};

// ---- HANode ----------------------------------------------------------------

template <>
struct Describe<m::NodeSpec> {
  static constexpr std::string_view kDoc = "A node's attributes and administrative state.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("attributes", s.attributes,
            {.doc = "Node attributes that location rules test (names starting with # are "
                    "built in)."});
    v.field("utilization", s.utilization,
            {.doc = "Capacity of the node by name (e.g. cpu: 8, memory: 16384).", .min = 0});
    v.field("score", s.score,
            {.doc = "Added to every resource's score for this node: a node-wide preference "
                    "(Pacemaker's node score)."});
    v.field("standby", s.standby, {.doc = "true: move every resource off the node."});
    v.field("maintenance", s.maintenance,
            {.doc = "true: leave the node's resources alone (not started, stopped or "
                    "monitored)."});
  }
};

template <>
struct Describe<m::NodeStatus> {
  static constexpr std::string_view kDoc = "Observed state of the node.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("observedGeneration", s.observed_generation,
            {.doc = "The metadata.generation this status reflects."});
    v.field("state", s.state,
            {.doc = "online, offline, unclean (lost and not yet fenced), pending or shutdown."});
    v.field("nodeId", s.node_id, {.doc = "Membership node id."});
    v.field("attributes", s.attributes,
            {.doc = "Transient attributes set by agents at run time (pingd, master-*)."});
    v.field("lastSeen", s.last_seen, {.doc = "When the node was last in the membership."});
    v.field("clockOffsetMs", s.clock_offset_ms,
            {.doc = "Estimated offset of the node's clock, in milliseconds."});
    v.field("conditions", s.conditions, {.doc = "Conditions."});
  }
};

// ---- HAResource ------------------------------------------------------------

template <>
struct Describe<m::OcfAgent> {
  static constexpr std::string_view kDoc =
      "An OCF resource agent: /usr/lib/ocf/resource.d/<provider>/<type>.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("provider", s.provider, {.doc = "e.g. heartbeat or pacemaker.", .required = true});
    v.field("type", s.type, {.doc = "e.g. IPaddr2 or Dummy.", .required = true});
  }
};

template <>
struct Describe<m::ExecProbe> {
  static constexpr std::string_view kDoc = "Healthy when the command exits 0.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("command", s.command, {.doc = "Program and arguments (no shell).", .required = true});
  }
};

template <>
struct Describe<m::TcpProbe> {
  static constexpr std::string_view kDoc = "Healthy when a TCP connection succeeds.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("host", s.host, {.doc = "Address to connect to."});
    v.field("port", s.port, {.doc = "Port.", .required = true, .min = 1, .max = 65'535});
  }
};

template <>
struct Describe<m::HttpProbe> {
  static constexpr std::string_view kDoc = "Healthy when an HTTP GET returns the expected status.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("host", s.host, {.doc = "Address to connect to."});
    v.field("port", s.port, {.doc = "Port.", .required = true, .min = 1, .max = 65'535});
    v.field("path", s.path, {.doc = "Request path."});
    v.field("expectStatus", s.expect_status,
            {.doc = "HTTP status that means healthy.", .min = 100, .max = 599});
  }
};

template <>
struct Describe<m::HealthProbe> {
  static constexpr std::string_view kDoc =
      "A check beyond 'the process is alive', run by the monitor operation.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("exec", s.exec, {.doc = "Run a command."});
    v.field("tcpConnect", s.tcp_connect, {.doc = "Open a TCP connection."});
    v.field("httpGet", s.http_get, {.doc = "Send an HTTP GET."});
    v.one_of({"exec", "tcpConnect", "httpGet"}, OneOf::kExactlyOne);
  }
};

template <>
struct Describe<m::ProcessAgent> {
  static constexpr std::string_view kDoc =
      "A supervised process: started directly (no shell), stopped with SIGTERM then SIGKILL.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("command", s.command, {.doc = "Program and arguments.", .required = true});
    v.field("env", s.env, {.doc = "Environment variables."});
    v.field("workingDir", s.working_dir, {.doc = "Working directory."});
    v.field("user", s.user, {.doc = "User to run as."});
    v.field("health", s.health, {.doc = "Health probe."});
  }
};

template <>
struct Describe<m::SystemdAgent> {
  static constexpr std::string_view kDoc = "A systemd unit, started and stopped with systemctl.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("unit", s.unit,
            {.doc = "Unit name; '.service' is assumed when no unit suffix is given.",
             .required = true});
  }
};

template <>
struct Describe<m::FenceAgent> {
  static constexpr std::string_view kDoc =
      "A fence device, run and monitored like a resource (Pacemaker's class=\"stonith\").";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("type", s.type,
            {.doc = "The fence agent, e.g. fence_ipmilan (in /usr/sbin), or external/NAME.",
             .required = true});
    v.field("unfencing", s.unfencing,
            {.doc = "true: the device also unfences (fence_scsi, fence_mpath): each node is "
                    "turned on through it before anything that needs unfencing probes or "
                    "starts there, and resources default to requires: unfencing.",
             .default_doc = "false"});
  }
};

template <>
struct Describe<m::Agent> {
  static constexpr std::string_view kDoc = "How to run the resource: exactly one agent class.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("ocf", s.ocf, {.doc = "An OCF resource agent."});
    v.field("process", s.process, {.doc = "A supervised process."});
    v.field("systemd", s.systemd, {.doc = "A systemd unit."});
    v.field("fence", s.fence, {.doc = "A fence device."});
    v.one_of({"ocf", "process", "systemd", "fence"}, OneOf::kExactlyOne);
  }
};

template <>
struct Describe<m::Operation> {
  static constexpr std::string_view kDoc = "An operation of the agent, and how often to run it.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("name", s.name,
            {.doc = "start, stop, monitor, promote, demote, notify, reload, reload-agent, "
                    "migrate_to or migrate_from.",
             .required = true});
    v.field("interval", s.interval,
            {.doc = "How often a monitor runs; 0s for every other operation."});
    v.field("timeout", s.timeout,
            {.doc = "How long the operation may take.",
             .default_doc = "operationDefaults.timeout of the HACluster (20s)"});
    v.field("onFail", s.on_fail,
            {.doc = "What to do when it fails: ignore, block, stop, restart, standby, fence or "
                    "demote.",
             .default_doc = "restart; for stop: fence when fencing is enabled, else block"});
    v.field("role", s.role,
            {.doc = "For a monitor of a promotable clone: the role it checks (Promoted or "
                    "Unpromoted)."});
  }
};

template <>
struct Describe<m::PromotableSpec> {
  static constexpr std::string_view kDoc =
      "Instances run as Unpromoted and up to promotedMax are promoted (the DRBD pattern).";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("promotedMax", s.promoted_max,
            {.doc = "Promoted instances in the cluster.", .min = 1, .max = 10'000});
    v.field("promotedNodeMax", s.promoted_node_max,
            {.doc = "Promoted instances on one node.", .min = 1, .max = 10'000});
  }
};

template <>
struct Describe<m::CloneSpec> {
  static constexpr std::string_view kDoc = "Run several instances of the resource.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("max", s.max,
            {.doc = "Instances in the cluster.",
             .min = 1,
             .max = 10'000,
             .default_doc = "number of nodes"});
    v.field("nodeMax", s.node_max, {.doc = "Instances on one node.", .min = 1, .max = 10'000});
    v.field("min", s.min,
            {.doc = "Instances that must run before resources ordered after the clone may "
                    "start.",
             .min = 0,
             .max = 10'000});
    v.field("interleave", s.interleave,
            {.doc = "Orders and colocations with another clone relate instances on the same "
                    "node, not the whole clone."});
    v.field("ordered", s.ordered, {.doc = "Start instances one after another."});
    v.field("globallyUnique", s.globally_unique,
            {.doc = "Instances are distinct (each has its own identity), not interchangeable."});
    v.field("notify", s.notify,
            {.doc = "Tell every instance before and after any instance starts, stops, promotes "
                    "or demotes."});
    v.field("promotable", s.promotable, {.doc = "Make the clone promotable."});
  }
};

template <>
struct Describe<m::ResourceSpec> {
  static constexpr std::string_view kDoc = "The desired configuration of a resource.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("agent", s.agent, {.doc = "How to run the resource.", .required = true});
    v.field("params", s.params,
            {.doc = "Parameters of OCF agents (each reaches the agent as OCF_RESKEY_<name>) and "
                    "of fence devices."});
    v.field("paramOverrides", s.param_overrides,
            {.doc = "Parameter values for the nodes (or times) where a rule holds, such as a "
                    "network interface that differs by node. The first override that holds and "
                    "sets a name wins over params."});
    v.field("operations", s.operations, {.doc = "Operations and their intervals and timeouts."});
    v.field("meta", s.meta, {.doc = "Placement and recovery attributes."});
    v.field("clone", s.clone, {.doc = "Run several instances."});
  }
};

template <>
struct Describe<m::ResourceInstance> {
  static constexpr std::string_view kDoc = "One active copy of the resource.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("node", s.node, {.doc = "Node it runs on.", .required = true});
    v.field("role", s.role, {.doc = "Started, Unpromoted or Promoted."});
    v.field("failed", s.failed, {.doc = "Whether it is failed."});
    v.field("managed", s.managed, {.doc = "Whether Tandem manages it."});
    v.field("since", s.since, {.doc = "When it reached this role."});
  }
};

template <>
struct Describe<m::OperationFailure> {
  static constexpr std::string_view kDoc = "A failed operation, as crm_mon lists them.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("node", s.node, {.doc = "Node it failed on.", .required = true});
    v.field("operation", s.operation, {.doc = "Operation name.", .required = true});
    v.field("interval", s.interval, {.doc = "Operation interval."});
    v.field("exitCode", s.exit_code, {.doc = "Agent exit code."});
    v.field("exitReason", s.exit_reason,
            {.doc = "What the exit code means, or the agent's reason."});
    v.field("timedOut", s.timed_out, {.doc = "The operation ran out of time."});
    v.field("time", s.time, {.doc = "When it failed."});
  }
};

template <>
struct Describe<m::FailCount> {
  static constexpr std::string_view kDoc = "Failures counted on one node.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("node", s.node, {.doc = "Node.", .required = true});
    v.field("count", s.count, {.doc = "Failures not yet expired."});
    v.field("lastFailure", s.last_failure, {.doc = "When the last one happened."});
  }
};

template <>
struct Describe<m::ResourceStatus> {
  static constexpr std::string_view kDoc = "Observed state of the resource.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("observedGeneration", s.observed_generation,
            {.doc = "The metadata.generation this status reflects."});
    v.field("instances", s.instances, {.doc = "Where and in which role it runs."});
    v.field("failures", s.failures, {.doc = "Failed operations."});
    v.field("failCounts", s.fail_counts, {.doc = "Fail counts per node."});
    v.field("conditions", s.conditions, {.doc = "Conditions."});
  }
};

// ---- HAGroup -----------------------------------------------------------------

template <>
struct Describe<m::GroupSpec> {
  static constexpr std::string_view kDoc =
      "Resources started in order on one node and stopped in reverse order.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("resources", s.resources,
            {.doc = "Names of the member HAResources, in start order.", .required = true});
    v.field("ordered", s.ordered,
            {.doc = "false: start the members in parallel rather than in order (they still run "
                    "on one node).",
             .default_doc = "true"});
    v.field("colocated", s.colocated,
            {.doc = "false: the members need not run on one node.", .default_doc = "true"});
    v.field("meta", s.meta, {.doc = "Meta attributes of the group as a whole."});
    v.field("clone", s.clone, {.doc = "Run several instances of the whole group."});
  }
};

template <>
struct Describe<m::GroupStatus> {
  static constexpr std::string_view kDoc = "Observed state of the group.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("observedGeneration", s.observed_generation,
            {.doc = "The metadata.generation this status reflects."});
    v.field("instances", s.instances, {.doc = "Where it runs."});
    v.field("conditions", s.conditions, {.doc = "Conditions."});
  }
};

// ---- HAConstraint ------------------------------------------------------------

template <>
struct Describe<m::Expression> {
  static constexpr std::string_view kDoc = "A test of a node attribute.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("attribute", s.attribute,
            {.doc = "Node attribute name, or a built-in: #uname, #id, #kind, #cluster-name.",
             .required = true});
    v.field("operation", s.operation,
            {.doc = "lt, gt, lte, gte, eq, ne, defined or not_defined.", .required = true});
    v.field("value", s.value, {.doc = "Value to compare with (not for defined/not_defined)."});
    v.field("type", s.type,
            {.doc = "string, integer, number or version.",
             .default_doc = "integer or number for lt/gt/lte/gte with numeric values, else "
                            "string"});
    v.field("valueSource", s.value_source,
            {.doc = "literal: value is the value; param or meta: value names a parameter or "
                    "meta attribute of the resource."});
  }
};

template <>
struct Describe<m::DateSpec> {
  static constexpr std::string_view kDoc =
      "Calendar fields the current time (UTC) must fall in, each a value or an inclusive "
      "range such as \"9-17\"; unset fields match any time.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("years", s.years, {.doc = "Years, e.g. \"2026\"."});
    v.field("months", s.months, {.doc = "Months, 1-12."});
    v.field("monthdays", s.monthdays, {.doc = "Days of the month, 1-31."});
    v.field("hours", s.hours, {.doc = "Hours, 0-23."});
    v.field("minutes", s.minutes, {.doc = "Minutes, 0-59."});
    v.field("seconds", s.seconds, {.doc = "Seconds, 0-59."});
    v.field("yeardays", s.yeardays, {.doc = "Days of the year, 1-366."});
    v.field("weekyears", s.weekyears, {.doc = "ISO 8601 week-numbering years."});
    v.field("weeks", s.weeks, {.doc = "ISO 8601 weeks, 1-53."});
    v.field("weekdays", s.weekdays, {.doc = "Days of the week, 1-7 (1 is Monday)."});
  }
};

template <>
struct Describe<m::CalendarDuration> {
  static constexpr std::string_view kDoc =
      "A calendar length: years and months follow the calendar, the rest are fixed.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("years", s.years, {.doc = "Years.", .min = 0});
    v.field("months", s.months, {.doc = "Months.", .min = 0});
    v.field("weeks", s.weeks, {.doc = "Weeks.", .min = 0});
    v.field("days", s.days, {.doc = "Days.", .min = 0});
    v.field("hours", s.hours, {.doc = "Hours.", .min = 0});
    v.field("minutes", s.minutes, {.doc = "Minutes.", .min = 0});
    v.field("seconds", s.seconds, {.doc = "Seconds.", .min = 0});
  }
};

template <>
struct Describe<m::DateExpression> {
  static constexpr std::string_view kDoc = "A test of the current time.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("operation", s.operation,
            {.doc = "in_range (between start and end, both inclusive; or from start for "
                    "duration), gt (after start), lt (before end) or date_spec (spec)."});
    v.field("start", s.start, {.doc = "RFC 3339 time; in_range and gt."});
    v.field("end", s.end, {.doc = "RFC 3339 time; in_range and lt."});
    v.field("duration", s.duration, {.doc = "in_range only: the range's length from start."});
    v.field("spec", s.spec, {.doc = "date_spec only: the calendar fields to match."});
  }
};

template <>
struct Describe<m::Rule> {
  static constexpr std::string_view kDoc =
      "A rule: true when its expressions and nested rules combine to true.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("score", s.score, {.doc = "Score added to nodes where a top-level rule is true."});
    v.field("scoreAttribute", s.score_attribute,
            {.doc = "Use this node attribute's value as the score instead."});
    v.field("booleanOp", s.boolean_op, {.doc = "and or or."});
    v.field("role", s.role, {.doc = "Apply only to instances in this role."});
    v.field("expressions", s.expressions, {.doc = "Attribute tests."});
    v.field("dates", s.dates, {.doc = "Tests of the current time."});
    v.field("rules", s.rules, {.doc = "Nested rules (without scores)."});
    v.one_of({"score", "scoreAttribute"}, OneOf::kAtMostOne);
  }
};

template <>
struct Describe<m::ParamOverride> {
  static constexpr std::string_view kDoc = "Parameter values that apply where a rule holds.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("rule", s.rule,
            {.doc = "Where the values apply: a rule without a score or role, tested on the node "
                    "the resource runs on.",
             .required = true});
    v.field("params", s.params, {.doc = "The values.", .required = true});
  }
};

template <>
struct Describe<m::ResourceSet> {
  static constexpr std::string_view kDoc = "A set of resources in a colocation or order.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("resources", s.resources, {.doc = "Names of resources or groups.", .required = true});
    v.field("sequential", s.sequential,
            {.doc = "true: members relate to each other in order; false: only to other sets."});
    v.field("requireAll", s.require_all,
            {.doc = "Order sets only. false: the next set may start once any member has.",
             .default_doc = "true"});
    v.field("role", s.role, {.doc = "Colocation sets only: the members' role."});
    v.field("action", s.action, {.doc = "Order sets only: the members' action."});
  }
};

template <>
struct Describe<m::LocationConstraint> {
  static constexpr std::string_view kDoc =
      "Where a resource prefers or must not run: a node with a score, or rules.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("resource", s.resource, {.doc = "Resource or group name."});
    v.field("resourcePattern", s.resource_pattern,
            {.doc = "POSIX extended regular expression matched against resource names."});
    v.field("node", s.node, {.doc = "Node name (use with score)."});
    v.field("score", s.score,
            {.doc = "Preference for the node: positive attracts, negative repels, -INFINITY "
                    "bans."});
    v.field("role", s.role, {.doc = "Apply only to instances in this role."});
    v.field("resourceDiscovery", s.resource_discovery,
            {.doc = "always, never or exclusive: where to probe for the resource."});
    v.field("rules", s.rules, {.doc = "Rules over node attributes (instead of node and score)."});
    v.one_of({"resource", "resourcePattern"}, OneOf::kExactlyOne);
    v.one_of({"node", "rules"}, OneOf::kExactlyOne);
  }
};

template <>
struct Describe<m::ColocationConstraint> {
  static constexpr std::string_view kDoc = "Place a resource relative to another.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("resource", s.resource, {.doc = "The dependent resource or group."});
    v.field("withResource", s.with_resource,
            {.doc = "The resource it is placed with (placed first)."});
    v.field("role", s.role, {.doc = "Role of the dependent resource."});
    v.field("withRole", s.with_role, {.doc = "Role of withResource."});
    v.field("score", s.score,
            {.doc = "INFINITY: must run together; -INFINITY: must not; finite: preference.",
             .required = true});
    v.field("nodeAttribute", s.node_attribute,
            {.doc = "Together means on nodes with the same value of this attribute."});
    v.field("influence", s.influence,
            {.doc = "Whether withResource's placement takes the dependent into account.",
             .default_doc = "the dependent resource's critical meta attribute"});
    v.field("sets", s.sets, {.doc = "Resource sets (instead of resource and withResource)."});
    v.one_of({"resource", "sets"}, OneOf::kExactlyOne);
  }
};

template <>
struct Describe<m::OrderConstraint> {
  static constexpr std::string_view kDoc = "Run an action of one resource before another's.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("first", s.first, {.doc = "Resource or group acted on first."});
    v.field("then", s.then, {.doc = "Resource or group acted on after it."});
    v.field("firstAction", s.first_action, {.doc = "start, stop, promote or demote."});
    v.field("thenAction", s.then_action,
            {.doc = "start, stop, promote or demote.", .default_doc = "firstAction"});
    v.field("kind", s.kind,
            {.doc = "Mandatory (then always waits and restarts with first), Optional (only "
                    "when both happen in one transition) or Serialize (never at the same "
                    "time)."});
    v.field("symmetrical", s.symmetrical,
            {.doc = "Also order the opposite actions in reverse.",
             .default_doc = "true, false for Serialize"});
    v.field("requireAll", s.require_all,
            {.doc = "false: when first is a clone, then waits for one of its instances only "
                    "(as clone.min 1 would).",
             .default_doc = "true"});
    v.field("restartThen", s.restart_then,
            {.doc = "Optional orders only. true: when first stops or restarts, then restarts "
                    "too, though it still may start while first cannot (Pacemaker's "
                    "restart-type=restart)."});
    v.field("sets", s.sets, {.doc = "Resource sets (instead of first and then)."});
    v.one_of({"first", "sets"}, OneOf::kExactlyOne);
  }
};

template <>
struct Describe<m::ConstraintSpec> {
  static constexpr std::string_view kDoc = "Exactly one constraint.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("location", s.location, {.doc = "A location constraint."});
    v.field("colocation", s.colocation, {.doc = "A colocation constraint."});
    v.field("order", s.order, {.doc = "An order constraint."});
    v.one_of({"location", "colocation", "order"}, OneOf::kExactlyOne);
  }
};

template <>
struct Describe<m::ConstraintStatus> {
  static constexpr std::string_view kDoc = "Observed state of the constraint.";
  template <class V, class S>
  static void fields(V& v, S& s) {
    v.field("observedGeneration", s.observed_generation,
            {.doc = "The metadata.generation this status reflects."});
    v.field("conditions", s.conditions, {.doc = "Conditions."});
  }
};

// ---- the kinds -----------------------------------------------------------------

// Top-level objects: apiVersion and kind are read before the object is
// decoded; these describe the rest.
template <class Kind>
struct DescribeKind {
  template <class V, class S>
  static void fields(V& v, S& s, std::string_view spec_doc, bool spec_required) {
    v.field("metadata", s.metadata, {.doc = "Object metadata.", .required = true});
    v.field("spec", s.spec, {.doc = spec_doc, .required = spec_required});
    v.field("status", s.status, {.doc = "Observed state, written by the operator."});
  }
};

template <>
struct Describe<m::HACluster> {
  static constexpr std::string_view kDoc =
      "Cluster options, membership and quorum of the Tandem cluster in this namespace.";
  static constexpr std::string_view kPlural = "haclusters";
  static constexpr std::string_view kShortName = "hac";
  template <class V, class S>
  static void fields(V& v, S& s) {
    DescribeKind<m::HACluster>::fields(v, s, "Cluster configuration.", false);
  }
};

template <>
struct Describe<m::HANode> {
  static constexpr std::string_view kDoc = "A node of the cluster.";
  static constexpr std::string_view kPlural = "hanodes";
  static constexpr std::string_view kShortName = "han";
  template <class V, class S>
  static void fields(V& v, S& s) {
    DescribeKind<m::HANode>::fields(v, s, "Node configuration.", false);
  }
};

template <>
struct Describe<m::HAResource> {
  static constexpr std::string_view kDoc = "A service that Tandem keeps available.";
  static constexpr std::string_view kPlural = "haresources";
  static constexpr std::string_view kShortName = "har";
  template <class V, class S>
  static void fields(V& v, S& s) {
    DescribeKind<m::HAResource>::fields(v, s, "Resource configuration.", true);
  }
};

template <>
struct Describe<m::HAGroup> {
  static constexpr std::string_view kDoc = "An ordered group of resources that run together.";
  static constexpr std::string_view kPlural = "hagroups";
  static constexpr std::string_view kShortName = "hag";
  template <class V, class S>
  static void fields(V& v, S& s) {
    DescribeKind<m::HAGroup>::fields(v, s, "Group configuration.", true);
  }
};

template <>
struct Describe<m::HAConstraint> {
  static constexpr std::string_view kDoc = "A location, colocation or order constraint.";
  static constexpr std::string_view kPlural = "haconstraints";
  static constexpr std::string_view kShortName = "hacon";
  template <class V, class S>
  static void fields(V& v, S& s) {
    DescribeKind<m::HAConstraint>::fields(v, s, "Constraint configuration.", true);
  }
};

}  // namespace tandem::manifest
