#pragma once

// Builds placement scenarios for tests: manifests from YAML (validated and
// normalized) and an observed state from short calls: which nodes are up,
// what runs where, what failed when.

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "operator/placement/engine.h"
#include "operator/placement/observed.h"
#include "test/unit/support.h"

namespace tandem::testing {

// A cluster of nodes n1..nN with fencing off (unless the options say
// otherwise), plus the resources and constraints given as YAML documents.
inline std::string cluster_yaml(int nodes, const std::string& options = "fencingEnabled: false") {
  std::string text =
      "apiVersion: tandem.dev/v1alpha1\nkind: HACluster\nmetadata: {name: c}\nspec:\n"
      "  options: {" +
      options + "}\n";
  for (int n = 1; n <= nodes; ++n) {
    text += "---\napiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n" +
            std::to_string(n) + "}\n";
  }
  return text;
}

inline std::string dummy(const std::string& name, const std::string& extra = "") {
  return "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: " + name +
         "}\nspec:\n  agent: {ocf: {provider: pacemaker, type: Dummy}}\n" + extra;
}

inline std::string constraint(const std::string& name, const std::string& spec) {
  return "---\napiVersion: tandem.dev/v1alpha1\nkind: HAConstraint\nmetadata: {name: " + name +
         "}\nspec:\n  " + spec + "\n";
}

struct Scenario {
  model::Manifests manifests;
  placement::ObservedState observed;

  Scenario(const std::string& yaml, int nodes) : manifests(normalized(yaml)) {
    observed.now = 1'700'000'000;
    for (int n = 1; n <= nodes; ++n) {
      placement::ObservedNode& node = observed.nodes.emplace_back();
      node.name = "n" + std::to_string(n);
      node.id = std::to_string(n);
    }
  }

  placement::ObservedNode& node(const std::string& name) {
    for (auto& node : observed.nodes) {
      if (node.name == name) return node;
    }
    ADD_FAILURE() << "no node " << name;
    return observed.nodes.front();
  }

  placement::ResourceHistory& history(const std::string& rsc, const std::string& node) {
    for (auto& h : observed.history) {
      if (h.resource == rsc && h.node == node) return h;
    }
    placement::ResourceHistory& h = observed.history.emplace_back();
    h.resource = rsc;
    h.node = node;
    // The agent the resource is configured with (a changed agent restarts
    // it); OCF Dummy for names the manifests do not know.
    h.agent_class = "ocf";
    h.provider = "pacemaker";
    h.type = "Dummy";
    const std::string name = rsc.substr(0, rsc.find(':'));
    for (const model::HAResource& resource : manifests.resources) {
      if (resource.metadata.name != name) continue;
      const model::Agent& agent = resource.spec.agent;
      if (agent.ocf) {
        h.provider = agent.ocf->provider;
        h.type = agent.ocf->type;
      } else if (agent.fence) {
        h.agent_class = "stonith";
        h.provider.clear();
        h.type = agent.fence->type;
      }
    }
    return h;
  }

  // An operation result in the resource's history on the node.
  Scenario& op(const std::string& rsc, const std::string& node, const std::string& task, int rc,
               std::int64_t interval_ms = 0, int expected_rc = 0,
               placement::EpochSeconds when = 1'699'999'000) {
    placement::ResourceHistory& h = history(rsc, node);
    placement::OpRecord& op = h.ops.emplace_back();
    op.task = task;
    op.interval_ms = interval_ms;
    op.rc = rc;
    op.expected_rc = expected_rc;
    op.call_id = static_cast<int>(h.ops.size());
    op.id = rsc + "_" + task + "_" + std::to_string(interval_ms);
    op.last_rc_change = when;
    return *this;
  }

  Scenario& running(const std::string& rsc, const std::string& node) {
    return op(rsc, node, "start", 0);
  }

  // Known not to run on the node (a probe found it stopped).
  Scenario& stopped(const std::string& rsc, const std::string& node) {
    return op(rsc, node, "monitor", 7, 0, 7);
  }

  Scenario& failures(const std::string& rsc, const std::string& node, int count,
                     placement::EpochSeconds last) {
    placement::FailCount& fail = observed.fail_counts.emplace_back();
    fail.resource = rsc;
    fail.node = node;
    fail.operation = "monitor";
    fail.interval_ms = 10'000;
    fail.count = count;
    fail.last_failure = last;
    return *this;
  }

  placement::Transition schedule(bool scores = false) const {
    return placement::schedule(manifests, observed, {.scores = scores});
  }
};

// The transition's changes as short strings: "start web n1", "move web n1->n2",
// "stop web n2", "fence n1", ... sorted.
inline std::vector<std::string> changes(const placement::Transition& transition) {
  std::vector<std::string> out;
  for (const placement::Change& change : transition.changes) {
    std::string text(placement::to_string(change.kind));
    if (!change.resource.empty()) text += " " + change.resource;
    if (!change.node.empty()) text += " " + change.node;
    if (!change.from_node.empty() && !change.to_node.empty() &&
        change.from_node != change.to_node) {
      text += " " + change.from_node + "->" + change.to_node;
    } else if (!change.from_node.empty()) {
      text += " " + change.from_node;
    } else if (!change.to_node.empty()) {
      text += " " + change.to_node;
    }
    if (change.blocked) text += " (blocked)";
    out.push_back(text);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Where each resource runs after the transition: "web@n1", sorted.
inline std::vector<std::string> placement_of(const placement::Transition& transition) {
  std::vector<std::string> out;
  for (const placement::Placed& placed : transition.placement) {
    out.push_back(placed.resource + "@" + placed.node);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tandem::testing
