#pragma once

// Live migration (allow-migrate): a resource that moves is migrated
// (migrate_to on the old node, migrate_from on the new one) instead of
// stopped and started, when it and both nodes allow it. As in Pacemaker
// 2.1, the stop and start stay in the transition (the start as a
// pseudo-action), so that everything ordered around them still is.

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

// Pacemaker's pcmk__rsc_can_migrate: allowed, managed, not failed, no start
// pending, and both nodes clean.
bool can_migrate(const WorkingSet& ws, const Resource& rsc, int current);

// Turns the move of primitive `rsc` from `current` to its assigned node into
// a migration: its actions and their order.
void create_migration_actions(WorkingSet& ws, int rsc, int current);

// An ordering between two resources, one of them migratable, also orders
// their migration actions (Pacemaker's pcmk__order_migration_equivalents).
void order_migration_equivalents(WorkingSet& ws, int first, const std::string& first_task, int then,
                                 const std::string& then_task);

}  // namespace tandem::placement::detail

namespace tandem::placement::detail {

// What a successful migrate_to in a resource's history on `node` says
// (Pacemaker's unpack_migrate_to_success), judged against the history on
// the migration's other node.
struct MigrateToFinding {
  bool relevant = false;  // false: newer events on both nodes supersede it
  bool dangling = false;  // migrate_from done too, but the source never stopped
  int target = kNone;     // the node migrated to: the resource may be active there
  bool partial = false;   // migrate_from not done yet: the migration may continue
  bool failed = false;    // the target is gone: recover, do not migrate
};
MigrateToFinding judge_migrate_to(const WorkingSet& ws, const std::string& rsc, int node,
                                  const OpRecord& migrate_to);

}  // namespace tandem::placement::detail
