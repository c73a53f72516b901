#include "sidecar/cli/agent_bin_dir.h"

#include <unistd.h>

namespace tandem::sidecar {

std::string directory_of_executable() {
  std::string buffer(4096, '\0');
  ssize_t n = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
  if (n <= 0) return {};
  buffer.resize(static_cast<std::size_t>(n));
  return buffer.substr(0, buffer.rfind('/'));
}

std::string default_agent_bin_dir() {
  std::string beside = directory_of_executable() + "/agent-bin";
  if (::access((beside + "/crm_attribute").c_str(), X_OK) == 0) return beside;
  return "/usr/libexec/tandem/agent-bin";
}

std::optional<std::string> membership_program() {
  for (std::string path : {directory_of_executable() + "/tandem-membership",
                           std::string("/usr/libexec/tandem/tandem-membership")})
    if (::access(path.c_str(), X_OK) == 0) return path;
  return std::nullopt;
}

}  // namespace tandem::sidecar
