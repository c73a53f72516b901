#include "common/io/listen_address.h"

#include <charconv>

namespace tandem::io {

Result<ListenAddress> parse_listen(const std::string& option, const std::string& text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return fail(option + " " + text + ": expected HOST:PORT, e.g. 127.0.0.1:7440");
  ListenAddress out;
  out.host = text.substr(0, colon);
  if (out.host.size() >= 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  const std::string port = text.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
  if (ec != std::errc() || ptr != port.data() + port.size() || out.port < 1 || out.port > 65535)
    return fail(option + " " + text + ": the port must be a number from 1 to 65535");
  return out;
}

}  // namespace tandem::io
