#pragma once

// Invariant checks over everything the simulated nodes report. A node is
// tracked per incarnation (a restart is a new process). Checked on every
// event:
//   - members that install the same ring agree on its membership, and its
//     representative is its lowest member;
//   - in a regular configuration a node delivers the ring's messages in seq
//     order without gaps, every node the same message at a given seq, and
//     no node delivers a message twice;
// checked by finish():
//   - members that move together from one ring to the next (the same
//     transitional configuration) delivered exactly the same messages of
//     the old ring, in the same order, the same ones in the transitional
//     configuration, and agree on that configuration's membership;
//   - every message a node that is still running multicast was delivered
//     to that node itself;
// and, on request, that no two disjoint sets of nodes are quorate at once.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sidecar/membership/events.h"

namespace tandem::sim {

using membership::NodeId;
using membership::NodeSet;
using membership::RingId;

// What the simulator puts in each payload, so deliveries can be traced back.
struct MessageId {
  NodeId origin = 0;
  std::uint32_t incarnation = 0;
  std::uint64_t counter = 0;

  friend auto operator<=>(const MessageId&, const MessageId&) = default;
};
membership::Bytes make_payload(MessageId id);
std::optional<MessageId> parse_payload(const membership::Bytes& payload);
std::string to_string(const MessageId& id);

struct ProcessKey {
  NodeId node = 0;
  std::uint32_t incarnation = 0;

  friend auto operator<=>(const ProcessKey&, const ProcessKey&) = default;
};

class Checker {
 public:
  void on_event(ProcessKey who, const membership::Event& event);
  void on_multicast(ProcessKey who, MessageId id);

  // The quorate nodes (not crashed, not paused) and their ring membership.
  void check_quorum(const std::vector<std::pair<ProcessKey, NodeSet>>& quorate, double now_ms);

  // Group checks over transitions, and self-delivery for the processes still
  // running at the end.
  void finish(const std::vector<ProcessKey>& running);

  void violation(std::string text);
  bool ok() const { return violations_.empty(); }
  const std::vector<std::string>& violations() const { return violations_; }

  std::uint64_t deliveries() const { return deliveries_; }
  std::uint64_t rings_installed() const { return ring_members_.size(); }
  std::uint64_t regular_count(ProcessKey who) const;
  RingId ring_of(ProcessKey who) const;

 private:
  struct Process {
    bool have_ring = false;
    RingId ring;
    std::uint64_t next_seq = 0;
    std::uint64_t regular_count = 0;
    bool in_transition = false;
    RingId transition_from;
    RingId transition_to;
    NodeSet transition_members;
    std::uint64_t last_transitional_seq = 0;
    std::vector<MessageId> transitional;
    std::set<MessageId> delivered;
    std::vector<MessageId> multicast;
  };
  struct Transition {
    ProcessKey who;
    std::uint64_t regular_count = 0;
    std::vector<MessageId> transitional;
    NodeSet members;
  };

  void on_delivered(ProcessKey who, Process& process, const membership::Delivered& delivered);
  void on_configuration(ProcessKey who, Process& process,
                        const membership::ConfigurationChanged& change);
  std::string name(ProcessKey who) const;

  std::map<ProcessKey, Process> processes_;
  std::map<RingId, NodeSet> ring_members_;
  std::map<RingId, std::map<std::uint64_t, MessageId>> canonical_;
  std::map<std::pair<RingId, RingId>, std::vector<Transition>> transitions_;
  std::vector<std::string> violations_;
  std::uint64_t deliveries_ = 0;
};

}  // namespace tandem::sim
