#include "operator/placement/actions.h"

#include <algorithm>

#include "common/core/assert.h"

namespace tandem::placement::detail {
namespace {

const OpConfig* find_op_config(const Resource& rsc, const std::string& task,
                               std::int64_t interval_ms) {
  for (const OpConfig& op : rsc.ops) {
    if (op.name == task && op.interval_ms == interval_ms) return &op;
  }
  // Migrations and notifications fall back to the generic entries.
  if (task == "migrate_to" || task == "migrate_from") {
    for (const OpConfig& op : rsc.ops) {
      if (op.name == "migrate" && op.interval_ms == 0) return &op;
    }
  }
  return nullptr;
}

FailAction from_model(model::OnFail on_fail) {
  switch (on_fail) {
    case model::OnFail::kIgnore:
      return FailAction::kIgnore;
    case model::OnFail::kBlock:
      return FailAction::kBlock;
    case model::OnFail::kStop:
      return FailAction::kStop;
    case model::OnFail::kRestart:
      return FailAction::kRecover;
    case model::OnFail::kStandby:
      return FailAction::kStandby;
    case model::OnFail::kFence:
      return FailAction::kFence;
    case model::OnFail::kDemote:
      return FailAction::kDemote;
    case model::OnFail::kRestartContainer:
      return FailAction::kRestartContainer;
  }
  return FailAction::kRecover;
}

// Pacemaker's effective no-quorum policy for an action of `rsc`.
model::NoQuorumPolicy effective_quorum_policy(WorkingSet& ws, Resource& rsc) {
  if (ws.have_quorum) return model::NoQuorumPolicy::kIgnore;
  model::NoQuorumPolicy policy = ws.no_quorum_policy();
  if (policy == model::NoQuorumPolicy::kDemote) {
    if (rsc.role == RoleX::kPromoted || rsc.role == RoleX::kUnpromoted) {
      if (rsc.next_role > RoleX::kUnpromoted) {
        rsc.next_role = RoleX::kUnpromoted;
        rsc.next_role_reason = "no-quorum-policy=demote";
      }
      return model::NoQuorumPolicy::kIgnore;
    }
    return model::NoQuorumPolicy::kStop;
  }
  return policy;
}

bool is_active(const WorkingSet& ws, const Resource& rsc) {
  (void)ws;
  return !rsc.running_on.empty();
}

void update_runnable(WorkingSet& ws, Action& action, bool for_graph) {
  if (action.has(kPseudo)) return;
  if (action.node == kNone) {
    action.flags &= ~kRunnable;
    return;
  }
  Node& node = ws.node(action.node);
  Resource& rsc = ws.rsc(action.rsc);
  if (!action.has(kDc) && !node.online) {
    action.flags &= ~kRunnable;
    if (rsc.managed && for_graph && action.task == "stop" && !node.unclean) {
      fence_node(ws, action.node, "stop is unrunnable");
    }
  } else if (!action.has(kDc) && node.pending) {
    action.flags &= ~kRunnable;
  } else if (action.needs == Requirement::kNothing) {
    set_reason(action, "", true);
    action.flags |= kRunnable;
  } else {
    switch (effective_quorum_policy(ws, rsc)) {
      case model::NoQuorumPolicy::kStop:
        action.flags &= ~kRunnable;
        set_reason(action, "no quorum", true);
        break;
      case model::NoQuorumPolicy::kFreeze:
        if (!is_active(ws, rsc) || rsc.next_role > rsc.role) {
          action.flags &= ~kRunnable;
          set_reason(action, "quorum freeze", true);
        }
        break;
      default:
        action.flags |= kRunnable;
        break;
    }
  }
}

}  // namespace

std::string op_key(const std::string& rsc, const std::string& task, std::int64_t interval_ms) {
  return rsc + "_" + task + "_" + std::to_string(interval_ms);
}

void set_reason(Action& action, const std::string& reason, bool overwrite) {
  if (!action.reason.empty() && !overwrite) return;
  action.reason = reason;
}

bool node_available(const Node& node, bool consider_score, Score weight) {
  if (!node.online || node.shutdown || node.unclean || node.standby || node.maintenance) {
    return false;
  }
  return !(consider_score && weight < Score::of(0));
}

FailurePolicy failure_policy(const WorkingSet& ws, const Resource& rsc, const std::string& task,
                             std::int64_t interval_ms) {
  FailurePolicy policy;
  std::optional<model::OnFail> value;
  if (const OpConfig* op = find_op_config(rsc, task, interval_ms); op != nullptr)
    value = op->on_fail;
  if (!value) value = ws.cluster.operation_defaults.on_fail;
  if (task == "stop" && value &&
      (*value == model::OnFail::kStandby || *value == model::OnFail::kDemote ||
       *value == model::OnFail::kStop)) {
    value.reset();  // not allowed for stop: back to the default
  }
  if (task == "demote" && !value) {
    // A demote fails as the promoted monitor would.
    for (const OpConfig& op : rsc.ops) {
      if (op.name == "monitor" && op.role == Role::kPromoted && op.interval_ms > 0 && op.on_fail &&
          *op.on_fail != model::OnFail::kDemote) {
        value = op.on_fail;
        break;
      }
    }
  }
  if (value) {
    policy.on_fail = from_model(*value);
    // Without a container there is nothing to restart but the resource.
    if (policy.on_fail == FailAction::kRestartContainer && rsc.container == kNone) {
      policy.on_fail = FailAction::kRecover;
    }
    if (policy.on_fail == FailAction::kFence && !ws.fencing_enabled()) {
      policy.on_fail = FailAction::kStop;
    }
    if (policy.on_fail == FailAction::kStop) policy.fail_role = RoleX::kStopped;
  } else if (rsc.container != kNone) {
    policy.on_fail = FailAction::kRestartContainer;  // stops too: the container goes
  } else if (task == "stop") {
    policy.on_fail = ws.fencing_enabled() ? FailAction::kFence : FailAction::kBlock;
  } else {
    policy.on_fail = FailAction::kRecover;
  }
  if (policy.fail_role == RoleX::kStarted && task == "promote")
    policy.fail_role = RoleX::kUnpromoted;
  return policy;
}

int find_action_by_key(const WorkingSet& ws, int rsc, const std::string& key, int node) {
  const std::vector<int>& list = rsc == kNone ? std::vector<int>() : ws.rsc(rsc).actions;
  for (int index : list) {
    const Action& action = ws.action(index);
    if (action.key == key && (node == kNone || action.node == node || action.node == kNone)) {
      if (node == kNone || action.node == node) return index;
    }
  }
  return kNone;
}

std::vector<int> find_actions(const WorkingSet& ws, int rsc, const std::string& task, int node,
                              bool require_node) {
  std::vector<int> out;
  for (int index : ws.rsc(rsc).actions) {
    const Action& action = ws.action(index);
    if (action.task != task || action.interval_ms != 0) continue;
    if (node == kNone) {
      if (require_node && action.node != kNone) continue;
      out.push_back(index);
    } else if (action.node == node) {
      out.push_back(index);
    } else if (!require_node && action.node == kNone) {
      out.push_back(index);
    }
  }
  return out;
}

int resource_action(WorkingSet& ws, int rsc, const std::string& task, int node, bool optional,
                    std::int64_t interval_ms) {
  return keyed_action(ws, rsc, op_key(ws.rsc(rsc).id, task, interval_ms), task, node, optional,
                      interval_ms);
}

int keyed_action(WorkingSet& ws, int rsc, const std::string& key, const std::string& task, int node,
                 bool optional, std::int64_t interval_ms) {
  // Pacemaker's find_existing_action: the oldest action with the key, on
  // the node, or on no node yet (which then gets the node).
  int index = kNone;
  for (int candidate : ws.rsc(rsc).actions) {
    Action& action = ws.action(candidate);
    if (action.key != key) continue;
    if (node == kNone || action.node == node) {
      index = candidate;
      break;
    }
    if (action.node == kNone) {
      action.node = node;
      index = candidate;
      break;
    }
  }
  if (index == kNone) {
    Action action;
    action.id = static_cast<int>(ws.actions.size());
    action.rsc = rsc;
    action.node = node;
    action.task = task;
    action.key = key;
    action.interval_ms = interval_ms;
    action.flags = kRunnable | (optional ? kOptional : 0u);
    Resource& resource = ws.rsc(rsc);
    if (task == "start" || task == "promote") {
      action.needs = resource.requires_;
    } else {
      action.needs = Requirement::kNothing;
    }
    FailurePolicy policy = failure_policy(ws, resource, task, interval_ms);
    action.on_fail = policy.on_fail;
    action.fail_role = policy.fail_role;
    ws.actions.push_back(std::move(action));
    index = static_cast<int>(ws.actions.size()) - 1;
    ws.rsc(rsc).actions.push_back(index);
  }
  Action& action = ws.action(index);
  // A non-recurring action of an unmanaged resource stays optional.
  if (action.node != kNone && !action.has(kPseudo) && !ws.rsc(rsc).managed &&
      action.interval_ms == 0) {
    action.flags |= kOptional;
  } else if (!optional) {
    action.flags &= ~kOptional;
  }
  update_runnable(ws, action, true);
  return index;
}

int pseudo_action(WorkingSet& ws, int rsc, const std::string& task, bool optional) {
  int index = resource_action(ws, rsc, task, kNone, optional);
  ws.action(index).flags |= kPseudo | kRunnable;
  return index;
}

bool can_fence(const WorkingSet& ws, int node) {
  if (!ws.fencing_enabled() || !ws.have_fence_device) return false;
  if (ws.have_quorum) return true;
  if (ws.no_quorum_policy() == model::NoQuorumPolicy::kIgnore) return true;
  return node != kNone && ws.node(node).online;
}

int fence_action(WorkingSet& ws, int node, const std::string& fence_op, bool optional,
                 const std::string& reason) {
  const std::string op = fence_op.empty()
                             ? std::string(model::to_string(ws.cluster.options.fencing_action))
                             : fence_op;
  const std::string key = "stonith-" + ws.node(node).name + "-" + op;
  int index = kNone;
  for (std::size_t i = 0; i < ws.actions.size(); ++i) {
    if (ws.actions[i].rsc == kNone && ws.actions[i].key == key) index = static_cast<int>(i);
  }
  if (index == kNone) {
    Action action;
    action.id = static_cast<int>(ws.actions.size());
    action.node = node;
    action.task = "stonith";
    action.key = key;
    action.fence_action = op;
    action.flags = kRunnable | kOptional;
    ws.actions.push_back(std::move(action));
    index = static_cast<int>(ws.actions.size()) - 1;
  }
  Action& action = ws.action(index);
  if (!optional && can_fence(ws, node)) {
    action.flags &= ~kOptional;
    set_reason(action, reason, false);
  } else if (!reason.empty() && action.reason.empty()) {
    action.reason = reason;
  }
  return index;
}

void fence_node(WorkingSet& ws, int node, const std::string& reason) {
  Node& n = ws.node(node);
  if (n.unclean) return;
  n.unclean = true;
  if (n.fence_reason.empty()) n.fence_reason = reason;
  fence_action(ws, node, "", true, reason);
}

bool order_actions(WorkingSet& ws, int first, int then, std::uint32_t flags) {
  if (first == kNone || then == kNone || flags == kOrderNone || first == then) return false;
  Action& before = ws.action(first);
  for (const ActionEdge& edge : before.after) {
    if (edge.action == then && (edge.type & flags) != 0) return false;
  }
  // Appended here and visited newest first, as Pacemaker prepends: the
  // order edges are visited in decides which equivalent update comes first.
  before.after.push_back(ActionEdge{then, flags});
  ws.action(then).before.push_back(ActionEdge{first, flags});
  return true;
}

}  // namespace tandem::placement::detail
