#include "sidecar/cli/corosync_conf_file.h"

#include <fstream>
#include <iostream>

#include "common/io/log_line.h"

namespace tandem::sidecar {

std::optional<membership::CorosyncConf> read_corosync_conf(const std::string& path,
                                                           std::string_view program) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << program << ": " << path << ": cannot read the configuration\n";
    return std::nullopt;
  }
  // One byte over the limit, so that the parser sees an oversized file as
  // one and says so.
  std::string text(membership::kMaxCorosyncConfSize + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  auto conf = membership::parse_corosync_conf(text, path);
  if (!conf) {
    std::cerr << conf.error().message << "\n";
    return std::nullopt;
  }
  for (const std::string& warning : conf->warnings) io::log_line(warning);
  return std::move(*conf);
}

}  // namespace tandem::sidecar
