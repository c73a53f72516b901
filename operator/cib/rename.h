#pragma once

// Gives every object of an imported CIB a valid Kubernetes name (see
// kube_names.h) and rewrites every reference to it: group members,
// constraints, rules on #uname, fence devices' host lists, the membership,
// and the observed state (nodes, operation history and its ids, fail
// counts). An object whose name changed keeps its Pacemaker id in the
// tandem.dev/pacemaker-id annotation.
//
// Some references cannot be carried over exactly: a rsc-pattern that would
// select other resources once they are renamed, or a rule that orders node
// names (lt, gt) when nodes are renamed. Those fail rather than change where
// resources run.

#include <string>
#include <vector>

#include "common/core/result.h"
#include "operator/cib/cib_import.h"

namespace tandem::cib {

struct Renaming {
  std::string what;  // "resource", "group", "node", "constraint" or "cluster"
  std::string from;  // the Pacemaker id
  std::string to;    // the Kubernetes name
};

// On failure the message lists every problem, one per line.
Result<std::vector<Renaming>> rename_for_kubernetes(Imported& imported);

}  // namespace tandem::cib
