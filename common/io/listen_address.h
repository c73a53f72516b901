#pragma once

// Where a program's HTTP server listens, from an option's text:
// "127.0.0.1:7440", "[::1]:7440", "0.0.0.0:9664".

#include <string>

#include "common/core/result.h"

namespace tandem::io {

struct ListenAddress {
  std::string host;  // without brackets
  int port = 0;
};

// `option` ("--listen") names the option in the error.
Result<ListenAddress> parse_listen(const std::string& option, const std::string& text);

}  // namespace tandem::io
