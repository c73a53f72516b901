// tandemctl schema: the CustomResourceDefinitions and the field reference.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "common/manifest/schema.h"
#include "operator/tandemctl/commands.h"

namespace tandem::ctl {
namespace {

struct SchemaOptions {
  std::string what;
  std::string out_dir;
};

int run(const SchemaOptions& options) {
  if (options.what == "reference") {
    std::cout << manifest::generate_field_reference();
    return kExitOk;
  }
  bool first = true;
  for (const manifest::CrdFile& crd : manifest::generate_crds()) {
    if (options.out_dir.empty()) {
      std::cout << (first ? "" : "---\n") << crd.yaml;
      first = false;
      continue;
    }
    std::filesystem::path path = std::filesystem::path(options.out_dir) / crd.file_name;
    std::ofstream out(path);
    out << crd.yaml;
    if (!out) {
      std::cerr << "tandemctl schema: cannot write " << path.string() << "\n";
      return kExitUsage;
    }
  }
  return kExitOk;
}

}  // namespace

Command add_schema_command(CLI::App& app) {
  auto options = std::make_shared<SchemaOptions>();
  CLI::App* cmd = app.add_subcommand(
      "schema",
      "Print the Kubernetes CustomResourceDefinitions of Tandem's kinds (crds), or the "
      "reference of every manifest field as Markdown (reference).");
  cmd->add_option("what", options->what, "crds or reference")
      ->required()
      ->check(CLI::IsMember({"crds", "reference"}));
  cmd->add_option("--out", options->out_dir,
                  "With crds: write one file per kind into this directory instead")
      ->check(CLI::ExistingDirectory);
  return [options] { return run(*options); };
}

}  // namespace tandem::ctl
