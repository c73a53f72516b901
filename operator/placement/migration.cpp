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
  const int start = resource_action(ws, r, "start", target, true);
  const int stop = resource_action(ws, r, "stop", current, true);
  const int migrate_to = resource_action(ws, r, "migrate_to", current, true);
  const int migrate_from = resource_action(ws, r, "migrate_from", target, true);

  ws.action(start).flags |= kMigrateRunnable | kPseudo;
  ws.action(stop).flags |= kMigrateRunnable;
  ws.action(migrate_from).flags |= kMigrateRunnable;
  ws.action(migrate_to).flags |= kMigrateRunnable;
  ws.action(migrate_to).needs = ws.action(start).needs;

  // Probe, then migrate_to, then migrate_from; the stop and the (pseudo)
  // start come after, and an unrunnable migration falls back to them.
  order(ws, r, "monitor", r, "migrate_to", kOrderOptional);
  order(ws, r, "migrate_to", r, "migrate_from", kOrderOptional | kOrderImpliesFirstMigratable);
  order(ws, r, "migrate_from", r, "stop", kOrderOptional | kOrderImpliesFirstMigratable);
  order(ws, r, "migrate_from", r, "start",
        kOrderOptional | kOrderImpliesFirstMigratable | kOrderPseudoLeft);
}

void order_migration_equivalents(WorkingSet& ws, int first, const std::string& first_task,
                                 int then, const std::string& then_task) {
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
  } else if (then_migratable && first_task == "promote" && then_task == "start") {
    order(ws, first, "promote", then, "migrate_to", flags);
  } else if (then_migratable && first_task == "demote" && then_task == "stop") {
    order(ws, first, "demote", then, "migrate_to", flags);
  }
}

}  // namespace tandem::placement::detail
