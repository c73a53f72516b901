#pragma once

// A resource's scores by node ("allowed nodes"): a dense table indexed by
// node, since every resource has an entry for most nodes. Iterates in node
// order, and copies as a flat array, which colocations do a lot.

#include <cstddef>
#include <utility>
#include <vector>

#include "common/core/score.h"

namespace tandem::placement::detail {

// How a resource can be probed, and whether it may run there at all.
enum class Discovery { kAlways, kNever, kExclusive };

struct AllowedNode {
  Score weight;
  Discovery discovery = Discovery::kAlways;
  int count = 0;  // a clone's instances assigned to the node so far
  // Merging colocated scores that may not turn negative marked it unusable
  // (Pacemaker's INFINITY_HACK); it ends up with score 1.
  bool unusable = false;
};

class NodeTable {
 public:
  struct Entry {
    int first;
    AllowedNode& second;
  };
  struct ConstEntry {
    int first;
    const AllowedNode& second;
  };

  template <class Table, class Value>
  class Iterator {
   public:
    Iterator(Table* table, std::size_t index) : table_(table), index_(index) { skip(); }
    Value operator*() const { return Value{static_cast<int>(index_), table_->entries_[index_]}; }
    struct Arrow {
      Value value;
      const Value* operator->() const { return &value; }
    };
    Arrow operator->() const { return Arrow{**this}; }
    Iterator& operator++() {
      ++index_;
      skip();
      return *this;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    void skip() {
      while (index_ < table_->present_.size() && !table_->present_[index_]) ++index_;
    }
    Table* table_;
    std::size_t index_;
  };
  using iterator = Iterator<NodeTable, Entry>;
  using const_iterator = Iterator<const NodeTable, ConstEntry>;

  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, present_.size()); }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, present_.size()); }

  bool contains(int node) const {
    return node >= 0 && static_cast<std::size_t>(node) < present_.size() &&
           present_[static_cast<std::size_t>(node)];
  }
  iterator find(int node) { return contains(node) ? iterator(this, index(node)) : end(); }
  const_iterator find(int node) const {
    return contains(node) ? const_iterator(this, index(node)) : end();
  }
  AllowedNode& at(int node) { return entries_[index(node)]; }
  const AllowedNode& at(int node) const { return entries_[index(node)]; }

  // Adds `value` for `node` unless there is an entry; returns the entry and
  // whether it was added.
  std::pair<iterator, bool> try_emplace(int node, AllowedNode value) {
    const std::size_t i = index(node);
    if (i >= present_.size()) {
      present_.resize(i + 1, false);
      entries_.resize(i + 1);
    }
    const bool fresh = !present_[i];
    if (fresh) {
      present_[i] = true;
      entries_[i] = value;
      ++size_;
    }
    return {iterator(this, i), fresh};
  }
  std::pair<iterator, bool> emplace(int node, AllowedNode value) {
    return try_emplace(node, value);
  }

  // Room for entries for nodes 0 to `nodes` - 1, filled one by one.
  void reserve(std::size_t nodes) {
    entries_.reserve(nodes);
    present_.reserve(nodes);
  }

  void clear() {
    present_.clear();
    entries_.clear();
    size_ = 0;
  }
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

 private:
  static std::size_t index(int node) { return static_cast<std::size_t>(node); }

  std::vector<AllowedNode> entries_;
  std::vector<bool> present_;
  std::size_t size_ = 0;
};

}  // namespace tandem::placement::detail
