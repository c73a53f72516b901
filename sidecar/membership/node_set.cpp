#include "sidecar/membership/node_set.h"

#include <algorithm>
#include <iterator>

namespace tandem::membership {

NodeSet::NodeSet(std::initializer_list<NodeId> ids) : NodeSet(from(std::vector<NodeId>(ids))) {}

NodeSet NodeSet::from(std::vector<NodeId> ids) {
  NodeSet set;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  set.ids_ = std::move(ids);
  return set;
}

bool NodeSet::contains(NodeId id) const {
  return std::binary_search(ids_.begin(), ids_.end(), id);
}

bool NodeSet::insert(NodeId id) {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it != ids_.end() && *it == id) return false;
  ids_.insert(it, id);
  return true;
}

bool NodeSet::erase(NodeId id) {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) return false;
  ids_.erase(it);
  return true;
}

void NodeSet::insert_all(const NodeSet& other) {
  std::vector<NodeId> merged;
  merged.reserve(ids_.size() + other.ids_.size());
  std::set_union(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                 std::back_inserter(merged));
  ids_ = std::move(merged);
}

NodeSet NodeSet::minus(const NodeSet& other) const {
  NodeSet out;
  std::set_difference(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                      std::back_inserter(out.ids_));
  return out;
}

NodeSet NodeSet::intersection(const NodeSet& other) const {
  NodeSet out;
  std::set_intersection(ids_.begin(), ids_.end(), other.ids_.begin(), other.ids_.end(),
                        std::back_inserter(out.ids_));
  return out;
}

bool NodeSet::is_subset_of(const NodeSet& other) const {
  return std::includes(other.ids_.begin(), other.ids_.end(), ids_.begin(), ids_.end());
}

bool NodeSet::intersects(const NodeSet& other) const {
  auto a = ids_.begin();
  auto b = other.ids_.begin();
  while (a != ids_.end() && b != other.ids_.end()) {
    if (*a == *b) return true;
    if (*a < *b) {
      ++a;
    } else {
      ++b;
    }
  }
  return false;
}

std::size_t NodeSet::index_of(NodeId id) const {
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it == ids_.end() || *it != id) return ids_.size();
  return static_cast<std::size_t>(it - ids_.begin());
}

std::string to_string(const NodeSet& set) {
  if (set.empty()) return "(none)";
  std::string out;
  for (NodeId id : set) {
    if (!out.empty()) out += ' ';
    out += std::to_string(id);
  }
  return out;
}

}  // namespace tandem::membership
