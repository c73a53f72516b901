#include "operator/placement/migration.h"

#include "operator/placement/actions.h"
#include "operator/placement/constraints.h"

namespace tandem::placement::detail {
namespace {

bool is_ancestor(const WorkingSet& ws, int ancestor, int r) {
  for (int p = ws.rsc(r).parent; p != kNone; p = ws.rsc(p).parent) {
    if (p == ancestor) return true;
  }
  return false;
}

// Pushed directly rather than through order_resources: an equivalent
// ordering has no equivalents of its own.
void order(WorkingSet& ws, int first, const std::string& first_task, int then,
           const std::string& then_task, std::uint32_t flags) {
  Ordering ordering;
  ordering.first_rsc = first;
  ordering.first_task = first_task;
  ordering.then_rsc = then;
  ordering.then_task = then_task;
  ordering.flags = flags;
  ws.orderings.push_back(std::move(ordering));
}

}  // namespace

bool can_migrate(const WorkingSet& ws, const Resource& rsc, int current) {
  if (!rsc.allow_migrate || !rsc.managed || rsc.failed || rsc.start_pending) return false;
  if (current == kNone || ws.node(current).unclean) return false;
  return rsc.assigned != kNone && !ws.node(rsc.assigned).unclean;
}

void create_migration_actions(WorkingSet& ws, int r, int current) {
  const int target = ws.rsc(r).assigned;
  // A migration found half done goes on with migrate_from.
  const bool partial = ws.rsc(r).partial_target != kNone;
  const int start = resource_action(ws, r, "start", target, true);
  const int stop = resource_action(ws, r, "stop", current, true);
  const int migrate_to = partial ? kNone : resource_action(ws, r, "migrate_to", current, true);
  const int migrate_from = resource_action(ws, r, "migrate_from", target, true);

  ws.action(start).flags |= kMigrateRunnable | kPseudo;
  ws.action(stop).flags |= kMigrateRunnable;
  ws.action(migrate_from).flags |= kMigrateRunnable;
  if (partial) {
    ws.action(migrate_from).needs = ws.action(start).needs;
    order(ws, r, "monitor", r, "migrate_from", kOrderOptional);
  } else {
    ws.action(migrate_to).flags |= kMigrateRunnable;
    ws.action(migrate_to).needs = ws.action(start).needs;
    // Probe, then migrate_to, then migrate_from; the stop and the (pseudo)
    // start come after, and an unrunnable migration falls back to them.
    order(ws, r, "monitor", r, "migrate_to", kOrderOptional);
    order(ws, r, "migrate_to", r, "migrate_from", kOrderOptional | kOrderImpliesFirstMigratable);
  }
  order(ws, r, "migrate_from", r, "stop", kOrderOptional | kOrderImpliesFirstMigratable);
  order(ws, r, "migrate_from", r, "start",
        kOrderOptional | kOrderImpliesFirstMigratable | kOrderPseudoLeft);
}

void order_migration_equivalents(WorkingSet& ws, int first, const std::string& first_task, int then,
                                 const std::string& then_task) {
  if (first == kNone || then == kNone || first == then || is_ancestor(ws, first, then) ||
      is_ancestor(ws, then, first)) {
    return;
  }
  const bool first_migratable = ws.rsc(first).allow_migrate;
  const bool then_migratable = ws.rsc(then).allow_migrate;
  if (!first_migratable && !then_migratable) return;
  // Pacemaker leaves some of these out of the graph when the first action
  // is part of a migration; they never change whether anything runs.
  const std::uint32_t flags = kOrderOptional;
  if (first_task == "start" && then_task == "start") {
    if (first_migratable && then_migratable) {
      order(ws, first, "migrate_from", then, "migrate_to", flags);
    }
    if (then_migratable) order(ws, first, "start", then, "migrate_to", flags);
  } else if (then_migratable && first_task == "stop" && then_task == "stop") {
    order(ws, first, "stop", then, "migrate_to", flags);
    if (ws.rsc(then).partial_target != kNone) order(ws, first, "stop", then, "migrate_from", flags);
  } else if (then_migratable && first_task == "promote" && then_task == "start") {
    order(ws, first, "promote", then, "migrate_to", flags);
  } else if (then_migratable && first_task == "demote" && then_task == "stop") {
    order(ws, first, "demote", then, "migrate_to", flags);
    if (ws.rsc(then).partial_target != kNone) {
      order(ws, first, "demote", then, "migrate_from", flags);
    }
  }
}

}  // namespace tandem::placement::detail

namespace tandem::placement::detail {
namespace {

const std::vector<OpRecord>* history_of(const WorkingSet& ws, const std::string& rsc,
                                        const std::string& node) {
  for (const ResourceHistory& history : ws.observed->history) {
    if (history.resource == rsc && history.node == node) return &history.ops;
  }
  return nullptr;
}

// Pacemaker's pe__is_newer_op: by call id on the same node (a pending call
// is newest), else by the time the result last changed.
int newer(const OpRecord& a, const OpRecord& b, bool same_node) {
  if (same_node) {
    if (a.call_id == -1 && b.call_id == -1) return 0;
    if (a.call_id == -1) return 1;
    if (b.call_id == -1) return -1;
    return a.call_id > b.call_id ? 1 : a.call_id < b.call_id ? -1 : 0;
  }
  if (a.last_rc_change && b.last_rc_change) {
    if (*a.last_rc_change > *b.last_rc_change) return 1;
    if (*a.last_rc_change < *b.last_rc_change) return -1;
  }
  return 0;
}

// A start, stop or migration on `ops` newer than `than`.
bool state_change_after(const std::vector<OpRecord>* ops, const OpRecord& than, bool same_node) {
  if (ops == nullptr) return false;
  for (const OpRecord& op : *ops) {
    if (&op == &than) continue;
    const bool changes_state = op.task == "start" || op.task == "stop" || op.task == "migrate_to" ||
                               op.task == "migrate_from";
    if (changes_state && newer(op, than, same_node) > 0) return true;
  }
  return false;
}

// A monitor on `ops` newer than `than` that found the resource stopped.
bool found_stopped_after(const std::vector<OpRecord>* ops, const OpRecord& than, bool same_node) {
  if (ops == nullptr) return false;
  for (const OpRecord& op : *ops) {
    if (&op != &than && op.task == "monitor" && op.rc == 7 && newer(op, than, same_node) > 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

MigrateToFinding judge_migrate_to(const WorkingSet& ws, const std::string& rsc, int node,
                                  const OpRecord& migrate_to) {
  MigrateToFinding finding;
  if (!migrate_to.migrate_target) return finding;
  const std::string source = migrate_to.migrate_source.value_or(ws.node(node).name);
  const std::string& target = *migrate_to.migrate_target;
  const std::vector<OpRecord>* source_ops = history_of(ws, rsc, source);
  const std::vector<OpRecord>* target_ops = history_of(ws, rsc, target);

  const bool source_newer = state_change_after(source_ops, migrate_to, true);
  const OpRecord* migrate_from = nullptr;
  if (target_ops != nullptr) {
    for (const OpRecord& op : *target_ops) {
      if (op.task == "migrate_from" && op.migrate_source.value_or(source) == source) {
        migrate_from = &op;
      }
    }
  }
  if (migrate_from != nullptr && source_newer) return finding;

  // Newer events on the target: compared with the migrate_from there by
  // call id, else with the migrate_to by time.
  const OpRecord& reference = migrate_from != nullptr ? *migrate_from : migrate_to;
  const bool same_node = migrate_from != nullptr;
  const bool target_newer = state_change_after(target_ops, reference, same_node) ||
                            found_stopped_after(target_ops, reference, same_node);
  if (source_newer && target_newer) return finding;

  finding.relevant = true;
  if (migrate_from != nullptr && migrate_from->rc == 0 &&
      migrate_from->status == ExecStatus::kDone) {
    finding.dangling = true;
    return finding;
  }
  finding.target = ws.find_node(target);
  const bool target_up = finding.target != kNone && ws.node(finding.target).online;
  if (migrate_from == nullptr) {
    // Even with a stop on the source since, it may still run on the target.
    finding.partial = target_up && ws.node(node).online;
    // The migrate_to is the last word on the source, and the target is
    // gone: it is failed here, and must restart rather than migrate.
    finding.failed = !target_up && !source_newer;
  }
  return finding;
}

}  // namespace tandem::placement::detail
