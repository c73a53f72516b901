#pragma once

// Kubernetes-style versioning for the embedded store: every object carries a
// resourceVersion that changes whenever its content does, and a generation
// that counts its spec changes. Pure: the directory reading is in store.h.

#include <cstdint>

#include "common/model/manifests.h"

namespace tandem::store {

// Stamps every object of `next` with metadata.resource_version and
// metadata.generation: unchanged objects (same kind, namespace and name,
// equal content) keep the ones they had in `previous`; new and changed
// objects get the next value of `counter`. Returns whether anything was
// added, changed or removed.
bool assign_versions(const model::Manifests& previous, model::Manifests& next,
                     std::uint64_t& counter);

}  // namespace tandem::store
