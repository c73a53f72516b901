#include "common/io/command_line.h"

#include <CLI/CLI.hpp>

namespace tandem::io {

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, int usage_status) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return usage_status;
  }
  return std::nullopt;
}

}  // namespace tandem::io
