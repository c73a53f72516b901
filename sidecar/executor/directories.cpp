#include "sidecar/executor/directories.h"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>

#include "common/core/text.h"

namespace tandem::executor {

Result<void> make_directories(const std::string& path, unsigned mode) {
  if (path.empty() || path.front() != '/') return fail(quote(path) + " is not an absolute path");
  std::size_t pos = 1;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    std::string prefix = path.substr(0, slash);
    if (::mkdir(prefix.c_str(), static_cast<mode_t>(mode)) < 0 && errno != EEXIST) {
      return fail("cannot create the directory " + quote(prefix) + ": " + std::strerror(errno));
    }
    pos = slash + 1;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) {
    return fail(quote(path) + " is not a directory");
  }
  return {};
}

}  // namespace tandem::executor
