#include "operator/observed/node_state.h"

#include "common/core/assert.h"
#include "common/core/text.h"

namespace tandem::observed {

static_assert(static_cast<std::size_t>(placement::ExecStatus::kNoSecrets) + 1 ==
                  kExecStatusNames.size(),
              "kExecStatusNames lists every ExecStatus");

std::string_view to_string(NodeState state) {
  return kNodeStateNames[static_cast<std::size_t>(state)];
}

bool default_online(NodeState state) {
  switch (state) {
    case NodeState::kOnline:
    case NodeState::kPending:
    case NodeState::kShutdown:
      return true;
    case NodeState::kOffline:
    case NodeState::kUnclean:
    case NodeState::kUnseen:
      return false;
  }
  return false;
}

bool takes_online_field(NodeState state) {
  return state == NodeState::kUnclean || state == NodeState::kPending ||
         state == NodeState::kShutdown;
}

void apply_state(NodeState state, bool online, placement::ObservedNode& node) {
  node.online = takes_online_field(state) ? online : default_online(state);
  node.unclean = state == NodeState::kUnclean;
  node.pending = state == NodeState::kPending;
  node.shutdown = state == NodeState::kShutdown;
  node.unseen = state == NodeState::kUnseen;
}

Result<NodeState> state_of(const placement::ObservedNode& node) {
  auto cannot = [&](std::string what) {
    return fail("node " + quote(node.name) + " is " + what +
                ", which no node state of the observed-state file stands for");
  };
  if (node.unseen) {
    if (node.online || node.pending || node.shutdown) {
      return cannot("never seen yet online, pending or shutting down");
    }
    return NodeState::kUnseen;
  }
  if (node.unclean) {
    if (node.pending || node.shutdown) return cannot("unclean and pending or shutting down");
    return NodeState::kUnclean;
  }
  if (!node.unclean_reason.empty()) return cannot("clean but has a reason to be fenced");
  if (node.pending) {
    if (node.shutdown) return cannot("pending and shutting down");
    return NodeState::kPending;
  }
  if (node.shutdown) return NodeState::kShutdown;
  return node.online ? NodeState::kOnline : NodeState::kOffline;
}

std::string_view to_string(placement::ExecStatus status) {
  const auto index = static_cast<std::size_t>(status);
  TANDEM_ASSERT(index < kExecStatusNames.size(), "every ExecStatus has a name");
  return kExecStatusNames[index];
}

}  // namespace tandem::observed
