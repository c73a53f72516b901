#pragma once

// The benchmark clusters of generate_cib.py, built in memory: N resources
// on M nodes, every tenth with a location rule on the node's zone, chains of
// five colocations (score 50), with nothing running or with every resource
// running (resource r on node r mod M). Start-up probes are off, as in the
// CIBs given to crm_simulate.

#include <string>

#include "common/model/manifests.h"
#include "common/model/normalize.h"
#include "operator/placement/observed.h"

namespace tandem::bench {

struct SyntheticCluster {
  model::Manifests manifests;
  placement::ObservedState observed;
};

inline SyntheticCluster synthetic_cluster(int resources, int nodes, bool running) {
  SyntheticCluster out;
  auto named = [](auto& list, std::string name) -> auto& {
    auto& object = list.emplace_back();
    object.metadata.name = std::move(name);
    object.metadata.namespace_ = "default";
    return object;
  };
  auto& cluster = named(out.manifests.clusters, "bench");
  cluster.spec.options.fencing_enabled = false;
  cluster.spec.options.startup_probes = false;
  for (int n = 1; n <= nodes; ++n) {
    auto& node = named(out.manifests.nodes, "node" + std::to_string(n));
    node.spec.attributes["zone"] = "z" + std::to_string(n % 4);
    placement::ObservedNode& seen = out.observed.nodes.emplace_back();
    seen.name = node.metadata.name;
    seen.id = std::to_string(n);
  }
  for (int r = 1; r <= resources; ++r) {
    const std::string id = "rsc" + std::to_string(r);
    auto& resource = named(out.manifests.resources, id);
    resource.spec.agent.ocf = model::OcfAgent{"pacemaker", "Dummy"};
    model::Operation& monitor = resource.spec.operations.emplace_back();
    monitor.name = model::OperationName::kMonitor;
    monitor.interval = Duration(10'000);
    if (r % 10 == 0) {
      auto& location = named(out.manifests.constraints, "loc" + std::to_string(r));
      model::LocationConstraint& spec = location.spec.location.emplace();
      spec.resource = id;
      model::Rule& rule = spec.rules.emplace_back();
      rule.score = Score::of(100);
      model::Expression& expression = rule.expressions.emplace_back();
      expression.attribute = "zone";
      expression.operation = model::ExpressionOperation::kEq;
      expression.value = "z" + std::to_string(r % 4);
    }
    if (r % 5 != 1) {
      auto& colocation = named(out.manifests.constraints, "col" + std::to_string(r));
      model::ColocationConstraint& spec = colocation.spec.colocation.emplace();
      spec.resource = id;
      spec.with_resource = "rsc" + std::to_string(r - 1);
      spec.score = Score::of(50);
    }
    if (running) {
      placement::ResourceHistory& history = out.observed.history.emplace_back();
      history.resource = id;
      history.node = "node" + std::to_string((r - 1) % nodes + 1);
      history.agent_class = "ocf";
      history.provider = "pacemaker";
      history.type = "Dummy";
      placement::OpRecord& start = history.ops.emplace_back();
      start.id = id + "_last_0";
      start.task = "start";
      start.call_id = r;
    }
  }
  out.observed.now = 1'700'000'000;
  model::normalize(out.manifests);
  return out;
}

}  // namespace tandem::bench
