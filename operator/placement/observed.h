#pragma once

// What the cluster has observed, as the placement engine takes it next to the
// manifests: nodes and their states, each resource's operation history per
// node, fail counts, quorum, and the current time. The operator assembles it
// from the sidecars' reports; `tandemctl simulate --cib` from a Pacemaker
// CIB's status section.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::placement {

// Seconds since the Unix epoch. The engine never reads a clock: "now" is an
// input like everything else.
using EpochSeconds = std::int64_t;

// How an operation ended, as Pacemaker's executor reports it (PCMK_EXEC_*).
enum class ExecStatus {
  kPending,
  kDone,
  kCancelled,
  kTimeout,
  kNotSupported,
  kError,
  kErrorHard,
  kErrorFatal,
  kNotInstalled,
  kNotConnected,
  kInvalid,
  kNoFenceDevice,
  kNoSecrets,
};

// One entry of a resource's operation history on one node.
struct OpRecord {
  std::string id;    // e.g. "web_monitor_10000", or "web_last_failure_0"
  std::string task;  // start, stop, monitor, promote, demote, migrate_to, ...
  std::int64_t interval_ms = 0;
  int rc = 0;           // the agent's exit code
  int expected_rc = 0;  // the exit code that means success for this call
  ExecStatus status = ExecStatus::kDone;
  int call_id = 0;
  std::optional<EpochSeconds> last_rc_change;
  std::optional<EpochSeconds> last_run;
  std::string exit_reason;
  std::optional<std::string> migrate_source;
  std::optional<std::string> migrate_target;
  // Digests of the parameters the operation ran with (Pacemaker's op-digest
  // and op-restart-digest), to detect configuration changes.
  std::optional<std::string> digest;
  std::optional<std::string> restart_digest;
  // The parameters a change of which needs a restart rather than a reload
  // (Pacemaker's op-force-restart, names separated by spaces).
  std::optional<std::string> force_restart;
  // Digest of the parameters without the private ones (op-secure-digest),
  // and which those are (op-secure-params): a CIB with passwords masked
  // still compares equal on the rest.
  std::optional<std::string> secure_digest;
  std::optional<std::string> secure_params;
  // The CRM feature set of the node that ran it (digests differ by version).
  std::optional<std::string> feature_set;
};

// A resource's history on one node. Agent identity is kept for resources
// that are no longer configured (orphans), which still have to be stopped.
struct ResourceHistory {
  std::string resource;
  std::string node;
  std::string agent_class;  // ocf, stonith, systemd, lsb, ...
  std::string provider;
  std::string type;
  // When the resource was locked to this node as the node shut down
  // (cluster option shutdownLock).
  std::optional<EpochSeconds> shutdown_lock;
  std::vector<OpRecord> ops;
};

// A failure count as Pacemaker's fail-count-<rsc>#<op>_<interval> attribute.
struct FailCount {
  std::string resource;
  std::string node;
  std::string operation;
  std::int64_t interval_ms = 0;
  int count = 0;
  std::optional<EpochSeconds> last_failure;
};

// A node as the membership and the node's own report describe it. The flags
// combine: a node that is joining is online and pending at once.
struct ObservedNode {
  std::string name;
  std::string id;  // as the #id attribute shows it
  bool online = true;
  // Lost, or in a state nobody can vouch for: its resources are presumed
  // running until it has been fenced.
  bool unclean = false;
  std::string unclean_reason;
  bool pending = false;   // joining: cannot run resources yet
  bool shutdown = false;  // a clean shutdown was requested
  bool unseen = false;    // never seen in this cluster's lifetime
  bool is_dc = false;
  // Attributes set at run time (pingd, master-*, standby, ...): they add to
  // and override the HANode's spec.attributes.
  std::map<std::string, std::string> attributes;
};

struct ObservedState {
  std::optional<EpochSeconds> now;
  bool have_quorum = true;
  std::vector<ObservedNode> nodes;
  std::vector<ResourceHistory> history;
  std::vector<FailCount> fail_counts;
};

}  // namespace tandem::placement
