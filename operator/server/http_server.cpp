#include "operator/server/http_server.h"

#include <charconv>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "common/protocol/codec.h"

namespace tandem::server {
namespace {

// Long polls hold a thread each: room for a few dozen nodes.
constexpr std::size_t kThreads = 32;
// The reconciler's thread answers within a tick unless a pass is slow.
constexpr auto kCommandWait = std::chrono::seconds(10);
// A version is "<incarnation>.<counter>".
constexpr std::size_t kMaxVersionBytes = 64;

bool equal_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff = static_cast<unsigned char>(
        diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  return diff == 0;
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(nlohmann::json{{"error", message}}.dump() + "\n", "application/json");
}

}  // namespace

struct ApiServer::Impl {
  Hub& hub;
  std::optional<std::string> token;
  std::optional<TlsFiles> tls;
  std::unique_ptr<httplib::Server> owned;
  httplib::Server& server;

  Impl(Hub& h, std::optional<std::string> t, std::optional<TlsFiles> files)
      : hub(h),
        token(std::move(t)),
        tls(std::move(files)),
        owned(tls ? std::make_unique<httplib::SSLServer>(tls->certificate.c_str(), tls->key.c_str())
                  : std::make_unique<httplib::Server>()),
        server(*owned) {}

  bool authorized(const httplib::Request& req) const {
    if (!token) return true;
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!header.starts_with(kBearer)) return false;
    return equal_in_constant_time(std::string_view(header).substr(kBearer.size()), *token);
  }

  void routes() {
    server.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    // httplib's default adds SO_REUSEPORT, which lets a second operator bind
    // the same port and take half the sidecars' requests: two operators
    // deciding at once. Only SO_REUSEADDR, so that a restart can bind at once.
    server.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    // Small request and reply bodies: without this each exchange can wait
    // ~40 ms for a delayed ACK, which a failover pays several times.
    server.set_tcp_nodelay(true);
    server.set_payload_max_length(kMaxBodyBytes);
    server.set_read_timeout(10, 0);
    server.set_write_timeout(10, 0);
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (req.path == "/healthz" || req.path == "/metrics" || authorized(req))
        return httplib::Server::HandlerResponse::Unhandled;
      reply_error(res, 401, "missing or wrong bearer token");
      return httplib::Server::HandlerResponse::Handled;
    });
    server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok\n", "text/plain");
    });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(hub.metrics_text(), "text/plain; version=0.0.4; charset=utf-8");
    });
    server.Post("/v1/commands", [this](const httplib::Request& req, httplib::Response& res) {
      auto command = control::decode_command(req.body);
      if (!command) {
        reply_error(res, 400, "command: " + command.error().message);
        return;
      }
      std::future<CommandReply> answer = hub.submit_command(std::move(*command));
      if (answer.wait_for(kCommandWait) != std::future_status::ready) {
        reply_error(res, 503, "the operator did not answer within 10 s");
        return;
      }
      const CommandReply reply = answer.get();
      if (reply.http_status != 200) {
        reply_error(res, reply.http_status, reply.message);
        return;
      }
      res.set_content(nlohmann::json{{"message", reply.message}}.dump() + "\n", "application/json");
    });
    server.Get("/v1/objects", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(hub.objects_yaml(), "application/yaml");
    });
    server.Get("/v1/status", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(hub.status_json(), "application/json");
    });
    server.Post(
        R"(/v1/nodes/([^/]+)/report)", [this](const httplib::Request& req, httplib::Response& res) {
          const std::string node = req.matches[1];
          auto report = protocol::decode_report(req.body);
          if (!report) {
            reply_error(res, 400, "report from " + node + ": " + report.error().message);
            return;
          }
          if (report->node.empty()) report->node = node;
          if (report->node != node) {
            reply_error(res, 400, "report posted for node " + node + " names node " + report->node);
            return;
          }
          if (!hub.submit_report(std::move(*report))) {
            reply_error(res, 503, "too many nodes are reporting");
            return;
          }
          res.status = 202;
          res.set_content("{}\n", "application/json");
        });
    server.Get(R"(/v1/nodes/([^/]+)/actions)", [this](const httplib::Request& req,
                                                      httplib::Response& res) {
      const std::string node = req.matches[1];
      std::int64_t wait_ms = 0;
      if (req.has_param("wait_ms")) {
        const std::string text = req.get_param_value("wait_ms");
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), wait_ms);
        if (ec != std::errc() || ptr != text.data() + text.size() || wait_ms < 0) {
          reply_error(res, 400,
                      "wait_ms=" + text + ": expected milliseconds (0 to " +
                          std::to_string(kMaxWaitMs) + ")");
          return;
        }
      }
      wait_ms = std::min(wait_ms, kMaxWaitMs);
      const std::string since = req.has_param("since") ? req.get_param_value("since") : "";
      if (since.size() > kMaxVersionBytes) {
        reply_error(res, 400, "since: longer than " + std::to_string(kMaxVersionBytes) + " bytes");
        return;
      }
      const protocol::ActionBatch batch =
          hub.wait_actions(node, std::chrono::milliseconds(wait_ms), since);
      res.set_content(protocol::encode(batch), "application/json");
    });
  }
};

ApiServer::ApiServer(Hub& hub, std::optional<std::string> token, std::optional<TlsFiles> tls)
    : impl_(std::make_unique<Impl>(hub, std::move(token), std::move(tls))) {
  impl_->routes();
}

Result<void> ApiServer::ready() const {
  if (!impl_->server.is_valid())
    return fail("cannot load the TLS certificate " + impl_->tls->certificate + " or key " +
                impl_->tls->key + " (PEM files the operator can read, the key matching)");
  return {};
}

ApiServer::~ApiServer() = default;

Result<void> ApiServer::bind(const io::ListenAddress& address) {
  if (!impl_->server.bind_to_port(address.host, address.port))
    return fail("cannot listen on " + address.host + ":" + std::to_string(address.port) +
                " (address in use, or not an address of this machine)");
  return {};
}

void ApiServer::serve() {
  impl_->server.listen_after_bind();
}

void ApiServer::stop() {
  impl_->server.stop();
}

}  // namespace tandem::server
