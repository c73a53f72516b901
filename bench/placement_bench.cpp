// Google Benchmark: the placement engine alone (no parsing) on the clusters
// of docs/benchmarks.md, nothing running and everything running.
//
//   cmake -B build-bench -DTANDEM_BENCH=ON -DCMAKE_BUILD_TYPE=Release
//   cmake --build build-bench --target placement_bench
//   taskset -c 0 build-bench/bench/placement_bench

#include <benchmark/benchmark.h>

#include "bench/synthetic_cluster.h"
#include "operator/placement/engine.h"

namespace {

void schedule(benchmark::State& state) {
  const int resources = static_cast<int>(state.range(0));
  const int nodes = static_cast<int>(state.range(1));
  const bool running = state.range(2) != 0;
  const auto cluster = tandem::bench::synthetic_cluster(resources, nodes, running);
  std::size_t changes = 0;
  for (auto _ : state) {
    auto transition = tandem::placement::schedule(cluster.manifests, cluster.observed);
    changes = transition.changes.size();
    benchmark::DoNotOptimize(transition);
  }
  state.counters["changes"] = static_cast<double>(changes);
  state.SetComplexityN(resources);
}

BENCHMARK(schedule)
    ->ArgNames({"resources", "nodes", "running"})
    ->Args({1'000, 16, 0})
    ->Args({1'000, 16, 1})
    ->Args({5'000, 32, 0})
    ->Args({5'000, 32, 1})
    ->Args({10'000, 64, 0})
    ->Args({10'000, 64, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
