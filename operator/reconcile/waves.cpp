#include "operator/reconcile/waves.h"

#include <algorithm>

namespace tandem::reconcile {

std::string base_resource(const std::string& instance) {
  return instance.substr(0, instance.find(':'));
}

bool conflicts(const placement::PlannedAction& action, const Hold& hold) {
  if (action.resource.empty() || action.node == hold.node) return false;
  const bool starts =
      action.task == "start" || action.task == "migrate_to" || action.task == "migrate_from";
  const bool promotes = action.task == "promote";
  if (!starts && !promotes) return false;
  const bool is_clone = action.resource.find(':') != std::string::npos;
  if (hold.resource == kAnyResource) return is_clone ? promotes : true;
  if (base_resource(action.resource) != base_resource(hold.resource)) return false;
  // Another instance of a clone is another copy by design; a second
  // promoted one is not.
  if (is_clone) return promotes && hold.promoted;
  return true;
}

bool sidecar_task(const placement::PlannedAction& action) {
  return !action.pseudo && !action.resource.empty() && !action.node.empty() &&
         action.task != "stonith" && action.task != "do_shutdown";
}

namespace {

// Completed actions of `transition`: real ones that succeeded, and
// pseudo-actions whose predecessors all completed (to a fixed point: each
// pass completes at least one more or stops, so `count` passes suffice).
std::vector<bool> completed(const placement::Transition& transition,
                            const std::vector<std::vector<std::size_t>>& before,
                            const std::set<std::string>& succeeded) {
  const std::size_t count = transition.actions.size();
  std::vector<bool> complete(count, false);
  for (std::size_t i = 0; i < count; ++i) {
    const placement::PlannedAction& action = transition.actions[i];
    if (!action.pseudo && succeeded.contains(action.key + "@" + action.node)) complete[i] = true;
  }
  for (std::size_t pass = 0; pass <= count; ++pass) {
    bool progress = false;
    for (std::size_t i = 0; i < count; ++i) {
      const placement::PlannedAction& action = transition.actions[i];
      if (complete[i] || !action.pseudo || !action.runnable) continue;
      if (std::all_of(before[i].begin(), before[i].end(),
                      [&](std::size_t b) { return complete[b]; })) {
        complete[i] = true;
        progress = true;
      }
    }
    if (!progress) break;
  }
  return complete;
}

std::vector<std::vector<std::size_t>> predecessors(const placement::Transition& transition) {
  const std::size_t count = transition.actions.size();
  std::vector<std::vector<std::size_t>> before(count);
  for (const placement::ActionOrder& order : transition.orders) {
    if (order.before < count && order.after < count) before[order.after].push_back(order.before);
  }
  return before;
}

}  // namespace

Wave next_wave(const placement::Transition& transition, const std::set<std::string>& online,
               const std::vector<Hold>& holds) {
  const std::size_t count = transition.actions.size();
  const auto before = predecessors(transition);
  const std::vector<bool> complete = completed(transition, before, {});
  Wave wave;
  for (std::size_t i = 0; i < count; ++i) {
    const placement::PlannedAction& action = transition.actions[i];
    if (!action.runnable || !sidecar_task(action) || !online.contains(action.node)) continue;
    if (!std::all_of(before[i].begin(), before[i].end(),
                     [&](std::size_t b) { return complete[b]; }))
      continue;
    auto hold = std::find_if(holds.begin(), holds.end(),
                             [&](const Hold& h) { return conflicts(action, h); });
    if (hold != holds.end()) {
      wave.held.push_back(
          action.key + " on " + action.node + " waits: " + hold->node +
          " is unclean and presumed to run " +
          (hold->resource == kAnyResource ? std::string("anything") : hold->resource));
      continue;
    }
    wave.ready.push_back(i);
  }
  return wave;
}

}  // namespace tandem::reconcile
