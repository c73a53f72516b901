#pragma once

// The reconciler's thread: reads the manifests again when they change,
// feeds reports and fence results to the core, steps it at least every
// tick, logs its events, starts fences, publishes what the HTTP side serves
// and writes STATE_DIR/status.json whenever the status changes. Returns when
// the hub stops.

#include <chrono>
#include <optional>
#include <string>

#include "operator/reconcile/options.h"
#include "operator/server/hub.h"

namespace tandem::operator_daemon {

struct RunConfig {
  std::string manifests_dir;
  std::string state_dir;
  reconcile::Options options;
  std::optional<std::string> fence_command;
  std::string fence_agent_dir = "/usr/sbin";
};

// Returns the exit status.
int run_reconciler(const RunConfig& config, server::Hub& hub);

}  // namespace tandem::operator_daemon
