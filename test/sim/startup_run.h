#pragma once

// A cluster starting from nothing on one shared machine, as bench/ring64.sh
// starts 64 sidecars: every node starts within `stagger` of the first, with
// corosync's default timers and no faults, on the CpuModel's cores. One
// ring of every node must form within the bench's limit (4 x (token +
// consensus) + 60 s) and then stay, unchanged, through `idle` of quiet.
// What it costs is reported: each node's share of a core while idle.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "test/sim/sim_cluster.h"

namespace tandem::sim {

struct StartupRunOptions {
  std::uint64_t seed = 1;
  std::size_t members = 64;
  CpuModel cpu;
  model::TotemTimings totem;  // corosync's defaults
  Micros stagger{1'000'000};
  Micros idle{120'000'000};
  std::uint64_t event_budget = 60'000'000;
  // Every node multicasts after each new ring, as the sidecar's process
  // groups do.
  bool sync_messages = true;
  std::ostream* trace = nullptr;
};

struct StartupRunResult {
  bool ok = true;
  std::vector<std::string> violations;
  std::string plan;
  double limit_ms = 0;
  double formed_ms = -1;  // since the first start; -1 if it never did
  // Regular configurations installed by any node during the idle window.
  std::uint64_t changes_at_idle = 0;
  // Over the idle window, per node: share of one core (%).
  double idle_cpu_max_percent = 0;
  double idle_cpu_mean_percent = 0;
  double copies_per_second_at_idle = 0;  // datagram copies sent, all nodes
  std::uint64_t gathers = 0;             // entries into Gather before the ring formed
  std::uint64_t copies_to_form = 0;      // datagram copies sent before it formed
  std::uint64_t socket_drops = 0;
  std::uint64_t events = 0;
  double simulated_ms = 0;
};

StartupRunResult run_startup(const StartupRunOptions& options);

}  // namespace tandem::sim
