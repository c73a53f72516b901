#pragma once

// The sidecar's /metrics over HTTP (cpp-httplib, kept out of this header):
// GET /metrics answers the Prometheus text of a fresh snapshot; anything
// else is 404. It serves on threads of its own, so a slow scraper holds up
// neither the membership nor the agent loop.

#include <memory>

#include "common/core/result.h"
#include "common/io/listen_address.h"
#include "sidecar/agent/agent_metrics.h"

namespace tandem::agent {

class MetricsServer {
 public:
  // Binds the address (the error names it) and serves until destroyed.
  // `metrics` outlives the server.
  static Result<std::unique_ptr<MetricsServer>> start(const AgentMetrics& metrics,
                                                      const io::ListenAddress& address);
  // Stops serving and waits for its threads.
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

 private:
  struct Impl;
  explicit MetricsServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::agent
