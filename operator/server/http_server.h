#pragma once

// The operator's HTTP API (cpp-httplib, kept out of this header):
//
//   POST /v1/nodes/{node}/report          NodeReport JSON → 202; 400 names
//                                           the decode error
//   GET  /v1/nodes/{node}/actions?wait_ms=N[&since=V]  ActionBatch JSON;
//                                           long poll of at most 30 s, until
//                                           actions are pending or, with
//                                           `since`, until they change
//   POST /v1/commands                      ControlCommand JSON (standby,
//                                           unstandby, ban, move, clear,
//                                           cleanup) → {"message": ...}; 400
//                                           names what does not fit
//   GET  /v1/objects                       every HANode and HAResource with
//                                           its status, as YAML
//   GET  /v1/status                        the status JSON
//   GET  /metrics                          Prometheus text
//   GET  /healthz                          "ok"
//
// With a token, every request but /healthz and /metrics must carry
// "Authorization: Bearer <token>", else 401. With TLS files, HTTPS only.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/core/result.h"
#include "common/io/listen_address.h"
#include "operator/server/hub.h"

namespace tandem::server {

inline constexpr std::int64_t kMaxWaitMs = 30'000;
inline constexpr std::size_t kMaxBodyBytes = 8 * 1024 * 1024;

// PEM files for HTTPS.
struct TlsFiles {
  std::string certificate;
  std::string key;
};

class ApiServer {
 public:
  // With `tls`, it serves HTTPS only.
  ApiServer(Hub& hub, std::optional<std::string> token, std::optional<TlsFiles> tls = {});
  // False (with why) when the TLS certificate or key cannot be loaded.
  Result<void> ready() const;
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the address; the error names it.
  Result<void> bind(const io::ListenAddress& address);
  // Serves until stop(); call from its own thread after bind().
  void serve();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::server
