#pragma once

// The commands of tandem-sidecar. Each registers its options on the app and
// returns the function that runs it, which returns the exit status. A new
// command adds one function here and one line in main.cpp.

#include <functional>

namespace CLI {
class App;
}

namespace tandem::sidecar {

// Exit statuses of the program itself. run-op passes the agent's exit code
// through instead (see run_op_command.cpp).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;    // bad options (sysexits' EX_USAGE)
inline constexpr int kExitDataErr = 65;  // the manifest is unreadable or invalid (EX_DATAERR)
inline constexpr int kExitFailure = 1;   // running became impossible

// Where `membership` keeps its ring sequence and status, and `status` reads it.
inline constexpr const char* kDefaultMembershipStateDir = "/var/lib/tandem/membership";

using Command = std::function<int()>;

Command add_run_op_command(CLI::App& app);
Command add_membership_command(CLI::App& app);
Command add_status_command(CLI::App& app);
Command add_agent_command(CLI::App& app);

}  // namespace tandem::sidecar
