#pragma once

// Checks what decoding a single object cannot see: references between
// objects, unique names, cycles of mandatory orders, and combinations of
// fields. Every problem is reported, not just the first.

#include "common/model/diagnostic.h"
#include "common/model/manifests.h"

namespace tandem::model {

void validate(const Manifests& manifests, Diagnostics& diagnostics);

}  // namespace tandem::model
