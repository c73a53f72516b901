#pragma once

// What the placement engine takes, from Tandem manifests and an
// observed-state file (docs/cib-import.md), for commands that simulate or
// explain.

#include <string>
#include <string_view>
#include <vector>

#include "common/model/manifests.h"
#include "operator/placement/observed.h"

namespace tandem::ctl {

struct ClusterInput {
  model::Manifests manifests;  // validated, not yet normalized
  placement::ObservedState observed;
};

// Returns an exit status (commands.h): kExitOk with `out` filled in, or the
// status to exit with once every problem has been printed on standard error.
// Warnings are printed too. The manifests must validate, describe one
// cluster (one namespace), and use nothing the engine does not simulate yet;
// the observed state must name nodes and resources of the manifests.
// Unseen nodes are made unclean as the HACluster's startupFencing says.
int read_manifest_input(const std::vector<std::string>& paths, const std::string& observed_path,
                        std::string_view command, ClusterInput& out);

}  // namespace tandem::ctl
