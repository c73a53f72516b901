#include "operator/tandemctl/operator_api.h"

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/io/token_file.h"

namespace tandem::ctl {

void add_endpoint_options(CLI::App& command, OperatorEndpoint& endpoint) {
  command.add_option("--operator", endpoint.url, "The operator's URL")->capture_default_str();
  command.add_option("--token-file", endpoint.token_file,
                     "File holding the operator's bearer token");
  command.add_option("--ca-file", endpoint.ca_file,
                     "With an https:// operator: the CA certificate(s) that sign its certificate "
                     "(default: the system's)");
}

Result<std::string> endpoint_token(const OperatorEndpoint& endpoint) {
  if (!endpoint.url.starts_with("http://") && !endpoint.url.starts_with("https://"))
    return fail("--operator " + endpoint.url + ": expected http://HOST:PORT or https://HOST:PORT");
  if (endpoint.token_file.empty()) return std::string();
  return io::read_token_file(endpoint.token_file);
}

Result<std::string> exchange(const OperatorEndpoint& endpoint, const std::string& token,
                             const std::string& path, const std::string& body) {
  httplib::Client client(endpoint.url);
  if (!client.is_valid()) return fail("--operator " + endpoint.url + ": expected http://HOST:PORT");
  client.set_connection_timeout(3, 0);
  if (endpoint.url.starts_with("https://")) {
    client.enable_server_certificate_verification(true);
    if (!endpoint.ca_file.empty()) client.set_ca_cert_path(endpoint.ca_file.c_str());
  }
  // A command waits for the reconciler's answer, at most 10 s.
  client.set_read_timeout(15, 0);
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto res = body.empty() ? client.Get(path, headers)
                          : client.Post(path, headers, body, "application/json");
  if (!res) {
    std::string why = httplib::to_string(res.error());
    if (res.error() == httplib::Error::SSLServerVerification)
      why += ": its certificate is not signed by a CA this trusts (--ca-file)";
    return fail(endpoint.url + ": cannot reach the operator (" + why + ")");
  }
  if (res->status == 401)
    return fail(endpoint.url + ": the operator wants a bearer token (--token-file)");
  if (res->status != 200) {
    // The operator's errors are {"error": "..."}; say just that.
    nlohmann::json parsed = nlohmann::json::parse(res->body, nullptr, false);
    if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string())
      return fail(parsed["error"].get<std::string>());
    return fail(endpoint.url + path + ": HTTP " + std::to_string(res->status) + ": " + res->body);
  }
  return res->body;
}

}  // namespace tandem::ctl
