#pragma once

// The sidecar's side of the operator's HTTP API (common/protocol): posting
// reports and long-polling for actions. One client per thread; stop() may
// be called from any thread to cut a long poll short. The only file that
// includes httplib.h.

#include <memory>
#include <optional>
#include <string>

#include "common/core/result.h"
#include "common/protocol/messages.h"

namespace tandem::agent {

struct OperatorEndpoint {
  std::string url;  // http://HOST:PORT or https://HOST:PORT
  std::string node;
  std::optional<std::string> token;
  // https: the CA certificates that sign the operator's (PEM); unset: the
  // system's.
  std::optional<std::string> ca_file;
};

class OperatorClient {
 public:
  // Fails when the URL is not http://HOST:PORT (https:// when built with TLS).
  static Result<std::unique_ptr<OperatorClient>> connect(const OperatorEndpoint& endpoint);
  virtual ~OperatorClient() = default;

  // POST /v1/nodes/{node}/report with the encoded report.
  virtual Result<void> post_report(const std::string& json) = 0;
  // GET /v1/nodes/{node}/actions?wait_ms=N.
  // `since`: the version of the last batch, to wait for a change.
  virtual Result<protocol::ActionBatch> poll_actions(int wait_ms, const std::string& since) = 0;
  // Aborts a request in flight (from another thread).
  virtual void stop() = 0;
};

}  // namespace tandem::agent
