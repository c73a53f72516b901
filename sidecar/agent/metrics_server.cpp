#include "sidecar/agent/metrics_server.h"

#include <atomic>
#include <chrono>
#include <thread>

#include <httplib.h>

#include "sidecar/agent/agent_metrics_text.h"

namespace tandem::agent {
namespace {

// How long start() waits for the server to be accepting, so that a scrape
// right after start() is answered.
constexpr auto kStartLimit = std::chrono::seconds(5);

}  // namespace

struct MetricsServer::Impl {
  const AgentMetrics& metrics;
  httplib::Server server;
  std::atomic<bool> returned{false};
  std::thread thread;

  explicit Impl(const AgentMetrics& m) : metrics(m) {
    // Scrapes are rare and small: two threads are plenty.
    server.new_task_queue = [] { return new httplib::ThreadPool(2); };
    // Without SO_REUSEPORT (httplib's default sets it), a second sidecar
    // given the same address fails to bind instead of sharing the port.
    server.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server.set_read_timeout(5, 0);
    server.set_write_timeout(5, 0);
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(agent_metrics_text(metrics.snapshot()),
                      "text/plain; version=0.0.4; charset=utf-8");
    });
  }
};

Result<std::unique_ptr<MetricsServer>> MetricsServer::start(const AgentMetrics& metrics,
                                                            const io::ListenAddress& address) {
  auto impl = std::make_unique<Impl>(metrics);
  if (!impl->server.bind_to_port(address.host, address.port))
    return fail("--metrics-listen: cannot listen on " + address.host + ":" +
                std::to_string(address.port) +
                " (address in use, or not an address of this machine)");
  Impl& running = *impl;
  running.thread = std::thread([&running] {
    running.server.listen_after_bind();
    running.returned = true;
  });
  const auto limit = std::chrono::steady_clock::now() + kStartLimit;
  while (!running.server.is_running() && !running.returned &&
         std::chrono::steady_clock::now() < limit)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(impl)));
}

MetricsServer::MetricsServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsServer::~MetricsServer() {
  // httplib's stop() does nothing until the server runs, and may be called
  // only once: wait for it to run (or to have given up) first.
  while (!impl_->returned) {
    if (impl_->server.is_running()) {
      impl_->server.stop();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_->thread.join();
}

}  // namespace tandem::agent
