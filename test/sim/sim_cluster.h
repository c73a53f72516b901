#pragma once

// N membership nodes in one process over a SimNetwork and a simulated clock.
// Everything happens through one event queue ordered by (time, insertion
// order), so a run is a pure function of its setup and seed.
//
// Faults: crash (the process is gone; its persisted ring sequence survives,
// as on disk), restart (a new incarnation), pause and resume (a SIGSTOPped
// process: datagrams queue up, timers do not fire), and the network's
// partitions, loss, duplication and delay.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "sidecar/membership/config.h"
#include "sidecar/membership/membership.h"
#include "test/sim/checker.h"
#include "test/sim/sim_network.h"

namespace tandem::sim {

struct SimSetup {
  std::uint64_t seed = 1;
  std::size_t members = 3;
  model::Membership membership;  // nodes are filled in: ids 1..members
  model::QuorumOptions quorum;
  LinkProfile network;
  // Check on every change that no two disjoint partitions are quorate.
  bool check_quorum = true;
};

struct NodeView {
  NodeId id = 0;
  std::uint32_t incarnation = 0;
  bool alive = false;
  bool paused = false;
  membership::State state = membership::State::kGather;
  RingId ring;
  NodeSet members;
  bool quorate = false;
  std::uint32_t expected_votes = 0;
  std::uint32_t quorum = 0;
};

class SimCluster {
 public:
  explicit SimCluster(const SimSetup& setup);

  TimePoint now() const { return now_; }
  double now_ms() const;
  // Processes events up to `until`. Stops early, returning false, once the
  // run has processed `event_budget()` events: a storm of datagrams is a
  // bug to report, not a reason to exhaust memory.
  bool run_until(TimePoint until);
  bool run_for(Micros duration) { return run_until(now_ + duration); }
  static constexpr std::uint64_t kEventBudget = 4'000'000;
  static constexpr std::size_t kQueueLimit = 400'000;
  bool over_budget() const { return over_budget_; }

  void crash(NodeId id);
  void restart(NodeId id);
  void pause(NodeId id);
  void resume(NodeId id);
  SimNetwork& network() { return network_; }

  // Multicasts a traceable message from a running node; false if the node
  // is not running or its queue is full.
  bool multicast(NodeId id, membership::Guarantee guarantee);

  NodeView view(NodeId id) const;
  std::vector<NodeId> nodes() const;
  std::vector<NodeId> running() const;  // alive and not paused
  Checker& checker() { return checker_; }
  std::uint64_t events_processed() const { return events_processed_; }
  const membership::MembershipConfig& config_of(NodeId id) const;

  // Called for every event any node emits, for traces.
  using Observer = std::function<void(NodeId, const membership::Event&, TimePoint)>;
  void set_observer(Observer observer) { observer_ = std::move(observer); }
  // Called for every datagram a node sends (membership messages only), for traces.
  using SendObserver = std::function<void(NodeId, const membership::Datagram&, TimePoint)>;
  void set_send_observer(SendObserver observer) { send_observer_ = std::move(observer); }

  // Ends the run: runs the checker's final checks for the running processes.
  void finish();

 private:
  struct Node {
    NodeId id = 0;
    std::uint32_t incarnation = 0;
    bool alive = false;
    bool paused = false;
    std::uint64_t persisted_ring_seq = 0;
    std::unique_ptr<membership::SplitMix64> random;
    std::unique_ptr<membership::Membership> machine;
    std::deque<membership::SharedBytes> inbox;  // arrived while paused
    std::uint64_t tick_generation = 0;
    std::optional<TimePoint> tick_at;
    std::uint64_t next_counter = 0;
    bool quorate = false;
    NodeSet quorum_members;
  };
  struct QueuedEvent {
    TimePoint at;
    std::uint64_t order;
    NodeId node;
    bool is_tick;
    std::uint64_t generation;  // ticks: valid only if it matches the node's
    membership::SharedBytes bytes;
  };
  struct Later {
    bool operator()(const QueuedEvent& a, const QueuedEvent& b) const {
      return a.at != b.at ? a.at > b.at : a.order > b.order;
    }
  };

  void start(Node& node);
  void drain(Node& node);
  void schedule_tick(Node& node);
  void push(QueuedEvent event);
  void quorum_changed();
  ProcessKey key(const Node& node) const { return ProcessKey{node.id, node.incarnation}; }
  Node& node(NodeId id);
  const Node& node(NodeId id) const;

  SimSetup setup_;
  std::map<NodeId, membership::MembershipConfig> configs_;
  membership::SplitMix64 network_random_;
  SimNetwork network_;
  Checker checker_;
  TimePoint now_{};
  std::priority_queue<QueuedEvent, std::vector<QueuedEvent>, Later> queue_;
  std::uint64_t order_ = 0;
  std::uint64_t events_processed_ = 0;
  bool over_budget_ = false;
  std::map<NodeId, Node> nodes_;
  Observer observer_;
  SendObserver send_observer_;
};

// Nodes 1..count with one vote each and the given timers.
model::Membership make_membership(std::size_t count, const model::TotemTimings& totem);

}  // namespace tandem::sim
