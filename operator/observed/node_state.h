#pragma once

// A node's state in the observed-state file, one word as crm_mon shows it,
// and the engine's flags it stands for. The flags combine (a joining node is
// online and pending at once); the words name the combinations that occur.

#include <array>
#include <optional>
#include <string_view>

#include "common/core/result.h"
#include "operator/placement/observed.h"

namespace tandem::observed {

enum class NodeState { kOnline, kOffline, kUnclean, kPending, kShutdown, kUnseen };

inline constexpr std::array<std::string_view, 6> kNodeStateNames{"online",  "offline",  "unclean",
                                                                 "pending", "shutdown", "unseen"};

std::string_view to_string(NodeState state);

// Whether the node is in the membership when the file does not say: the
// online field applies to unclean, pending and shutdown nodes only.
bool default_online(NodeState state);
bool takes_online_field(NodeState state);

// Sets the flags of `node` for `state`. An unseen node's uncleanness depends
// on startup fencing (see apply_startup_fencing).
void apply_state(NodeState state, bool online, placement::ObservedNode& node);

// The state that stands for `node`'s flags; fails when no word does (an
// unclean node that is also shutting down, say).
Result<NodeState> state_of(const placement::ObservedNode& node);

// Pacemaker's executor statuses (PCMK_EXEC_*), in placement::ExecStatus
// order.
inline constexpr std::array<std::string_view, 13> kExecStatusNames{
    "pending",       "done",          "cancelled",  "timeout",
    "not-supported", "error",         "error-hard", "error-fatal",
    "not-installed", "not-connected", "invalid",    "no-fence-device",
    "no-secrets"};

std::string_view to_string(placement::ExecStatus status);

}  // namespace tandem::observed
