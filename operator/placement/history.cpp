// Phase 2: what the operation history says about every resource: where it
// runs and in which role, whether it failed, and what the failure policy
// requires (a stop, a ban, fencing the node, ...). Follows Pacemaker 2.1's
// unpack of the status section, operation by operation in call order.

#include "operator/placement/history.h"

#include <algorithm>

#include "operator/placement/actions.h"
#include "operator/placement/clone.h"
#include "operator/placement/migration.h"
#include "operator/placement/scores.h"

namespace tandem::placement::detail {
namespace {

// OCF exit codes (and Pacemaker's internal degraded ones).
constexpr int kOk = 0;
constexpr int kInvalidParam = 2;
constexpr int kUnimplemented = 3;
constexpr int kInsufficientPriv = 4;
constexpr int kNotInstalled = 5;
constexpr int kNotConfigured = 6;
constexpr int kNotRunning = 7;
constexpr int kRunningPromoted = 8;
constexpr int kFailedPromoted = 9;
constexpr int kDegraded = 190;
constexpr int kDegradedPromoted = 191;

bool is_probe(const OpRecord& op) {
  return op.task == "monitor" && op.interval_ms == 0;
}

bool masks_probe_failure(const OpRecord& op) {
  return is_probe(op) && (op.rc == kNotInstalled || op.rc == kInvalidParam ||
                          op.status == ExecStatus::kNotInstalled);
}

struct Unpacker {
  WorkingSet& ws;

  Resource& rsc(int index) { return ws.rsc(index); }

  void set_active(int r) {
    // Promotable clones come with issue 4; primitives and groups run Started.
    rsc(r).role = RoleX::kStarted;
  }

  void set_next_role(int r, RoleX role, const char* why) {
    rsc(r).next_role = role;
    rsc(r).next_role_reason = why;
  }

  // Pacemaker's check_recoverable: a stop that fails in a way retrying cannot
  // fix, on a node that cannot be fenced, leaves the resource blocked.
  void check_recoverable(int r, int node, const std::string& task) {
    if (task != "stop") return;
    if (can_fence(ws, node)) return;
    rsc(r).managed = false;
    rsc(r).blocked = true;
  }

  bool expired(int r, int node, const OpRecord& op, int rc) {
    Resource& resource = rsc(r);
    bool result = false;
    FailInfo unexpired;
    if (resource.failure_timeout_s > 0 && op.last_rc_change) {
      if (ws.now >= *op.last_rc_change + resource.failure_timeout_s) result = true;
      unexpired = fail_count(ws, r, node, true, &op);
    }
    if (result) {
      if (fail_count(ws, r, node, false, &op).count > 0 && unexpired.count > 0) {
        // An old entry, but an unexpired fail count: keep counting it.
        result = false;
      }
    }
    if (result && op.interval_ms == 0 && op.task == "monitor") {
      switch (rc) {
        case kOk:
        case kNotRunning:
        case kRunningPromoted:
        case kDegraded:
        case kDegradedPromoted:
          result = false;  // probes with these results never expire
          break;
        default:
          break;
      }
    }
    return result;
  }

  // Decides whether an operation's result was a failure, with Pacemaker's
  // remap_operation; may change the resource's role.
  void remap(int r, int node, const OpRecord& op, FailAction& on_fail, int target_rc, int& rc,
             ExecStatus& status) {
    Resource& resource = rsc(r);
    if (op.task == "monitor") {
      if (rc == kDegraded) rc = kOk;
      if (rc == kDegradedPromoted) rc = kRunningPromoted;
    }
    if (masks_probe_failure(op)) {
      status = ExecStatus::kDone;
      rc = kNotRunning;
    }
    if (status != ExecStatus::kDone && status != ExecStatus::kError) return;
    status = ExecStatus::kDone;
    const bool probe = is_probe(op);
    if (target_rc < 0 || target_rc != rc) status = ExecStatus::kError;
    switch (rc) {
      case kOk:
        if (probe && target_rc == kNotRunning) status = ExecStatus::kDone;
        break;
      case kNotRunning:
        if (probe || target_rc == rc || !resource.managed) {
          status = ExecStatus::kDone;
          resource.role = RoleX::kStopped;
          on_fail = FailAction::kIgnore;
          set_next_role(r, RoleX::kUnknown, "not running");
        }
        break;
      case kRunningPromoted:
        if (probe && rc != target_rc) status = ExecStatus::kDone;
        resource.role = RoleX::kPromoted;
        break;
      case kFailedPromoted:
        resource.role = RoleX::kPromoted;
        status = ExecStatus::kError;
        break;
      case kNotConfigured:
        status = ExecStatus::kErrorFatal;
        break;
      case kUnimplemented:
        if (op.interval_ms == 0) {
          check_recoverable(r, node, op.task);
          status = ExecStatus::kErrorHard;
        } else {
          status = ExecStatus::kNotSupported;
        }
        break;
      case kNotInstalled:
      case kInvalidParam:
      case kInsufficientPriv:
        check_recoverable(r, node, op.task);
        status = ExecStatus::kErrorHard;
        break;
      default:
        if (status == ExecStatus::kDone) status = ExecStatus::kError;
        break;
    }
  }

  void update_state(int r, const OpRecord& op, int rc, const OpRecord* last_failure,
                    FailAction& on_fail) {
    Resource& resource = rsc(r);
    bool clear_past_failure = false;
    const std::string& task = op.task;
    if (rc == kNotInstalled || masks_probe_failure(op)) {
      resource.role = RoleX::kStopped;
    } else if (rc == kNotRunning) {
      clear_past_failure = true;
    } else if (task == "monitor") {
      if (last_failure != nullptr && last_failure->task == op.task &&
          last_failure->interval_ms == op.interval_ms) {
        clear_past_failure = true;
      }
      if (resource.role < RoleX::kStarted) set_active(r);
    } else if (task == "start") {
      resource.role = RoleX::kStarted;
      clear_past_failure = true;
    } else if (task == "stop") {
      resource.role = RoleX::kStopped;
      clear_past_failure = true;
    } else if (task == "promote") {
      resource.role = RoleX::kPromoted;
      clear_past_failure = true;
    } else if (task == "demote") {
      if (on_fail == FailAction::kDemote) clear_past_failure = true;
      resource.role = RoleX::kUnpromoted;
    } else if (task == "migrate_from") {
      resource.role = RoleX::kStarted;
      clear_past_failure = true;
    } else if (resource.role < RoleX::kStarted) {
      set_active(r);
    }
    if (clear_past_failure) {
      switch (on_fail) {
        case FailAction::kStop:
        case FailAction::kFence:
        case FailAction::kMigrate:
        case FailAction::kStandby:
          break;
        case FailAction::kBlock:
        case FailAction::kIgnore:
        case FailAction::kDemote:
        case FailAction::kRecover:
        case FailAction::kRestartContainer:
          on_fail = FailAction::kIgnore;
          set_next_role(r, RoleX::kUnknown, "clear past failures");
          break;
      }
    }
  }

  void unpack_failure(int r, int node, int rc, const OpRecord& op, const OpRecord*& last_failure,
                      FailAction& on_fail) {
    Resource& resource = rsc(r);
    last_failure = &op;
    FailurePolicy policy = failure_policy(ws, resource, op.task, op.interval_ms);
    if (compare_on_fail(on_fail, policy.on_fail) < 0) on_fail = policy.on_fail;

    if (op.task == "stop") {
      add_location(ws, r, node, Score::minus_infinity(), "__stop_fail__");
    } else if (op.task == "promote") {
      resource.role = RoleX::kPromoted;
    } else if (op.task == "demote") {
      if (policy.on_fail == FailAction::kBlock) {
        resource.role = RoleX::kPromoted;
        set_next_role(r, RoleX::kStopped, "demote with on-fail=block");
      } else if (rc == kNotRunning) {
        resource.role = RoleX::kStopped;
      } else {
        resource.role = RoleX::kUnpromoted;
      }
    }
    if (is_probe(op) && rc == kNotInstalled) {
      resource.role = RoleX::kStopped;
    } else if (resource.role < RoleX::kStarted) {
      set_active(r);
    }
    if (policy.fail_role != RoleX::kStarted && resource.next_role < policy.fail_role) {
      set_next_role(r, policy.fail_role, "failure");
    }
    if (policy.fail_role == RoleX::kStopped) {
      ban_everywhere(ws, r, "a failure whose on-fail policy stops it");
    }
  }

  void unpack_op(int r, int node, const OpRecord& op, const OpRecord*& last_failure,
                 FailAction& on_fail) {
    if (op.task == "notify" || op.task == "meta-data") return;
    Resource& resource = rsc(r);
    int rc = op.rc;
    int target_rc = op.expected_rc;
    ExecStatus status = op.status;

    const bool is_expired = status != ExecStatus::kNotInstalled && expired(r, node, op, rc);
    const int old_rc = rc;
    remap(r, node, op, on_fail, target_rc, rc, status);
    const bool maskable = masks_probe_failure(op);

    if (is_expired && maskable && old_rc != target_rc) {
      if (resource.role <= RoleX::kStopped) resource.role = RoleX::kUnknown;
      return;
    }
    if (is_expired && rc != target_rc) {
      if (op.interval_ms == 0) return;  // an expired failure is forgotten
      const Node& n = ws.node(node);
      if (n.online && !n.unclean) return;  // the monitor is rescheduled
    }
    if (maskable) {
      // A probe that could not run the agent means "not running here", and
      // the resource may not run here either.
      update_state(r, op, target_rc, last_failure, on_fail);
      add_location(ws, r, node, Score::minus_infinity(), "masked-probe-failure");
      return;
    }
    switch (status) {
      case ExecStatus::kCancelled:
        return;
      case ExecStatus::kPending:
        if (op.task == "start") {
          resource.start_pending = true;
          set_active(r);
        } else if (op.task == "promote") {
          resource.role = RoleX::kPromoted;
        }
        return;
      case ExecStatus::kDone:
        if (op.task == "migrate_to" && rc == kOk) {
          migrate_to_done(r, node, op);
          return;
        }
        update_state(r, op, rc, last_failure, on_fail);
        return;
      case ExecStatus::kNotInstalled: {
        FailurePolicy policy = failure_policy(ws, resource, op.task, op.interval_ms);
        if (policy.on_fail == FailAction::kIgnore) on_fail = FailAction::kMigrate;
        add_location(ws, r, node, Score::minus_infinity(), "hard-error");
        unpack_failure(r, node, rc, op, last_failure, on_fail);
        return;
      }
      case ExecStatus::kNoFenceDevice:
      case ExecStatus::kNoSecrets:
        status = ExecStatus::kErrorHard;
        break;
      default:
        break;
    }
    FailurePolicy policy = failure_policy(ws, resource, op.task, op.interval_ms);
    // A failed stop inside a container counts as done: restarting the
    // container stops whatever was left inside it.
    const bool stop_in_container =
        policy.on_fail == FailAction::kRestartContainer && op.task == "stop";
    if (policy.on_fail == FailAction::kIgnore || stop_in_container) {
      update_state(r, op, target_rc, last_failure, on_fail);
      resource.failure_ignored = true;
      if (stop_in_container && compare_on_fail(on_fail, FailAction::kRecover) <= 0) {
        on_fail = FailAction::kRestartContainer;
      }
      return;
    }
    unpack_failure(r, node, rc, op, last_failure, on_fail);
    if (status == ExecStatus::kErrorHard) {
      add_location(ws, r, node, Score::minus_infinity(), "hard-error");
    } else if (status == ExecStatus::kErrorFatal) {
      add_location(ws, r, kNone, Score::minus_infinity(), "fatal-error");
    }
  }

  // A migrate_to that worked: the resource may be active on the target too,
  // and the migration may continue (see migration.cpp).
  void migrate_to_done(int r, int node, const OpRecord& op) {
    const MigrateToFinding finding = judge_migrate_to(ws, rsc(r).id, node, op);
    if (!finding.relevant) return;
    if (finding.dangling) {
      rsc(r).role = RoleX::kStopped;
      rsc(r).dangling_sources.push_back(node);
      return;
    }
    set_active(r);
    if (finding.target != kNone && ws.node(finding.target).online) add_running(r, finding.target);
    if (finding.partial) {
      rsc(r).partial_source = node;
      rsc(r).partial_target = finding.target;
    }
    if (finding.failed) {
      rsc(r).failed = true;
      rsc(r).stop_required = true;
      rsc(r).allow_migrate = false;
    }
  }

  // Pacemaker's native_add_running.
  void add_running(int r, int node) {
    Resource& resource = rsc(r);
    if (std::find(resource.running_on.begin(), resource.running_on.end(), node) !=
        resource.running_on.end()) {
      return;
    }
    resource.running_on.push_back(node);
    if (resource.variant == Variant::kPrimitive && ws.node(node).maintenance) {
      resource.managed = false;
    }
    if (!resource.managed) {
      add_location(ws, r, node, Score::infinity(), "not_managed_default");
      for (int p = resource.parent; p != kNone && ws.node(node).online; p = rsc(p).parent) {
        rsc(p).running_on.push_back(node);
      }
      return;
    }
    if (multiply_active(r)) {
      switch (resource.recovery) {
        case model::MultipleActive::kStopOnly:
          ban_everywhere(ws, r, "active on several nodes with multiple-active=stop_only");
          break;
        case model::MultipleActive::kBlock:
          resource.managed = false;
          resource.blocked = true;
          if (resource.parent != kNone &&
              rsc(resource.parent).recovery == model::MultipleActive::kBlock) {
            for (int child : rsc(resource.parent).children) {
              rsc(child).managed = false;
              rsc(child).blocked = true;
            }
          }
          break;
        default:
          break;
      }
    }
    if (resource.parent != kNone) add_running(resource.parent, node);
  }

  bool multiply_active(int r) {
    const Resource& resource = rsc(r);
    if (resource.variant != Variant::kPrimitive) return false;
    int count = 0;
    for (int node : resource.running_on) {
      const Node& n = ws.node(node);
      if (resource.requires_ == Requirement::kFencing || (n.online && !n.unclean)) ++count;
    }
    return count > 1;
  }

  void process_state(int r, int node, FailAction on_fail) {
    Resource& resource = rsc(r);
    Node& n = ws.node(node);
    if (resource.role != RoleX::kUnknown) {
      resource.known_on.insert(node);
      if (resource.parent != kNone) rsc(resource.parent).known_on.insert(node);
    }
    if (resource.role > RoleX::kStopped && !n.online && !n.maintenance && resource.managed &&
        ws.fencing_enabled()) {
      fence_node(ws, node, resource.id + " is thought to be active there");
    }
    const FailAction saved_on_fail = on_fail;
    if (n.unclean) on_fail = FailAction::kIgnore;  // fencing recovers it
    switch (on_fail) {
      case FailAction::kIgnore:
        break;
      case FailAction::kDemote:
        resource.failed = true;
        resource_action(ws, r, "demote", node, false);
        break;
      case FailAction::kFence:
        fence_node(ws, node, resource.id + " failed there");
        break;
      case FailAction::kStandby:
        n.standby = true;
        n.standby_onfail = true;
        break;
      case FailAction::kBlock:
        resource.managed = false;
        resource.blocked = true;
        break;
      case FailAction::kMigrate:
        add_location(ws, r, node, Score::minus_infinity(), "__action_migration_auto__");
        break;
      case FailAction::kStop:
        set_next_role(r, RoleX::kStopped, "on-fail=stop");
        break;
      case FailAction::kRecover:
        if (resource.role != RoleX::kStopped && resource.role != RoleX::kUnknown) {
          resource.failed = true;
          resource.stop_required = true;
          resource_action(ws, r, "stop", node, false);
        }
        break;
      case FailAction::kRestartContainer:
        resource.failed = true;
        resource.stop_required = true;
        // The container restarts, and what runs inside it with it.
        if (resource.container != kNone) {
          resource_action(ws, resource.container, "stop", node, false);
        } else if (resource.role != RoleX::kStopped && resource.role != RoleX::kUnknown) {
          resource_action(ws, r, "stop", node, false);
        }
        break;
    }
    if (resource.role != RoleX::kStopped && resource.role != RoleX::kUnknown) {
      (void)saved_on_fail;
      add_running(r, node);
      switch (on_fail) {
        case FailAction::kIgnore:
          break;
        case FailAction::kDemote:
        case FailAction::kBlock:
          resource.failed = true;
          break;
        default:
          resource.failed = true;
          resource.stop_required = true;
          break;
      }
    } else if (resource.history_name.find(':') != std::string::npos) {
      // Stopped: an old status section's instance number means nothing now.
      resource.history_name.clear();
    } else {
      for (int stop : find_actions(ws, r, "stop", node, true)) ws.action(stop).flags |= kOptional;
    }
  }

  int orphan(const ResourceHistory& history) {
    Resource& resource = ws.resources.emplace_back();
    int index = static_cast<int>(ws.resources.size()) - 1;
    resource.id = history.resource;
    ws.resource_index.emplace(resource.id, index);
    resource.agent_class = history.agent_class;
    resource.fence_device = history.agent_class == "stonith";
    resource.orphan = true;
    resource.managed = !ws.cluster.options.maintenance_mode;
    if (!ws.cluster.options.stop_orphan_resources) {
      resource.managed = false;  // left alone
      ws.top_level.push_back(index);
      return index;
    }
    resource.requires_ = ws.fencing_enabled() ? Requirement::kFencing : Requirement::kQuorum;
    if (resource.fence_device) resource.requires_ = Requirement::kQuorum;
    ws.top_level.push_back(index);
    // Stop orphans and keep them from starting anywhere.
    add_location(ws, index, kNone, Score::minus_infinity(), "__orphan_do_not_run__");
    return index;
  }

  void unpack_resource(int node, const ResourceHistory& history) {
    if (history.ops.empty()) return;
    int r = resource_for_history(ws, history.resource, node);
    if (r == kNone) r = orphan(history);
    Resource& resource = rsc(r);
    if (history.shutdown_lock && ws.cluster.options.shutdown_lock) {
      const auto limit =
          std::chrono::duration_cast<std::chrono::seconds>(ws.cluster.options.shutdown_lock_limit)
              .count();
      // An expired lock no longer holds the resource back.
      if (limit <= 0 || ws.now <= *history.shutdown_lock + limit) {
        resource.lock_node = node;
        resource.lock_time = *history.shutdown_lock;
      }
    }
    const RoleX saved_role = resource.role;
    resource.role = RoleX::kUnknown;

    // Oldest first by call id; Pacemaker lists entries newest-first before
    // its stable sort, so equal entries keep that reversed order.
    std::vector<const OpRecord*> ops;
    for (auto it = history.ops.rbegin(); it != history.ops.rend(); ++it) ops.push_back(&*it);
    std::stable_sort(ops.begin(), ops.end(), [](const OpRecord* a, const OpRecord* b) {
      if (a->call_id == -1 || b->call_id == -1) {
        return a->call_id != -1 && b->call_id == -1;  // pending ones last
      }
      if (a->call_id != b->call_id) return a->call_id < b->call_id;
      if (a->last_rc_change && b->last_rc_change) return *a->last_rc_change < *b->last_rc_change;
      return false;
    });

    const OpRecord* last_failure = nullptr;
    FailAction on_fail = FailAction::kIgnore;
    for (const OpRecord* op : ops) unpack_op(r, node, *op, last_failure, on_fail);
    process_state(r, node, on_fail);

    Resource& after = rsc(r);
    if (after.target_role == Role::kStopped) {
      if (after.next_role == RoleX::kUnknown || RoleX::kStopped < after.next_role) {
        set_next_role(r, RoleX::kStopped, "target-role");
      }
    }
    if (saved_role > after.role) after.role = saved_role;
  }
};

}  // namespace

void unpack_history(WorkingSet& ws, const ObservedState& observed) {
  Unpacker unpacker{ws};
  // Node by node, in the order the status lists them. Without fencing, the
  // history of offline nodes is never read: nothing can be done about it.
  std::vector<std::string> order;
  for (const ResourceHistory& history : observed.history) {
    if (std::find(order.begin(), order.end(), history.node) == order.end()) {
      order.push_back(history.node);
    }
  }
  for (const std::string& name : order) {
    int node = ws.find_node(name);
    if (node == kNone) continue;
    if (!ws.fencing_enabled() && !ws.node(node).online) continue;
    for (const ResourceHistory& history : observed.history) {
      if (history.node == name) unpacker.unpack_resource(node, history);
    }
  }
}

}  // namespace tandem::placement::detail
