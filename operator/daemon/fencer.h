#pragma once

// Runs the configured fence command as `CMD NODE` (through /bin/sh, so CMD
// may carry arguments); exit status 0 means the node is fenced. Each fence
// runs on its own thread, bounded by a timeout, and its result goes to the
// hub. The reconciler starts at most one fence per node at a time.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "operator/server/hub.h"

namespace tandem::operator_daemon {

class Fencer {
 public:
  Fencer(std::string command, std::chrono::milliseconds timeout, server::Hub& hub);
  ~Fencer();
  Fencer(const Fencer&) = delete;
  Fencer& operator=(const Fencer&) = delete;

  void fence(const std::string& id, const std::string& node);
  // Kills running fence commands and waits for their threads.
  void stop();

 private:
  void run(std::string id, std::string node);

  std::string command_;
  std::chrono::milliseconds timeout_;
  server::Hub& hub_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::thread> threads_;
};

}  // namespace tandem::operator_daemon
