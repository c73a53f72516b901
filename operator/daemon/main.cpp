// tandem-operator: the embedded operator. Watches a directory of manifests,
// takes the sidecars' reports over HTTP, places resources with the placement
// engine and hands each sidecar its actions (docs/operator.md).

#include <atomic>
#include <ctime>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <pthread.h>
#include <signal.h>

#include "common/core/duration.h"
#include "common/io/log_line.h"
#include "common/io/token_file.h"
#include "operator/daemon/run.h"
#include "operator/daemon/state_dir.h"
#include "operator/server/http_server.h"

namespace {

using namespace tandem;

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

Result<std::int64_t> duration_ms(const std::string& flag, const std::string& text) {
  auto parsed = parse_duration(text);
  if (!parsed) return fail(flag + " " + text + ": " + parsed.error().message);
  return static_cast<std::int64_t>(parsed->count());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tandem::operator_daemon;
  using io::log_line;
  using io::read_token_file;
  CLI::App app{
      "tandem-operator: places resources on the nodes of a Tandem cluster and tells "
      "their sidecars what to run.\n",
      "tandem-operator"};
  std::string manifests;
  std::string state_dir;
  std::string listen = "127.0.0.1:7440";
  std::string token_file;
  std::string tls_cert;
  std::string tls_key;
  std::string self_fence = "10s";
  std::string loss_margin = "2s";
  std::string report_timeout = "5s";
  std::string fence_command;
  std::string fence_agent_dir = "/usr/sbin";
  app.add_option("--manifests", manifests, "Directory of manifests (HACluster, HANode, ...)")
      ->required();
  app.add_option("--state-dir", state_dir, "Directory for status.json and the incarnation counter")
      ->required();
  app.add_option("--listen", listen, "HOST:PORT of the HTTP API")->capture_default_str();
  app.add_option("--tls-cert", tls_cert, "Serve HTTPS with this certificate (PEM; with --tls-key)");
  app.add_option("--tls-key", tls_key, "The private key of --tls-cert (PEM)");
  app.add_option("--token-file", token_file,
                 "File holding the bearer token every API request must carry");
  app.add_option("--self-fence-time", self_fence,
                 "How long an inquorate sidecar takes at most to stop its resources")
      ->capture_default_str();
  app.add_option("--loss-margin", loss_margin,
                 "Added to the self-fence time before a lost node counts as clean")
      ->capture_default_str();
  app.add_option("--report-timeout", report_timeout,
                 "A node whose latest report is older is not online")
      ->capture_default_str();
  app.add_option("--fence-command", fence_command,
                 "Run as 'CMD NODE' to fence a node; exit status 0 means fenced");
  app.add_option("--fence-agent-dir", fence_agent_dir,
                 "Where the fence_* agents of the manifests' fence devices are")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }

  RunConfig config;
  config.manifests_dir = manifests;
  config.fence_agent_dir = fence_agent_dir;
  config.state_dir = state_dir;
  for (auto [flag, text, out] :
       {std::tuple{"--self-fence-time", &self_fence, &config.options.self_fence_ms},
        std::tuple{"--loss-margin", &loss_margin, &config.options.loss_margin_ms},
        std::tuple{"--report-timeout", &report_timeout, &config.options.report_stale_ms}}) {
    auto ms = duration_ms(flag, *text);
    if (!ms) {
      std::cerr << "tandem-operator: " << ms.error().message << "\n";
      return kExitUsage;
    }
    *out = *ms;
  }
  if (!fence_command.empty()) {
    config.fence_command = fence_command;
    config.options.fencing_available = true;
  }
  auto address = io::parse_listen("--listen", listen);
  if (!address) {
    std::cerr << "tandem-operator: " << address.error().message << "\n";
    return kExitUsage;
  }
  std::optional<std::string> token;
  if (!token_file.empty()) {
    auto read = read_token_file(token_file);
    if (!read) {
      std::cerr << "tandem-operator: " << read.error().message << "\n";
      return kExitUsage;
    }
    token = *read;
  }
  auto incarnation = next_incarnation(state_dir);
  if (!incarnation) {
    std::cerr << "tandem-operator: " << incarnation.error().message << "\n";
    return kExitFailure;
  }
  config.options.id_prefix = "op" + std::to_string(*incarnation);

  // SIGTERM and SIGINT are taken by one thread with sigtimedwait: every
  // other thread starts with them blocked.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A sidecar that vanishes mid-response must not kill the operator.
  signal(SIGPIPE, SIG_IGN);

  server::Hub hub(config.options.id_prefix);
  if (tls_cert.empty() != tls_key.empty()) {
    std::cerr << "tandem-operator: --tls-cert and --tls-key go together\n";
    return kExitUsage;
  }
  std::optional<server::TlsFiles> tls;
  if (!tls_cert.empty()) tls = server::TlsFiles{tls_cert, tls_key};
  server::ApiServer api(hub, token, tls);
  if (auto ready = api.ready(); !ready) {
    std::cerr << "tandem-operator: " << ready.error().message << "\n";
    return kExitUsage;
  }
  if (auto bound = api.bind(*address); !bound) {
    std::cerr << "tandem-operator: " << bound.error().message << "\n";
    return kExitFailure;
  }
  log_line("tandem-operator: incarnation " + std::to_string(*incarnation) + ", listening on " +
           listen + ", manifests " + manifests + ", self-fence time " +
           std::to_string(config.options.self_fence_ms) + "ms + margin " +
           std::to_string(config.options.loss_margin_ms) + "ms" +
           (token ? ", bearer token required" : "") +
           (config.fence_command ? ", fence command " + *config.fence_command : ", no fencing"));
  std::thread http([&] { api.serve(); });
  std::atomic<bool> done{false};
  std::thread signal_thread([&] {
    const timespec poll{0, 200'000'000};
    // Ends when a signal arrives or the reconciler has returned.
    while (!done) {
      const int sig = sigtimedwait(&signals, nullptr, &poll);
      if (sig == SIGTERM || sig == SIGINT) {
        log_line(std::string("tandem-operator: ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") +
                 ", stopping");
        hub.stop();
        return;
      }
    }
  });
  const int status = run_reconciler(config, hub);
  done = true;
  hub.stop();
  api.stop();
  http.join();
  signal_thread.join();
  log_line("tandem-operator: stopped");
  return status;
}
