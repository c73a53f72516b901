#pragma once

// A set of manifest objects read together: the unit that validation checks
// (references resolve within it) and that the operator reconciles.

#include <cstddef>
#include <vector>

#include "common/model/cluster.h"
#include "common/model/constraint.h"
#include "common/model/group.h"
#include "common/model/node.h"
#include "common/model/resource.h"

namespace tandem::model {

struct Manifests {
  std::vector<HACluster> clusters;
  std::vector<HANode> nodes;
  std::vector<HAResource> resources;
  std::vector<HAGroup> groups;
  std::vector<HAConstraint> constraints;

  std::size_t size() const {
    return clusters.size() + nodes.size() + resources.size() + groups.size() + constraints.size();
  }
  bool operator==(const Manifests&) const = default;
};

// Calls f(object) for every object of every kind, kinds in the order above.
template <class M, class F>
void for_each_object(M& manifests, F&& f) {
  for (auto& o : manifests.clusters) f(o);
  for (auto& o : manifests.nodes) f(o);
  for (auto& o : manifests.resources) f(o);
  for (auto& o : manifests.groups) f(o);
  for (auto& o : manifests.constraints) f(o);
}

}  // namespace tandem::model
