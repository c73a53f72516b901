// tandemctl import-cib: a Pacemaker CIB as Tandem manifests (and, on request,
// its status as an observed-state file): the migration path for an existing
// cluster. Nothing is written unless everything was imported, renamed to
// Kubernetes names, validated, and reads back the same.

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/core/text.h"
#include "common/manifest/decode.h"
#include "common/manifest/encode.h"
#include "common/model/validate.h"
#include "operator/cib/cib_import.h"
#include "operator/cib/kube_names.h"
#include "operator/cib/rename.h"
#include "operator/observed/observed_file.h"
#include "operator/tandemctl/commands.h"

namespace tandem::ctl {
namespace {

namespace fs = std::filesystem;

struct Options {
  std::string cib;
  std::string out_dir;
  std::string observed;
};

constexpr std::string_view kPrefix = "tandemctl import-cib: ";

// Refuses to overwrite anything: an observed-state file may hold hand edits,
// a manifest directory a cluster's configuration.
int check_destinations(const Options& options) {
  std::error_code ec;
  if (!options.out_dir.empty() && fs::exists(options.out_dir, ec)) {
    if (!fs::is_directory(options.out_dir, ec)) {
      std::cerr << kPrefix << options.out_dir << ": exists and is not a directory\n";
      return kExitUsage;
    }
    if (!fs::is_empty(options.out_dir, ec) || ec) {
      std::cerr << kPrefix << options.out_dir
                << ": directory is not empty; --out takes a new or empty directory\n";
      return kExitUsage;
    }
  }
  if (!options.observed.empty() && fs::exists(options.observed, ec)) {
    std::cerr << kPrefix << options.observed
              << ": exists; remove it or name another file for --observed\n";
    return kExitUsage;
  }
  return kExitOk;
}

// Writes through a temporary file and a rename, so that a failure never
// leaves half a file behind.
Result<void> write_file(const fs::path& path, const std::string& text) {
  fs::path temporary = path;
  temporary += ".import-cib.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return fail(path.string() + ": cannot open for writing");
    out << text;
    out.close();
    if (!out) {
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return fail(path.string() + ": cannot write");
    }
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return fail(path.string() + ": cannot write: " + ec.message());
  }
  return {};
}

// One file per kind, each a stream of YAML documents; kinds without objects
// get no file.
std::vector<std::pair<std::string, std::string>> files_by_kind(const model::Manifests& all) {
  std::vector<std::pair<std::string, std::string>> files;
  auto add = [&](const char* name, model::Manifests part) {
    if (part.size() > 0) files.emplace_back(name, manifest::encode_yaml(part));
  };
  add("cluster.yaml", model::Manifests{.clusters = all.clusters});
  add("nodes.yaml", model::Manifests{.nodes = all.nodes});
  add("resources.yaml", model::Manifests{.resources = all.resources});
  add("groups.yaml", model::Manifests{.groups = all.groups});
  add("constraints.yaml", model::Manifests{.constraints = all.constraints});
  return files;
}

int write_directory(const std::string& dir, const model::Manifests& manifests) {
  std::error_code ec;
  const bool created = fs::create_directories(dir, ec);
  if (ec) {
    std::cerr << kPrefix << dir << ": cannot create directory: " << ec.message() << "\n";
    return kExitUsage;
  }
  std::vector<fs::path> written;
  for (const auto& [name, text] : files_by_kind(manifests)) {
    const fs::path path = fs::path(dir) / name;
    if (auto ok = write_file(path, text); !ok) {
      std::cerr << kPrefix << ok.error().message << "; nothing written\n";
      for (const fs::path& done : written) fs::remove(done, ec);
      if (created) fs::remove(dir, ec);
      return kExitUsage;
    }
    written.push_back(path);
  }
  return kExitOk;
}

void internal_error(const std::string& what, const std::string& details) {
  std::cerr << kPrefix << "internal error: " << what << "; nothing written:\n"
            << details << kPrefix
            << "this is a bug in import-cib: please report it, with the CIB\n";
}

// The manifests as they will be written, read back: they must validate and
// decode to the same objects.
bool check_manifests(const model::Manifests& manifests) {
  model::Diagnostics diagnostics;
  model::validate(manifests, diagnostics);
  std::string details;
  for (const model::Diagnostic& d : diagnostics.items()) {
    if (d.severity == model::Severity::kWarning) std::cerr << d.to_string() << "\n";
    if (d.severity == model::Severity::kError) details += "  " + d.to_string() + "\n";
  }
  if (diagnostics.has_errors()) {
    // Either the renaming broke a reference, or the importer let through
    // CIB content that has no valid Tandem form instead of naming it.
    internal_error("the imported manifests are not valid", details);
    return false;
  }
  model::Manifests reread;
  model::Diagnostics reread_diagnostics;
  manifest::decode_file(manifest::encode_yaml(manifests), "<import-cib>", reread,
                        reread_diagnostics);
  for (const model::Diagnostic& d : reread_diagnostics.items()) {
    details += "  " + d.to_string() + "\n";
  }
  if (reread_diagnostics.has_errors() || !(reread == manifests)) {
    internal_error("the manifests as written do not read back the same", details);
    return false;
  }
  return true;
}

// The observed-state file's text, checked to read back the same.
std::optional<std::string> observed_text(const cib::Imported& imported) {
  auto text = observed::encode_observed(imported.observed);
  if (!text) {
    std::cerr << kPrefix << "cannot write the status as an observed-state file; nothing written:\n"
              << text.error().message << "\n";
    return std::nullopt;
  }
  model::Diagnostics diagnostics;
  observed::Decoded decoded = observed::decode_observed(*text, "<observed>", diagnostics);
  std::string details;
  for (const model::Diagnostic& d : diagnostics.items()) {
    details += "  " + observed::format_diagnostic(d) + "\n";
  }
  const bool startup_fencing = imported.manifests.clusters.empty() ||
                               imported.manifests.clusters.front().spec.options.startup_fencing;
  observed::apply_startup_fencing(decoded.state, startup_fencing);
  auto again = observed::encode_observed(decoded.state);
  if (diagnostics.has_errors() || !again || *again != *text) {
    internal_error("the observed state as written does not read back the same", details);
    return std::nullopt;
  }
  return *text;
}

int run(const Options& options) {
  if (int status = check_destinations(options); status != kExitOk) return status;
  std::ifstream file(options.cib, std::ios::binary);
  if (!file) {
    std::cerr << kPrefix << "cannot read " << options.cib << "\n";
    return kExitUsage;
  }
  std::stringstream content;
  content << file.rdbuf();
  auto imported = cib::import_cib(content.str(), options.cib);
  if (!imported) {
    std::cerr << kPrefix << imported.error().message << "\n"
              << "nothing written: Tandem does not support the features above\n";
    return kExitInvalid;
  }
  auto renamed = cib::rename_for_kubernetes(*imported);
  if (!renamed) {
    std::cerr << kPrefix << options.cib << ": cannot import:\n"
              << renamed.error().message << "\n"
              << "nothing written\n";
    return kExitInvalid;
  }
  for (const std::string& note : imported->notes) std::cerr << "note: " << note << "\n";
  for (const cib::Renaming& renaming : *renamed) {
    std::cerr << "note: " << renaming.what << " " << quote(renaming.from) << " is named "
              << renaming.to << " (annotation " << cib::kPacemakerIdAnnotation << ")\n";
  }
  if (!check_manifests(imported->manifests)) return kExitInvalid;
  std::optional<std::string> observed;
  if (!options.observed.empty()) {
    observed = observed_text(*imported);
    if (!observed) return kExitInvalid;
  }

  if (options.out_dir.empty()) {
    std::cout << manifest::encode_yaml(imported->manifests);
  } else if (int status = write_directory(options.out_dir, imported->manifests);
             status != kExitOk) {
    return status;
  }
  if (observed) {
    if (auto ok = write_file(options.observed, *observed); !ok) {
      std::cerr << kPrefix << ok.error().message << "\n";
      return kExitUsage;
    }
  }
  return kExitOk;
}

}  // namespace

Command add_import_cib_command(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "import-cib",
      "Turn a Pacemaker CIB (cibadmin -Q > cib.xml) into Tandem manifests: one YAML document per "
      "object on standard output, or one file per kind with --out. Ids that are not Kubernetes "
      "names are renamed (the old id stays in the tandem.dev/pacemaker-id annotation). A "
      "feature Tandem does not support is an error, and then nothing is written.");
  cmd->add_option("cib", options->cib, "The CIB, as cibadmin -Q prints it")->required();
  cmd->add_option("--out", options->out_dir,
                  "Write cluster.yaml, nodes.yaml, resources.yaml, groups.yaml and "
                  "constraints.yaml into this new or empty directory instead");
  cmd->add_option("--observed", options->observed,
                  "Also write the CIB's status section as an observed-state file, for "
                  "tandemctl simulate (the file must not exist yet)");
  return [options] { return run(*options); };
}

}  // namespace tandem::ctl
