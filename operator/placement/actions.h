#pragma once

// Creating and finding actions: a resource's start, stop, monitor... on a
// node, and node actions (fencing, shutdown). Creation follows Pacemaker's
// custom_action: an action is found again if it exists, becomes required
// when asked to, and is runnable only where its node, quorum and fencing
// allow.

#include <string>
#include <vector>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

std::string op_key(const std::string& rsc, const std::string& task, std::int64_t interval_ms);

// Finds or creates the action `task` of resource `rsc` on `node`; required
// unless `optional`.
int resource_action(WorkingSet& ws, int rsc, const std::string& task, int node, bool optional,
                    std::int64_t interval_ms = 0);

// The same, with a key other than "<rsc>_<task>_<interval>" (notifications:
// "<rsc>_pre_notify_start_0").
int keyed_action(WorkingSet& ws, int rsc, const std::string& key, const std::string& task, int node,
                 bool optional, std::int64_t interval_ms = 0);

// Pacemaker's pe__resource_actions: the resource's actions for `task` on
// `node` (any node when `node` is kNone and not `require_node`).
std::vector<int> find_actions(const WorkingSet& ws, int rsc, const std::string& task, int node,
                              bool require_node);
int find_action_by_key(const WorkingSet& ws, int rsc, const std::string& key, int node);

// Fencing of `node`; required (with `reason`) unless `optional`, and only if
// the node can be fenced.
int fence_action(WorkingSet& ws, int node, const std::string& fence_op, bool optional,
                 const std::string& reason);
bool can_fence(const WorkingSet& ws, int node);
// Marks a node unclean (Pacemaker's pe_fence_node); the first reason sticks.
void fence_node(WorkingSet& ws, int node, const std::string& reason);

int pseudo_action(WorkingSet& ws, int rsc, const std::string& task, bool optional);

void set_reason(Action& action, const std::string& reason, bool overwrite);

// The failure policy and fail role an operation of `rsc` has (Pacemaker's
// unpack_operation), for operations that may or may not be configured.
struct FailurePolicy {
  FailAction on_fail = FailAction::kRecover;
  RoleX fail_role = RoleX::kStarted;
};
FailurePolicy failure_policy(const WorkingSet& ws, const Resource& rsc, const std::string& task,
                             std::int64_t interval_ms);

bool node_available(const Node& node, bool consider_score, Score weight);

// Orders `first` before `then` (Pacemaker's order_actions); false when the
// same ordering already existed.
bool order_actions(WorkingSet& ws, int first, int then, std::uint32_t flags);

}  // namespace tandem::placement::detail
