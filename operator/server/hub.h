#pragma once

// Where the HTTP handlers and the reconciler's thread meet. Handlers hand
// reports in and wait for actions; the reconciler's thread takes the
// reports, runs the core and publishes what each node has pending, the
// status and the metrics. One mutex guards everything here; handlers never
// touch the core.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/protocol/messages.h"
#include "operator/control/command.h"

namespace tandem::server {

struct FenceResult {
  std::string id;
  bool ok = false;
  std::string detail;
};

// The reconciler's answer to a control command.
struct CommandReply {
  int http_status = 200;  // 200 done; 400 the command does not fit the cluster
  std::string message;
};

struct PendingCommand {
  control::ControlCommand command;
  std::promise<CommandReply> reply;
};

struct Inbox {
  std::vector<protocol::NodeReport> reports;
  std::vector<FenceResult> fence_results;
  std::vector<PendingCommand> commands;
};

class Hub {
 public:
  // `epoch` tells this process's versions of pending actions from those of
  // an operator before a restart (the incarnation).
  explicit Hub(std::string epoch = "") : epoch_(std::move(epoch)) {}

  // Reports of one node replace each other until the reconciler takes them:
  // each is the node's whole state. At most this many nodes are queued.
  static constexpr std::size_t kMaxQueuedNodes = 1024;

  // HTTP side. Returns false when the queue is full.
  bool submit_report(protocol::NodeReport report);
  // Waits at most `wait` for `node` to have pending actions, or with
  // `since` (a version it answered before) for them to change; returns them
  // (possibly none) with their version.
  protocol::ActionBatch wait_actions(const std::string& node, std::chrono::milliseconds wait,
                                     const std::string& since = "");
  // Hands a command to the reconciler's thread; the future holds its
  // answer. Fails at once (503) when too many are waiting or on stop.
  std::future<CommandReply> submit_command(control::ControlCommand command);
  static constexpr std::size_t kMaxQueuedCommands = 64;
  std::string status_json() const;
  std::string metrics_text() const;
  std::string objects_yaml() const;

  // Reconciler side. Waits at most `wait` for something to arrive.
  Inbox take(std::chrono::milliseconds wait);
  void submit_fence_result(FenceResult result);
  void publish(std::map<std::string, std::vector<protocol::ActionRequest>> pending,
               std::string status_json, std::string metrics_text);

  // The HANode and HAResource objects with their status, as YAML.
  void publish_objects(std::string yaml);

  // Wakes every waiter; waits end at once from now on.
  void stop();
  bool stopping() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable inbox_changed_;
  std::condition_variable actions_changed_;
  std::map<std::string, protocol::NodeReport> reports_;
  std::vector<FenceResult> fence_results_;
  std::vector<PendingCommand> commands_;
  std::map<std::string, std::vector<protocol::ActionRequest>> pending_;
  std::string version_of(const std::string& node) const;  // mutex_ held
  std::string epoch_;
  std::map<std::string, std::uint64_t> versions_;  // by node
  std::string status_json_ = "{}\n";
  std::string metrics_text_;
  std::string objects_yaml_;
  bool stopping_ = false;
};

}  // namespace tandem::server
