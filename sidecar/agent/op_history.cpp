#include "sidecar/agent/op_history.h"

#include <limits>

#include "common/core/assert.h"

namespace tandem::agent {
namespace {

// What Pacemaker records as the result of an operation still running
// (PCMK_OCF_UNKNOWN).
constexpr int kPendingRc = 193;

std::string monitor_id(const std::string& resource, std::int64_t interval_ms) {
  return resource + "_monitor_" + std::to_string(interval_ms);
}

}  // namespace

OpHistory::OpHistory(std::size_t outcome_limit) : outcome_limit_(outcome_limit) {
  TANDEM_ASSERT(outcome_limit_ > 0, "the outcome window must hold at least one outcome");
}

void OpHistory::identify(const std::string& resource, AgentIdentity agent) {
  resources_[resource].agent = std::move(agent);
}

void OpHistory::put(Entry& entry, protocol::OpResult op) {
  auto previous = entry.ops.find(op.id);
  if (previous != entry.ops.end()) {
    // Pacemaker's last-rc-change moves only when the result changes.
    if (previous->second.rc == op.rc && previous->second.task == op.task)
      op.last_rc_change_unix = previous->second.last_rc_change_unix;
    if (op.digest.empty()) op.digest = previous->second.digest;
  }
  entry.ops[op.id] = std::move(op);
}

int OpHistory::record(const OpEvent& event) {
  // Wraps long before an int overflows: call ids only need to grow within
  // what the operator compares, and 2^31 operations is decades.
  if (next_call_id_ == std::numeric_limits<int>::max()) next_call_id_ = 1;
  const int call_id = next_call_id_++;
  // Pacemaker keeps no history of notifications.
  if (event.task == "notify") return call_id;

  Entry& entry = resources_[event.resource];
  protocol::OpResult op;
  op.task = event.task;
  op.interval_ms = event.interval_ms;
  op.rc = event.rc;
  op.expected_rc = event.expected_rc;
  op.status = event.status;
  op.call_id = call_id;
  op.last_rc_change_unix = event.now_unix;
  op.last_run_unix = event.now_unix;
  op.exec_ms = event.exec_ms;
  op.exit_reason = event.exit_reason;
  op.digest = event.digest;

  const bool recurring = event.task == "monitor" && event.interval_ms > 0;
  op.id = recurring ? monitor_id(event.resource, event.interval_ms) : event.resource + "_last_0";
  // A run that was under way when its monitor was cancelled.
  if (recurring && cancelled_.contains(op.id)) return call_id;
  if (event.failed) {
    protocol::OpResult failure = op;
    failure.id = event.resource + "_last_failure_0";
    put(entry, std::move(failure));
  }
  put(entry, std::move(op));

  // A stopped resource runs no recurring monitors: their entries go, as
  // Pacemaker deletes cancelled monitors from the history.
  if (event.task == "stop" && !event.failed) {
    const std::string prefix = event.resource + "_monitor_";
    for (auto it = entry.ops.begin(); it != entry.ops.end();) {
      it = it->first.starts_with(prefix) ? entry.ops.erase(it) : std::next(it);
    }
  }
  return call_id;
}

void OpHistory::begin_pending(const std::string& resource, const std::string& action_id,
                              const std::string& task, int expected_rc, std::int64_t now_unix) {
  if (task != "start" && task != "stop" && task != "promote" && task != "demote") return;
  protocol::OpResult op;
  op.id = resource + "_pending_0";
  op.task = task;
  op.rc = kPendingRc;
  op.expected_rc = expected_rc;
  op.status = "pending";
  op.call_id = -1;
  op.last_rc_change_unix = now_unix;
  op.last_run_unix = now_unix;
  resources_[resource].pending.push_back({action_id, std::move(op)});
}

void OpHistory::end_pending(const std::string& action_id) {
  for (auto& [name, entry] : resources_) {
    std::erase_if(entry.pending, [&](const Pending& p) { return p.action_id == action_id; });
  }
}

void OpHistory::add_outcome(protocol::ActionOutcome outcome) {
  outcomes_.push_back(std::move(outcome));
  while (outcomes_.size() > outcome_limit_) outcomes_.pop_front();
}

bool OpHistory::forget(const std::string& resource) {
  auto it = resources_.find(resource);
  if (it == resources_.end() || it->second.ops.empty()) return false;
  it->second.ops.clear();
  return true;
}

bool OpHistory::cancel_monitor(const std::string& resource, std::int64_t interval_ms) {
  const std::string id = monitor_id(resource, interval_ms);
  cancelled_.insert(id);
  auto it = resources_.find(resource);
  return it != resources_.end() && it->second.ops.erase(id) > 0;
}

void OpHistory::resume_monitor(const std::string& resource, std::int64_t interval_ms) {
  cancelled_.erase(monitor_id(resource, interval_ms));
}

std::vector<std::string> OpHistory::names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : resources_) out.push_back(name);
  return out;
}

std::vector<protocol::ResourceReport> OpHistory::resources() const {
  std::vector<protocol::ResourceReport> out;
  for (const auto& [name, entry] : resources_) {
    protocol::ResourceReport report;
    report.resource = name;
    report.agent_class = entry.agent.agent_class;
    report.provider = entry.agent.provider;
    report.type = entry.agent.type;
    for (const auto& [id, op] : entry.ops) report.ops.push_back(op);
    if (!entry.pending.empty()) report.ops.push_back(entry.pending.back().op);
    out.push_back(std::move(report));
  }
  return out;
}

}  // namespace tandem::agent
