#include "operator/reconcile/observe.h"

#include <array>
#include <utility>

#include "common/core/score.h"
#include "operator/reconcile/maintenance.h"

namespace tandem::reconcile {
namespace {

constexpr int kOcfNotRunning = 7;
constexpr int kOcfRunningPromoted = 8;

std::optional<placement::EpochSeconds> unix_or_none(std::int64_t value) {
  if (value <= 0) return std::nullopt;
  return value;
}

bool start_failure_is_fatal(const model::Manifests& manifests) {
  return manifests.clusters.empty() ||
         manifests.clusters.front().spec.options.start_failure_is_fatal;
}

}  // namespace

placement::ExecStatus exec_status(std::string_view status) {
  using placement::ExecStatus;
  // Both spellings: the protocol's (error_hard) and the observed-state
  // file's (error-hard).
  static constexpr std::array<std::pair<std::string_view, ExecStatus>, 13> kNames{{
      {"pending", ExecStatus::kPending},
      {"done", ExecStatus::kDone},
      {"cancelled", ExecStatus::kCancelled},
      {"timeout", ExecStatus::kTimeout},
      {"not_supported", ExecStatus::kNotSupported},
      {"error", ExecStatus::kError},
      {"error_hard", ExecStatus::kErrorHard},
      {"error_fatal", ExecStatus::kErrorFatal},
      {"not_installed", ExecStatus::kNotInstalled},
      {"not_connected", ExecStatus::kNotConnected},
      {"invalid", ExecStatus::kInvalid},
      {"no_fence_device", ExecStatus::kNoFenceDevice},
      {"no_secrets", ExecStatus::kNoSecrets},
  }};
  std::string normalized(status);
  for (char& c : normalized) {
    if (c == '-') c = '_';
  }
  for (const auto& [name, value] : kNames) {
    if (name == normalized) return value;
  }
  return ExecStatus::kError;
}

namespace {

// Whether the last completed operation (or, without one, a recurring
// monitor) leaves the resource active.
Activity settled_activity(const protocol::OpResult* newest, bool recurring_ok,
                          bool recurring_promoted) {
  Activity out;
  if (newest == nullptr) {
    out.active = recurring_ok;
    out.promoted = recurring_promoted;
    return out;
  }
  const bool done = exec_status(newest->status) == placement::ExecStatus::kDone;
  if (newest->task == "stop" && done && newest->rc == 0) return out;
  if (newest->task == "monitor" && done && newest->rc == kOcfNotRunning) return out;
  if (newest->task == "migrate_to" && done && newest->rc == 0) return out;
  // Anything else, failures included, may have left it running: presumed
  // active.
  out.active = true;
  out.promoted = (newest->task == "promote" && done && newest->rc == 0) ||
                 (newest->task == "monitor" && newest->rc == kOcfRunningPromoted) ||
                 recurring_promoted;
  return out;
}

}  // namespace

placement::ResourceHistory to_history(const protocol::ResourceReport& report,
                                      const std::string& node) {
  placement::ResourceHistory history;
  history.resource = report.resource;
  history.node = node;
  history.agent_class = report.agent_class;
  history.provider = report.provider;
  history.type = report.type;
  for (const protocol::OpResult& op : report.ops) {
    placement::OpRecord record;
    record.id = op.id;
    record.task = op.task;
    record.interval_ms = op.interval_ms;
    record.rc = op.rc;
    record.expected_rc = op.expected_rc;
    record.status = exec_status(op.status);
    record.call_id = op.call_id;
    record.last_rc_change = unix_or_none(op.last_rc_change_unix);
    record.last_run = unix_or_none(op.last_run_unix);
    record.exit_reason = op.exit_reason;
    // No digest yet means "unknown", which the engine does not take for a
    // parameter change.
    if (!op.digest.empty()) record.digest = op.digest;
    history.ops.push_back(std::move(record));
  }
  return history;
}

Activity activity(const protocol::ResourceReport& report) {
  const protocol::OpResult* newest = nullptr;
  const protocol::OpResult* pending = nullptr;
  bool recurring_ok = false;
  bool recurring_promoted = false;
  for (const protocol::OpResult& op : report.ops) {
    if (op.task == "monitor" && op.interval_ms > 0) {
      if (op.rc == 0 || op.rc == kOcfRunningPromoted) recurring_ok = true;
      if (op.rc == kOcfRunningPromoted) recurring_promoted = true;
      continue;
    }
    if (exec_status(op.status) == placement::ExecStatus::kPending) {
      pending = &op;
      continue;
    }
    if (newest == nullptr || op.call_id > newest->call_id ||
        (op.call_id == newest->call_id && op.last_run_unix > newest->last_run_unix)) {
      newest = &op;
    }
  }
  Activity out = settled_activity(newest, recurring_ok, recurring_promoted);
  // An operation in progress (a start, a stop not yet done) may leave it
  // running whatever came before; a promotion in progress counts as done.
  if (pending != nullptr) {
    out.active = true;
    out.promoted = out.promoted || pending->task == "promote";
  }
  return out;
}

std::vector<std::string> operations_in_progress(const Reports& reports, const Liveness& liveness) {
  std::vector<std::string> out;
  for (const auto& [node, received] : reports) {
    if (!liveness.online(node)) continue;
    for (const protocol::ResourceReport& resource : received.report.resources) {
      for (const protocol::OpResult& op : resource.ops) {
        if (exec_status(op.status) == placement::ExecStatus::kPending && op.interval_ms == 0)
          out.push_back(op.task + " of " + resource.resource + " on " + node);
      }
    }
  }
  return out;
}

std::vector<Hold> unclean_holds(const Reports& reports, const Liveness& liveness) {
  std::vector<Hold> holds;
  for (const auto& [node, life] : liveness.nodes()) {
    if (life.health != Health::kUnclean) continue;
    auto it = reports.find(node);
    if (it == reports.end()) {
      // Never heard of: it may run anything.
      holds.push_back({std::string(kAnyResource), node, true});
      continue;
    }
    for (const protocol::ResourceReport& resource : it->second.report.resources) {
      const Activity state = activity(resource);
      if (state.active) holds.push_back({resource.resource, node, state.promoted});
    }
  }
  return holds;
}

placement::ObservedState assemble_observed(const model::Manifests& manifests,
                                           const Reports& reports, const Liveness& liveness,
                                           bool have_quorum, UnixMs now) {
  placement::ObservedState observed;
  observed.now = now / 1000;
  observed.have_quorum = have_quorum;
  for (const std::string& name : configured_nodes(manifests)) {
    placement::ObservedNode node;
    node.name = name;
    for (const model::HACluster& cluster : manifests.clusters) {
      for (const model::MemberNode& member : cluster.spec.membership.nodes) {
        if (member.name == name) node.id = std::to_string(member.node_id);
      }
    }
    auto life = liveness.nodes().find(name);
    const Health health = life == liveness.nodes().end() ? Health::kUnclean : life->second.health;
    node.online = health == Health::kOnline;
    node.unclean = health == Health::kUnclean;
    if (node.unclean) node.unclean_reason = "node " + name + " is unclean";
    auto report = reports.find(name);
    if (report != reports.end() && health != Health::kOffline) {
      const protocol::NodeReport& r = report->second.report;
      if (node.online) node.attributes = r.attributes;
      const bool paused =
          cluster_in_maintenance(manifests) || node_in_maintenance(manifests, reports, name);
      for (const protocol::ResourceReport& resource : r.resources) {
        placement::ResourceHistory history = to_history(resource, name);
        // Maintenance cancels recurring monitors in Pacemaker, and it erases
        // cancelled ones from the history: what a sidecar's monitor finds
        // meanwhile must not stop, start or move anything until it ends.
        if (paused || resource_in_maintenance(manifests, resource.resource))
          std::erase_if(history.ops, [](const placement::OpRecord& op) {
            return op.task == "monitor" && op.interval_ms > 0;
          });
        observed.history.push_back(std::move(history));
      }
      for (const protocol::FailCountReport& f : r.fail_counts) {
        // A failed start bans the resource from the node at once, as
        // Pacemaker's controller records it (fail-count INFINITY), rather
        // than restarting it there until the migration threshold.
        const int count = f.operation == "start" && f.count > 0 && start_failure_is_fatal(manifests)
                              ? Score::kInfinity
                              : f.count;
        observed.fail_counts.push_back({f.resource, name, f.operation, f.interval_ms, count,
                                        unix_or_none(f.last_failure_unix)});
      }
    }
    observed.nodes.push_back(std::move(node));
  }
  return observed;
}

}  // namespace tandem::reconcile
