#pragma once

// Reads manifests from files and directories, as `kubectl apply -f` takes
// them: files are read as they are named; directories are walked
// recursively for *.yaml, *.yml and *.json, skipping hidden entries; "-" is
// standard input.

#include <cstddef>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/manifest/decode.h"
#include "common/model/diagnostic.h"
#include "common/model/manifests.h"

namespace tandem::manifest {

struct Loaded {
  model::Manifests manifests;
  model::Diagnostics diagnostics;
  std::size_t files = 0;
};

// Fails (rather than reporting a diagnostic) when a path cannot be used at
// all: it does not exist, cannot be read, or is a directory without
// manifests. Problems inside files are diagnostics.
Result<Loaded> load_manifests(const std::vector<std::string>& paths,
                              const DecodeLimits& limits = {});

}  // namespace tandem::manifest
