#pragma once

// Sets of node ids as sorted vectors without duplicates: the membership
// protocol compares, merges and subtracts small sets constantly, and sorted
// vectors keep that simple, deterministic and cheap to encode.

#include <initializer_list>
#include <string>
#include <vector>

#include "sidecar/membership/types.h"

namespace tandem::membership {

class NodeSet {
 public:
  NodeSet() = default;
  NodeSet(std::initializer_list<NodeId> ids);
  // Sorts and removes duplicates.
  static NodeSet from(std::vector<NodeId> ids);

  bool contains(NodeId id) const;
  // True if the id was not there yet.
  bool insert(NodeId id);
  bool erase(NodeId id);
  void insert_all(const NodeSet& other);
  void clear() { ids_.clear(); }

  NodeSet minus(const NodeSet& other) const;
  NodeSet intersection(const NodeSet& other) const;
  bool is_subset_of(const NodeSet& other) const;
  bool intersects(const NodeSet& other) const;

  bool empty() const { return ids_.empty(); }
  std::size_t size() const { return ids_.size(); }
  NodeId front() const { return ids_.front(); }
  NodeId back() const { return ids_.back(); }
  NodeId operator[](std::size_t i) const { return ids_[i]; }
  // Position of the id, or size() when absent.
  std::size_t index_of(NodeId id) const;
  const std::vector<NodeId>& ids() const { return ids_; }
  auto begin() const { return ids_.begin(); }
  auto end() const { return ids_.end(); }

  friend bool operator==(const NodeSet&, const NodeSet&) = default;

 private:
  std::vector<NodeId> ids_;
};

// "1 2 5", or "(none)".
std::string to_string(const NodeSet& set);

}  // namespace tandem::membership
