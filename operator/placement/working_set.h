#pragma once

// The state the scheduling phases share while computing one transition.
//
// The phases follow Pacemaker 2.1's scheduler, because users moving from
// Pacemaker expect its decisions to the letter: unpack the observed state,
// apply node criteria (locations, stickiness, failure bans), assign resources
// to nodes, create actions, order them, and summarise. Each phase is a free
// function over this struct (see scheduler.cpp for the sequence); the struct
// is internal to the engine and never escapes it.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/core/duration.h"
#include "common/core/score.h"
#include "common/model/manifests.h"
#include "operator/placement/node_table.h"
#include "operator/placement/observed.h"

namespace tandem::placement::detail {

using model::Role;

inline constexpr int kNone = -1;

// Node roles: Unknown sorts below Stopped, as in Pacemaker's enum.
enum class RoleX { kUnknown, kStopped, kStarted, kUnpromoted, kPromoted };
RoleX to_role_x(Role role);
const char* role_name(RoleX role);

// What to do when an operation fails, in Pacemaker's order of severity.
enum class FailAction {
  kIgnore,
  kDemote,
  kRecover,
  kRestartContainer,
  kMigrate,
  kBlock,
  kStop,
  kStandby,
  kFence,
};
// Pacemaker's cmp_on_fail: negative when a is less severe than b.
int compare_on_fail(FailAction a, FailAction b);

enum class Requirement { kNothing, kQuorum, kFencing };

struct Node {
  std::string name;
  std::string id;
  bool online = false;
  bool unclean = false;
  bool pending = false;
  bool standby = false;
  bool standby_onfail = false;
  bool maintenance = false;
  bool shutdown = false;
  bool unseen = false;
  bool expected_up = false;
  bool is_dc = false;
  std::string fence_reason;
  bool fence_priority_delay = false;
  // The node's configured score, which every resource starts from here.
  Score base_score;
  // The score a new entry for this node starts from: the base score, or
  // -INFINITY once the node is known to be offline or shutting down.
  Score weight;
  std::map<std::string, std::string> attributes;  // configured, transient and built-in
  int assigned_resources = 0;                     // tie-breaker between equal scores
  std::map<std::string, std::int64_t> capacity;   // utilization capacity still free

  const std::string* attribute(const std::string& key) const {
    auto it = attributes.find(key);
    return it == attributes.end() ? nullptr : &it->second;
  }
};

// In Pacemaker's order: a collective variant compares greater.
enum class Variant { kPrimitive, kGroup, kClone };

// A clone's settings (Pacemaker's clone_variant_data_t).
struct CloneConfig {
  int max = 1;
  int node_max = 1;
  int min = 0;
  bool interleave = false;
  bool ordered = false;
  bool unique = false;
  bool notify = false;
  bool promotable = false;
  int promoted_max = 1;
  int promoted_node_max = 1;
};

struct OpConfig {
  std::string name;
  std::int64_t interval_ms = 0;
  std::optional<Duration> timeout;
  std::optional<model::OnFail> on_fail;  // as configured, unresolved
  std::optional<Role> role;
  bool enabled = true;
};

struct Resource {
  std::string id;
  Variant variant = Variant::kPrimitive;
  int parent = kNone;
  std::vector<int> children;
  // Clones: the settings; instances (and their members): the instance
  // number and the id without it, as history and fail counts name them.
  CloneConfig clone;
  int instance = -1;
  std::string base_id;
  int sort_index = 0;        // promotable instances: the promotion order
  std::string history_name;  // the id the history knew an instance by, if different

  // Configuration.
  std::string agent_class;  // ocf, stonith, systemd, process, lsb
  std::string agent_provider;
  // OCF agents and fence devices; a systemd unit's name differs from how
  // Pacemaker's history names it, and a process has no agent type.
  std::string agent_type;
  bool fence_device = false;
  bool unfences = false;         // a fence device that also unfences
  bool needs_unfencing = false;  // waits for its node's unfencing
  std::vector<OpConfig> ops;
  const model::ResourceSpec* spec = nullptr;  // primitives: parameters and their overrides
  // Rules with value-source meta look values up here.
  const std::map<std::string, std::string>* labels = nullptr;
  Score stickiness;
  Score migration_threshold = Score::infinity();
  std::int64_t failure_timeout_s = 0;
  int priority = 0;
  std::optional<Role> target_role;
  model::MultipleActive recovery = model::MultipleActive::kStopStart;
  Requirement requires_ = Requirement::kQuorum;
  bool critical = true;
  bool allow_migrate = false;
  bool orphan = false;
  bool group_ordered = true;
  bool group_colocated = true;

  // State flags (Pacemaker's pe_rsc_*).
  bool managed = true;
  bool maintenance = false;
  bool failed = false;
  bool stop_required = false;  // pe_rsc_stop
  bool blocked = false;        // pe_rsc_block
  int container = kNone;       // the resource this one runs inside
  // Shutdown lock: the node the resource waits for, and since when.
  int lock_node = kNone;
  EpochSeconds lock_time = 0;
  bool start_pending = false;
  bool stop_unexpected = false;
  bool restarting = false;
  bool reload = false;
  bool provisional = true;
  bool allocating = false;
  bool merging = false;
  bool failure_ignored = false;

  RoleX role = RoleX::kStopped;
  RoleX next_role = RoleX::kUnknown;
  std::string next_role_reason;
  std::vector<int> running_on;  // in the order discovered
  std::set<int> known_on;
  NodeTable allowed;
  int assigned = kNone;
  std::vector<int> actions;
  std::vector<int> this_with;  // colocations where this is the dependent, by primary priority
  std::vector<int> with_this;  // colocations where this is the primary, by dependent priority
  bool exclusive_discover = false;
  std::map<std::string, std::int64_t> utilization;  // what it uses of a node's capacity
  // A migration found half done in the history (migrate_to without
  // migrate_from), and sources of migrations done but never stopped there.
  int partial_source = kNone;
  int partial_target = kNone;
  std::vector<int> dangling_sources;
};

// Action flags (Pacemaker's pe_action_*).
enum ActionFlag : std::uint32_t {
  kOptional = 1u << 0,
  kRunnable = 1u << 1,
  kPseudo = 1u << 2,
  kPrintAlways = 1u << 3,
  kMigrateRunnable = 1u << 4,
  kDc = 1u << 5,
  kRequiresAny = 1u << 6,
  kDangle = 1u << 7,
};

// Ordering flags (Pacemaker's pe_order_*), kept bit-compatible in meaning.
enum OrderFlag : std::uint32_t {
  kOrderNone = 0,
  kOrderOptional = 0x1,
  kOrderImpliesFirst = 0x10,
  kOrderImpliesThen = 0x20,
  kOrderPromotedImpliesFirst = 0x40,
  kOrderImpliesFirstMigratable = 0x80,
  kOrderRunnableLeft = 0x100,
  kOrderPseudoLeft = 0x200,
  kOrderImpliesThenOnNode = 0x400,
  kOrderProbe = 0x800,
  kOrderRestart = 0x1000,
  kOrderSerializeOnly = 0x4000,
  kOrderSameNode = 0x8000,
  kOrderImpliesFirstPrinted = 0x10000,
  kOrderImpliesThenPrinted = 0x20000,
  kOrderAsymmetrical = 0x100000,
  kOrderOneOrMore = 0x400000,
  kOrderAntiColocation = 0x800000,
  kOrderPreserve = 0x1000000,
  kOrderThenCancelsFirst = 0x2000000,
};

struct ActionEdge {
  int action;
  std::uint32_t type;
};

struct Action {
  int id = 0;
  int rsc = kNone;
  int node = kNone;
  std::string task;  // start, stop, monitor, promote, demote, running, stopped, ...
  std::string key;   // "<rsc>_<task>_<interval>", or a node action's name
  std::int64_t interval_ms = 0;
  std::uint32_t flags = 0;
  FailAction on_fail = FailAction::kRecover;
  RoleX fail_role = RoleX::kStarted;
  Requirement needs = Requirement::kNothing;
  std::string reason;
  std::string fence_action;  // reboot, off, on (fencing only)
  // Notifications: notify_type, notify_operation and the lists an agent's
  // notify action reads (notify_start_resource, ...), for the notify actions
  // and the actions they notify about.
  std::map<std::string, std::string> meta;
  std::vector<ActionEdge> before;
  std::vector<ActionEdge> after;
  int runnable_before = 0;
  int required_runnable_before = 0;

  bool has(ActionFlag flag) const { return (flags & flag) != 0; }
};

// A clone's notifications for one of its tasks (start, stop, promote,
// demote): the pseudo-actions before and after it, and who does what
// (Pacemaker's notify_data_t).
struct NotifyData {
  struct Entry {
    int rsc = kNone;
    int node = kNone;
  };
  int rsc = kNone;
  std::string action;
  int pre = kNone, pre_done = kNone, post = kNone, post_done = kNone;
  std::vector<Entry> start, stop, promote, demote, active, inactive, promoted, unpromoted;
  std::map<std::string, std::string> keys;
};

// A resource-level ordering, turned into action edges once actions exist.
struct Ordering {
  int first_rsc = kNone;
  std::string first_task;  // start, stop, running, ... (the key is built from it)
  int first_action = kNone;
  int then_rsc = kNone;
  std::string then_task;
  int then_action = kNone;
  std::uint32_t flags = 0;
};

struct Colocation {
  std::string id;
  int dependent = kNone;
  int primary = kNone;
  Score score;
  RoleX dependent_role = RoleX::kUnknown;
  RoleX primary_role = RoleX::kUnknown;
  std::optional<std::string> node_attribute;
  bool influence = true;
};

struct Location {
  std::string id;
  int rsc = kNone;
  RoleX role = RoleX::kUnknown;
  Discovery discovery = Discovery::kAlways;
  std::vector<std::pair<int, Score>> nodes;  // node index and score
};

// A resource's score for a node at assignment time, for --scores and explain.
struct ScoreRecord {
  const char* stage;
  int rsc = kNone;
  int node = kNone;
  Score score;
};

// Why a resource's score for a node changed (recorded only for
// explanations): `change` is added, or with `absolute` replaces the score.
struct ScoreEvent {
  int rsc = kNone;
  int node = kNone;
  Score change;
  bool absolute = false;
  std::string reason;
};

// The candidates an assignment chose from, best first, as it saw them.
struct Candidate {
  int node = kNone;
  Score weight;
  bool available = false;
  int assigned = 0;  // resources already assigned to the node
  bool current = false;
};
struct Decision {
  int rsc = kNone;
  std::vector<Candidate> candidates;
  int chosen = kNone;
  std::string why;  // when nothing was chosen, or the choice was forced
};

struct WorkingSet {
  const model::Manifests* manifests = nullptr;
  const ObservedState* observed = nullptr;
  model::ClusterSpec cluster;
  EpochSeconds now = 0;
  bool have_quorum = true;
  bool have_fence_device = false;
  bool unfencing_enabled = false;  // a device unfences, or something requires it
  bool stop_everything = false;

  std::vector<Node> nodes;
  std::vector<Resource> resources;
  std::vector<int> top_level;  // resources without a parent, in configuration order
  std::vector<Action> actions;
  std::vector<Ordering> orderings;
  std::vector<NotifyData> notifications;  // clones with notify, by clone and task
  // The observed fail counts by node (indexed once, on first use: a large
  // cluster asks for every resource on every node).
  std::vector<std::vector<const FailCount*>> fail_counts_on;
  const std::vector<const FailCount*>& fail_counts_for(int node);
  // Actions' tasks as small integers, given on first use: flag propagation
  // looks for an instance's newest action for a task for every instance of
  // a clone, again and again, and comparing integers instead of strings is
  // much of its speed. An action's task never changes once it exists.
  std::unordered_map<std::string, int> task_ids;
  std::vector<int> task_of_action;
  // kNone when no action has the task.
  int task_id(const std::string& task);
  // The newest action of resource `r` with task id `task` (on `node`,
  // unless kNone); kNone if there is none.
  int newest_action(int r, int task, int node) {
    if (task == kNone) return kNone;
    if (task_of_action.size() != actions.size()) index_new_tasks();
    const std::vector<int>& list = rsc(r).actions;
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      if (task_of_action[static_cast<std::size_t>(*it)] != task) continue;
      if (node == kNone || action(*it).node == node) return *it;
    }
    return kNone;
  }
  void index_new_tasks();
  // Counts every change of a resource's assigned node (Resource::assigned
  // is set nowhere else than where this is counted), so that what depends
  // on assignments only can tell it is still up to date.
  std::uint64_t assignment_changes = 0;
  std::vector<Colocation> colocations;
  std::vector<Location> locations;
  bool record_scores = false;
  std::vector<ScoreRecord> assignment_scores;
  std::vector<ScoreEvent> score_events;
  std::vector<Decision> decisions;

  std::unordered_map<std::string, int> node_index;
  // Node attribute values by attribute name, as small integers per node
  // (equal when the values match case-insensitively; -1 where a node lacks
  // the attribute), for colocations by attribute.
  struct AttributeValues {
    std::vector<int> value_of_node;
    int distinct = 0;
  };
  std::unordered_map<std::string, AttributeValues> attribute_values;
  // Node order by name (strcmp), Pacemaker's last tie-breaker.
  std::vector<int> name_rank;
  std::unordered_map<std::string, int> resource_index;

  int find_node(const std::string& name) const;
  int find_resource(const std::string& id) const;
  Resource& rsc(int index) { return resources[static_cast<std::size_t>(index)]; }
  const Resource& rsc(int index) const { return resources[static_cast<std::size_t>(index)]; }
  Node& node(int index) { return nodes[static_cast<std::size_t>(index)]; }
  const Node& node(int index) const { return nodes[static_cast<std::size_t>(index)]; }
  Action& action(int index) { return actions[static_cast<std::size_t>(index)]; }
  const Action& action(int index) const { return actions[static_cast<std::size_t>(index)]; }

  bool fencing_enabled() const { return cluster.options.fencing_enabled; }
  model::NoQuorumPolicy no_quorum_policy() const { return cluster.options.no_quorum_policy; }
};

}  // namespace tandem::placement::detail
