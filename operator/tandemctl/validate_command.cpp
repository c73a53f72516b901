// tandemctl validate: checks manifests and reports every problem.

#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/manifest/load.h"
#include "common/model/validate.h"
#include "operator/tandemctl/commands.h"

namespace tandem::ctl {
namespace {

struct ValidateOptions {
  std::vector<std::string> paths;
  std::string output = "text";
  bool quiet = false;
};

nlohmann::json to_json(const model::Diagnostic& d) {
  return {{"severity", d.severity == model::Severity::kError ? "error" : "warning"},
          {"file", d.file},
          {"document", d.document},
          {"line", d.line},
          {"column", d.column},
          {"object", d.object},
          {"path", d.path},
          {"message", d.message},
          {"text", d.to_string()}};
}

int run(const ValidateOptions& options) {
  auto loaded = manifest::load_manifests(options.paths);
  if (!loaded) {
    std::cerr << "tandemctl validate: " << loaded.error().message << "\n";
    return kExitUsage;
  }
  model::validate(loaded->manifests, loaded->diagnostics);
  const model::Diagnostics& diagnostics = loaded->diagnostics;
  const bool valid = !diagnostics.has_errors();
  const std::size_t objects = loaded->manifests.size();

  if (options.output == "json") {
    nlohmann::json report{{"valid", valid},
                          {"files", loaded->files},
                          {"objects", objects},
                          {"errors", nlohmann::json::array()},
                          {"warnings", nlohmann::json::array()}};
    for (const model::Diagnostic& d : diagnostics.items()) {
      report[d.severity == model::Severity::kError ? "errors" : "warnings"].push_back(to_json(d));
    }
    std::cout << report.dump(2) << "\n";
    return valid ? kExitOk : kExitInvalid;
  }

  for (const model::Diagnostic& d : diagnostics.items()) std::cerr << d.to_string() << "\n";
  std::string counts = std::to_string(objects) + (objects == 1 ? " object" : " objects") + " in " +
                       std::to_string(loaded->files) + (loaded->files == 1 ? " file" : " files");
  std::string warnings;
  if (std::size_t n = diagnostics.warning_count(); n > 0) {
    warnings = ", " + std::to_string(n) + (n == 1 ? " warning" : " warnings");
  }
  if (!valid) {
    std::size_t n = diagnostics.error_count();
    std::cerr << "invalid: " << n << (n == 1 ? " error" : " errors") << warnings << " (" << counts
              << ")\n";
    return kExitInvalid;
  }
  if (!options.quiet) std::cout << "valid: " << counts << warnings << "\n";
  return kExitOk;
}

}  // namespace

Command add_validate_command(CLI::App& app) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check manifests: every object, field and reference. Prints each problem as "
      "FILE: KIND NAMESPACE/NAME: FIELD: PROBLEM, and exits 0 when valid, 1 when not, 2 on "
      "usage errors.");
  cmd->add_option("paths", options->paths,
                  "Manifest files or directories (searched recursively for .yaml, .yml and "
                  ".json); - reads standard input")
      ->required();
  cmd->add_option("-o,--output", options->output, "Report format: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("-q,--quiet", options->quiet, "Print nothing when the manifests are valid");
  return [options] { return run(*options); };
}

}  // namespace tandem::ctl
