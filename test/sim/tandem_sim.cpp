// tandem_sim: runs the membership protocol under the deterministic
// simulator. Every run is determined by its seed; a failing run prints its
// seed and the command that replays it with a full event trace.
//
//   tandem_sim --seed 42 --members 3:16 --trace
//   tandem_sim --seeds 0:10000 --members 3:16

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "test/sim/random_run.h"

namespace {

struct Range {
  std::uint64_t first = 0;
  std::uint64_t last = 0;  // inclusive
};

bool parse_range(const std::string& text, Range& range) {
  try {
    std::size_t colon = text.find(':');
    if (colon == std::string::npos) {
      range.first = range.last = std::stoull(text);
    } else {
      range.first = std::stoull(text.substr(0, colon));
      range.last = std::stoull(text.substr(colon + 1));
    }
  } catch (const std::exception&) {
    return false;
  }
  return range.first <= range.last;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tandem_sim: the membership protocol under a seeded, deterministic simulation."};
  std::string seeds_text;
  std::string members_text = "3:16";
  bool trace = false;
  bool verbose = false;
  app.add_option("--seed,--seeds", seeds_text, "A seed, or an inclusive range FIRST:LAST")
      ->required();
  app.add_option("--members", members_text, "Member count, or a range MIN:MAX (default 3:16)");
  app.add_flag("--trace", trace, "Print every event of every node (for replaying one seed)");
  app.add_flag("-v,--verbose", verbose, "Print one line per seed");
  CLI11_PARSE(app, argc, argv);

  Range seeds, members;
  if (!parse_range(seeds_text, seeds)) {
    std::cerr << "tandem_sim: --seed must be N or FIRST:LAST, got \"" << seeds_text << "\"\n";
    return 2;
  }
  if (!parse_range(members_text, members) || members.first < 1 || members.last > 384) {
    std::cerr << "tandem_sim: --members must be N or MIN:MAX within 1..384, got \"" << members_text
              << "\"\n";
    return 2;
  }

  auto wall_start = std::chrono::steady_clock::now();
  std::uint64_t runs = 0, failures = 0, events = 0, deliveries = 0;
  double simulated_ms = 0, worst_ratio = 0, worst_converged = 0;
  std::uint64_t worst_seed = 0;
  for (std::uint64_t seed = seeds.first;; ++seed) {
    tandem::sim::RandomRunOptions options;
    options.seed = seed;
    options.min_members = members.first;
    options.max_members = members.last;
    options.trace = trace ? &std::cout : nullptr;
    tandem::sim::RandomRunResult result = tandem::sim::run_random(options);
    ++runs;
    events += result.events;
    deliveries += result.deliveries;
    simulated_ms += result.simulated_ms;
    if (result.converged_ms >= 0 && result.converged_ms / result.bound_ms > worst_ratio) {
      worst_ratio = result.converged_ms / result.bound_ms;
      worst_converged = result.converged_ms;
      worst_seed = seed;
    }
    if (verbose || !result.ok) {
      std::printf("seed %llu: %s: %s; converged after %.0f ms (bound %.0f ms)\n",
                  static_cast<unsigned long long>(seed), result.ok ? "ok" : "FAILED",
                  result.plan.c_str(), result.converged_ms, result.bound_ms);
    }
    if (!result.ok) {
      ++failures;
      for (const std::string& v : result.violations) std::printf("  %s\n", v.c_str());
      std::printf("  replay: tandem_sim --seed %llu --members %s --trace\n",
                  static_cast<unsigned long long>(seed), members_text.c_str());
    }
    std::fflush(stdout);
    if (seed == seeds.last) break;
  }
  double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  std::printf(
      "%llu runs, %llu failed; %.0f simulated seconds, %llu events, %llu deliveries in %.1f s; "
      "slowest convergence %.0f ms (%.0f%% of its bound, seed %llu)\n",
      static_cast<unsigned long long>(runs), static_cast<unsigned long long>(failures),
      simulated_ms / 1000, static_cast<unsigned long long>(events),
      static_cast<unsigned long long>(deliveries), wall, worst_converged, worst_ratio * 100,
      static_cast<unsigned long long>(worst_seed));
  return failures == 0 ? 0 : 1;
}
