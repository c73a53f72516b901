#pragma once

// Directories the sidecar owns under its state directory.

#include <string>

#include "common/core/result.h"

namespace tandem::executor {

// mkdir -p with `mode` for the directories it creates; fails unless `path`
// is an absolute path that ends up a directory.
Result<void> make_directories(const std::string& path, unsigned mode);

}  // namespace tandem::executor
