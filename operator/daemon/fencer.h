#pragma once

// Fences a node by trying its fence levels in turn until one succeeds; a
// level succeeds when each of its steps, run one after another, exits 0.
// The levels are the manifests' (model::fence_levels_for: the fencing
// topology, or each device that reaches the node), each step a fence_*
// agent with its settings on stdin, then the --fence-command (`CMD NODE`
// through /bin/sh) as a last level of its own. Each fence runs on its own
// thread, each step bounded by the fencing timeout, and the result goes to
// the hub. The reconciler starts at most one fence per node at a time.

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "operator/server/hub.h"

namespace tandem::operator_daemon {

struct FenceStep {
  std::string what;                  // for the result: "device fence-lab (fence_tandem_netns)"
  std::vector<std::string> argv;     // argv[0] is the program's absolute path; empty: cannot run
  std::optional<std::string> input;  // stdin
};

struct FenceLevel {
  std::string what;  // "level 2", or empty for a lone device or the fence command
  std::vector<FenceStep> steps;
};

class Fencer {
 public:
  Fencer(std::chrono::milliseconds timeout, server::Hub& hub);
  ~Fencer();
  Fencer(const Fencer&) = delete;
  Fencer& operator=(const Fencer&) = delete;

  void fence(const std::string& id, std::vector<FenceLevel> levels);
  // Kills running fence steps and waits for their threads.
  void stop();

 private:
  void run(const std::string& id, const std::vector<FenceLevel>& levels);
  // "" when it exited 0, else what went wrong.
  std::string run_step(const FenceStep& step);

  std::chrono::milliseconds timeout_;
  server::Hub& hub_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};

// The level for --fence-command: `CMD NODE`, the node passed as "$1", never
// spliced into the shell text.
FenceLevel command_level(const std::string& command, const std::string& node);

}  // namespace tandem::operator_daemon
