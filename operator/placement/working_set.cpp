#include "operator/placement/working_set.h"

#include "common/core/assert.h"

namespace tandem::placement::detail {

RoleX to_role_x(Role role) {
  switch (role) {
    case Role::kStopped:
      return RoleX::kStopped;
    case Role::kStarted:
      return RoleX::kStarted;
    case Role::kUnpromoted:
      return RoleX::kUnpromoted;
    case Role::kPromoted:
      return RoleX::kPromoted;
  }
  return RoleX::kUnknown;
}

const char* role_name(RoleX role) {
  switch (role) {
    case RoleX::kUnknown:
      return "Unknown";
    case RoleX::kStopped:
      return "Stopped";
    case RoleX::kStarted:
      return "Started";
    case RoleX::kUnpromoted:
      return "Unpromoted";
    case RoleX::kPromoted:
      return "Promoted";
  }
  return "Unknown";
}

int compare_on_fail(FailAction a, FailAction b) {
  // Demote sits just above ignore; everything else follows the enum order,
  // which runs from least to most severe.
  auto rank = [](FailAction f) {
    switch (f) {
      case FailAction::kIgnore:
        return 0;
      case FailAction::kDemote:
        return 1;
      case FailAction::kRecover:
        return 2;
      case FailAction::kRestartContainer:
        return 3;
      case FailAction::kMigrate:
        return 4;
      case FailAction::kBlock:
        return 5;
      case FailAction::kStop:
        return 6;
      case FailAction::kStandby:
        return 7;
      case FailAction::kFence:
        return 8;
    }
    return 0;
  };
  return rank(a) - rank(b);
}

int WorkingSet::find_node(const std::string& name) const {
  auto it = node_index.find(name);
  return it == node_index.end() ? kNone : it->second;
}

int WorkingSet::find_resource(const std::string& id) const {
  auto it = resource_index.find(id);
  return it == resource_index.end() ? kNone : it->second;
}

const std::vector<const FailCount*>& WorkingSet::fail_counts_for(int node) {
  TANDEM_ASSERT(node >= 0 && static_cast<std::size_t>(node) < nodes.size(),
                "fail counts of a known node");
  if (fail_counts_on.size() != nodes.size()) {
    fail_counts_on.assign(nodes.size(), {});
    if (observed != nullptr) {
      for (const FailCount& count : observed->fail_counts) {
        if (const int at = find_node(count.node); at != kNone) {
          fail_counts_on[static_cast<std::size_t>(at)].push_back(&count);
        }
      }
    }
  }
  return fail_counts_on[static_cast<std::size_t>(node)];
}

void WorkingSet::index_new_tasks() {
  for (std::size_t a = task_of_action.size(); a < actions.size(); ++a) {
    const auto [it, fresh] =
        task_ids.try_emplace(actions[a].task, static_cast<int>(task_ids.size()));
    task_of_action.push_back(it->second);
  }
}

int WorkingSet::task_id(const std::string& task) {
  index_new_tasks();
  const auto it = task_ids.find(task);
  return it == task_ids.end() ? kNone : it->second;
}

}  // namespace tandem::placement::detail
