#include "common/model/order_graph.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <unordered_map>
#include <utility>

#include "common/core/assert.h"

namespace tandem::model {

std::size_t OrderGraph::vertex(const std::string& label) {
  auto [it, fresh] = by_label_.try_emplace(label, labels_.size());
  if (fresh) {
    labels_.push_back(label);
    out_.emplace_back();
  }
  return it->second;
}

void OrderGraph::add_edge(std::size_t from, std::size_t to, Source source) {
  TANDEM_ASSERT(from < labels_.size() && to < labels_.size(), "edge between unknown vertices");
  out_[from].push_back(edges_.size());
  edges_.push_back(Edge{from, to, std::move(source)});
}

std::vector<std::vector<OrderGraph::Edge>> OrderGraph::cycles() const {
  constexpr std::size_t kUnvisited = std::numeric_limits<std::size_t>::max();
  const std::size_t n = labels_.size();
  std::vector<std::size_t> index(n, kUnvisited), low(n, 0), component(n, kUnvisited);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::size_t next_index = 0, components = 0;

  // Tarjan's algorithm with an explicit call stack of (vertex, next edge).
  for (std::size_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    std::vector<std::pair<std::size_t, std::size_t>> calls{{root, 0}};
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!calls.empty()) {
      auto& [v, next_edge] = calls.back();
      if (next_edge < out_[v].size()) {
        std::size_t w = edges_[out_[v][next_edge++]].to;
        if (index[w] == kUnvisited) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = true;
          calls.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        std::size_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component[w] = components;
        } while (w != v);
        ++components;
      }
      std::size_t finished = v;
      calls.pop_back();
      if (!calls.empty()) {
        std::size_t parent = calls.back().first;
        low[parent] = std::min(low[parent], low[finished]);
      }
    }
  }

  // For each component with a cycle, the shortest cycle through its first
  // vertex, found by breadth-first search inside the component. Every
  // vertex of a component with two or more vertices lies on a cycle; a
  // single vertex does only when it has an edge to itself.
  std::vector<std::size_t> size(components, 0);
  for (std::size_t v = 0; v < n; ++v) ++size[component[v]];
  std::vector<std::vector<Edge>> result;
  std::vector<bool> reported(components, false);
  std::vector<std::size_t> via(n, kUnvisited);  // the edge that reached each vertex
  for (std::size_t start = 0; start < n; ++start) {
    std::size_t c = component[start];
    if (reported[c]) continue;
    reported[c] = true;
    if (size[c] == 1) {
      for (std::size_t e : out_[start]) {
        if (edges_[e].to == start) {
          result.push_back({edges_[e]});
          break;
        }
      }
      continue;
    }
    std::vector<std::size_t> touched;
    std::deque<std::size_t> queue{start};
    std::size_t closing = kUnvisited;
    while (!queue.empty() && closing == kUnvisited) {
      std::size_t v = queue.front();
      queue.pop_front();
      for (std::size_t e : out_[v]) {
        std::size_t w = edges_[e].to;
        if (component[w] != c) continue;
        if (w == start) {
          closing = e;
          break;
        }
        if (via[w] == kUnvisited) {
          via[w] = e;
          touched.push_back(w);
          queue.push_back(w);
        }
      }
    }
    TANDEM_ASSERT(closing != kUnvisited, "a strongly connected component without a cycle");
    std::vector<Edge> cycle{edges_[closing]};
    for (std::size_t v = edges_[closing].from; v != start; v = edges_[via[v]].from) {
      cycle.push_back(edges_[via[v]]);
    }
    std::reverse(cycle.begin(), cycle.end());
    result.push_back(std::move(cycle));
    for (std::size_t v : touched) via[v] = kUnvisited;
  }
  return result;
}

}  // namespace tandem::model
