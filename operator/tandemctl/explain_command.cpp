// tandemctl explain: why a resource runs where it runs, in plain words.

#include <chrono>
#include <fstream>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "common/model/normalize.h"
#include "operator/cib/cib_import.h"
#include "operator/placement/engine.h"
#include "operator/placement/explain.h"
#include "operator/tandemctl/commands.h"

namespace tandem::ctl {
namespace {

struct Options {
  std::string resource;
  std::string cib;
};

int run(const Options& options) {
  std::ifstream file(options.cib, std::ios::binary);
  if (!file) {
    std::cerr << "tandemctl explain: cannot read " << options.cib << "\n";
    return kExitUsage;
  }
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto imported = cib::import_cib(content, options.cib);
  if (!imported) {
    std::cerr << "tandemctl explain: " << imported.error().message << "\n";
    return kExitInvalid;
  }
  if (!imported->observed.now) {
    imported->observed.now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  }
  model::normalize(imported->manifests);
  const placement::Transition transition =
      placement::schedule(imported->manifests, imported->observed, {.scores = true});
  // A group is explained member by member.
  std::vector<std::string> targets{options.resource};
  for (const model::HAGroup& group : imported->manifests.groups) {
    if (group.metadata.name == options.resource) targets = group.spec.resources;
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    auto text = placement::explain(transition, targets[i]);
    if (!text) {
      std::cerr << "tandemctl explain: " << text.error().message << "\n";
      return kExitInvalid;
    }
    std::cout << (i > 0 ? "\n" : "") << *text;
  }
  return kExitOk;
}

}  // namespace

Command add_explain_command(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "explain",
      "Say why a resource runs where it runs (or nowhere): every node's score and what made it, "
      "what kept the other nodes out, and what is blocked.");
  cmd->add_option("resource", options->resource, "The resource (or group) to explain")->required();
  cmd->add_option("--cib", options->cib, "A Pacemaker CIB with its status section")->required();
  return [options] { return run(*options); };
}

}  // namespace tandem::ctl
