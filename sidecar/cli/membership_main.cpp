// tandem-membership: `tandem-sidecar membership` alone, in a program that
// loads none of the libraries the agent and the other commands need (HTTP,
// TLS, XML). tandem-sidecar runs it in place of itself (exec) for that
// command: a node's membership process is mostly the libraries it maps, and
// 64 of them on one machine stay under 10 MiB each this way
// (docs/benchmarks.md, "64 sidecars on one machine").

#include <string>

#include <CLI/CLI.hpp>

#include "common/io/command_line.h"
#include "sidecar/cli/commands.h"

int main(int argc, char** argv) {
  using namespace tandem::sidecar;
  namespace io = tandem::io;
  // Named as the program it stands in for: usage and errors read the same.
  CLI::App app{"tandem-sidecar: runs a node's membership and its resources.\n", "tandem-sidecar"};
  app.set_version_flag("--version", std::string(TANDEM_VERSION));
  app.require_subcommand(1);
  Command run = add_membership_command(app);
  if (std::optional<int> status = io::parse_command_line(app, argc, argv, kExitUsage))
    return *status;
  return run();
}
