// tandemctl show: the manifests as Tandem understands them, defaults filled in.

#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/manifest/encode.h"
#include "common/manifest/load.h"
#include "common/model/normalize.h"
#include "common/model/validate.h"
#include "operator/tandemctl/commands.h"

namespace tandem::ctl {
namespace {

int run(const std::vector<std::string>& paths) {
  auto loaded = manifest::load_manifests(paths);
  if (!loaded) {
    std::cerr << "tandemctl show: " << loaded.error().message << "\n";
    return kExitUsage;
  }
  model::validate(loaded->manifests, loaded->diagnostics);
  for (const model::Diagnostic& d : loaded->diagnostics.items()) std::cerr << d.to_string() << "\n";
  if (loaded->diagnostics.has_errors()) {
    std::cerr << "tandemctl show: the manifests are invalid; nothing shown\n";
    return kExitInvalid;
  }
  model::normalize(loaded->manifests);
  std::cout << manifest::encode_yaml(loaded->manifests);
  return kExitOk;
}

}  // namespace

Command add_show_command(CLI::App& app) {
  auto paths = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "show",
      "Print the manifests as Tandem reads them: one YAML document per object, every default "
      "filled in (including those from the HACluster's resourceDefaults and a resource's "
      "group).");
  cmd->add_option("paths", *paths, "Manifest files or directories; - reads standard input")
      ->required();
  return [paths] { return run(*paths); };
}

}  // namespace tandem::ctl
