#pragma once

// What this node has done with each resource, in the shape of Pacemaker's
// lrm history so the operator's placement engine can read it as it reads a
// CIB: per resource "<rsc>_last_0" (the last start, stop, promote, demote
// or probe), "<rsc>_last_failure_0" (the last failure) and
// "<rsc>_monitor_<interval>" (each recurring monitor); and the outcomes of
// the operator's actions, in a bounded window. Pure: times come in.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/protocol/messages.h"

namespace tandem::agent {

struct AgentIdentity {
  std::string agent_class;  // ocf, process, systemd
  std::string provider;
  std::string type;
};

// One finished operation.
struct OpEvent {
  std::string resource;  // the instance name ("db:1")
  std::string task;
  std::int64_t interval_ms = 0;
  int rc = 0;
  int expected_rc = 0;
  std::string status = "done";
  bool failed = false;  // as the executor judged it
  std::string exit_reason;
  std::string digest;  // empty: keep the one recorded before
  std::int64_t exec_ms = 0;
  std::int64_t now_unix = 0;  // seconds
};

class OpHistory {
 public:
  explicit OpHistory(std::size_t outcome_limit = 256);

  void identify(const std::string& resource, AgentIdentity agent);
  // Returns the call id given to the operation.
  int record(const OpEvent& event);
  // An operation the operator asked for that changes the resource's state
  // (start, stop, promote, demote), from when the agent accepts it until
  // its result is recorded or it is withdrawn: the newest such operation
  // of a resource is reported as "<rsc>_pending_0", status pending, call id
  // -1 (as Pacemaker records pending operations), beside the last
  // completed one. An operator that starts meanwhile then sees a start in
  // progress as a start, not as a resource to start again. Other tasks are
  // not recorded.
  void begin_pending(const std::string& resource, const std::string& action_id,
                     const std::string& task, int expected_rc, std::int64_t now_unix);
  void end_pending(const std::string& action_id);
  void add_outcome(protocol::ActionOutcome outcome);
  // An operator's cleanup: forgets every operation of the resource, as
  // Pacemaker erases its lrm history, so the operator probes it again.
  // Returns whether there was any.
  bool forget(const std::string& resource);
  // An operator's cancel of a recurring monitor (maintenance): its entry
  // goes, as Pacemaker deletes cancelled operations from the history, and
  // results of it are not recorded until resume_monitor() (the monitor is
  // asked for again). Returns whether there was an entry.
  bool cancel_monitor(const std::string& resource, std::int64_t interval_ms);
  void resume_monitor(const std::string& resource, std::int64_t interval_ms);
  // Every resource with a history here.
  std::vector<std::string> names() const;

  std::vector<protocol::ResourceReport> resources() const;
  std::vector<protocol::ActionOutcome> outcomes() const {
    return {outcomes_.begin(), outcomes_.end()};
  }

 private:
  struct Pending {
    std::string action_id;
    protocol::OpResult op;
  };
  struct Entry {
    AgentIdentity agent;
    std::map<std::string, protocol::OpResult> ops;  // by id
    std::vector<Pending> pending;                   // oldest first
  };
  void put(Entry& entry, protocol::OpResult op);

  std::size_t outcome_limit_;
  std::map<std::string, Entry> resources_;
  std::set<std::string> cancelled_;               // recurring monitor ids
  std::deque<protocol::ActionOutcome> outcomes_;  // newest last
  int next_call_id_ = 1;
};

}  // namespace tandem::agent
