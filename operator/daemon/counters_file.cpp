#include "operator/daemon/counters_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tandem::operator_daemon {

LoadedCounters load_counters(const std::string& path) {
  LoadedCounters loaded;
  std::ifstream in(path);
  if (!in) {
    if (errno != ENOENT)
      loaded.warning = "counters: " + path + ": cannot read it (" + std::strerror(errno) +
                       "); counting from zero";
    return loaded;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto decoded = reconcile::decode_counters(text.str(), path);
  if (!decoded) {
    loaded.warning = "counters: " + decoded.error().message +
                     "; counting from zero (the file is replaced at the next change)";
    return loaded;
  }
  loaded.counters = std::move(*decoded);
  return loaded;
}

}  // namespace tandem::operator_daemon
