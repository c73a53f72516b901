// Process groups over real Totem machines: three Membership nodes on a
// simulated network (jittered delays, some loss), each with a Groups
// machine and a client. The nodes multicast concurrently while one of them
// crashes; the survivors must see the same stream, with the lost node's
// member leaving at the same point, and every surviving sender's messages
// exactly once and in order.

#include <map>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sidecar/groups/groups.h"
#include "sidecar/groups/protocol.h"
#include "sidecar/membership/membership.h"

namespace tandem::groups {
namespace {

using membership::Micros;
using membership::TimePoint;
using namespace std::chrono_literals;

membership::MembershipConfig config_for(NodeId self, std::size_t count) {
  membership::MembershipConfig config;
  config.totem.self = self;
  for (NodeId id = 1; id <= count; ++id) {
    config.totem.nodes.insert(id);
    config.quorum.votes[id] = 1;
  }
  config.totem.token = Duration(300);
  config.totem.token_retransmit = Duration(71);
  config.totem.hold = Duration(47);
  config.totem.consensus = Duration(360);
  config.quorum.self = self;
  config.quorum.expected_votes = static_cast<std::uint32_t>(count);
  return config;
}

class RingCluster {
 public:
  RingCluster(std::size_t count, std::uint64_t seed) : count_(count), network_random_(seed) {
    for (NodeId id = 1; id <= count; ++id) nodes_[id];
    for (NodeId id = 1; id <= count; ++id) start(id);
  }

  void crash(NodeId id) { nodes_.at(id).alive = false; }

  // A new incarnation with its persisted ring sequence, and a new client 1.
  void restart(NodeId id) {
    std::uint64_t seq = nodes_.at(id).persisted;
    ++nodes_.at(id).incarnation;
    start(id, seq);
  }

  Groups& groups(NodeId id) { return *nodes_.at(id).groups; }
  bool alive(NodeId id) const { return nodes_.at(id).alive; }
  const std::vector<std::string>& log(NodeId id) { return nodes_.at(id).log; }
  TimePoint now() const { return now_; }

  // Processes datagrams and timers up to `until`.
  void run_until(TimePoint until) {
    for (int guard = 0; guard < 2'000'000; ++guard) {
      std::optional<TimePoint> tick_at;
      NodeId tick_node = 0;
      for (auto& [id, node] : nodes_) {
        if (!node.alive) continue;
        std::optional<TimePoint> deadline = node.machine->next_deadline();
        if (deadline && (!tick_at || *deadline < *tick_at)) {
          tick_at = deadline;
          tick_node = id;
        }
      }
      bool datagram = !queue_.empty() && (!tick_at || queue_.top().at <= *tick_at);
      if (!datagram && !tick_at) break;
      TimePoint at = datagram ? queue_.top().at : *tick_at;
      if (at > until) break;
      now_ = std::max(now_, at);
      if (datagram) {
        InFlight next = queue_.top();
        queue_.pop();
        Node& to = nodes_.at(next.to);
        if (!to.alive || to.incarnation != next.incarnation) continue;
        to.machine->receive(*next.bytes, now_);
        drain(next.to);
      } else {
        nodes_.at(tick_node).machine->tick(now_);
        drain(tick_node);
      }
    }
    now_ = std::max(now_, until);
  }
  void run_for(Micros duration) { run_until(now_ + duration); }

  // Offers queued group messages after a client request.
  void pump(NodeId id) { drain(id); }

 private:
  struct Node {
    std::uint32_t incarnation = 1;
    bool alive = true;
    std::uint64_t persisted = 0;
    std::unique_ptr<membership::SplitMix64> random;
    std::unique_ptr<membership::Membership> machine;
    std::unique_ptr<Groups> groups;
    std::vector<std::string> log;  // what client 1 received
  };
  struct InFlight {
    TimePoint at;
    std::uint64_t order = 0;
    NodeId to = 0;
    std::uint32_t incarnation = 0;
    membership::SharedBytes bytes;
  };
  struct Later {
    bool operator()(const InFlight& a, const InFlight& b) const {
      return a.at != b.at ? a.at > b.at : a.order > b.order;
    }
  };

  void start(NodeId id, std::uint64_t persisted = 0) {
    Node& node = nodes_[id];
    node.alive = true;
    node.persisted = persisted;
    node.random = std::make_unique<membership::SplitMix64>(id * 7919 + node.incarnation);
    node.machine = std::make_unique<membership::Membership>(config_for(id, count_), persisted,
                                                            *node.random, now_);
    node.groups = std::make_unique<Groups>(id);
    node.groups->connect(1, 100 + id);
    node.log.clear();
    drain(id);
  }

  void send(NodeId to, const membership::SharedBytes& bytes, bool loopback) {
    Micros delay =
        loopback ? 0us : Micros(50 + static_cast<std::int64_t>(network_random_.next() % 250));
    // One in a hundred datagrams between nodes is lost: Totem recovers.
    if (!loopback && network_random_.next() % 100 == 0) return;
    queue_.push(InFlight{now_ + delay, order_++, to, nodes_.at(to).incarnation, bytes});
  }

  void drain(NodeId id) {
    Node& node = nodes_.at(id);
    for (int round = 0; round < 64 && node.alive; ++round) {
      membership::Ready ready = node.machine->take_ready();
      if (ready.persist_ring_seq) node.persisted = *ready.persist_ring_seq;
      for (const membership::Datagram& datagram : ready.datagrams) {
        for (NodeId to = 1; to <= count_; ++to) {
          bool self = to == id;
          if (datagram.destination == membership::kBroadcast ? !self : datagram.destination == to)
            send(to, datagram.bytes, self);
        }
      }
      for (const membership::Event& event : ready.events) {
        node.groups->on_event(event);
        for (const Delivery& delivery : node.groups->take_deliveries())
          node.log.push_back(event_line(*delivery.event));
      }
      bool offered = false;
      // As the daemon does: only to an operational ring.
      while (node.machine->totem().state() == membership::State::kOperational) {
        const Bytes* bytes = node.groups->next_outgoing();
        if (bytes == nullptr) break;
        if (!node.machine->multicast(*bytes, membership::Guarantee::kAgreed, now_)) break;
        node.groups->sent();
        offered = true;
      }
      if (!offered && ready.datagrams.empty() && ready.events.empty()) return;
    }
  }

  std::size_t count_;
  membership::SplitMix64 network_random_;
  std::map<NodeId, Node> nodes_;
  std::priority_queue<InFlight, std::vector<InFlight>, Later> queue_;
  std::uint64_t order_ = 0;
  TimePoint now_{};
};

bool has_members(RingCluster& cluster, NodeId id, std::size_t count) {
  return cluster.groups(id).members("g").size() == count;
}

// The data of the messages from `sender` in a log, in order.
std::vector<std::string> from_sender(const std::vector<std::string>& log, NodeId sender) {
  std::vector<std::string> out;
  std::string mark = "\"sender\":{\"node\":" + std::to_string(sender) + ",";
  for (const std::string& line : log)
    if (line.find(mark) != std::string::npos) {
      std::size_t at = line.find("\"data\":\"") + 8;
      out.push_back(line.substr(at, line.rfind('"') - at));
    }
  return out;
}

std::vector<std::string> numbered(std::size_t count) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(std::to_string(i));
  return out;
}

// The log from the first event in which the group has all three members.
std::vector<std::string> from_full_group(const std::vector<std::string>& log) {
  for (std::size_t i = 0; i < log.size(); ++i)
    if (log[i].find("{\"node\":3,") != std::string::npos &&
        log[i].starts_with("{\"type\":\"membership\"") &&
        log[i].find("\"members\":[{\"node\":1,") != std::string::npos &&
        log[i].find("{\"node\":2,", log[i].find("\"members\"")) < log[i].find("\"joined\""))
      return std::vector<std::string>(log.begin() + static_cast<std::ptrdiff_t>(i), log.end());
  return {};
}

void join_all(RingCluster& cluster) {
  cluster.run_for(3s);
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) {
    ASSERT_TRUE(cluster.groups(id).join(1, "g"));
    cluster.pump(id);
  }
  cluster.run_for(1s);
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) ASSERT_TRUE(has_members(cluster, id, 3));
}

TEST(GroupsOnTotem, survivors_of_a_crash_see_one_stream_with_the_lost_member_leaving_at_one_point) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RingCluster cluster(3, seed);
    join_all(cluster);
    std::map<NodeId, std::size_t> sent;
    // Every node sends every 2 ms for 3 s; node 3 crashes somewhere in the
    // first 100 ms, with messages on the ring and in its queue.
    TimePoint start = cluster.now();
    TimePoint crash_at = start + Micros(1000 + static_cast<std::int64_t>(seed * 7919 % 100'000));
    for (TimePoint t = start; t < start + 3s; t += 2ms) {
      if (cluster.alive(3) && t >= crash_at) cluster.crash(3);
      for (NodeId id : std::vector<NodeId>{1, 2, 3}) {
        if (!cluster.alive(id)) continue;
        if (cluster.groups(id).mcast(1, "g", std::to_string(sent[id]))) ++sent[id];
        cluster.pump(id);
      }
      cluster.run_until(t + 2ms);
    }
    cluster.run_for(3s);

    std::vector<std::string> one = from_full_group(cluster.log(1));
    std::vector<std::string> two = from_full_group(cluster.log(2));
    ASSERT_FALSE(one.empty());
    EXPECT_EQ(one, two);
    std::size_t downs = 0;
    std::size_t down_at = 0;
    for (std::size_t i = 0; i < one.size(); ++i)
      if (one[i].find("\"reason\":\"node_down\"") != std::string::npos) {
        ++downs;
        down_at = i;
        EXPECT_NE(one[i].find("\"left\":[{\"node\":3,\"client\":1,\"pid\":103,"),
                  std::string::npos);
      }
    EXPECT_EQ(downs, 1U);
    // Nothing from node 3 after it left; what came before is a prefix of
    // what it sent, in order.
    std::vector<std::string> after(one.begin() + static_cast<std::ptrdiff_t>(down_at), one.end());
    EXPECT_TRUE(from_sender(after, 3).empty());
    std::vector<std::string> from3 = from_sender(one, 3);
    EXPECT_EQ(from3, numbered(from3.size()));
    EXPECT_GT(sent[1], 1000U);
    EXPECT_EQ(from_sender(one, 1), numbered(sent[1]));
    EXPECT_EQ(from_sender(one, 2), numbered(sent[2]));
    for (NodeId id : std::vector<NodeId>{1, 2}) {
      EXPECT_EQ(cluster.groups(id).unsent_messages(), 0U) << "node " << id;
      EXPECT_EQ(cluster.groups(id).unsent_bytes(), 0U) << "node " << id;
    }
  }
}

TEST(GroupsOnTotem, a_restarted_node_and_the_others_learn_each_others_members) {
  RingCluster cluster(3, 99);
  join_all(cluster);
  cluster.crash(3);
  cluster.run_for(2s);
  EXPECT_TRUE(has_members(cluster, 1, 2));
  cluster.restart(3);
  ASSERT_TRUE(cluster.groups(3).join(1, "g"));
  cluster.pump(3);
  cluster.run_for(4s);
  for (NodeId id : std::vector<NodeId>{1, 2, 3}) EXPECT_TRUE(has_members(cluster, id, 3)) << id;
  // Node 1 heard of the new member either as a join (node 3 already in
  // the ring) or as node_up (the join came while node 3 was alone).
  const std::string& last = cluster.log(1).back();
  EXPECT_NE(last.find("\"joined\":[{\"node\":3,\"client\":1,\"pid\":103,"), std::string::npos)
      << last;
  ASSERT_TRUE(cluster.groups(3).mcast(1, "g", "back"));
  cluster.pump(3);
  cluster.run_for(1s);
  for (NodeId id : std::vector<NodeId>{1, 2, 3})
    EXPECT_EQ(from_sender(cluster.log(id), 3), std::vector<std::string>{"back"}) << id;
}

}  // namespace
}  // namespace tandem::groups
