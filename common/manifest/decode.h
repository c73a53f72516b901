#pragma once

// YAML text -> manifest objects. Pure: the caller reads files; this turns
// their text into objects and reports every problem it finds, never just the
// first. No input crashes or hangs it: sizes and values are bounded.

#include <cstddef>
#include <string_view>

#include "common/model/diagnostic.h"
#include "common/model/manifests.h"

namespace tandem::manifest {

struct DecodeLimits {
  std::size_t max_bytes = std::size_t{16} << 20;
  // Values visited per file, counting each use of a YAML alias again, so that
  // a few nested aliases cannot make the decoder walk billions of nodes.
  std::size_t max_values = 4'000'000;
};

// Appends the objects of a multi-document YAML file to `out`. `file` names
// the file in diagnostics. Objects with errors are still appended when their
// kind and name are known, marked incomplete, so that references to them do
// not report a second, misleading error.
void decode_file(std::string_view text, std::string_view file, model::Manifests& out,
                 model::Diagnostics& diagnostics, const DecodeLimits& limits = {});

}  // namespace tandem::manifest
