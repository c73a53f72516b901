#pragma once

// The desired state of the embedded operator: a directory of manifests,
// read again whenever its files change. An edit that leaves the manifests
// invalid is reported and ignored; the last valid set stays in force, as a
// Kubernetes API server would have refused the edit.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/model/manifests.h"

namespace tandem::store {

// One valid, normalized set of manifests. `generation` grows by one with
// every change to the set.
struct Snapshot {
  model::Manifests manifests;
  std::int64_t generation = 0;
};

struct RefreshResult {
  bool changed = false;               // a new snapshot is in force
  bool rejected = false;              // the files changed but are invalid; the old set stays
  std::vector<std::string> messages;  // diagnostics, one per line, as users see them
};

class ManifestStore {
 public:
  explicit ManifestStore(std::string directory);

  // Reads the directory again if any manifest file was added, removed or
  // changed (size or modification time) since the last call; the first
  // call always reads it.
  RefreshResult refresh();

  // Null until a valid set has been read.
  std::shared_ptr<const Snapshot> snapshot() const { return snapshot_; }

 private:
  std::string directory_;
  std::string fingerprint_;
  bool read_once_ = false;
  std::uint64_t version_counter_ = 0;
  std::shared_ptr<const Snapshot> snapshot_;
};

// Problems that make a valid set unusable for one operator: more than one
// cluster (namespace). Appends messages; returns false when there are any.
bool check_operator_scope(const model::Manifests& manifests, std::vector<std::string>& messages);

}  // namespace tandem::store
