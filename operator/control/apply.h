#pragma once

// The control state's pure logic: carrying out a command on it, letting
// constraints expire, and laying it over the manifests. No I/O: the daemon
// persists the state and feeds the result to the reconciler.

#include <optional>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/model/manifests.h"
#include "operator/control/command.h"
#include "operator/control/control_state.h"

namespace tandem::control {

// Carries out standby, unstandby, maintenance (of a node or of the whole
// cluster), unmanage, manage, ban, move and clear (cleanup acts on the
// nodes, not on this state: see Reconciler::request_cleanup). Names are
// checked against the manifests; `running_on` is where the resource runs
// now, for a ban without a node. Returns the message for the user.
Result<std::string> apply_command(ControlState& state, const ControlCommand& command,
                                  const model::Manifests& manifests,
                                  const std::vector<std::string>& running_on, UnixMs now);

// Drops the constraints whose lifetime is over; a line for the log each.
std::vector<std::string> expire(ControlState& state, UnixMs now);
std::optional<UnixMs> next_expiry(const ControlState& state);

struct Overlay {
  model::Manifests manifests;
  // Entries that no longer fit the manifests (a node or resource removed
  // since), left out; a line each.
  std::vector<std::string> skipped;
};

// The manifests with the state laid over them: standby and maintenance set
// on the HANodes (made when a node has none), the cluster's maintenance
// mode on the HACluster, isManaged: false on unmanaged resources (a group's
// on its members too), the constraints added as HAConstraints.
Overlay overlay(const model::Manifests& manifests, const ControlState& state);

}  // namespace tandem::control
