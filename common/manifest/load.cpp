#include "common/manifest/load.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <system_error>

namespace tandem::manifest {
namespace {

namespace fs = std::filesystem;

bool is_manifest_file(const fs::path& path) {
  std::string ext = path.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

bool is_hidden(const fs::path& path) {
  std::string name = path.filename().string();
  return !name.empty() && name[0] == '.';
}

Result<std::string> read_stream(std::istream& in, const std::string& label, std::size_t max_bytes) {
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    // Read one byte past the limit so decode_file reports the size.
    if (text.size() > max_bytes) break;
  }
  if (in.bad()) return fail(label + ": cannot read");
  return text;
}

Result<std::string> read_file(const fs::path& path, const std::string& label,
                              std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(label + ": cannot open for reading");
  return read_stream(in, label, max_bytes);
}

// The files a path names, with the labels messages use for them.
Result<std::vector<std::pair<fs::path, std::string>>> expand(const std::string& arg) {
  std::error_code ec;
  fs::file_status status = fs::status(arg, ec);
  if (ec || !fs::exists(status)) return fail(arg + ": no such file or directory");
  if (!fs::is_directory(status)) return std::vector<std::pair<fs::path, std::string>>{{arg, arg}};

  std::vector<std::pair<fs::path, std::string>> files;
  fs::recursive_directory_iterator it(arg, fs::directory_options::none, ec);
  if (ec) return fail(arg + ": cannot list directory: " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return fail(arg + ": cannot list directory: " + ec.message());
    const fs::path& path = it->path();
    if (is_hidden(path)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && is_manifest_file(path)) {
      files.emplace_back(path, (fs::path(arg) / fs::relative(path, arg, ec)).generic_string());
    }
  }
  if (files.empty()) return fail(arg + ": no .yaml, .yml or .json files in this directory");
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.second < b.second; });
  return files;
}

}  // namespace

Result<Loaded> load_manifests(const std::vector<std::string>& paths, const DecodeLimits& limits) {
  Loaded loaded;
  for (const std::string& arg : paths) {
    if (arg == "-") {
      auto text = read_stream(std::cin, "<stdin>", limits.max_bytes);
      if (!text) return tl::unexpected(text.error());
      decode_file(*text, "<stdin>", loaded.manifests, loaded.diagnostics, limits);
      ++loaded.files;
      continue;
    }
    auto files = expand(arg);
    if (!files) return tl::unexpected(files.error());
    for (const auto& [path, label] : *files) {
      auto text = read_file(path, label, limits.max_bytes);
      if (!text) return tl::unexpected(text.error());
      decode_file(*text, label, loaded.manifests, loaded.diagnostics, limits);
      ++loaded.files;
    }
  }
  return loaded;
}

}  // namespace tandem::manifest
