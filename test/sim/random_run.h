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

// What the convergence bound is derived from: the effective timers and the
// network once the faults stop. All in milliseconds.
struct BoundInputs {
  double token = 0;
  double consensus = 0;
  double join = 0;
  double hold = 0;
  double merge = 0;
  std::size_t members = 0;
  double max_delay = 0;  // the simulator's largest one-way delay
};

// One membership round after the faults stop, derived from the protocol's
// timers (docs/membership.md, "Convergence after faults").
double convergence_round_ms(const BoundInputs& in);
// The time from the end of faults to a single ring of all running nodes:
// one round per member (the most groups the faults can leave).
double convergence_bound_ms(const BoundInputs& in);

}  // namespace tandem::sim
