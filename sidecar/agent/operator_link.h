#pragma once

// The agent's two conversations with the operator, each on a thread of its
// own so that neither a long poll nor an unreachable operator ever holds
// the agent loop: one thread long-polls for actions and hands each batch
// to a callback; the other posts the newest report whenever there is one
// it has not sent (the newest wins: every report is the whole state).
// Connection errors are retried with a short bounded backoff and logged
// when the state changes, never once per attempt.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "common/protocol/messages.h"
#include "sidecar/agent/operator_client.h"
#include "sidecar/agent/seen_actions.h"

namespace tandem::agent {

using LogLine = std::function<void(std::string_view)>;
using BatchHandler = std::function<void(protocol::ActionBatch)>;

class OperatorLink {
 public:
  static Result<std::unique_ptr<OperatorLink>> start(const OperatorEndpoint& endpoint, int wait_ms,
                                                     BatchHandler on_batch, LogLine log);
  // Stops both threads, cutting a long poll short.
  ~OperatorLink();
  OperatorLink(const OperatorLink&) = delete;
  OperatorLink& operator=(const OperatorLink&) = delete;

  // Sends this report as soon as the sender is free; replaces one not yet sent.
  void publish(std::string json);

 private:
  OperatorLink(std::unique_ptr<OperatorClient> poller, std::unique_ptr<OperatorClient> sender,
               int wait_ms, BatchHandler on_batch, LogLine log);
  void poll_loop();
  void send_loop();
  // Sleeps up to `ms` unless stopping; false when stopping.
  bool pause(int ms);
  void note_reachable(bool reachable, const std::string& error);
  void thread_done();

  std::unique_ptr<OperatorClient> poller_;
  std::unique_ptr<OperatorClient> sender_;
  int wait_ms_;
  BatchHandler on_batch_;
  LogLine log_;

  std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;  // guarded by mutex_
  std::string pending_;    // guarded by mutex_; empty: nothing new
  bool reachable_ = true;  // guarded by mutex_
  int threads_done_ = 0;   // guarded by mutex_
  SeenActions delivered_;  // the poll thread's own
  std::thread poll_thread_;
  std::thread send_thread_;
};

}  // namespace tandem::agent
