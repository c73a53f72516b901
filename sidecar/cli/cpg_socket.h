#pragma once

// Where the membership commands serve the process groups' socket.

#include <optional>
#include <string>

namespace tandem::sidecar {

// The path given with --cpg-socket, else DEFAULT_PATH. A default that is
// too long for a unix socket (a deep state directory) turns the socket
// off with a warning on stderr instead of stopping the node; a path given
// explicitly is used as it is, and an empty one turns it off.
std::string cpg_socket_path(const std::optional<std::string>& given,
                            const std::string& default_path, const char* program);

}  // namespace tandem::sidecar
