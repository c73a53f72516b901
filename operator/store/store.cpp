#include "operator/store/store.h"

#include <filesystem>
#include <set>
#include <system_error>

#include "common/manifest/load.h"
#include "common/model/normalize.h"
#include "common/model/validate.h"
#include "operator/store/versions.h"

namespace tandem::store {
namespace {

namespace fs = std::filesystem;

// Bounds the walk: a directory this large is not a set of manifests.
constexpr std::size_t kMaxEntries = 100'000;

bool is_manifest_file(const fs::path& path) {
  const std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// Names, sizes and modification times of the manifest files: a change of
// any of them means the directory must be read again.
std::string fingerprint(const std::string& directory) {
  std::string out;
  std::error_code ec;
  fs::recursive_directory_iterator it(directory, fs::directory_options::skip_permission_denied, ec);
  if (ec) return "unreadable: " + ec.message();
  std::size_t seen = 0;
  for (; it != fs::recursive_directory_iterator() && seen < kMaxEntries; it.increment(ec), ++seen) {
    if (ec) return "unreadable: " + ec.message();
    const fs::path& path = it->path();
    if (path.filename().string().starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec) || !is_manifest_file(path)) continue;
    const auto size = it->file_size(ec);
    const auto mtime = it->last_write_time(ec);
    out += path.string() + "|" + std::to_string(size) + "|" +
           std::to_string(mtime.time_since_epoch().count()) + "\n";
  }
  return out;
}

}  // namespace

bool check_operator_scope(const model::Manifests& manifests, std::vector<std::string>& messages) {
  std::set<std::string> namespaces;
  model::for_each_object(
      manifests, [&](const auto& object) { namespaces.insert(object.metadata.namespace_); });
  if (namespaces.size() > 1) {
    std::string names;
    for (const std::string& name : namespaces) names += (names.empty() ? "" : ", ") + name;
    messages.push_back("the manifests hold " + std::to_string(namespaces.size()) +
                       " clusters (namespaces " + names + "); one operator runs one cluster");
    return false;
  }
  if (manifests.clusters.empty()) {
    messages.push_back("the manifests hold no HACluster; the operator needs one");
    return false;
  }
  return true;
}

ManifestStore::ManifestStore(std::string directory) : directory_(std::move(directory)) {}

RefreshResult ManifestStore::refresh() {
  RefreshResult result;
  std::string current = fingerprint(directory_);
  if (read_once_ && current == fingerprint_) return result;
  read_once_ = true;
  fingerprint_ = std::move(current);

  auto loaded = manifest::load_manifests({directory_});
  if (!loaded) {
    result.rejected = true;
    result.messages.push_back(loaded.error().message);
    return result;
  }
  model::validate(loaded->manifests, loaded->diagnostics);
  for (const model::Diagnostic& d : loaded->diagnostics.items())
    result.messages.push_back(d.to_string());
  if (loaded->diagnostics.has_errors() ||
      !check_operator_scope(loaded->manifests, result.messages)) {
    result.rejected = true;
    return result;
  }
  model::normalize(loaded->manifests);
  const model::Manifests none;
  const model::Manifests& previous = snapshot_ ? snapshot_->manifests : none;
  if (!assign_versions(previous, loaded->manifests, version_counter_) && snapshot_) return result;
  auto next = std::make_shared<Snapshot>();
  next->manifests = std::move(loaded->manifests);
  next->generation = snapshot_ ? snapshot_->generation + 1 : 1;
  snapshot_ = std::move(next);
  result.changed = true;
  return result;
}

}  // namespace tandem::store
