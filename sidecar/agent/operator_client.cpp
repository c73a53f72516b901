#include "sidecar/agent/operator_client.h"

#include <cctype>

#include <httplib.h>

#include "common/protocol/codec.h"

namespace tandem::agent {
namespace {

// Reports are small; a slow operator must not hold the reporting thread.
constexpr time_t kConnectTimeoutSeconds = 1;
constexpr time_t kWriteTimeoutSeconds = 2;
constexpr time_t kReportReadTimeoutSeconds = 2;
// Beyond the long poll's own wait: the operator answers by then or is gone.
constexpr int kPollSlackMs = 5000;

std::string path_escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class HttpOperatorClient final : public OperatorClient {
 public:
  HttpOperatorClient(const OperatorEndpoint& endpoint)
      : client_(endpoint.url),
        base_("/v1/nodes/" + path_escape(endpoint.node)),
        url_(endpoint.url) {
    client_.set_connection_timeout(kConnectTimeoutSeconds, 0);
    client_.set_write_timeout(kWriteTimeoutSeconds, 0);
    client_.set_keep_alive(true);
    // Headers and body go out in separate writes; with Nagle's algorithm
    // the body would wait for the peer's delayed ACK (40 ms), and actions
    // must reach the operator in far less.
    client_.set_tcp_nodelay(true);
    if (endpoint.token) client_.set_bearer_token_auth(endpoint.token->c_str());
    if (endpoint.url.starts_with("https://")) {
      client_.enable_server_certificate_verification(true);
      if (endpoint.ca_file) client_.set_ca_cert_path(endpoint.ca_file->c_str());
    }
  }

  bool valid() const { return client_.is_valid(); }

  Result<void> post_report(const std::string& json) override {
    client_.set_read_timeout(kReportReadTimeoutSeconds, 0);
    const std::string path = base_ + "/report";
    auto response = client_.Post(path, json, "application/json");
    if (!response) return fail(describe("POST", path, response.error()));
    if (response->status / 100 != 2)
      return fail(url_ + path + ": the operator answered " + std::to_string(response->status) +
                  " " + first_line(response->body));
    return {};
  }

  Result<protocol::ActionBatch> poll_actions(int wait_ms, const std::string& since) override {
    const int read_ms = wait_ms + kPollSlackMs;
    client_.set_read_timeout(read_ms / 1000, (read_ms % 1000) * 1000);
    std::string path = base_ + "/actions?wait_ms=" + std::to_string(wait_ms);
    if (!since.empty()) path += "&since=" + httplib::detail::encode_query_param(since);
    auto response = client_.Get(path);
    if (!response) return fail(describe("GET", path, response.error()));
    if (response->status / 100 != 2)
      return fail(url_ + path + ": the operator answered " + std::to_string(response->status) +
                  " " + first_line(response->body));
    auto batch = protocol::decode_actions(response->body);
    if (!batch) return fail(url_ + path + ": " + batch.error().message);
    return batch;
  }

  void stop() override { client_.stop(); }

 private:
  std::string describe(const char* method, const std::string& path, httplib::Error error) const {
    return std::string(method) + " " + url_ + path + ": " + httplib::to_string(error);
  }
  static std::string first_line(const std::string& body) {
    std::string line = body.substr(0, body.find('\n'));
    return line.size() > 200 ? line.substr(0, 200) + "..." : line;
  }

  httplib::Client client_;
  std::string base_;
  std::string url_;
};

}  // namespace

Result<std::unique_ptr<OperatorClient>> OperatorClient::connect(const OperatorEndpoint& endpoint) {
  if (!endpoint.url.starts_with("http://") && !endpoint.url.starts_with("https://"))
    return fail("--operator " + endpoint.url + ": expected http://HOST:PORT");
  auto client = std::make_unique<HttpOperatorClient>(endpoint);
  if (!client->valid()) return fail("--operator " + endpoint.url + ": not a usable URL");
  return std::unique_ptr<OperatorClient>(std::move(client));
}

}  // namespace tandem::agent
