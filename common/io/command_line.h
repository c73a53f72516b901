#pragma once

// Parsing a program's command line with CLI11 the way every Tandem program
// answers: --help and --version print and exit 0, a usage error prints why
// and exits with the program's usage status.

#include <optional>

namespace CLI {
class App;
}

namespace tandem::io {

// The status to exit with now, or nullopt when the parsed command should run.
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, int usage_status);

}  // namespace tandem::io
