#pragma once

// HAGroup: resources that start in order on the same node and stop in
// reverse (an implicit chain of colocations and orders).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/model/object.h"
#include "common/model/resource.h"
#include "common/model/resource_meta.h"

namespace tandem::model {

struct GroupSpec {
  std::vector<std::string> resources;
  // false: members start in parallel (Pacemaker's deprecated ordered=false);
  // they still run together.
  std::optional<bool> ordered;
  // false: members run wherever each fits best (Pacemaker's deprecated
  // collocated=false).
  std::optional<bool> colocated;
  ResourceMeta meta;
  std::optional<CloneSpec> clone;

  bool operator==(const GroupSpec&) const = default;
};

struct GroupStatus {
  std::optional<std::int64_t> observed_generation;
  std::vector<ResourceInstance> instances;
  std::vector<Condition> conditions;

  bool operator==(const GroupStatus&) const = default;
};

struct HAGroup : Object<GroupSpec, GroupStatus> {
  static constexpr std::string_view kKind = "HAGroup";
};

}  // namespace tandem::model
