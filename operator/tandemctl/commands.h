#pragma once

// The subcommands of tandemctl. Each registers its options on the app and
// returns the function that runs it, which returns the exit status.

#include <functional>

namespace CLI {
class App;
}

namespace tandem::ctl {

// Exit statuses shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;  // the input was read and is wrong
inline constexpr int kExitUsage = 2;    // bad options, or paths that cannot be read

using Command = std::function<int()>;

Command add_validate_command(CLI::App& app);
Command add_show_command(CLI::App& app);
Command add_schema_command(CLI::App& app);
Command add_simulate_command(CLI::App& app);
Command add_import_cib_command(CLI::App& app);
Command add_explain_command(CLI::App& app);
Command add_status_command(CLI::App& app);
Command add_standby_command(CLI::App& app);
Command add_unstandby_command(CLI::App& app);
Command add_ban_command(CLI::App& app);
Command add_move_command(CLI::App& app);
Command add_clear_command(CLI::App& app);
Command add_cleanup_command(CLI::App& app);
Command add_maintenance_command(CLI::App& app);
Command add_unmanage_command(CLI::App& app);
Command add_manage_command(CLI::App& app);

}  // namespace tandem::ctl
