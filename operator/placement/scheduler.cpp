// The phases in Pacemaker 2.1's order (pcmk__schedule_actions). Each is a
// function over the working set; their order matters as much as their
// content, since later phases read what earlier ones decided.

#include "operator/placement/assign.h"
#include "operator/placement/constraints.h"
#include "operator/placement/create_actions.h"
#include "operator/placement/criteria.h"
#include "operator/placement/digests.h"
#include "operator/placement/engine.h"
#include "operator/placement/fencing.h"
#include "operator/placement/history.h"
#include "operator/placement/internal.h"
#include "operator/placement/notifications.h"
#include "operator/placement/ordering.h"
#include "operator/placement/probes.h"
#include "operator/placement/setup.h"
#include "operator/placement/summary.h"
#include "operator/placement/utilization.h"

namespace tandem::placement {

Transition schedule(const model::Manifests& manifests, const ObservedState& observed,
                    const ScheduleOptions& options) {
  detail::WorkingSet ws;
  ws.record_scores = options.scores;
  detail::setup(ws, manifests, observed);
  detail::setup_utilization(ws);
  detail::unpack_history(ws, observed);
  detail::unpack_constraints(ws);
  detail::apply_node_criteria(ws);
  detail::create_internal_constraints(ws);
  detail::handle_config_changes(ws);
  detail::assign_resources(ws);
  detail::schedule_probes(ws);
  detail::create_resource_actions(ws);
  detail::schedule_fencing_and_shutdowns(ws);
  detail::apply_orderings(ws);
  detail::create_notifications(ws);
  return detail::summarize(ws);
}

std::string_view to_string(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kStart:
      return "start";
    case ChangeKind::kStop:
      return "stop";
    case ChangeKind::kMove:
      return "move";
    case ChangeKind::kMigrate:
      return "migrate";
    case ChangeKind::kRecover:
      return "recover";
    case ChangeKind::kRestart:
      return "restart";
    case ChangeKind::kPromote:
      return "promote";
    case ChangeKind::kDemote:
      return "demote";
    case ChangeKind::kReload:
      return "reload";
    case ChangeKind::kRePromote:
      return "re-promote";
    case ChangeKind::kFence:
      return "fence";
    case ChangeKind::kShutdown:
      return "shutdown";
  }
  return "unknown";
}

}  // namespace tandem::placement
