// tandem-sidecar agent: the node agent. Runs this node's membership (as
// `membership` does) on one thread and the agent loop (sidecar/agent) on
// another: it carries out the operator's actions, reports the node's state,
// and stops every resource on its own when the partition loses quorum.

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/core/duration.h"
#include "common/io/listen_address.h"
#include "common/io/log_line.h"
#include "common/io/token_file.h"
#include "common/model/fence_device.h"
#include "sidecar/agent/agent_loop.h"
#include "sidecar/agent/agent_metrics.h"
#include "sidecar/agent/metrics_server.h"
#include "sidecar/cli/agent_bin_dir.h"
#include "sidecar/cli/commands.h"
#include "sidecar/cli/corosync_conf_file.h"
#include "sidecar/cli/cpg_socket.h"
#include "sidecar/executor/attribute_store.h"
#include "sidecar/executor/directories.h"
#include "sidecar/membership/corosync_conf.h"
#include "sidecar/transport/daemon.h"
#include "sidecar/transport/fd.h"

namespace tandem::sidecar {
namespace {

constexpr const char* kName = "tandem-sidecar agent";

struct Options {
  std::string node;
  std::string config = "/etc/corosync/corosync.conf";
  std::optional<std::string> authkey;
  std::string state_dir = "/var/lib/tandem";
  std::string operator_url;
  std::optional<std::string> ca_file;
  std::optional<std::string> watchdog;
  std::string token_file;
  std::string self_fence_time = "10s";
  std::optional<std::uint32_t> node_id;
  std::string ocf_root{executor::kDefaultOcfRoot};
  std::string agent_bin_dir;
  std::string fence_agent_dir{model::kFenceAgentDir};
  int poll_wait_ms = 10'000;
  std::string metrics_listen;             // empty: no /metrics
  std::optional<std::string> cpg_socket;  // default: STATE_DIR/membership/cpg.sock
  bool no_realtime = false;
};

void signal_fd(int fd) {
  std::uint64_t one = 1;
  // A full counter already wakes the reader; nothing else can fail here.
  [[maybe_unused]] ssize_t n = ::write(fd, &one, sizeof one);
}

std::string absolute(const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  char cwd[4096];
  if (::getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

int run(const Options& options) {
  const transport::LogLine log_line = io::log_line;
  auto self_fence = parse_duration(options.self_fence_time);
  if (!self_fence || *self_fence <= Duration::zero()) {
    std::cerr << kName << ": --self-fence-time " << options.self_fence_time << ": "
              << (self_fence ? "must be longer than 0s" : self_fence.error().message) << "\n";
    return kExitUsage;
  }
  std::optional<io::ListenAddress> metrics_address;
  if (!options.metrics_listen.empty()) {
    auto parsed = io::parse_listen("--metrics-listen", options.metrics_listen);
    if (!parsed) {
      std::cerr << kName << ": " << parsed.error().message << "\n";
      return kExitUsage;
    }
    metrics_address = std::move(*parsed);
  }
  std::optional<std::string> token;
  if (!options.token_file.empty()) {
    auto read = io::read_token_file(options.token_file);
    if (!read) {
      std::cerr << kName << ": " << read.error().message << "\n";
      return kExitDataErr;
    }
    token = std::move(*read);
  }

  std::optional<membership::CorosyncConf> conf = read_corosync_conf(options.config, kName);
  if (!conf) return kExitDataErr;
  transport::NodeOptions node_options{options.node_id, options.authkey};
  auto setup = transport::prepare_node(conf->membership, conf->quorum, node_options);
  if (!setup) {
    std::cerr << kName << ": " << setup.error().message << "\n";
    return kExitDataErr;
  }

  const std::string state_dir = absolute(options.state_dir);
  for (const std::string& dir : {state_dir + "/membership", state_dir + "/attributes"}) {
    if (auto made = executor::make_directories(dir, 0750); !made) {
      std::cerr << kName << ": " << made.error().message << "\n";
      return kExitFailure;
    }
  }
  auto state = transport::StateDir::open(state_dir + "/membership");
  if (!state) {
    std::cerr << kName << ": " << state.error().message << "\n";
    return kExitFailure;
  }

  agent::AgentConfig config;
  config.endpoint =
      agent::OperatorEndpoint{options.operator_url, options.node, token, options.ca_file};
  config.guard.self_fence_time = *self_fence;
  const Duration token_timeout = std::chrono::duration_cast<Duration>(setup->config.totem.token);
  const Duration consensus = std::chrono::duration_cast<Duration>(setup->config.totem.consensus);
  config.guard.pause_limit = token_timeout + consensus;
  // A ring that keeps quorum re-forms within about consensus after the
  // token is lost; twice the pause limit leaves room for a loaded machine.
  config.guard.ring_change_limit = 2 * (token_timeout + consensus);
  config.runner.node.ocf_root = options.ocf_root;
  config.runner.node.node_name = options.node;
  config.runner.node.agent_bin_dir =
      options.agent_bin_dir.empty() ? default_agent_bin_dir() : options.agent_bin_dir;
  config.runner.node.attribute_dir = state_dir + "/attributes";
  config.runner.state_dir = state_dir;
  config.runner.fence_agent_dir = options.fence_agent_dir;
  config.poll_wait_ms = options.poll_wait_ms;

  // SIGINT and SIGTERM go to a descriptor the signal thread polls; every
  // thread started below inherits the blocked mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  transport::Fd signals(::signalfd(-1, &stop_signals, SFD_CLOEXEC | SFD_NONBLOCK));
  transport::Fd stop_membership(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  transport::Fd quit(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (signals.get() < 0 || stop_membership.get() < 0 || quit.get() < 0) {
    std::cerr << kName << ": cannot create the descriptors to watch for signals\n";
    return kExitFailure;
  }

  agent::AgentMetrics metrics;
  config.metrics = &metrics;
  std::unique_ptr<agent::MetricsServer> metrics_server;
  if (metrics_address) {
    auto started = agent::MetricsServer::start(metrics, *metrics_address);
    if (!started) {
      std::cerr << kName << ": " << started.error().message << "\n";
      return kExitFailure;
    }
    metrics_server = std::move(*started);
    log_line("agent: metrics on http://" + options.metrics_listen + "/metrics");
  }

  std::unique_ptr<agent::Watchdog> watchdog;
  if (options.watchdog) {
    // The machine resets no later than the self-fence time after the last
    // feed: before the operator counts the node clean.
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*self_fence);
    if (seconds.count() < 2) {
      std::cerr << kName << ": --watchdog needs a --self-fence-time of 2s or more\n";
      return kExitUsage;
    }
    auto opened = agent::Watchdog::open(*options.watchdog, seconds);
    if (!opened) {
      std::cerr << kName << ": " << opened.error().message << "\n";
      return kExitFailure;
    }
    watchdog = std::move(*opened);
    log_line("watchdog: " + *options.watchdog + " armed, timeout " +
             std::to_string(watchdog->timeout().count()) + " s");
  }
  agent::Agent agent(config, log_line, std::move(watchdog));
  transport::DaemonOptions daemon_options;
  daemon_options.cpg_socket =
      cpg_socket_path(options.cpg_socket, state_dir + "/membership/cpg.sock", kName);
  daemon_options.realtime = !options.no_realtime;
  auto daemon =
      transport::Daemon::start(std::move(*setup), std::move(*state), log_line, daemon_options,
                               [&agent, &metrics](const transport::MembershipStatus& status) {
                                 agent.on_membership(status);
                                 metrics.on_membership(status);
                               });
  if (!daemon) {
    std::cerr << kName << ": " << daemon.error().message << "\n";
    return kExitFailure;
  }

  std::thread membership([&] {
    auto result = (*daemon)->run(stop_membership.get());
    agent.on_membership_gone(result ? "it was asked to stop" : result.error().message);
  });
  std::thread signal_watch([&] {
    std::array<pollfd, 2> fds{pollfd{signals.get(), POLLIN, 0}, pollfd{quit.get(), POLLIN, 0}};
    // Ends on a signal or when the agent is done.
    while (true) {
      if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR) break;
      if (fds[0].revents & POLLIN) {
        io::log_line("agent: signal received; stopping (resources keep running)");
        agent.request_stop();
        break;
      }
      if (fds[1].revents & POLLIN) break;
    }
  });

  const int status = agent.run();
  signal_fd(quit.get());
  signal_fd(stop_membership.get());
  signal_watch.join();
  membership.join();
  return status == 0 ? kExitOk : kExitFailure;
}

}  // namespace

Command add_agent_command(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "agent",
      "Run this node's agent in the foreground: the membership (as 'membership' runs it) and "
      "the node's resources as the operator asks, reporting the node's state to the operator. "
      "When the partition loses quorum it stops every resource on its own within the "
      "self-fence time. Runs until SIGINT or SIGTERM; resources keep running after it exits.");
  cmd->add_option("--node", options->node, "This node's name, as the operator knows it")
      ->required();
  cmd->add_option("--config", options->config, "The corosync.conf to read")->capture_default_str();
  cmd->add_option("--authkey", options->authkey,
                  "The shared key (default: totem.keyfile, else /etc/corosync/authkey)");
  cmd->add_option("--state-dir", options->state_dir,
                  "Where the membership's state (membership/), node attributes (attributes/) and "
                  "supervised processes' pid and log files (processes/) are kept")
      ->capture_default_str();
  cmd->add_option("--fence-agent-dir", options->fence_agent_dir,
                  "Where the fence_* agents of fence devices are")
      ->capture_default_str();
  cmd->add_option("--ca-file", options->ca_file,
                  "With an https:// operator: the CA certificate(s) that sign its certificate");
  cmd->add_option("--operator", options->operator_url,
                  "The operator's URL, http://HOST:PORT or https://HOST:PORT")
      ->required();
  cmd->add_option("--token-file", options->token_file,
                  "A file holding the bearer token the operator expects");
  cmd->add_option("--self-fence-time", options->self_fence_time,
                  "How long stopping everything may take once quorum is lost; what still runs "
                  "then is killed")
      ->capture_default_str();
  cmd->add_option("--watchdog", options->watchdog,
                  "A watchdog device (/dev/watchdog) to arm with the self-fence time and feed "
                  "while this sidecar runs: a frozen sidecar resets the machine");
  cmd->add_option("--node-id", options->node_id,
                  "This node's nodeid (default: the node whose ring0_addr is an address of this "
                  "machine)")
      ->check(CLI::Range(1U, 0xffffffffU));
  cmd->add_option("--ocf-root", options->ocf_root, "Where OCF agents are")->capture_default_str();
  cmd->add_option("--agent-bin-dir", options->agent_bin_dir,
                  "Where crm_attribute and the other agent commands are (default: agent-bin "
                  "beside this program, else /usr/libexec/tandem/agent-bin)");
  cmd->add_option("--poll-wait", options->poll_wait_ms,
                  "How long one long poll for actions may wait, in milliseconds")
      ->check(CLI::Range(0, 60'000))
      ->capture_default_str();
  cmd->add_option("--metrics-listen", options->metrics_listen,
                  "Serve Prometheus metrics on http://HOST:PORT/metrics (e.g. 127.0.0.1:9664, "
                  "[::1]:9664); off when not given");
  cmd->add_option("--cpg-socket", options->cpg_socket,
                  "The unix socket (mode 0660) where applications join process groups and "
                  "exchange messages in total order (default: STATE_DIR/membership/cpg.sock; an "
                  "empty path turns it off)");
  cmd->add_flag("--no-realtime", options->no_realtime,
                "Keep the membership at normal priority instead of SCHED_RR 99 (corosync's -p); "
                "resource agents run at normal priority either way");
  cmd->footer(
      "Exit status: 0 after SIGINT or SIGTERM, 64 bad options, 65 unreadable or invalid "
      "configuration, key or token, 1 when running became impossible (the metrics address "
      "cannot be bound, or the membership stopped, after every resource was stopped).");
  return [options] { return run(*options); };
}

}  // namespace tandem::sidecar
