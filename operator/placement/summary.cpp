#include "operator/placement/summary.h"

#include <algorithm>
#include <set>

#include "operator/placement/assign.h"
#include "operator/placement/clone.h"

namespace tandem::placement::detail {
namespace {

std::optional<model::Role> to_model(RoleX role) {
  switch (role) {
    case RoleX::kStopped:
      return model::Role::kStopped;
    case RoleX::kStarted:
      return model::Role::kStarted;
    case RoleX::kUnpromoted:
      return model::Role::kUnpromoted;
    case RoleX::kPromoted:
      return model::Role::kPromoted;
    case RoleX::kUnknown:
      break;
  }
  return std::nullopt;
}

// Pacemaker's pe__resource_actions without a required node: the oldest
// action for `task` on `node`, or on no node; any node when kNone.
int first_action(const WorkingSet& ws, const Resource& rsc, const std::string& task, int node) {
  for (int a : rsc.actions) {
    const Action& action = ws.action(a);
    if (action.task != task || action.interval_ms != 0) continue;
    if (node == kNone || action.node == node) return a;
  }
  return kNone;
}

struct Summarizer {
  WorkingSet& ws;
  Transition& out;

  void item(ChangeKind kind, const Resource& rsc, int origin, int destination, int action,
            int source) {
    Change change;
    change.kind = kind;
    change.resource = rsc.id;
    if (origin != kNone) change.from_node = ws.node(origin).name;
    if (destination != kNone) change.to_node = ws.node(destination).name;
    if (destination == kNone && kind == ChangeKind::kRecover) change.to_node = change.from_node;
    // Roles only where Pacemaker shows them: promotable or promoted ones.
    const bool need_role = rsc.role > RoleX::kStarted || rsc.next_role > RoleX::kUnpromoted;
    if (need_role) {
      change.from_role = to_model(rsc.role);
      if (destination != kNone) {
        change.to_role = to_model(rsc.next_role);
      } else if (kind == ChangeKind::kRecover) {
        change.to_role = change.from_role;
      }
    }
    if (source == kNone) source = action;
    const bool runnable = action != kNone && ws.action(action).has(kRunnable);
    change.blocked = !runnable;
    if (source != kNone) change.reason = ws.action(source).reason;
    out.changes.push_back(std::move(change));
  }

  bool has(int a, ActionFlag flag) const { return a != kNone && ws.action(a).has(flag); }

  // Pacemaker's rsc_action_default: which single change describes what
  // happens to a resource.
  void describe(Resource& rsc, int current, int next) {
    if (!rsc.managed || (current == kNone && next == kNone)) return;
    const bool moving = current != kNone && next != kNone && current != next;
    const int start = first_action(ws, rsc, "start", next);
    const int start_node = (start == kNone || !has(start, kRunnable)) ? kNone : current;
    int stop = first_action(ws, rsc, "stop", start_node);
    if (stop == kNone && rsc.stop_unexpected) stop = first_action(ws, rsc, "stop", kNone);
    const int promote = first_action(ws, rsc, "promote", next);
    const int demote = first_action(ws, rsc, "demote", next);

    if (rsc.role == rsc.next_role) {
      if (next == kNone) return;
      const int migrate_from = first_action(ws, rsc, "migrate_from", next);
      if (migrate_from != kNone && current != kNone && has(migrate_from, kRunnable)) {
        item(ChangeKind::kMigrate, rsc, current, next, start, kNone);
      } else if (rsc.reload) {
        item(ChangeKind::kReload, rsc, current, next, start, kNone);
      } else if (start == kNone || has(start, kOptional)) {
        if (demote != kNone && promote != kNone && !has(demote, kOptional) &&
            !has(promote, kOptional)) {
          item(ChangeKind::kRePromote, rsc, current, next, promote, demote);
        }
      } else if (!has(start, kRunnable)) {
        item(ChangeKind::kStop, rsc, current, kNone, stop,
             stop != kNone && !ws.action(stop).reason.empty() ? stop : start);
      } else if (moving && current != kNone) {
        item(rsc.failed ? ChangeKind::kRecover : ChangeKind::kMove, rsc, current, next, stop,
             kNone);
      } else if (rsc.failed) {
        item(ChangeKind::kRecover, rsc, current, kNone, stop, kNone);
      } else {
        item(ChangeKind::kRestart, rsc, current, next, start, kNone);
      }
      return;
    }

    if (stop != kNone &&
        (rsc.next_role == RoleX::kStopped || (start != kNone && !has(start, kRunnable)))) {
      for (int node : rsc.running_on) {
        int stop_on = kNone;
        for (int a : rsc.actions) {
          const Action& action = ws.action(a);
          if (action.task == "stop" && action.interval_ms == 0 &&
              (action.node == node || action.node == kNone)) {
            stop_on = a;
            break;
          }
        }
        item(ChangeKind::kStop, rsc, node, kNone, stop_on,
             stop_on != kNone && !ws.action(stop_on).reason.empty() ? stop_on : start);
      }
    } else if (stop != kNone && rsc.failed && rsc.stop_required) {
      item(ChangeKind::kRecover, rsc, current, next, stop, start);
    } else if (moving) {
      item(ChangeKind::kMove, rsc, current, next, stop, kNone);
    } else if (rsc.reload) {
      item(ChangeKind::kReload, rsc, current, next, start, kNone);
    } else if (stop != kNone && !has(stop, kOptional)) {
      item(ChangeKind::kRestart, rsc, current, next, start, kNone);
    } else if (rsc.role == RoleX::kPromoted) {
      item(ChangeKind::kDemote, rsc, current, next, demote, kNone);
    } else if (rsc.next_role == RoleX::kPromoted) {
      item(ChangeKind::kPromote, rsc, current, next, promote, kNone);
    } else if (rsc.role == RoleX::kStopped && rsc.next_role > RoleX::kStopped) {
      item(ChangeKind::kStart, rsc, current, next, start, kNone);
    }
  }

  void resource_changes(int r) {
    Resource& rsc = ws.rsc(r);
    if (!rsc.children.empty()) {
      for (int child : rsc.children) resource_changes(child);
      return;
    }
    const int next = rsc.assigned;
    int current = kNone;
    if (!rsc.running_on.empty()) {
      current = current_node(ws, rsc);
      // Recovery may have reset the role while creating actions.
      if (rsc.role == RoleX::kStopped) rsc.role = RoleX::kStarted;
    }
    if (current == kNone && rsc.orphan) return;
    describe(rsc, current, next);
  }

  void node_changes() {
    for (std::size_t i = ws.actions.size(); i-- > 0;) {
      const Action& action = ws.action(static_cast<int>(i));
      if (action.rsc != kNone || action.has(kOptional) || action.node == kNone) continue;
      Change change;
      change.node = ws.node(action.node).name;
      change.reason = action.reason;
      if (action.task == "stonith") {
        change.kind = ChangeKind::kFence;
        change.fence_action = action.fence_action;
      } else if (action.task == "do_shutdown") {
        // Pacemaker lists shutdowns only among the actions it executes.
        if (!action.has(kRunnable)) continue;
        change.kind = ChangeKind::kShutdown;
      } else {
        continue;
      }
      out.changes.push_back(std::move(change));
    }
  }

  // Whether the action is part of the graph the operator carries out
  // (Pacemaker's should_add_action_to_graph).
  bool executes(const Action& action) const {
    if (!action.has(kRunnable)) return false;
    if (action.has(kOptional) && !action.has(kPrintAlways)) return false;
    // Unmanaged resources are left alone, monitors aside.
    if (action.rsc != kNone && !ws.rsc(action.rsc).managed && action.task != "monitor" &&
        action.interval_ms == 0) {
      return false;
    }
    if (action.has(kPseudo) || action.task == "stonith" || action.task == "do_shutdown") {
      return true;
    }
    if (action.node == kNone) return false;
    const Node& node = ws.node(action.node);
    return action.has(kDc) || (node.online && !node.unclean);
  }

  // Where everything runs once every required, runnable action succeeded.
  void placement() {
    std::set<int> fenced;
    for (const Action& action : ws.actions) {
      // Unfencing ("on") lets a node back in: nothing stops there.
      if (action.rsc == kNone && action.task == "stonith" && action.fence_action != "on" &&
          executes(action)) {
        fenced.insert(action.node);
      }
    }
    for (std::size_t r = 0; r < ws.resources.size(); ++r) {
      const Resource& rsc = ws.resources[r];
      if (rsc.variant != Variant::kPrimitive) continue;
      const bool promotable = is_promotable_instance(ws, static_cast<int>(r));
      struct Entry {
        int node;
        RoleX role;
        bool failed;
      };
      std::vector<Entry> entries;
      for (int node : rsc.running_on) {
        RoleX role = rsc.role <= RoleX::kStopped ? RoleX::kStarted : rsc.role;
        entries.push_back({node, role, rsc.failed});
      }
      auto erase_node = [&](int node) {
        entries.erase(std::remove_if(entries.begin(), entries.end(),
                                     [&](const Entry& e) { return e.node == node; }),
                      entries.end());
      };
      for (int node : fenced) erase_node(node);
      for (int a : rsc.actions) {
        const Action& action = ws.action(a);
        if (!executes(action) || action.interval_ms != 0 || action.node == kNone) continue;
        if (action.task == "stop") erase_node(action.node);
      }
      for (int a : rsc.actions) {
        const Action& action = ws.action(a);
        if (!executes(action) || action.interval_ms != 0 || action.node == kNone) continue;
        if (action.task == "start") {
          erase_node(action.node);
          entries.push_back({action.node, RoleX::kStarted, false});
        }
      }
      for (int a : rsc.actions) {
        const Action& action = ws.action(a);
        if (!executes(action) || action.node == kNone) continue;
        for (Entry& entry : entries) {
          if (entry.node != action.node) continue;
          if (action.task == "promote") entry.role = RoleX::kPromoted;
          if (action.task == "demote") {
            entry.role = RoleX::kUnpromoted;
            // on-fail=demote: a successful demote clears the failure.
            if (!rsc.stop_required) entry.failed = false;
          }
        }
      }
      for (const Entry& entry : entries) {
        Placed placed;
        placed.resource = rsc.id;
        placed.node = ws.node(entry.node).name;
        // Only promotable resources show the unpromoted role.
        placed.role = entry.role == RoleX::kPromoted ? model::Role::kPromoted
                      : promotable                   ? model::Role::kUnpromoted
                                                     : model::Role::kStarted;
        placed.failed = entry.failed;
        out.placement.push_back(std::move(placed));
      }
    }
  }

  void actions() {
    std::vector<int> index(ws.actions.size(), -1);
    for (const Action& action : ws.actions) {
      if (action.has(kOptional)) continue;
      PlannedAction planned;
      planned.id = action.id;
      planned.key = action.key;
      planned.task = action.task;
      if (action.rsc != kNone) planned.resource = ws.rsc(action.rsc).id;
      if (action.node != kNone) planned.node = ws.node(action.node).name;
      planned.runnable = action.has(kRunnable);
      planned.pseudo = action.has(kPseudo);
      planned.reason = action.reason;
      planned.meta = action.meta;
      index[static_cast<std::size_t>(action.id)] = static_cast<int>(out.actions.size());
      out.actions.push_back(std::move(planned));
    }
    for (const Action& action : ws.actions) {
      const int after = index[static_cast<std::size_t>(action.id)];
      if (after < 0) continue;
      for (const ActionEdge& edge : action.before) {
        const int before = index[static_cast<std::size_t>(edge.action)];
        if (before < 0 || edge.type == kOrderNone) continue;
        out.orders.push_back({static_cast<std::size_t>(before), static_cast<std::size_t>(after)});
      }
    }
  }

  void scores() {
    for (const ScoreRecord& record : ws.assignment_scores) {
      out.scores.push_back(
          {record.stage, ws.rsc(record.rsc).id, ws.node(record.node).name, record.score});
    }
  }

  void explanations() {
    if (!ws.record_scores) return;
    for (const ScoreEvent& event : ws.score_events) {
      out.score_reasons.push_back({ws.rsc(event.rsc).id, ws.node(event.node).name, event.change,
                                   event.absolute, event.reason});
    }
    for (const Resource& rsc : ws.resources) {
      if (rsc.variant != Variant::kPrimitive) continue;
      Assignment assignment;
      assignment.resource = rsc.id;
      for (int node : rsc.running_on) assignment.running_on.push_back(ws.node(node).name);
      if (rsc.assigned != kNone) assignment.node = ws.node(rsc.assigned).name;
      assignment.role = to_model(rsc.role).value_or(model::Role::kStopped);
      assignment.next_role = to_model(rsc.next_role).value_or(model::Role::kStopped);
      assignment.managed = rsc.managed;
      assignment.failed = rsc.failed;
      if (rsc.next_role == RoleX::kStopped) assignment.reason = rsc.next_role_reason;
      out.assignments.push_back(std::move(assignment));
    }
    for (const Decision& decision : ws.decisions) {
      const std::string& id = ws.rsc(decision.rsc).id;
      for (Assignment& assignment : out.assignments) {
        if (assignment.resource != id) continue;
        if (!decision.why.empty()) assignment.reason = decision.why;
        for (const Candidate& candidate : decision.candidates) {
          assignment.candidates.push_back({ws.node(candidate.node).name, candidate.weight,
                                           candidate.available, candidate.assigned,
                                           candidate.current});
        }
      }
    }
  }

  void node_states() {
    for (const Node& node : ws.nodes) {
      std::string state;
      if (node.unclean) {
        state = node.online ? "unclean" : "unclean (offline)";
      } else if (!node.online) {
        state = "offline";
      } else if (node.pending) {
        state = "pending";
      } else if (node.maintenance) {
        state = "maintenance";
      } else if (node.standby) {
        state = node.standby_onfail ? "standby (on-fail)" : "standby";
      } else {
        state = "online";
      }
      out.node_states[node.name] = state;
    }
  }
};

}  // namespace

Transition summarize(WorkingSet& ws) {
  Transition out;
  Summarizer summarizer{ws, out};
  summarizer.node_changes();
  for (int r : ws.top_level) summarizer.resource_changes(r);
  summarizer.placement();
  summarizer.actions();
  summarizer.scores();
  summarizer.explanations();
  summarizer.node_states();
  return out;
}

}  // namespace tandem::placement::detail
