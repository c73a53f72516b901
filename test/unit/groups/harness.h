#pragma once

// Several nodes' Groups machines over a stand-in for Totem: what each node
// offers waits in its queue until deliver() hands it to every node of the
// sender's ring, origin by origin, in one order; reform() replaces the
// rings as Totem installs them, transitional configuration first (with the
// old ring's undelivered messages of the nodes that came along, as
// extended virtual synchrony delivers them), then the regular one.
// Every event a client gets is kept, as the line the socket would send.

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sidecar/groups/groups.h"
#include "sidecar/groups/protocol.h"

namespace tandem::groups::testing {

using membership::ConfigurationChanged;
using membership::ConfigurationKind;
using membership::Delivered;
using membership::NodeSet;

class Harness {
 public:
  explicit Harness(const std::vector<NodeId>& ids, GroupsLimits limits = {}) {
    for (NodeId id : ids) nodes_.emplace(id, Node{Groups(id, limits), {}, {}, {}});
  }

  Groups& at(NodeId id) { return nodes_.at(id).groups; }

  // Connects client `client` (pid 1000 + client) on node `id`.
  void connect(NodeId id, ClientId client) {
    at(id).connect(client, 1000 + static_cast<std::uint32_t>(client));
  }

  // Moves what every node offers into its ring queue, as Totem takes it.
  void offer() {
    for (auto& [id, node] : nodes_)
      while (const Bytes* bytes = node.groups.next_outgoing()) {
        node.queue.push_back(*bytes);
        node.groups.sent();
      }
  }

  // Delivers every queued message of every ring; repeats until nothing
  // is offered any more.
  void settle() {
    for (int round = 0; round < 100; ++round) {
      offer();
      if (!deliver()) return;
    }
    ADD_FAILURE() << "the nodes kept sending for 100 rounds";
  }

  // One round: each ring delivers its nodes' queues, in node order.
  bool deliver() {
    bool any = false;
    for (auto& [id, node] : nodes_) {
      if (node.queue.empty() || !node.alive) continue;
      std::deque<Bytes> queue = std::exchange(node.queue, {});
      for (Bytes& payload : queue) {
        any = true;
        std::uint64_t seq = ++seqs_[node.ring];
        for (NodeId member : node.members)
          event(member,
                Delivered{node.ring, seq, id, membership::Guarantee::kAgreed, false, payload});
      }
    }
    return any;
  }

  // New rings: one per partition; nodes in none have crashed. Queued
  // messages of `senders_in_transition` that come along are delivered in
  // the transitional configuration; all other queued messages wait for the
  // new ring (as in Totem's queue).
  void reform(const std::vector<std::vector<NodeId>>& partitions,
              const std::set<NodeId>& senders_in_transition = {}) {
    std::set<NodeId> alive;
    for (const auto& partition : partitions) alive.insert(partition.begin(), partition.end());
    for (auto& [id, node] : nodes_)
      if (!alive.contains(id)) {
        node.alive = false;
        node.queue.clear();
      }
    for (const auto& partition : partitions) {
      NodeSet members = NodeSet::from(partition);
      membership::RingId ring{members.front(), ++ring_sequence_};
      std::map<membership::RingId, NodeSet> by_old_ring;
      for (NodeId id : members) by_old_ring[nodes_.at(id).ring].insert(id);
      for (const auto& [old_ring, came_along] : by_old_ring) {
        std::vector<Delivered> old_messages;
        for (NodeId sender : came_along) {
          if (!senders_in_transition.contains(sender)) continue;
          for (Bytes& payload : std::exchange(nodes_.at(sender).queue, {}))
            old_messages.push_back(Delivered{old_ring, ++seqs_[old_ring], sender,
                                             membership::Guarantee::kAgreed, true, payload});
        }
        for (NodeId id : came_along) {
          ConfigurationChanged transitional;
          transitional.kind = ConfigurationKind::kTransitional;
          transitional.ring = ring;
          transitional.previous_ring = old_ring;
          transitional.members = came_along;
          transitional.left = nodes_.at(id).members.minus(came_along);
          event(id, transitional);
          for (const Delivered& message : old_messages) event(id, message);
          ConfigurationChanged regular;
          regular.kind = ConfigurationKind::kRegular;
          regular.ring = ring;
          regular.previous_ring = old_ring;
          regular.members = members;
          regular.joined = members.minus(came_along);
          event(id, regular);
        }
      }
      for (NodeId id : members) {
        nodes_.at(id).ring = ring;
        nodes_.at(id).members = members;
      }
    }
  }

  // The lines client `client` of node `id` received so far.
  const std::vector<std::string>& log(NodeId id, ClientId client) {
    return nodes_.at(id).logs[client];
  }
  // Its message data, in order.
  std::vector<std::string> messages(NodeId id, ClientId client) {
    std::vector<std::string> out;
    for (const std::string& line : log(id, client))
      if (line.starts_with("{\"type\":\"message\"")) {
        std::size_t at = line.find("\"data\":\"") + 8;
        out.push_back(line.substr(at, line.rfind('"') - at));
      }
    return out;
  }

  void event(NodeId id, const membership::Event& e) {
    Node& node = nodes_.at(id);
    if (!node.alive) return;
    node.groups.on_event(e);
    for (const Delivery& delivery : node.groups.take_deliveries())
      node.logs[delivery.client].push_back(event_line(*delivery.event));
  }

  // A configuration change into one first ring of every node, with the
  // clients that are connected by then.
  void start(const std::vector<std::vector<NodeId>>& partitions) {
    reform(partitions);
    settle();
  }

 private:
  struct Node {
    Groups groups;
    std::deque<Bytes> queue;
    std::map<ClientId, std::vector<std::string>> logs;
    NodeSet members;
    membership::RingId ring{};
    bool alive = true;
  };
  std::map<NodeId, Node> nodes_;
  std::map<membership::RingId, std::uint64_t> seqs_;
  std::uint64_t ring_sequence_ = 0;
};

}  // namespace tandem::groups::testing
