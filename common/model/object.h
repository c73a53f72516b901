#pragma once

// What every manifest object has: Kubernetes metadata, a spec, an optional
// status, and (not part of its value) where it was read from.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/core/timestamp.h"
#include "common/model/enums.h"

namespace tandem::model {

inline constexpr std::string_view kApiGroup = "tandem.dev";
inline constexpr std::string_view kApiVersion = "tandem.dev/v1alpha1";
inline constexpr std::string_view kDefaultNamespace = "default";

struct ObjectMeta {
  std::string name;
  // A namespace holds one Tandem cluster: at most one HACluster and the
  // nodes, resources and constraints that belong to it.
  std::string namespace_{kDefaultNamespace};
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  // Set by a Kubernetes API server or the embedded store, never by users.
  std::optional<std::string> uid;
  std::optional<std::string> resource_version;
  std::optional<std::int64_t> generation;
  std::optional<Timestamp> creation_timestamp;

  bool operator==(const ObjectMeta&) const = default;
};

// A status condition as the Kubernetes API conventions define it.
struct Condition {
  std::string type;
  ConditionStatus status = ConditionStatus::kUnknown;
  std::string reason;
  std::string message;
  std::optional<Timestamp> last_transition_time;
  std::optional<std::int64_t> observed_generation;

  bool operator==(const Condition&) const = default;
};

// The file and YAML document an object came from, for error messages.
struct Origin {
  std::string file;
  int document = 0;  // 1-based among the file's non-empty documents
  int line = 0;      // 1-based line of the document's first line
  // false when decoding found errors in the object: later checks skip it
  // rather than pile consequential errors on top.
  bool complete = true;
};

template <class Spec, class Status>
struct Object {
  ObjectMeta metadata;
  Spec spec;
  std::optional<Status> status;
  Origin origin;

  // Two objects are equal when their content is; where they came from is not
  // part of it.
  friend bool operator==(const Object& a, const Object& b) {
    return a.metadata == b.metadata && a.spec == b.spec && a.status == b.status;
  }
};

}  // namespace tandem::model
