// tandem-sidecar membership: runs this node's membership (Totem and
// votequorum over authenticated UDP) in the foreground, configured by a
// corosync.conf and its authkey, until SIGINT or SIGTERM.

#include <csignal>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/core/duration.h"
#include "common/io/log_line.h"
#include "common/manifest/load.h"
#include "common/model/normalize.h"
#include "common/model/validate.h"
#include "sidecar/cli/commands.h"
#include "sidecar/cli/corosync_conf_file.h"
#include "sidecar/cli/cpg_socket.h"
#include "sidecar/membership/corosync_conf.h"
#include "sidecar/transport/daemon.h"

namespace tandem::sidecar {
namespace {

using io::log_line;

struct Options {
  std::string config = "/etc/corosync/corosync.conf";
  std::string cluster;  // an HACluster manifest instead of the corosync.conf
  std::optional<std::string> authkey;
  std::string state_dir{kDefaultMembershipStateDir};
  std::optional<std::uint32_t> node_id;
  std::string max_clock_offset = "500ms";
  std::optional<std::string> cpg_socket;  // default: STATE_DIR/cpg.sock
  bool no_realtime = false;
};

struct Settings {
  model::Membership membership;
  model::QuorumOptions quorum;
};

std::optional<Settings> read_corosync_settings(const std::string& path) {
  std::optional<membership::CorosyncConf> conf =
      read_corosync_conf(path, "tandem-sidecar membership");
  if (!conf) return std::nullopt;
  return Settings{std::move(conf->membership), std::move(conf->quorum)};
}

// The membership and quorum of the one HACluster in the manifests at `path`.
std::optional<Settings> read_cluster_manifest(const std::string& path, bool have_authkey) {
  auto loaded = manifest::load_manifests({path});
  if (!loaded) {
    std::cerr << "tandem-sidecar membership: " << loaded.error().message << "\n";
    return std::nullopt;
  }
  model::validate(loaded->manifests, loaded->diagnostics);
  for (const model::Diagnostic& d : loaded->diagnostics.items()) std::cerr << d.to_string() << "\n";
  if (loaded->diagnostics.has_errors()) {
    std::cerr << "tandem-sidecar membership: the manifests are invalid\n";
    return std::nullopt;
  }
  model::normalize(loaded->manifests);
  if (loaded->manifests.clusters.size() != 1) {
    std::cerr << "tandem-sidecar membership: " << path << " holds "
              << loaded->manifests.clusters.size() << " HACluster objects; it needs exactly one\n";
    return std::nullopt;
  }
  const model::HACluster& cluster = loaded->manifests.clusters.front();
  Settings settings{cluster.spec.membership, cluster.spec.quorum};
  if (!settings.membership.cluster_name) settings.membership.cluster_name = cluster.metadata.name;
  if (settings.membership.crypto.key_secret && !have_authkey) {
    std::cerr << "tandem-sidecar membership: the HACluster's key is in the Secret "
              << settings.membership.crypto.key_secret->name
              << "; mount it as a file and give its path with --authkey\n";
    return std::nullopt;
  }
  return settings;
}

int run(const Options& options) {
  auto max_clock_offset = parse_duration(options.max_clock_offset);
  if (!max_clock_offset) {
    std::cerr << "tandem-sidecar membership: --max-clock-offset: "
              << max_clock_offset.error().message << "\n";
    return kExitUsage;
  }
  std::optional<Settings> settings =
      options.cluster.empty() ? read_corosync_settings(options.config)
                              : read_cluster_manifest(options.cluster, options.authkey.has_value());
  if (!settings) return kExitDataErr;
  transport::NodeOptions node_options{options.node_id, options.authkey};
  auto setup = transport::prepare_node(settings->membership, settings->quorum, node_options);
  if (!setup) {
    std::cerr << "tandem-sidecar membership: " << setup.error().message << "\n";
    return kExitDataErr;
  }
  auto state = transport::StateDir::open(options.state_dir);
  if (!state) {
    std::cerr << "tandem-sidecar membership: " << state.error().message << "\n";
    return kExitFailure;
  }

  // SIGINT and SIGTERM end the loop through a descriptor it polls, so the
  // status file is written one last time.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  ::sigprocmask(SIG_BLOCK, &stop_signals, nullptr);
  int stop_fd = ::signalfd(-1, &stop_signals, SFD_CLOEXEC | SFD_NONBLOCK);
  if (stop_fd < 0) {
    std::cerr << "tandem-sidecar membership: cannot watch for signals\n";
    return kExitFailure;
  }
  std::unique_ptr<int, void (*)(int*)> close_stop(&stop_fd, [](int* fd) { ::close(*fd); });

  transport::DaemonOptions daemon_options;
  daemon_options.max_clock_offset = *max_clock_offset;
  daemon_options.realtime = !options.no_realtime;
  daemon_options.cpg_socket = cpg_socket_path(options.cpg_socket, options.state_dir + "/cpg.sock",
                                              "tandem-sidecar membership");
  auto daemon =
      transport::Daemon::start(std::move(*setup), std::move(*state), log_line, daemon_options);
  if (!daemon) {
    std::cerr << "tandem-sidecar membership: " << daemon.error().message << "\n";
    return kExitFailure;
  }
  auto result = (*daemon)->run(stop_fd);
  if (!result) {
    log_line("membership: stopped: " + result.error().message);
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

Command add_membership_command(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "membership",
      "Run this node's membership (the Totem ring and votequorum over authenticated UDP) in the "
      "foreground, configured by a corosync.conf, until SIGINT or SIGTERM. Configuration and "
      "quorum changes are logged to stderr and written to STATE_DIR/status.json, which "
      "'tandem-sidecar status' prints.");
  CLI::Option* config = cmd->add_option("--config", options->config, "The corosync.conf to read")
                            ->capture_default_str();
  cmd->add_option("--cluster", options->cluster,
                  "Read the membership and quorum settings from the HACluster in this manifest "
                  "file or directory instead of a corosync.conf")
      ->excludes(config);
  cmd->add_option("--authkey", options->authkey,
                  "The shared key (corosync-keygen's format; default: totem.keyfile, else "
                  "/etc/corosync/authkey)");
  cmd->add_option("--state-dir", options->state_dir,
                  "Where the ring sequence, the send epoch and status.json are kept; must "
                  "survive reboots")
      ->capture_default_str();
  cmd->add_option("--node-id", options->node_id,
                  "This node's nodeid (default: the node whose ring0_addr is an address of this "
                  "machine)")
      ->check(CLI::Range(1U, 0xffffffffU));
  cmd->add_option("--max-clock-offset", options->max_clock_offset,
                  "Log a warning when another node's clock is estimated further than this from "
                  "this node's (500ms, 2s, ...; 0 for no warnings)")
      ->capture_default_str();
  cmd->add_option("--cpg-socket", options->cpg_socket,
                  "The unix socket (mode 0660) where applications join process groups and "
                  "exchange messages in total order (default: STATE_DIR/cpg.sock; an empty path "
                  "turns it off)");
  cmd->add_flag("--no-realtime", options->no_realtime,
                "Keep the membership at normal priority instead of SCHED_RR 99 (corosync's -p); "
                "resource agents run at normal priority either way");
  cmd->footer(
      "Exit status: 0 after SIGINT or SIGTERM, 65 unreadable or invalid configuration or key, "
      "64 a --max-clock-offset that is not a duration, 1 when running became impossible (the "
      "socket, or the state directory).");
  return [options] { return run(*options); };
}

}  // namespace tandem::sidecar
