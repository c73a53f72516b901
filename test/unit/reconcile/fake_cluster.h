#pragma once

// A reconciler with fake sidecars around it: each fake node runs what the
// actions tell it (instantly, always succeeding unless told otherwise),
// keeps the operation history a real sidecar would report, and reports its
// whole state. Time is a number the test moves.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "operator/reconcile/reconciler.h"
#include "test/unit/support.h"

namespace tandem::testing {

inline std::string three_nodes(const std::string& options = "fencingEnabled: false") {
  std::string text =
      "apiVersion: tandem.dev/v1alpha1\nkind: HACluster\nmetadata: {name: c}\nspec:\n"
      "  options: {" +
      options +
      "}\n  membership:\n    nodes:\n"
      "      - {name: n1, nodeId: 1, address: 10.0.0.1}\n"
      "      - {name: n2, nodeId: 2, address: 10.0.0.2}\n"
      "      - {name: n3, nodeId: 3, address: 10.0.0.3}\n";
  for (int n = 1; n <= 3; ++n) {
    text += "---\napiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n" +
            std::to_string(n) + "}\n";
  }
  return text;
}

inline std::string primitive(const std::string& name, const std::string& extra = "") {
  return "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: " + name +
         "}\nspec:\n  agent: {ocf: {provider: pacemaker, type: Dummy}}\n" + extra;
}

struct FakeNode {
  std::string name;
  std::string incarnation = "i1";
  std::uint64_t sequence = 0;
  bool up = true;  // reports at all
  bool quorate = true;
  std::vector<std::string> ring;  // members as this node sees them
  std::map<std::string, std::vector<protocol::OpResult>> history;
  std::set<std::string> running;
  std::vector<protocol::ActionOutcome> outcomes;
  std::set<std::string> failing_starts;  // resources whose start fails here
  std::map<std::string, int> start_failures;
  int call_id = 0;
};

class FakeCluster {
 public:
  explicit FakeCluster(const std::string& yaml, reconcile::Options options = {})
      : FakeCluster(normalized(yaml), std::move(options)) {}

  FakeCluster(model::Manifests manifests, reconcile::Options options) : core_(std::move(options)) {
    manifests_ = std::make_shared<model::Manifests>(std::move(manifests));
    core_.set_manifests(manifests_, 1);
    for (const char* name : {"n1", "n2", "n3"}) {
      FakeNode& node = nodes_[name];
      node.name = name;
      node.ring = {"n1", "n2", "n3"};
    }
  }

  reconcile::Reconciler& core() { return core_; }

  // A new operator process: nothing but the manifests and what the
  // sidecars report next.
  void restart_operator(reconcile::Options options) {
    core_ = reconcile::Reconciler(std::move(options));
    core_.set_manifests(manifests_, 1);
    executed_.clear();
  }
  // The manifests change (an edit, or tandemctl's control state laid over
  // them).
  void set_manifests(model::Manifests manifests) {
    manifests_ = std::make_shared<model::Manifests>(std::move(manifests));
    core_.set_manifests(manifests_, ++generation_);
  }
  FakeNode& node(const std::string& name) { return nodes_.at(name); }
  reconcile::UnixMs now() const { return now_; }
  void advance(reconcile::UnixMs ms) { now_ += ms; }

  // The ring splits: `side` on one side, the rest on the other; the
  // majority side is quorate.
  void partition(const std::vector<std::string>& minority) {
    std::vector<std::string> majority;
    for (auto& [name, n] : nodes_) {
      if (std::find(minority.begin(), minority.end(), name) == minority.end())
        majority.push_back(name);
    }
    for (auto& [name, n] : nodes_) {
      const bool in_minority = std::find(minority.begin(), minority.end(), name) != minority.end();
      n.ring = in_minority ? minority : majority;
      n.quorate = n.ring.size() * 2 > nodes_.size();
    }
  }

  void record(FakeNode& n, const std::string& rsc, const std::string& task, std::int64_t interval,
              int rc, int expected) {
    protocol::OpResult op;
    op.id = interval > 0 ? rsc + "_" + task + "_" + std::to_string(interval) : rsc + "_last_0";
    op.task = task;
    op.interval_ms = interval;
    op.rc = rc;
    op.expected_rc = expected;
    op.call_id = ++n.call_id;
    op.last_rc_change_unix = now_ / 1000;
    op.last_run_unix = now_ / 1000;
    auto& ops = n.history[rsc];
    std::erase_if(ops, [&](const protocol::OpResult& o) { return o.id == op.id; });
    ops.push_back(op);
  }

  // The node accepted `task` of `rsc` and is still carrying it out: the
  // history shows it pending, as a sidecar reports it.
  void pending(const std::string& node, const std::string& rsc, const std::string& task) {
    protocol::OpResult op;
    op.id = rsc + "_pending_0";
    op.task = task;
    op.rc = 193;
    op.status = "pending";
    op.call_id = -1;
    op.last_rc_change_unix = now_ / 1000;
    op.last_run_unix = now_ / 1000;
    nodes_.at(node).history[rsc].push_back(op);
  }

  // Its result replaces it.
  void finish_pending(const std::string& node, const std::string& rsc, const std::string& task) {
    FakeNode& n = nodes_.at(node);
    std::erase_if(n.history[rsc],
                  [](const protocol::OpResult& op) { return op.status == "pending"; });
    if (task == "start") n.running.insert(rsc);
    if (task == "stop") n.running.erase(rsc);
    record(n, rsc, task, 0, 0, 0);
  }

  // The name a sidecar runs and reports an instance under: an anonymous
  // clone's instances are all the clone's name.
  std::string executor_name(const std::string& instance) const {
    const std::string base = instance.substr(0, instance.find(':'));
    for (const model::HAResource& r : manifests_->resources) {
      if (r.metadata.name == base && r.spec.clone && !r.spec.clone->globally_unique) return base;
    }
    return instance;
  }

  // Carries out what the operator has pending for the node (once per id).
  int execute(const std::string& name) {
    FakeNode& n = nodes_.at(name);
    int executed = 0;
    for (const protocol::ActionRequest& a : core_.pending_for(name)) {
      if (std::any_of(n.outcomes.begin(), n.outcomes.end(),
                      [&](const protocol::ActionOutcome& o) { return o.action_id == a.id; }))
        continue;
      ++executed;
      executed_.push_back(a.task + (a.interval_ms > 0 ? ":" + std::to_string(a.interval_ms) : "") +
                          " " + a.resource + " " + name);
      const std::string rsc = executor_name(a.resource);
      int rc = 0;
      if (a.task == "start") {
        if (n.failing_starts.contains(rsc)) {
          rc = 1;
          ++n.start_failures[rsc];
        } else {
          n.running.insert(rsc);
        }
        record(n, rsc, "start", 0, rc, 0);
      } else if (a.task == "stop") {
        n.running.erase(rsc);
        record(n, rsc, "stop", 0, 0, 0);
      } else if (a.task == "cleanup") {
        n.history.erase(rsc);
        n.start_failures.erase(rsc);
      } else if (a.task == "cancel") {
        std::erase_if(n.history[rsc], [&](const protocol::OpResult& op) {
          return op.task == "monitor" && op.interval_ms == a.interval_ms;
        });
      } else if (a.task == "monitor" && a.interval_ms == 0) {
        rc = n.running.contains(rsc) ? 0 : 7;
        record(n, rsc, "monitor", 0, rc, 7);
      } else if (a.task == "monitor") {
        rc = n.running.contains(rsc) ? 0 : 7;
        record(n, rsc, "monitor", a.interval_ms, rc, 0);
      } else {
        record(n, rsc, a.task, a.interval_ms, 0, 0);
      }
      n.outcomes.push_back({a.id, rc, "done", "", now_});
    }
    return executed;
  }

  protocol::NodeReport report_of(FakeNode& n) {
    protocol::NodeReport r;
    r.node = n.name;
    r.incarnation = n.incarnation;
    r.sequence = ++n.sequence;
    r.sent_unix_ms = now_;
    r.membership.ring_id = "1." + std::to_string(ring_sequence_);
    r.membership.state = "OPERATIONAL";
    r.membership.quorate = n.quorate;
    for (const std::string& m : n.ring)
      r.membership.members.push_back({static_cast<std::uint32_t>(m[1] - '0'), m});
    for (const auto& [rsc, ops] : n.history) {
      protocol::ResourceReport resource;
      resource.resource = rsc;
      resource.agent_class = "ocf";
      for (const model::HAResource& configured : manifests_->resources) {
        if (configured.metadata.name == rsc && configured.spec.agent.ocf) {
          resource.provider = configured.spec.agent.ocf->provider;
          resource.type = configured.spec.agent.ocf->type;
        }
      }
      resource.ops = ops;
      r.resources.push_back(resource);
    }
    for (const auto& [rsc, count] : n.start_failures)
      r.fail_counts.push_back({rsc, "start", 0, count, now_ / 1000});
    r.outcomes = n.outcomes;
    return r;
  }

  void report(const std::string& name) {
    FakeNode& n = nodes_.at(name);
    if (n.up) core_.on_report(report_of(n), now_);
  }

  reconcile::StepResult step() {
    reconcile::StepResult r = core_.step(now_);
    for (const reconcile::FenceRequest& f : r.fences) fences_.push_back(f);
    return r;
  }

  // Rounds of: every reporting node reports, the core steps, nodes run what
  // is pending. Stops when a round changes nothing.
  void converge(int rounds = 30) {
    for (int i = 0; i < rounds; ++i) {
      for (auto& [name, n] : nodes_) report(name);
      step();
      int executed = 0;
      for (auto& [name, n] : nodes_) {
        if (n.up) executed += execute(name);
      }
      advance(100);
      if (executed == 0 && i > 0) {
        for (auto& [name, n] : nodes_) report(name);
        step();
        return;
      }
    }
  }

  std::vector<std::string> running(const std::string& rsc) const {
    std::vector<std::string> out;
    for (const auto& [name, n] : nodes_) {
      if (n.running.contains(rsc)) out.push_back(name);
    }
    return out;
  }

  std::vector<std::string>& executed() { return executed_; }
  std::vector<reconcile::FenceRequest>& fences() { return fences_; }
  void next_ring() { ++ring_sequence_; }

 private:
  std::shared_ptr<model::Manifests> manifests_;
  reconcile::Reconciler core_;
  std::int64_t generation_ = 1;
  std::map<std::string, FakeNode> nodes_;
  reconcile::UnixMs now_ = 1'700'000'000'000;
  int ring_sequence_ = 10;
  std::vector<std::string> executed_;
  std::vector<reconcile::FenceRequest> fences_;
};

// Steps until `ms` have passed, with every node that is up reporting each
// time, and the fake nodes carrying out what they are sent.
inline void run_for(FakeCluster& c, reconcile::UnixMs ms) {
  for (reconcile::UnixMs t = 0; t < ms; t += 250) {
    for (const char* n : {"n1", "n2", "n3"}) c.report(n);
    c.step();
    for (const char* n : {"n1", "n2", "n3"}) {
      if (c.node(n).up) c.execute(n);
    }
    c.advance(250);
  }
}

inline const reconcile::NodeStatus& node_status(FakeCluster& c, const std::string& name) {
  for (const auto& n : c.core().status().nodes) {
    if (n.name == name) return n;
  }
  ADD_FAILURE() << "no node " << name;
  return c.core().status().nodes.front();
}

}  // namespace tandem::testing
