#include "operator/store/versions.h"

#include <string>
#include <vector>

namespace tandem::store {
namespace {

// Content equality without the fields the store itself sets, so that an
// object read again from an unchanged file compares equal to its stamped
// predecessor.
template <class T>
bool same_content(T stamped, const T& fresh) {
  stamped.metadata.resource_version = fresh.metadata.resource_version;
  stamped.metadata.generation = fresh.metadata.generation;
  stamped.metadata.uid = fresh.metadata.uid;
  stamped.metadata.creation_timestamp = fresh.metadata.creation_timestamp;
  return stamped == fresh;
}

template <class T>
bool stamp(const std::vector<T>& previous, std::vector<T>& next, std::uint64_t& counter) {
  bool changed = previous.size() != next.size();
  for (T& object : next) {
    const T* before = nullptr;
    for (const T& candidate : previous) {
      if (candidate.metadata.name == object.metadata.name &&
          candidate.metadata.namespace_ == object.metadata.namespace_) {
        before = &candidate;
        break;
      }
    }
    if (before != nullptr && same_content(*before, object)) {
      object.metadata.resource_version = before->metadata.resource_version;
      object.metadata.generation = before->metadata.generation;
      object.metadata.uid = before->metadata.uid;
      continue;
    }
    changed = true;
    object.metadata.resource_version = std::to_string(++counter);
    if (before != nullptr) {
      object.metadata.generation = before->metadata.generation.value_or(0) + 1;
      object.metadata.uid = before->metadata.uid;
    } else {
      object.metadata.generation = 1;
      object.metadata.uid = std::string(T::kKind) + "/" + object.metadata.namespace_ + "/" +
                            object.metadata.name + "/" + std::to_string(counter);
    }
  }
  return changed;
}

}  // namespace

bool assign_versions(const model::Manifests& previous, model::Manifests& next,
                     std::uint64_t& counter) {
  bool changed = false;
  changed |= stamp(previous.clusters, next.clusters, counter);
  changed |= stamp(previous.nodes, next.nodes, counter);
  changed |= stamp(previous.resources, next.resources, counter);
  changed |= stamp(previous.groups, next.groups, counter);
  changed |= stamp(previous.constraints, next.constraints, counter);
  return changed;
}

}  // namespace tandem::store
