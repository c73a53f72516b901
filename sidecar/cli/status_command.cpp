// tandem-sidecar status: prints the membership and quorum a running
// `tandem-sidecar membership` reports, in corosync-quorumtool -s's layout
// (so scripts written for it keep working) or as JSON; with --links the
// links in corosync-cfgtool -s's layout, with --clock the clock offsets,
// with --groups the process groups in corosync-cpgtool's layout.

#include <cerrno>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "sidecar/cli/commands.h"
#include "sidecar/transport/state_dir.h"
#include "sidecar/transport/status.h"
#include "sidecar/transport/status_text.h"

namespace tandem::sidecar {
namespace {

// corosync-quorumtool -s: 2 means "not quorate".
constexpr int kExitNotQuorate = 2;
// status --clock: a node's clock is further off than the bound.
constexpr int kExitClockBeyondBound = 2;
constexpr std::size_t kMaxStatusSize = 16 << 20;

struct Options {
  std::string state_dir{kDefaultMembershipStateDir};
  std::string output = "text";
  bool links = false;
  bool groups = false;
  bool clock = false;
};

bool running(std::int64_t pid) {
  if (pid <= 0 || pid > 0x7fffffff) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  // A recycled pid belongs to another program.
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(comm, name);
  // tandem-sidecar runs its membership as tandem-membership (exec), whose
  // name the kernel cuts to 15 characters.
  return !comm || name.rfind("tandem-sidecar", 0) == 0 || name.rfind("tandem-member", 0) == 0;
}

std::string local_time(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  ::localtime_r(&t, &tm);
  char text[64];
  // ctime(3)'s layout, as corosync-quorumtool prints it.
  std::strftime(text, sizeof text, "%a %b %e %H:%M:%S %Y", &tm);
  return text;
}

int run(const Options& options) {
  auto state = transport::StateDir::existing(options.state_dir);
  std::string file = state.file(transport::kStatusFile);
  auto text = state.read(transport::kStatusFile, kMaxStatusSize);
  if (!text) {
    std::cerr << "tandem-sidecar status: " << text.error().message << "\n";
    return kExitFailure;
  }
  if (!*text) {
    std::cerr << "tandem-sidecar status: " << file
              << " does not exist: is 'tandem-sidecar membership --state-dir " << options.state_dir
              << "' running?\n";
    return kExitFailure;
  }
  auto status = transport::status_from_json(**text, file);
  if (!status) {
    std::cerr << "tandem-sidecar status: " << status.error().message << "\n";
    return kExitFailure;
  }
  if (!running(status->pid)) {
    std::cerr << "tandem-sidecar status: the membership is not running (" << file
              << " was written by pid " << status->pid << ", which has ended, at "
              << local_time(status->updated_unix_ms / 1000) << ")\n";
    return kExitFailure;
  }
  if ((options.links || options.clock || options.groups) && status->local_address.empty()) {
    std::cerr << "tandem-sidecar status: " << file
              << " has no links or clocks: it was written by an older tandem-sidecar membership; "
                 "restart it\n";
    return kExitFailure;
  }
  if (options.links) {
    // corosync-cfgtool -s exits 0 whatever the links' state.
    std::cout << transport::cfgtool_text(*status);
    return kExitOk;
  }
  if (options.groups) {
    if (!status->groups) {
      std::cerr << "tandem-sidecar status: " << file
                << " has no process groups: the membership runs without a --cpg-socket (or is "
                   "older than process groups)\n";
      return kExitFailure;
    }
    std::cout << transport::cpgtool_text(*status);
    return kExitOk;
  }
  if (options.clock) {
    std::cout << transport::clock_text(*status);
    for (const transport::ClockStatus& c : status->clock)
      if (c.exceeds) return kExitClockBeyondBound;
    return kExitOk;
  }
  if (options.output == "json") {
    std::cout << transport::to_json(*status);
  } else {
    std::cout << transport::quorumtool_text(*status, local_time(std::time(nullptr)));
  }
  return status->quorate ? kExitOk : kExitNotQuorate;
}

}  // namespace

Command add_status_command(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "status",
      "Print the quorum and membership of this node's running membership, in "
      "corosync-quorumtool -s's layout (Quorum information, Votequorum information, Membership "
      "information) or as JSON with the transport's counters.");
  cmd->add_option("--state-dir", options->state_dir,
                  "The state directory 'tandem-sidecar membership' runs with")
      ->capture_default_str();
  CLI::Option* output =
      cmd->add_option("--output", options->output,
                      "text (corosync-quorumtool -s) or json (everything, links and clocks too)")
          ->check(CLI::IsMember({"text", "json"}))
          ->capture_default_str();
  CLI::Option* links =
      cmd->add_flag("--links", options->links,
                    "Print the links to the other nodes in corosync-cfgtool -s's layout")
          ->excludes(output);
  CLI::Option* clock =
      cmd->add_flag("--clock", options->clock,
                    "Print each other node's clock offset from this node's, as the clock probes "
                    "measured it")
          ->excludes(output)
          ->excludes(links);
  cmd->add_flag("--groups", options->groups,
                "Print the process groups and their members in corosync-cpgtool's layout")
      ->excludes(output)
      ->excludes(links)
      ->excludes(clock);
  cmd->footer(
      "Exit status, as corosync-quorumtool -s: 0 quorate, 2 not quorate, 1 the membership is "
      "not running or its status cannot be read. With --links, as corosync-cfgtool -s: 0 "
      "(1 when not running). With --clock: 0, or 2 when a node's clock is beyond the bound. With "
      "--groups: 0 (1 when not running or without process groups).");
  return [options] { return run(*options); };
}

}  // namespace tandem::sidecar
