#include "operator/server/hub.h"

#include <set>

namespace tandem::server {

bool Hub::submit_report(protocol::NodeReport report) {
  {
    std::lock_guard lock(mutex_);
    if (reports_.size() >= kMaxQueuedNodes && !reports_.contains(report.node)) return false;
    std::string node = report.node;
    reports_[node] = std::move(report);
  }
  inbox_changed_.notify_one();
  return true;
}

std::string Hub::version_of(const std::string& node) const {
  auto it = versions_.find(node);
  return epoch_ + "." + std::to_string(it == versions_.end() ? 0 : it->second);
}

protocol::ActionBatch Hub::wait_actions(const std::string& node, std::chrono::milliseconds wait,
                                        const std::string& since) {
  std::unique_lock lock(mutex_);
  auto answer_now = [&] {
    if (stopping_) return true;
    if (!since.empty()) return version_of(node) != since;
    auto it = pending_.find(node);
    return it != pending_.end() && !it->second.empty();
  };
  actions_changed_.wait_for(lock, wait, answer_now);
  protocol::ActionBatch batch;
  batch.version = version_of(node);
  if (auto it = pending_.find(node); it != pending_.end()) batch.actions = it->second;
  return batch;
}

std::future<CommandReply> Hub::submit_command(control::ControlCommand command) {
  PendingCommand pending{std::move(command), {}};
  std::future<CommandReply> answer = pending.reply.get_future();
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || commands_.size() >= kMaxQueuedCommands) {
      pending.reply.set_value(
          {503, stopping_ ? "the operator is stopping" : "too many commands are waiting"});
      return answer;
    }
    commands_.push_back(std::move(pending));
  }
  inbox_changed_.notify_one();
  return answer;
}

std::string Hub::status_json() const {
  std::lock_guard lock(mutex_);
  return status_json_;
}

std::string Hub::metrics_text() const {
  std::lock_guard lock(mutex_);
  return metrics_text_;
}

std::string Hub::objects_yaml() const {
  std::lock_guard lock(mutex_);
  return objects_yaml_;
}

void Hub::publish_objects(std::string yaml) {
  std::lock_guard lock(mutex_);
  objects_yaml_ = std::move(yaml);
}

Inbox Hub::take(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  inbox_changed_.wait_for(lock, wait, [&] {
    return stopping_ || !reports_.empty() || !fence_results_.empty() || !commands_.empty();
  });
  Inbox inbox;
  for (auto& [node, report] : reports_) inbox.reports.push_back(std::move(report));
  reports_.clear();
  inbox.fence_results = std::move(fence_results_);
  fence_results_.clear();
  inbox.commands = std::move(commands_);
  commands_.clear();
  return inbox;
}

void Hub::submit_fence_result(FenceResult result) {
  {
    std::lock_guard lock(mutex_);
    fence_results_.push_back(std::move(result));
  }
  inbox_changed_.notify_one();
}

void Hub::publish(std::map<std::string, std::vector<protocol::ActionRequest>> pending,
                  std::string status_json, std::string metrics_text) {
  {
    std::lock_guard lock(mutex_);
    // A node's version moves when the ids pending for it change.
    auto ids = [](const std::vector<protocol::ActionRequest>* actions) {
      std::vector<std::string> out;
      if (actions != nullptr)
        for (const protocol::ActionRequest& a : *actions) out.push_back(a.id);
      return out;
    };
    auto find = [](auto& map, const std::string& node) {
      auto it = map.find(node);
      return it == map.end() ? nullptr : &it->second;
    };
    std::set<std::string> nodes;
    for (const auto& [node, actions] : pending_) nodes.insert(node);
    for (const auto& [node, actions] : pending) nodes.insert(node);
    for (const std::string& node : nodes) {
      if (ids(find(pending_, node)) != ids(find(pending, node))) ++versions_[node];
    }
    pending_ = std::move(pending);
    status_json_ = std::move(status_json);
    metrics_text_ = std::move(metrics_text);
  }
  actions_changed_.notify_all();
}

void Hub::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (PendingCommand& pending : commands_)
      pending.reply.set_value({503, "the operator is stopping"});
    commands_.clear();
  }
  inbox_changed_.notify_all();
  actions_changed_.notify_all();
}

bool Hub::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

}  // namespace tandem::server
