#pragma once

// Flag propagation asks, for a clone's action, for each instance's newest
// action of a task (on a node), many times per action while flags settle: a
// clone's pseudo-action has an ordering with every instance's action, and
// each visit of one of those orderings looks at every instance. Indexed once
// per clone and task, a visit costs one list (for a node: usually one
// action) instead of a search through every instance's actions.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "operator/placement/working_set.h"

namespace tandem::placement::detail {

class InstanceActions {
 public:
  struct Entry {
    // Per instance that has one, in the clone's order: its newest action.
    std::vector<int> newest;
    // The same on each node: on_node[node_start[n] .. node_start[n + 1]).
    std::vector<int> node_start;
    std::vector<int> on_node;
    bool collective_instances = false;  // instances are groups
  };

  // What WorkingSet::newest_action finds for each child of `clone` with
  // task id `task` (on `node`, unless kNone), in the order of the children.
  // Valid while no action is created and no child list changes.
  std::span<const int> newest(WorkingSet& ws, int clone, int task, int node);
  bool collective_instances(WorkingSet& ws, int clone, int task) {
    return entry(ws, clone, task).collective_instances;
  }

 private:
  const Entry& entry(WorkingSet& ws, int clone, int task);

  std::unordered_map<std::int64_t, Entry> index_;
  std::size_t actions_seen_ = 0;  // actions when the index was built
};

}  // namespace tandem::placement::detail
