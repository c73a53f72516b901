#include <iostream>
#include <map>
#include <string>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "common/io/command_line.h"
#include "sidecar/cli/agent_bin_dir.h"
#include "sidecar/cli/commands.h"

int main(int argc, char** argv) {
  using namespace tandem::sidecar;
  namespace io = tandem::io;
  // The membership runs in tandem-membership, the same command in a program
  // without the HTTP, TLS and XML libraries the other commands load: a node
  // that runs only its membership then keeps about 1.2 MiB less resident.
  // Same process (exec), same options, same messages; if exec fails, the
  // command runs here.
  if (argc >= 2 && std::string(argv[1]) == "membership") {
    if (std::optional<std::string> program = membership_program()) {
      argv[0] = program->data();
      ::execv(program->c_str(), argv);
    }
  }
  CLI::App app{"tandem-sidecar: runs a node's membership and its resources.\n", "tandem-sidecar"};
  app.set_version_flag("--version", std::string(TANDEM_VERSION));
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success, 64 usage error, 65 unreadable or invalid manifest or "
      "configuration; run-op passes the agent's exit code through and status exits as "
      "corosync-quorumtool -s does (see each command's --help).\n"
      "Run 'tandem-sidecar COMMAND --help' for a command's options.");

  std::map<CLI::App*, Command> commands;
  auto add = [&](Command (*adder)(CLI::App&)) {
    Command command = adder(app);
    commands.emplace(app.get_subcommands({}).back(), std::move(command));
  };
  add(add_run_op_command);
  add(add_membership_command);
  add(add_status_command);
  add(add_agent_command);

  if (std::optional<int> status = io::parse_command_line(app, argc, argv, kExitUsage))
    return *status;
  for (auto& [subcommand, command] : commands) {
    if (subcommand->parsed()) return command();
  }
  return kExitUsage;
}
