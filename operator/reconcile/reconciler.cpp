#include "operator/reconcile/reconciler.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "common/core/assert.h"
#include "common/manifest/encode.h"
#include "common/model/fence_device.h"
#include "operator/placement/engine.h"
#include "operator/reconcile/maintenance.h"
#include "operator/reconcile/monitors.h"
#include "operator/reconcile/observe.h"
#include "operator/reconcile/waves.h"

namespace tandem::reconcile {
namespace {

constexpr int kOcfNotRunning = 7;
constexpr int kOcfRunningPromoted = 8;
// Reports of nodes that are not configured are dropped; the names of the
// first few are logged once.
constexpr std::size_t kMaxUnknownNodesLogged = 64;
constexpr UnixMs kMonitorRetryMs = 10'000;

// "web_monitor_10000" -> 10000; 0 when the key does not end in a number.
std::int64_t key_interval(const std::string& key) {
  const std::size_t underscore = key.rfind('_');
  if (underscore == std::string::npos) return 0;
  std::int64_t value = 0;
  const char* first = key.data() + underscore + 1;
  const char* last = key.data() + key.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || value < 0) return 0;
  return value;
}

bool succeeded(const protocol::ActionRequest& request, const protocol::ActionOutcome& outcome) {
  if (exec_status(outcome.status) != placement::ExecStatus::kDone) return false;
  if (outcome.rc == 0) return true;
  if (request.task != "monitor") return false;
  // A probe that finds the resource stopped or promoted has done its job.
  if (request.interval_ms == 0)
    return outcome.rc == kOcfNotRunning || outcome.rc == kOcfRunningPromoted;
  return outcome.rc == kOcfRunningPromoted;
}

std::string hold_role(const std::vector<Hold>& holds, const std::string& resource) {
  for (const Hold& hold : holds) {
    if (hold.resource == resource && hold.promoted) return "Promoted";
  }
  return "Started";
}

}  // namespace

Reconciler::Reconciler(Options options) : options_(std::move(options)) {}

void Reconciler::set_manifests(std::shared_ptr<const model::Manifests> manifests,
                               std::int64_t generation) {
  manifests_ = std::move(manifests);
  generation_ = generation;
  resource_yaml_.clear();
  if (!manifests_) return;
  for (const model::HAResource& resource : manifests_->resources) {
    model::Manifests one;
    one.resources.push_back(resource);
    resource_yaml_[resource.metadata.name] = manifest::encode_yaml(one);
  }
  const std::vector<std::string> nodes = configured_nodes(*manifests_);
  for (auto it = reports_.begin(); it != reports_.end();) {
    if (std::find(nodes.begin(), nodes.end(), it->first) == nodes.end()) {
      it = reports_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<std::string> Reconciler::on_report(protocol::NodeReport report, UnixMs now) {
  std::vector<std::string> events;
  const std::string node = report.node;
  if (!manifests_) return events;
  const std::vector<std::string> nodes = configured_nodes(*manifests_);
  if (std::find(nodes.begin(), nodes.end(), node) == nodes.end()) {
    if (unknown_nodes_logged_.size() < kMaxUnknownNodesLogged &&
        unknown_nodes_logged_.insert(node).second)
      events.push_back("report from " + node + " dropped: not a node of the manifests");
    return events;
  }
  if (auto it = reports_.find(node); it != reports_.end()) {
    const protocol::NodeReport& previous = it->second.report;
    if (previous.incarnation == report.incarnation && report.sequence < previous.sequence)
      return events;
    if (previous.incarnation != report.incarnation) {
      for (std::size_t i = in_flight_.size(); i-- > 0;) {
        if (in_flight_[i].node == node)
          finish(i, "failed", 0, "the sidecar restarted before reporting it", now, events);
      }
    }
  }
  for (std::size_t i = in_flight_.size(); i-- > 0;) {
    if (in_flight_[i].node != node) continue;
    for (const protocol::ActionOutcome& outcome : report.outcomes) {
      if (outcome.action_id != in_flight_[i].request.id) continue;
      const bool ok = succeeded(in_flight_[i].request, outcome);
      std::string detail = "rc " + std::to_string(outcome.rc) + ", " + outcome.status;
      if (!outcome.exit_reason.empty()) detail += ": " + outcome.exit_reason;
      finish(i, ok ? "done" : "failed", outcome.rc, detail, now, events);
      break;
    }
  }
  reports_[node] = ReceivedReport{std::move(report), now};
  return events;
}

std::vector<std::string> Reconciler::on_fence_result(const std::string& fence_id, bool ok,
                                                     const std::string& detail, UnixMs now) {
  std::vector<std::string> events;
  const std::string node = liveness_.fence_finished(fence_id, ok, detail, now);
  if (node.empty()) return events;
  events.push_back("fence " + fence_id + " of " + node + (ok ? " succeeded" : " failed") +
                   (detail.empty() ? "" : ": " + detail));
  return events;
}

void Reconciler::finish(std::size_t index, const std::string& state, int rc,
                        const std::string& detail, UnixMs now, std::vector<std::string>& events) {
  TANDEM_ASSERT(index < in_flight_.size(), "finishing an action that is not in flight");
  const InFlight& action = in_flight_[index];
  events.push_back("action " + action.request.id + " " + action.request.key + " on " + action.node +
                   ": " + state + " (" + detail + ")");
  if (status_.last_transition && action.status_index < status_.last_transition->actions.size()) {
    ActionStatus& shown = status_.last_transition->actions[action.status_index];
    shown.state = state;
    shown.rc = rc;
    shown.detail = detail;
  }
  ActionStats& stats = status_.action_stats[action.request.task];
  stats.durations.observe(static_cast<double>(now - action.sent_ms) / 1000.0);
  if (state != "done") ++stats.failed;
  in_flight_.erase(in_flight_.begin() + static_cast<std::ptrdiff_t>(index));
  if (in_flight_.empty() && status_.last_transition) status_.last_transition->finished_ms = now;
}

std::int64_t Reconciler::timeout_ms(const placement::PlannedAction& action,
                                    std::int64_t interval_ms) const {
  const std::string base = base_resource(action.resource);
  std::int64_t fallback = 20'000;
  if (!manifests_->clusters.empty())
    fallback = manifests_->clusters.front().spec.operation_defaults.timeout.count();
  for (const model::HAResource& resource : manifests_->resources) {
    if (resource.metadata.name != base) continue;
    for (const model::Operation& op : resource.spec.operations) {
      if (model::to_string(op.name) == action.task && op.interval.count() == interval_ms &&
          op.timeout)
        return op.timeout->count();
    }
  }
  return fallback;
}

protocol::ActionRequest Reconciler::make_request(const placement::PlannedAction& action,
                                                 const std::string& ring_id) {
  protocol::ActionRequest request;
  request.id = options_.id_prefix + "-" + std::to_string(next_action_++);
  request.ring_id = ring_id;
  request.key = action.key;
  request.task = action.task;
  request.resource = action.resource;
  if (action.task == "monitor" || action.task == "cancel")
    request.interval_ms = key_interval(action.key);
  request.timeout_ms = timeout_ms(action, request.interval_ms);
  request.meta = action.meta;
  if (const std::size_t colon = action.resource.find(':'); colon != std::string::npos)
    request.meta.try_emplace("clone", action.resource.substr(colon + 1));
  if (auto it = resource_yaml_.find(base_resource(action.resource)); it != resource_yaml_.end())
    request.resource_yaml = it->second;
  return request;
}

void Reconciler::restore_counters(const Counters& counters) {
  status_.transitions_total = counters.transitions_total;
  status_.action_stats = counters.action_stats;
  std::vector<Failover> history = counters.failovers;
  if (history.size() > options_.failover_history)
    history.erase(history.begin(),
                  history.end() - static_cast<std::ptrdiff_t>(options_.failover_history));
  status_.failover_durations = counters.failover_durations;
  status_.failovers = history;
  failovers_.restore(counters.failover_durations, std::move(history), counters.outages);
  status_.outages = counters.outages;
}

Counters Reconciler::counters() const {
  return {status_.transitions_total, status_.failover_durations, status_.action_stats,
          status_.failovers, status_.outages};
}

StepResult Reconciler::step(UnixMs now) {
  StepResult result;
  if (!manifests_) return result;
  const std::optional<QuorateView> view = choose_quorate_view(reports_, *manifests_, now, options_);
  liveness_.update(configured_nodes(*manifests_), reports_, view, now, options_, result.events);

  for (std::size_t i = in_flight_.size(); i-- > 0;) {
    const InFlight& action = in_flight_[i];
    if (!liveness_.online(action.node)) {
      finish(i, "failed", 0, "node " + action.node + " is no longer online", now, result.events);
    } else if (now >= action.deadline_ms) {
      finish(i, "failed", 0, "no outcome reported in time", now, result.events);
    }
  }

  const std::vector<Hold> holds = unclean_holds(reports_, liveness_);
  const placement::ObservedState observed =
      assemble_observed(*manifests_, reports_, liveness_, view.has_value(), now);
  const placement::Transition transition =
      placement::schedule(*manifests_, observed, {.scores = true});

  std::vector<std::string> held;
  // Operations a sidecar carries out that this operator did not order (one
  // before a restart did) are in flight too: nothing new goes out until
  // their results are in, so that nothing is ordered twice or before what
  // it must follow.
  std::vector<std::string> in_progress;
  if (in_flight_.empty()) in_progress = operations_in_progress(reports_, liveness_);
  for (const std::string& operation : in_progress)
    held.push_back("everything waits: the " + operation + " is in progress");
  // Without a quorate partition to act for, nothing is dispatched at all.
  if (in_flight_.empty() && view && in_progress.empty()) {
    std::set<std::string> online;
    for (const auto& [name, life] : liveness_.nodes()) {
      if (life.health == Health::kOnline) online.insert(name);
    }
    Wave wave = next_wave(transition, online, holds);
    held = std::move(wave.held);
    std::vector<const placement::PlannedAction*> sending;
    // Cleanups go out alone: the transition after them is planned from the
    // histories they leave.
    const std::vector<placement::PlannedAction> cleanups = take_cleanups(online);
    for (const placement::PlannedAction& cleanup : cleanups) sending.push_back(&cleanup);
    if (sending.empty()) {
      for (std::size_t index : wave.ready) sending.push_back(&transition.actions[index]);
    }
    // A monitor asked for and not yet in the history (or cancelled and still
    // in it) is asked for again only after a pause, so that a sidecar that
    // does not record it is not flooded.
    std::vector<placement::PlannedAction> monitors;
    if (cleanups.empty()) {
      monitors = missing_monitors(*manifests_, transition, reports_, liveness_);
      for (placement::PlannedAction& cancel : monitors_to_cancel(*manifests_, reports_, liveness_))
        monitors.push_back(std::move(cancel));
    }
    std::map<std::string, UnixMs> still_missing;
    for (const placement::PlannedAction& monitor : monitors) {
      const std::string ref = monitor.task + " " + monitor.key + "@" + monitor.node;
      auto asked = monitor_requested_.find(ref);
      if (asked != monitor_requested_.end() && now - asked->second < kMonitorRetryMs) {
        still_missing.insert(*asked);
        continue;
      }
      still_missing[ref] = now;
      sending.push_back(&monitor);
    }
    if (cleanups.empty()) monitor_requested_ = std::move(still_missing);
    if (!sending.empty()) {
      ++status_.transitions_total;
      TransitionStatus shown;
      shown.number = status_.transitions_total;
      shown.started_ms = now;
      result.events.push_back("transition " + std::to_string(shown.number) + ": " +
                              std::to_string(sending.size()) + " action(s) of " +
                              std::to_string(transition.actions.size()) + " planned");
      for (const placement::PlannedAction* planned : sending) {
        protocol::ActionRequest request = make_request(*planned, view->membership.ring_id);
        shown.actions.push_back({request.id, request.key, request.task, request.resource,
                                 planned->node, "in-flight", 0, ""});
        result.events.push_back("dispatch " + request.id + " " + request.key + " to " +
                                planned->node);
        const std::string incarnation =
            reports_.count(planned->node) != 0 ? reports_.at(planned->node).report.incarnation : "";
        in_flight_.push_back({request, planned->node, incarnation, now,
                              now + request.timeout_ms + options_.action_grace_ms,
                              shown.actions.size() - 1});
        result.dispatched.push_back(std::move(request));
      }
      status_.last_transition = std::move(shown);
    }
  }

  // A node is fenced by the fence command, or by the manifests' fencing
  // levels for it (the rule the daemon's fencer follows).
  auto can_fence = [this](const std::string& node) {
    return options_.fencing_available || !model::fence_levels_for(*manifests_, node).empty();
  };
  // A node back online may be withheld again, and logged again, later.
  std::erase_if(fences_withheld_, [&](const std::string& node) { return liveness_.online(node); });
  for (const std::string& node : liveness_.due_for_fencing(view, now, options_, can_fence)) {
    // Maintenance leaves the node alone: it stays unclean until the
    // self-fence time clears it (or, still in the ring, until maintenance
    // ends and it is fenced then).
    if (cluster_in_maintenance(*manifests_) || node_in_maintenance(*manifests_, reports_, node)) {
      if (fences_withheld_.insert(node).second)
        result.events.push_back("not fencing " + node + ": " +
                                (cluster_in_maintenance(*manifests_)
                                     ? "the cluster is in maintenance"
                                     : "it is in maintenance"));
      continue;
    }
    fences_withheld_.erase(node);
    FenceRequest fence{options_.id_prefix + "-fence-" + std::to_string(next_fence_++), node};
    liveness_.fence_started(node, fence.id, now);
    result.events.push_back("fencing " + node + " (" + fence.id + ")");
    result.fences.push_back(std::move(fence));
  }

  status_.plan.clear();
  for (const placement::PlannedAction& action : transition.actions) {
    if (action.pseudo) continue;
    status_.plan.push_back(action.key + (action.node.empty() ? "" : " on " + action.node) +
                           (action.runnable ? "" : " (blocked)"));
  }
  derive_status(transition, holds, view, std::move(held), now, result.events);
  // Against the status the last step handed out, not the one this step
  // began with: outcomes (on_report) change it between steps.
  result.status_changed = !(status_ == stepped_status_);
  stepped_status_ = status_;
  return result;
}

void Reconciler::derive_status(const placement::Transition& transition,
                               const std::vector<Hold>& holds,
                               const std::optional<QuorateView>& view,
                               std::vector<std::string> held, UnixMs now,
                               std::vector<std::string>& events) {
  const model::Manifests& m = *manifests_;
  status_.generation = generation_;
  status_.maintenance_mode = cluster_in_maintenance(m);
  status_.cluster.clear();
  if (!m.clusters.empty()) {
    const model::HACluster& cluster = m.clusters.front();
    status_.cluster = cluster.spec.membership.cluster_name.value_or(cluster.metadata.name);
  }
  status_.quorum = QuorumStatus{};
  if (view) {
    status_.quorum = {true,
                      view->reporter,
                      view->membership.ring_id,
                      view->members,
                      view->membership.expected_votes,
                      view->membership.total_votes,
                      view->membership.quorum};
  }

  status_.nodes.clear();
  std::vector<std::string> online;
  for (const auto& [name, life] : liveness_.nodes()) {
    NodeStatus node;
    node.name = name;
    node.state = std::string(to_string(life.health));
    if (life.health == Health::kOnline) {
      online.push_back(name);
      bool standby = false;
      for (const model::HANode& configured : m.nodes) {
        if (configured.metadata.name == name) standby = configured.spec.standby;
      }
      if (auto it = reports_.find(name); it != reports_.end()) {
        const auto& attributes = it->second.report.attributes;
        if (auto a = attributes.find("standby"); a != attributes.end())
          standby = is_true(a->second);
      }
      if (node_in_maintenance(m, reports_, name)) {
        node.state = "maintenance";
      } else if (standby) {
        node.state = "standby";
      }
    } else {
      node.reason = life.reason;
    }
    node.in_ring = life.in_ring;
    node.reporting = life.fresh;
    if (life.health == Health::kUnclean) {
      node.unclean_since = life.unclean_since;
      node.clears_at = liveness_.clears_at(life, options_);
    }
    node.cleared_by = life.cleared_by;
    node.fence_error = life.last_fence_error;
    status_.nodes.push_back(std::move(node));
  }

  status_.resources.clear();
  for (const placement::Assignment& assignment : transition.assignments) {
    ResourceStatus resource;
    resource.resource = assignment.resource;
    resource.role = std::string(model::to_string(assignment.role));
    for (const std::string& node : assignment.running_on) {
      if (liveness_.online(node)) {
        resource.running_on.push_back(node);
      } else {
        resource.presumed_on.push_back(node);
      }
    }
    for (const Hold& hold : holds) {
      if (hold.resource == assignment.resource &&
          std::find(resource.presumed_on.begin(), resource.presumed_on.end(), hold.node) ==
              resource.presumed_on.end())
        resource.presumed_on.push_back(hold.node);
    }
    if (resource.role == "Stopped" && !resource.presumed_on.empty())
      resource.role = hold_role(holds, assignment.resource);
    resource.failed = assignment.failed;
    resource.managed = assignment.managed;
    resource.next_node = assignment.node;
    resource.next_role = std::string(model::to_string(assignment.next_role));
    resource.reason = assignment.reason;
    status_.resources.push_back(std::move(resource));
  }

  status_.failed_operations.clear();
  status_.fail_counts.clear();
  for (const auto& [name, received] : reports_) {
    if (auto life = liveness_.nodes().find(name);
        life == liveness_.nodes().end() || life->second.health == Health::kOffline)
      continue;
    for (const protocol::ResourceReport& resource : received.report.resources) {
      for (const protocol::OpResult& op : resource.ops) {
        const placement::ExecStatus exec = exec_status(op.status);
        const bool failed =
            (exec != placement::ExecStatus::kDone && exec != placement::ExecStatus::kPending &&
             exec != placement::ExecStatus::kCancelled) ||
            (exec == placement::ExecStatus::kDone && op.rc != op.expected_rc);
        const bool probe_found_state =
            op.task == "monitor" && op.interval_ms == 0 && exec == placement::ExecStatus::kDone &&
            (op.rc == 0 || op.rc == kOcfNotRunning || op.rc == kOcfRunningPromoted);
        if (!failed || probe_found_state) continue;
        status_.failed_operations.push_back({resource.resource, name, op.task, op.interval_ms,
                                             op.rc, op.status, op.exit_reason,
                                             op.last_rc_change_unix});
      }
    }
    for (const protocol::FailCountReport& f : received.report.fail_counts) {
      if (f.count <= 0) continue;
      status_.fail_counts.push_back(
          {f.resource, name, f.operation, f.interval_ms, f.count, f.last_failure_unix});
    }
  }
  status_.cli_constraints.clear();
  for (const model::HAConstraint& constraint : m.constraints) {
    const auto& notes = constraint.metadata.annotations;
    auto by = notes.find(std::string(kCreatedByAnnotation));
    if (by == notes.end() || by->second != kCreatedByTandemctl || !constraint.spec.location)
      continue;
    const model::LocationConstraint& location = *constraint.spec.location;
    CliConstraintStatus shown;
    shown.name = constraint.metadata.name;
    shown.resource = location.resource.value_or("");
    shown.node = location.node.value_or("");
    shown.ban = location.score && location.score->value() < 0;
    if (auto expires = notes.find(std::string(kExpiresAnnotation)); expires != notes.end()) {
      UnixMs value = 0;
      const std::string& text = expires->second;
      if (std::from_chars(text.data(), text.data() + text.size(), value).ec == std::errc())
        shown.expires_ms = value;
    }
    status_.cli_constraints.push_back(std::move(shown));
  }
  status_.held = std::move(held);
  failovers_.update(status_.resources, online, now, options_.failover_history, status_, events);
}

Result<std::string> Reconciler::request_cleanup(const std::string& resource,
                                                const std::string& node) {
  if (!manifests_) return fail("no manifests are in force yet");
  std::vector<std::string> primitives;
  for (const model::HAGroup& group : manifests_->groups) {
    if (group.metadata.name == resource) primitives = group.spec.resources;
  }
  for (const model::HAResource& r : manifests_->resources) {
    if (r.metadata.name == resource) primitives.push_back(resource);
  }
  if (primitives.empty()) return fail("resource " + resource + " is not in the manifests");
  if (!node.empty() && !liveness_.nodes().contains(node))
    return fail("node " + node + " is not a node of the cluster");
  if (!node.empty() && !liveness_.online(node))
    return fail("node " + node + " is not online; a node that comes back is probed anew");

  auto ours = [&](const std::string& instance) {
    return std::find(primitives.begin(), primitives.end(), base_resource(instance)) !=
           primitives.end();
  };
  std::set<std::pair<std::string, std::string>> wanted;
  auto want = [&](const std::string& where, const std::string& instance) {
    if (ours(instance) && liveness_.online(where) && (node.empty() || where == node))
      wanted.insert({where, base_resource(instance)});
  };
  for (const FailedOperation& failed : status_.failed_operations)
    want(failed.node, failed.resource);
  for (const FailCountStatus& count : status_.fail_counts) want(count.node, count.resource);
  if (wanted.empty()) {
    return resource + " has no failures" +
           (node.empty() ? std::string(" on any online node") : " on " + node) +
           "; nothing to clean up";
  }
  std::string where;
  for (const auto& entry : wanted) {
    if (where.find(entry.first) == std::string::npos)
      where += (where.empty() ? "" : ", ") + entry.first;
    cleanups_.insert(entry);
  }
  return "cleaning up " + resource + " on " + where +
         ": its failures are forgotten and it is probed again";
}

std::vector<placement::PlannedAction> Reconciler::take_cleanups(
    const std::set<std::string>& online) {
  std::vector<placement::PlannedAction> out;
  for (const auto& [node, primitive] : cleanups_) {
    if (!online.contains(node)) continue;
    placement::PlannedAction action;
    action.key = primitive + "_cleanup_0";
    action.task = "cleanup";
    action.resource = primitive;
    action.node = node;
    out.push_back(std::move(action));
  }
  cleanups_.clear();
  return out;
}

std::vector<protocol::ActionRequest> Reconciler::pending_for(const std::string& node) const {
  std::vector<protocol::ActionRequest> out;
  for (const InFlight& action : in_flight_) {
    if (action.node == node) out.push_back(action.request);
  }
  return out;
}

bool Reconciler::has_pending(const std::string& node) const {
  return std::any_of(in_flight_.begin(), in_flight_.end(),
                     [&](const InFlight& action) { return action.node == node; });
}

}  // namespace tandem::reconcile
