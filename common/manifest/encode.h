#pragma once

// Manifest objects -> multi-document YAML that decode_file reads back to the
// same objects. Strings that YAML would read as another type are quoted.

#include <string>

#include "common/model/manifests.h"

namespace tandem::manifest {

// Every object, one YAML document each, in the order of `manifests`.
std::string encode_yaml(const model::Manifests& manifests);

}  // namespace tandem::manifest
