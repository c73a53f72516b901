#pragma once

// Meta attributes of a resource or group (Pacemaker's meta_attributes), also
// used for cluster-wide defaults (rsc_defaults). Every field is optional so
// that "not set here" can fall back to the cluster default, then to the
// built-in default; normalize() fills them all in.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/core/duration.h"
#include "common/core/score.h"
#include "common/model/enums.h"

namespace tandem::model {

struct ResourceMeta {
  std::optional<Score> stickiness;
  std::optional<Score> migration_threshold;
  std::optional<Duration> failure_timeout;
  std::optional<Role> target_role;
  std::optional<std::int32_t> priority;
  std::optional<bool> is_managed;
  std::optional<bool> maintenance;
  std::optional<bool> allow_migrate;
  std::optional<MultipleActive> multiple_active;
  std::optional<Requires> requires_;  // "requires" is a C++20 keyword
  std::optional<bool> critical;
  // The resource this one runs inside (a VM, a container): it starts after
  // it, stops before it, runs where it runs, and its failures restart it.
  std::optional<std::string> container;
  std::map<std::string, std::int64_t> utilization;

  bool operator==(const ResourceMeta&) const = default;
};

}  // namespace tandem::model
