#pragma once

// One randomized simulation run, entirely determined by its seed: the
// number of members, the timers, the votequorum options, the network's
// loss, duplication and delay, and a schedule of faults (partitions,
// one-way cuts, crashes, restarts, pauses) with application traffic
// throughout. Then the faults stop: the network heals, paused nodes resume,
// some crashed nodes restart, and every running node must be in one ring
// with all of them within the convergence bound. A quiet period follows,
// after which the final checks run.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace tandem::sim {

struct RandomRunOptions {
  std::uint64_t seed = 1;
  std::size_t min_members = 3;
  std::size_t max_members = 16;
  std::ostream* trace = nullptr;  // every event of every node, when set
};

struct RandomRunResult {
  std::uint64_t seed = 0;
  bool ok = true;
  std::vector<std::string> violations;
  std::string plan;  // one line describing what the seed chose
  std::size_t members = 0;
  double simulated_ms = 0;
  std::uint64_t events = 0;
  std::uint64_t deliveries = 0;
  double converged_ms = -1;  // after the faults stopped; -1 if it never did
  double bound_ms = 0;
};

RandomRunResult run_random(const RandomRunOptions& options);

// The convergence bound for a configuration's timers, in milliseconds: the
// time from the end of faults to a single ring of all running nodes.
double convergence_bound_ms(double token, double consensus, double merge, double hold, double join);

}  // namespace tandem::sim
