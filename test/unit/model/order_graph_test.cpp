#include "common/model/order_graph.h"

#include <gtest/gtest.h>

namespace tandem::model {
namespace {

TEST(OrderGraph, a_chain_has_no_cycle) {
  OrderGraph graph;
  auto a = graph.vertex("a"), b = graph.vertex("b"), c = graph.vertex("c");
  graph.add_edge(a, b, {0, {}});
  graph.add_edge(b, c, {1, {}});
  EXPECT_TRUE(graph.cycles().empty());
}

TEST(OrderGraph, finds_the_cycle_and_its_edges_in_order) {
  OrderGraph graph;
  auto a = graph.vertex("a"), b = graph.vertex("b"), c = graph.vertex("c");
  graph.add_edge(a, b, {0, {}});
  graph.add_edge(b, c, {1, {}});
  graph.add_edge(c, a, {2, {}});
  auto cycles = graph.cycles();
  ASSERT_EQ(cycles.size(), 1u);
  ASSERT_EQ(cycles[0].size(), 3u);
  EXPECT_EQ(cycles[0][0].from, a);
  EXPECT_EQ(cycles[0][1].from, b);
  EXPECT_EQ(cycles[0][2].from, c);
  EXPECT_EQ(cycles[0][2].to, a);
}

TEST(OrderGraph, a_self_loop_is_a_cycle) {
  OrderGraph graph;
  auto a = graph.vertex("a");
  graph.add_edge(a, a, {3, {}});
  auto cycles = graph.cycles();
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0][0].source.constraint, 3);
}

TEST(OrderGraph, reports_one_cycle_per_tangle) {
  OrderGraph graph;
  auto a = graph.vertex("a"), b = graph.vertex("b"), c = graph.vertex("c");
  auto x = graph.vertex("x"), y = graph.vertex("y");
  graph.add_edge(a, b, {});
  graph.add_edge(b, a, {});
  graph.add_edge(b, c, {});
  graph.add_edge(c, a, {});
  graph.add_edge(x, y, {});
  graph.add_edge(y, x, {});
  EXPECT_EQ(graph.cycles().size(), 2u);
}

TEST(OrderGraph, a_long_cycle_does_not_exhaust_the_stack) {
  OrderGraph graph;
  constexpr std::size_t kLength = 200'000;
  std::size_t first = graph.vertex("v0");
  std::size_t previous = first;
  for (std::size_t i = 1; i < kLength; ++i) {
    std::size_t v = graph.vertex("v" + std::to_string(i));
    graph.add_edge(previous, v, {});
    previous = v;
  }
  graph.add_edge(previous, first, {});
  auto cycles = graph.cycles();
  ASSERT_EQ(cycles.size(), 1u);
  EXPECT_EQ(cycles[0].size(), kLength);
}

TEST(OrderGraph, vertices_are_named_once) {
  OrderGraph graph;
  EXPECT_EQ(graph.vertex("start web"), graph.vertex("start web"));
  EXPECT_EQ(graph.label(graph.vertex("stop web")), "stop web");
}

}  // namespace
}  // namespace tandem::model
