#pragma once

// Reads a Pacemaker CIB (`cibadmin -Q` output, or a scheduler test input):
// its configuration becomes Tandem manifests, its status section the
// observed state the placement engine takes. This is the migration path from
// Pacemaker and the way `tandemctl simulate --cib` replays Pacemaker's own
// regression cases.
//
// Every CIB feature Tandem does not support is named in the error; nothing is
// dropped silently. Resource and node ids are kept as they are, so results
// name them as Pacemaker does; `import-cib` maps them to Kubernetes names.

#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/model/manifests.h"
#include "operator/placement/observed.h"

namespace tandem::cib {

// The namespace every imported object is put in.
inline constexpr std::string_view kImportNamespace = "default";

struct Imported {
  model::Manifests manifests;
  placement::ObservedState observed;
  // Settings with no effect on placement that were left out (alerts, say).
  std::vector<std::string> notes;
};

// `source` names the file in messages. On failure the message lists every
// problem found, one per line.
Result<Imported> import_cib(std::string_view xml, std::string_view source);

}  // namespace tandem::cib
