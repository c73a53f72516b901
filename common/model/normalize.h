#pragma once

// Fills in every default, so that consumers and `tandemctl show` see the
// whole configuration. The structs already hold their fixed defaults; this
// adds the ones that depend on something else: the namespace's HACluster
// (resourceDefaults, operationDefaults, fencing), a resource's group, the
// node count, and Totem timers derived from the token.
//
// Precedence for meta attributes: the resource's own value, then its
// group's, then the HACluster's resourceDefaults, then the built-in default.
//
// Call it only on manifests that validate() accepted.

#include "common/model/manifests.h"

namespace tandem::model {

void normalize(Manifests& manifests);

}  // namespace tandem::model
