#include "sidecar/cli/cpg_socket.h"

#include <iostream>

#include "sidecar/groups/server.h"

namespace tandem::sidecar {

std::string cpg_socket_path(const std::optional<std::string>& given,
                            const std::string& default_path, const char* program) {
  if (given) return *given;
  if (default_path.size() <= groups::kMaxSocketPath) return default_path;
  std::cerr << program << ": not serving process groups: " << default_path << " is longer than the "
            << groups::kMaxSocketPath << " bytes a unix socket path may have; give a shorter "
            << "--cpg-socket\n";
  return {};
}

}  // namespace tandem::sidecar
