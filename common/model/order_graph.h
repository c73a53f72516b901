#pragma once

// A directed graph of actions ("start web") joined by mandatory orders, and
// the cycles in it. A cycle of mandatory orders can never be satisfied: every
// action in it waits for itself.

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace tandem::model {

class OrderGraph {
 public:
  // Where an edge comes from: a constraint (by index, in the caller's
  // numbering) or something implied, such as a group's internal order.
  struct Source {
    int constraint = -1;  // -1 when implied
    std::string implied;  // e.g. "group web-stack"
  };
  struct Edge {
    std::size_t from;
    std::size_t to;
    Source source;
  };

  std::size_t vertex(const std::string& label);
  const std::string& label(std::size_t vertex) const { return labels_[vertex]; }
  void add_edge(std::size_t from, std::size_t to, Source source);

  // One cycle per strongly connected component that has one, as the edges
  // walked in order. Iterative, so large graphs cannot exhaust the stack.
  std::vector<std::vector<Edge>> cycles() const;

 private:
  std::vector<std::string> labels_;
  std::unordered_map<std::string, std::size_t> by_label_;
  std::vector<std::vector<std::size_t>> out_;  // edge indices by source vertex
  std::vector<Edge> edges_;
};

}  // namespace tandem::model
