#pragma once

// Shared by the validation passes; not part of the model's interface.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/model/diagnostic.h"
#include "common/model/manifests.h"

namespace tandem::model::detail {

// The objects of one namespace, by name. Where names clash the first object
// wins and the clash is reported.
struct Namespace {
  std::string name;
  const HACluster* cluster = nullptr;
  std::map<std::string, const HANode*, std::less<>> nodes;
  std::map<std::string, const HAResource*, std::less<>> resources;
  std::map<std::string, const HAGroup*, std::less<>> groups;
  std::vector<const HAConstraint*> constraints;
  // Names of HANodes and of the HACluster's membership nodes.
  std::set<std::string, std::less<>> node_names;
  // The group each resource is a member of (the first, if listed twice).
  std::map<std::string, const HAGroup*, std::less<>> group_of;

  bool declares_nodes() const { return !node_names.empty(); }
  bool has_placeable(std::string_view object_name) const {
    return resources.contains(object_name) || groups.contains(object_name);
  }
  // Clone settings of a resource or group; nullptr when it is not cloned
  // (or unknown).
  const CloneSpec* clone_of(std::string_view object_name) const;
  bool is_promotable(std::string_view object_name) const {
    const CloneSpec* clone = clone_of(object_name);
    return clone != nullptr && clone->promotable.has_value();
  }
};

std::map<std::string, Namespace> index_namespaces(const Manifests& manifests,
                                                  Diagnostics& diagnostics);

void validate_cluster(const HACluster& cluster, Diagnostics& diagnostics);
void validate_fencing_topology(const HACluster& cluster, const Namespace& ns,
                               Diagnostics& diagnostics);
void validate_node(const HANode& node, const Namespace& ns, Diagnostics& diagnostics);
void validate_resource(const HAResource& resource, const Namespace& ns, Diagnostics& diagnostics);
void validate_group(const HAGroup& group, const Namespace& ns, Diagnostics& diagnostics);
void validate_constraint(const HAConstraint& constraint, const Namespace& ns,
                         Diagnostics& diagnostics);
void check_order_cycles(const Namespace& ns, Diagnostics& diagnostics);

// Shared by resources and groups.
void validate_meta(const ResourceMeta& meta, const std::string& path, bool promotable,
                   const std::function<void(std::string, std::string)>& error);
void validate_clone(const CloneSpec& clone, const std::string& path, const Namespace& ns,
                    const std::function<void(std::string, std::string)>& error,
                    const std::function<void(std::string, std::string)>& warning);

// Where a rule is used: location rules carry a score at the top and may
// select a role; parameter overrides' rules carry neither.
enum class RuleUse { kLocation, kParameters };
using ErrorFn = std::function<void(const std::string& path, std::string message)>;
using RoleCheck = std::function<void(const std::string& path, const std::optional<Role>& role)>;
void validate_rule(const Rule& rule, const std::string& path, RuleUse use, const ErrorFn& error,
                   const RoleCheck& check_role, int depth = 1);

// "spec.operations[2]": the path of a list's element.
inline std::string indexed(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// "resource \"web\"" or "group \"web\"", for messages about references.
std::string describe_reference(const Namespace& ns, std::string_view name);

}  // namespace tandem::model::detail
