#include "common/model/validate.h"

#include <string>

#include "common/core/text.h"
#include "common/model/names.h"
#include "common/model/validate_internal.h"

namespace tandem::model {
namespace detail {

const CloneSpec* Namespace::clone_of(std::string_view object_name) const {
  if (auto it = resources.find(object_name); it != resources.end()) {
    return it->second->spec.clone ? &*it->second->spec.clone : nullptr;
  }
  if (auto it = groups.find(object_name); it != groups.end()) {
    return it->second->spec.clone ? &*it->second->spec.clone : nullptr;
  }
  return nullptr;
}

std::string describe_reference(const Namespace& ns, std::string_view name) {
  return std::string(ns.groups.contains(name) ? "group " : "resource ") + quote(name);
}

namespace {

std::string where(const Origin& origin) {
  return origin.file;
}

// Registers `object` under its name, or reports the object that already has
// it. Resources and groups share names: constraints refer to either.
template <class T, class Map>
void claim_name(const T& object, Map& by_name,
                const std::map<std::string, std::string, std::less<>>& other_kind_names,
                Diagnostics& diagnostics) {
  const std::string& name = object.metadata.name;
  if (auto it = by_name.find(name); it != by_name.end()) {
    diagnostics.error(object, "metadata.name",
                      quote(name) + " is already used by " +
                          object_label(T::kKind, it->second->metadata) + " (" +
                          where(it->second->origin) + ")");
    return;
  }
  if (auto it = other_kind_names.find(name); it != other_kind_names.end()) {
    diagnostics.error(
        object, "metadata.name",
        quote(name) + " is already used by " + it->second + " (resources and groups share names)");
    return;
  }
  by_name.emplace(name, &object);
}

template <class T>
void validate_metadata(const T& object, Diagnostics& diagnostics) {
  const ObjectMeta& meta = object.metadata;
  if (!is_dns_subdomain(meta.name)) {
    diagnostics.error(object, "metadata.name",
                      quote(meta.name) +
                          " is not a valid name: use lower-case letters, digits, '-' and '.', "
                          "starting and ending with a letter or digit (at most 253 characters)");
  }
  if (!is_dns_label(meta.namespace_)) {
    diagnostics.error(object, "metadata.namespace",
                      quote(meta.namespace_) +
                          " is not a valid namespace: use lower-case letters, digits and '-', "
                          "starting and ending with a letter or digit (at most 63 characters)");
  }
  for (const auto& [key, value] : meta.labels) {
    if (std::string problem = check_label_key(key); !problem.empty()) {
      diagnostics.error(object, "metadata.labels", "key " + quote(key) + ": " + problem);
    }
    if (std::string problem = check_label_value(value); !problem.empty()) {
      diagnostics.error(object, "metadata.labels." + key, problem);
    }
  }
  for (const auto& [key, value] : meta.annotations) {
    if (std::string problem = check_label_key(key); !problem.empty()) {
      diagnostics.error(object, "metadata.annotations", "key " + quote(key) + ": " + problem);
    }
  }
}

}  // namespace

std::map<std::string, Namespace> index_namespaces(const Manifests& manifests,
                                                  Diagnostics& diagnostics) {
  std::map<std::string, Namespace> namespaces;
  auto at = [&](const ObjectMeta& meta) -> Namespace& {
    Namespace& ns = namespaces[meta.namespace_];
    ns.name = meta.namespace_;
    return ns;
  };
  const std::map<std::string, std::string, std::less<>> none;

  for (const HACluster& cluster : manifests.clusters) {
    Namespace& ns = at(cluster.metadata);
    if (ns.cluster != nullptr) {
      diagnostics.error(cluster, "",
                        "namespace " + quote(ns.name) + " already has " +
                            object_label(HACluster::kKind, ns.cluster->metadata) + " (" +
                            where(ns.cluster->origin) +
                            "): a namespace holds one cluster; put other clusters in other "
                            "namespaces");
      continue;
    }
    ns.cluster = &cluster;
    for (const MemberNode& node : cluster.spec.membership.nodes) ns.node_names.insert(node.name);
  }
  for (const HANode& node : manifests.nodes) {
    Namespace& ns = at(node.metadata);
    claim_name(node, ns.nodes, none, diagnostics);
    ns.node_names.insert(node.metadata.name);
  }
  // Resources first so that a group reusing a resource's name is the one
  // reported.
  for (const HAResource& resource : manifests.resources) {
    Namespace& ns = at(resource.metadata);
    claim_name(resource, ns.resources, none, diagnostics);
  }
  for (const HAGroup& group : manifests.groups) at(group.metadata);
  for (auto& [name, ns] : namespaces) {
    (void)name;
    std::map<std::string, std::string, std::less<>> resource_names;
    for (const auto& [resource_name, resource] : ns.resources) {
      resource_names.emplace(resource_name, object_label(HAResource::kKind, resource->metadata));
    }
    for (const HAGroup& group : manifests.groups) {
      if (group.metadata.namespace_ == ns.name) {
        claim_name(group, ns.groups, resource_names, diagnostics);
      }
    }
  }
  for (const HAConstraint& constraint : manifests.constraints) {
    at(constraint.metadata).constraints.push_back(&constraint);
  }
  return namespaces;
}

}  // namespace detail

void validate(const Manifests& manifests, Diagnostics& diagnostics) {
  for_each_object(manifests, [&](const auto& object) {
    if (object.origin.complete) detail::validate_metadata(object, diagnostics);
  });
  std::map<std::string, detail::Namespace> namespaces =
      detail::index_namespaces(manifests, diagnostics);

  // Group membership in document order, so that a resource listed by two
  // groups belongs to the first and the second is reported.
  for (const HAGroup& group : manifests.groups) {
    detail::Namespace& ns = namespaces.at(group.metadata.namespace_);
    auto it = ns.groups.find(group.metadata.name);
    if (it == ns.groups.end() || it->second != &group) continue;  // name clash, reported
    for (const std::string& member : group.spec.resources) ns.group_of.try_emplace(member, &group);
  }

  for (auto& [name, ns] : namespaces) {
    (void)name;
    for (const auto& [group_name, group] : ns.groups) {
      (void)group_name;
      if (group->origin.complete) detail::validate_group(*group, ns, diagnostics);
    }
    if (ns.cluster != nullptr && ns.cluster->origin.complete) {
      detail::validate_cluster(*ns.cluster, diagnostics);
      detail::validate_fencing_topology(*ns.cluster, ns, diagnostics);
    }
    for (const auto& [node_name, node] : ns.nodes) {
      (void)node_name;
      if (node->origin.complete) detail::validate_node(*node, ns, diagnostics);
    }
    for (const auto& [resource_name, resource] : ns.resources) {
      (void)resource_name;
      if (resource->origin.complete) detail::validate_resource(*resource, ns, diagnostics);
    }
    for (const HAConstraint* constraint : ns.constraints) {
      if (constraint->origin.complete) detail::validate_constraint(*constraint, ns, diagnostics);
    }
    detail::check_order_cycles(ns, diagnostics);
  }
  diagnostics.sort();
}

}  // namespace tandem::model
