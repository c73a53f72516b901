// tandem_sim: runs the membership protocol under the deterministic
// simulator. Every run is determined by its seed; a failing run prints its
// seed and the command that replays it with a full event trace.
//
//   tandem_sim --seed 42 --members 3:16 --trace
//   tandem_sim --seeds 0:10000 --members 3:16
//   tandem_sim --startup --seeds 1:3 --members 64 --cpus 2 --receive-us 30 --send-us 10

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "test/sim/random_run.h"
#include "test/sim/startup_run.h"

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

struct CostOptions {
  std::size_t cpus = 0;
  std::int64_t receive_us = 0;
  std::int64_t send_us = 0;
  std::int64_t timers_us = 0;
  std::size_t socket_buffer = 4096;
  double stagger_ms = 1000;
  double idle_s = 120;
};

int run_startups(const Range& seeds, const Range& members, const CostOptions& costs, bool trace,
                 bool verbose) {
  std::uint64_t runs = 0, failures = 0;
  for (std::uint64_t seed = seeds.first;; ++seed) {
    for (std::uint64_t n = members.first; n <= members.last; ++n) {
      tandem::sim::StartupRunOptions options;
      options.seed = seed;
      options.members = n;
      options.cpu.cpus = costs.cpus;
      options.cpu.receive = tandem::sim::Micros(costs.receive_us);
      options.cpu.send = tandem::sim::Micros(costs.send_us);
      options.cpu.timers = tandem::sim::Micros(costs.timers_us);
      options.cpu.socket_buffer = costs.socket_buffer;
      options.stagger = tandem::sim::Micros(static_cast<std::int64_t>(costs.stagger_ms * 1000));
      options.idle = tandem::sim::Micros(static_cast<std::int64_t>(costs.idle_s * 1e6));
      options.trace = trace ? &std::cout : nullptr;
      tandem::sim::StartupRunResult r = tandem::sim::run_startup(options);
      ++runs;
      if (verbose || !r.ok) {
        std::printf(
            "seed %llu: %s: %s; formed after %.0f ms (limit %.0f ms, %llu gathers, %llu datagrams, "
            "%llu socket drops); at idle %llu configuration changes, %.0f datagrams/s, CPU per "
            "node mean "
            "%.2f%% max %.2f%% (%llu events)\n",
            static_cast<unsigned long long>(seed), r.ok ? "ok" : "FAILED", r.plan.c_str(),
            r.formed_ms, r.limit_ms, static_cast<unsigned long long>(r.gathers),
            static_cast<unsigned long long>(r.copies_to_form),
            static_cast<unsigned long long>(r.socket_drops),
            static_cast<unsigned long long>(r.changes_at_idle), r.copies_per_second_at_idle,
            r.idle_cpu_mean_percent, r.idle_cpu_max_percent,
            static_cast<unsigned long long>(r.events));
      }
      if (!r.ok) {
        ++failures;
        for (const std::string& v : r.violations) std::printf("  %s\n", v.c_str());
      }
      std::fflush(stdout);
    }
    if (seed == seeds.last) break;
  }
  std::printf("%llu runs, %llu failed\n", static_cast<unsigned long long>(runs),
              static_cast<unsigned long long>(failures));
  return failures == 0 ? 0 : 1;
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
  bool startup = false;
  CostOptions costs;
  app.add_flag("--startup", startup,
               "Start every node within --stagger-ms on a fault-free network with corosync's "
               "default timers; one ring must form and stay through --idle-s of quiet");
  app.add_option("--cpus", costs.cpus,
                 "Cores shared by all nodes; 0 (the default): handling a datagram costs nothing");
  app.add_option("--receive-us", costs.receive_us, "With --cpus: cost of handling one datagram");
  app.add_option("--send-us", costs.send_us,
                 "With --cpus: cost of sending one copy (a broadcast is one copy per other node)");
  app.add_option("--timers-us", costs.timers_us, "With --cpus: cost of a wake-up firing timers");
  app.add_option("--socket-buffer", costs.socket_buffer,
                 "With --cpus: datagrams a node's socket holds before it drops (default 4096)");
  app.add_option("--stagger-ms", costs.stagger_ms,
                 "With --startup: nodes start within this time of the first (default 1000)");
  app.add_option("--idle-s", costs.idle_s,
                 "With --startup: quiet time the formed ring must survive (default 120)");
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

  if (costs.receive_us < 0 || costs.send_us < 0 || costs.timers_us < 0) {
    std::cerr << "tandem_sim: --receive-us, --send-us and --timers-us must not be negative\n";
    return 2;
  }
  if (costs.socket_buffer < 1 || !(costs.stagger_ms >= 0) || !(costs.idle_s >= 0)) {
    std::cerr << "tandem_sim: --socket-buffer must be at least 1, --stagger-ms and --idle-s not "
                 "negative\n";
    return 2;
  }
  if (startup) return run_startups(seeds, members, costs, trace, verbose);

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
