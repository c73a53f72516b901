#pragma once

// How tandemctl reaches a running operator: its URL, the bearer token file,
// and one HTTP exchange whose errors say what went wrong in user terms.

#include <string>

#include "common/core/result.h"

namespace CLI {
class App;
}

namespace tandem::ctl {

struct OperatorEndpoint {
  std::string url = "http://127.0.0.1:7440";
  std::string token_file;
  std::string ca_file;  // https: the CA that signs the operator's certificate
};

// --operator, --token-file and --ca-file.
void add_endpoint_options(CLI::App& command, OperatorEndpoint& endpoint);

// The token (empty without --token-file); checks the URL's form too.
Result<std::string> endpoint_token(const OperatorEndpoint& endpoint);

// GET `path`, or POST `body` to it when `body` is not empty. The answer's
// body on 200; otherwise an error with the operator's own message.
Result<std::string> exchange(const OperatorEndpoint& endpoint, const std::string& token,
                             const std::string& path, const std::string& body = "");

}  // namespace tandem::ctl
