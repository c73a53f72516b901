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

// What handling a datagram costs on a real machine. Without it (cpus 0)
// every node handles each datagram and timer the instant it arrives, as if
// each had a core of its own and infinitely fast. With it, the nodes share
// `cpus` cores: a node handles one datagram (or its due timers) at a time,
// each piece of work takes its cost in simulated time, and what it sends
// leaves when the work ends. Work waiting for a core queues, in the order
// it became ready, so a busy machine delays every node's timers and
// deliveries the way 64 processes on 2 cores do.
struct CpuModel {
  std::size_t cpus = 0;              // shared by all nodes; 0: no cost model
  Micros receive{0};                 // per datagram handled (decrypt, decode, protocol)
  Micros timers{0};                  // per wake-up that fires timers
  Micros send{0};                    // per copy sent: a broadcast costs one per other node
  std::size_t socket_buffer = 4096;  // datagrams a node's socket holds; more are dropped

  bool enabled() const { return cpus > 0; }
};

struct SimSetup {
  std::uint64_t seed = 1;
  std::size_t members = 3;
  model::Membership membership;  // nodes are filled in: ids 1..members
  model::QuorumOptions quorum;
  LinkProfile network;
  // Check on every change that no two disjoint partitions are quorate.
  bool check_quorum = true;
  CpuModel cpu;
  // Each node multicasts one message after every regular configuration
  // change, as the sidecar's process groups announce their members (a CPG
  // sync message) on every new ring.
  bool multicast_after_configuration = false;
  // Nodes begin stopped; restart() starts each (a staggered start).
  bool start_stopped = false;
  std::uint64_t event_budget = 4'000'000;
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
  // With a CpuModel: the simulated time node `id` has spent on a core (all
  // incarnations), and the datagrams its full socket dropped.
  Micros cpu_time(NodeId id) const { return node(id).cpu_time; }
  std::uint64_t socket_drops(NodeId id) const { return node(id).socket_drops; }
  // With a CpuModel: the node is in the middle of some work, whose events
  // are reported when it ends (its view may already show the new state).
  bool working(NodeId id) const { return node(id).on_cpu; }
  // Datagram copies every node has sent, all incarnations.
  std::uint64_t copies_sent() const { return copies_sent_; }
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
    // The CpuModel's state: work waiting, and the work on a core.
    std::deque<membership::SharedBytes> backlog;
    bool timers_due = false;
    std::size_t batch = 0;  // datagrams read since the timers last ran
    bool on_cpu = false;
    bool waiting_for_cpu = false;
    std::optional<membership::Ready> finishing;  // sent when the work ends
    Micros cpu_time{0};
    std::uint64_t socket_drops = 0;
  };
  enum class EventKind : std::uint8_t { kDatagram, kTick, kWorkDone };
  struct QueuedEvent {
    TimePoint at;
    std::uint64_t order;
    NodeId node;
    EventKind kind;
    // Ticks: valid only if it matches the node's tick generation. Work
    // done: the incarnation that did the work.
    std::uint64_t generation;
    membership::SharedBytes bytes;
  };
  struct Later {
    bool operator()(const QueuedEvent& a, const QueuedEvent& b) const {
      return a.at != b.at ? a.at > b.at : a.order > b.order;
    }
  };

  void start(Node& node);
  void drain(Node& node);
  void send_and_report(Node& node, membership::Ready ready);
  // The CpuModel: work arrives, waits for a core, runs, ends.
  void arrive(Node& node, membership::SharedBytes bytes);
  void make_runnable(Node& node);
  bool timers_due(const Node& node) const {
    std::optional<TimePoint> deadline = node.machine->next_deadline();
    return node.timers_due || (deadline && *deadline <= now_);
  }
  void run_on_cpu(Node& node);
  void work_done(const QueuedEvent& event);
  void dispatch_waiting();
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
  std::uint64_t copies_sent_ = 0;
  std::size_t free_cpus_ = 0;
  std::deque<NodeId> run_queue_;
  std::map<NodeId, Node> nodes_;
  Observer observer_;
  SendObserver send_observer_;
};

// Nodes 1..count with one vote each and the given timers.
model::Membership make_membership(std::size_t count, const model::TotemTimings& totem);

}  // namespace tandem::sim
