#include <iostream>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "common/io/command_line.h"
#include "operator/tandemctl/commands.h"

int main(int argc, char** argv) {
  using namespace tandem::ctl;
  namespace io = tandem::io;
  CLI::App app{"tandemctl: check, inspect and manage Tandem high-availability clusters.\n",
               "tandemctl"};
  app.set_version_flag("--version", std::string(TANDEM_VERSION));
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 success, 1 invalid input, 2 usage error (bad options or unreadable "
      "paths).\nRun 'tandemctl COMMAND --help' for a command's options.");

  std::map<CLI::App*, Command> commands;
  auto add = [&](Command (*adder)(CLI::App&)) {
    Command command = adder(app);
    commands.emplace(app.get_subcommands({}).back(), std::move(command));
  };
  add(add_validate_command);
  add(add_show_command);
  add(add_schema_command);
  add(add_simulate_command);
  add(add_import_cib_command);
  add(add_explain_command);
  add(add_status_command);
  add(add_standby_command);
  add(add_unstandby_command);
  add(add_ban_command);
  add(add_move_command);
  add(add_clear_command);
  add(add_cleanup_command);
  add(add_maintenance_command);
  add(add_unmanage_command);
  add(add_manage_command);

  if (std::optional<int> status = io::parse_command_line(app, argc, argv, kExitUsage))
    return *status;
  for (auto& [subcommand, command] : commands) {
    if (subcommand->parsed()) return command();
  }
  return kExitUsage;
}
