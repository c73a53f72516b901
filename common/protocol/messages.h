#pragma once

// What the operator and the sidecars say to each other, over HTTP with JSON
// bodies (codec.h). Every report is a node's whole current state, never a
// delta, so the operator can rebuild its view from the latest report of
// each node after a restart; every action carries an id that makes its
// delivery idempotent.
//
//   sidecar → operator  POST /v1/nodes/{node}/report         NodeReport
//   operator → sidecar  GET  /v1/nodes/{node}/actions?wait_ms=N
//                         (long poll: answers at once when actions are
//                         pending, else when one is queued or after N ms)
//                                                             ActionBatch
//
// Both carry "Authorization: Bearer <token>" when the operator has a token.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::protocol {

// The membership as one sidecar sees it.
struct MemberView {
  std::uint32_t node_id = 0;
  std::string name;
};

struct MembershipView {
  std::string ring_id;  // "1.d", as corosync prints it; empty before the first ring
  std::string state;    // OPERATIONAL, GATHER, COMMIT, RECOVERY
  std::vector<MemberView> members;
  bool quorate = false;
  std::uint32_t expected_votes = 0;
  std::uint32_t total_votes = 0;
  std::uint32_t quorum = 0;
  // Unix ms when this sidecar last saw its ring operational and quorate;
  // 0 when never.
  std::int64_t quorate_since_unix_ms = 0;
};

// One operation's last outcome for a resource on the reporting node, in the
// terms of the placement engine's OpRecord (operator/placement/observed.h).
struct OpResult {
  std::string id;    // "web_monitor_10000", "web_last_0", "web_last_failure_0"
  std::string task;  // start, stop, monitor, promote, demote, notify, ...
  std::int64_t interval_ms = 0;
  int rc = 0;
  int expected_rc = 0;
  std::string status = "done";  // done, pending, cancelled, timeout, error, error_hard, ...
  int call_id = 0;
  std::int64_t last_rc_change_unix = 0;
  std::int64_t last_run_unix = 0;
  std::int64_t exec_ms = 0;
  std::string exit_reason;
  std::string digest;  // of the parameters the operation ran with
};

struct ResourceReport {
  std::string resource;  // the instance name as the engine uses it ("db:1" for clones)
  std::string agent_class;
  std::string provider;
  std::string type;
  std::vector<OpResult> ops;
};

struct FailCountReport {
  std::string resource;
  std::string operation;
  std::int64_t interval_ms = 0;
  int count = 0;
  std::int64_t last_failure_unix = 0;
};

// What became of one action the operator sent.
struct ActionOutcome {
  std::string action_id;
  int rc = 0;
  std::string status = "done";  // as OpResult::status
  std::string exit_reason;
  std::int64_t finished_unix_ms = 0;
};

struct NodeReport {
  std::string node;
  // Changes whenever the sidecar restarts: the operator forgets the
  // previous incarnation's in-flight actions.
  std::string incarnation;
  std::uint64_t sequence = 0;  // grows with every report of one incarnation
  std::int64_t sent_unix_ms = 0;
  MembershipView membership;
  std::vector<ResourceReport> resources;
  std::vector<FailCountReport> fail_counts;
  std::map<std::string, std::string> attributes;
  // Outcomes of actions this incarnation finished, newest last; the sidecar
  // keeps a bounded window, and the operator acknowledges them by not
  // sending their ids again.
  std::vector<ActionOutcome> outcomes;
  // True while the node has stopped (or is stopping) everything because its
  // partition lost quorum.
  bool self_fencing = false;
};

// One step for a sidecar to carry out.
struct ActionRequest {
  std::string id;  // unique in the operator's lifetime and across restarts
  std::string key;
  std::string task;              // start, stop, monitor, promote, demote, notify, ...
  std::string resource;          // the instance name ("db:1")
  std::int64_t interval_ms = 0;  // a recurring monitor when > 0
  std::int64_t timeout_ms = 0;   // 0: the manifest's or the agent's
  // OCF_RESKEY_CRM_meta_<name> values: notifications, clone numbers.
  std::map<std::string, std::string> meta;
  // The primitive's HAResource manifest, as YAML, so the sidecar needs no
  // copy of the manifests.
  std::string resource_yaml;
  // The parameters' digest as the engine computes it; the sidecar records
  // it in the operation's OpResult so that a later change is recognized.
  std::string digest;
  // The ring of the quorate view the operator planned it in. A sidecar in
  // another ring refuses it: the membership changed since (a partition, a
  // heal), and an answer delayed across that change must not start a
  // second copy of what the operator has since placed elsewhere.
  std::string ring_id;
};

struct ActionBatch {
  std::vector<ActionRequest> actions;
  // Changes whenever the node's pending actions change; a poll that passes
  // it back as `since` waits for the next change instead of being answered
  // at once with the same actions. Empty from operators without it.
  std::string version;
};

}  // namespace tandem::protocol
