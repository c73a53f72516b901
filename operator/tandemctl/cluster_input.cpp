#include "operator/tandemctl/cluster_input.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <set>

#include "common/core/text.h"
#include "common/manifest/load.h"
#include "common/model/validate.h"
#include "operator/observed/observed_file.h"
#include "operator/tandemctl/commands.h"

namespace tandem::ctl {
namespace {

// Features the manifests describe but the placement engine does not simulate
// yet (they come with placement engine II). Simulating them as if they were
// absent would give answers that look right and are not.
void check_engine_scope(const model::Manifests& manifests, model::Diagnostics& diagnostics) {
  std::set<std::string> namespaces;
  model::for_each_object(
      manifests, [&](const auto& object) { namespaces.insert(object.metadata.namespace_); });
  if (namespaces.size() > 1) {
    std::vector<std::string_view> names(namespaces.begin(), namespaces.end());
    diagnostics.add(model::Diagnostic{model::Severity::kError, "", 0, 0, 0, "", "",
                                      "the manifests hold " + std::to_string(names.size()) +
                                          " clusters (namespaces " + join(names, ", ") +
                                          "); simulate one at a time"});
  }
  for (const auto& resource : manifests.resources) {
    if (resource.spec.clone && resource.spec.clone->promotable) {
      diagnostics.error(resource, "spec.clone.promotable",
                        "promotable clones are not simulated yet");
    }
  }
  for (const auto& group : manifests.groups) {
    if (group.spec.clone && group.spec.clone->promotable) {
      diagnostics.error(group, "spec.clone.promotable", "promotable clones are not simulated yet");
    }
  }
}

// The file's text, or an error message; reads one byte past the limit so
// that the decoder reports the size.
Result<std::string> read_text(const std::string& path, std::size_t max_bytes) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return fail(path + ": cannot open for reading");
    in = &file;
  }
  std::string text;
  char buffer[65536];
  while (in->read(buffer, sizeof buffer) || in->gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in->gcount()));
    if (text.size() > max_bytes) break;
  }
  if (in->bad()) return fail(path + ": cannot read");
  return text;
}

}  // namespace

int read_manifest_input(const std::vector<std::string>& paths, const std::string& observed_path,
                        std::string_view command, ClusterInput& out) {
  const std::string prefix = "tandemctl " + std::string(command) + ": ";
  if (observed_path == "-" && std::find(paths.begin(), paths.end(), "-") != paths.end()) {
    std::cerr << prefix
              << "standard input (-) can hold the manifests or the observed state, "
                 "not both\n";
    return kExitUsage;
  }
  auto loaded = manifest::load_manifests(paths);
  if (!loaded) {
    std::cerr << prefix << loaded.error().message << "\n";
    return kExitUsage;
  }
  model::validate(loaded->manifests, loaded->diagnostics);
  if (!loaded->diagnostics.has_errors()) check_engine_scope(loaded->manifests, loaded->diagnostics);
  for (const model::Diagnostic& d : loaded->diagnostics.items()) std::cerr << d.to_string() << "\n";
  if (loaded->diagnostics.has_errors()) {
    std::cerr << prefix << "the manifests are invalid; nothing simulated\n";
    return kExitInvalid;
  }

  const observed::DecodeLimits limits;
  auto text = read_text(observed_path, limits.max_bytes);
  if (!text) {
    std::cerr << prefix << text.error().message << "\n";
    return kExitUsage;
  }
  const std::string label = observed_path == "-" ? "<stdin>" : observed_path;
  model::Diagnostics diagnostics;
  observed::Decoded decoded = observed::decode_observed(*text, label, diagnostics, limits);
  if (!diagnostics.has_errors()) {
    observed::check_observed(decoded, loaded->manifests, label, diagnostics);
  }
  for (const model::Diagnostic& d : diagnostics.items()) {
    std::cerr << observed::format_diagnostic(d) << "\n";
  }
  if (diagnostics.has_errors()) {
    std::cerr << prefix << "the observed state is invalid; nothing simulated\n";
    return kExitInvalid;
  }

  const bool startup_fencing = loaded->manifests.clusters.empty() ||
                               loaded->manifests.clusters.front().spec.options.startup_fencing;
  observed::apply_startup_fencing(decoded.state, startup_fencing);
  out.manifests = std::move(loaded->manifests);
  out.observed = std::move(decoded.state);
  return kExitOk;
}

}  // namespace tandem::ctl
