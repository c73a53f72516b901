#include "test/sim/sim_cluster.h"

#include "common/core/assert.h"

namespace tandem::sim {
namespace {

// A paused process's socket buffer.
constexpr std::size_t kInboxLimit = 4096;
// Datagrams the daemon reads in one turn of its loop before it looks at its
// timers (kMaxReceiveBatch in sidecar/transport/daemon.cpp).
constexpr std::size_t kReceiveBatch = 256;

std::uint64_t mix(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  membership::SplitMix64 random(seed ^ (a * 0x9e3779b97f4a7c15ULL) ^ (b << 32));
  return random.next();
}

std::vector<NodeId> ids(std::size_t count) {
  std::vector<NodeId> out;
  for (std::size_t i = 1; i <= count; ++i) out.push_back(static_cast<NodeId>(i));
  return out;
}

}  // namespace

model::Membership make_membership(std::size_t count, const model::TotemTimings& totem) {
  model::Membership membership;
  membership.totem = totem;
  for (NodeId id : ids(count)) {
    membership.nodes.push_back(
        model::MemberNode{"node" + std::to_string(id), id, "10.0.0." + std::to_string(id), 1});
  }
  return membership;
}

SimCluster::SimCluster(const SimSetup& setup)
    : setup_(setup),
      network_random_(mix(setup.seed, 0, 0)),
      network_(ids(setup.members), network_random_) {
  network_.set_profile(setup.network);
  free_cpus_ = setup.cpu.cpus;
  for (NodeId id : ids(setup.members)) {
    Result<membership::MembershipConfig> config =
        membership::make_membership_config(setup.membership, setup.quorum, id);
    TANDEM_ASSERT(config.has_value(), "the simulator built an invalid configuration");
    configs_.emplace(id, *config);
    Node& n = nodes_[id];
    n.id = id;
    if (!setup.start_stopped) start(n);
  }
}

double SimCluster::now_ms() const {
  return static_cast<double>(now_.time_since_epoch().count()) / 1000.0;
}

const membership::MembershipConfig& SimCluster::config_of(NodeId id) const {
  return configs_.at(id);
}

SimCluster::Node& SimCluster::node(NodeId id) {
  return nodes_.at(id);
}
const SimCluster::Node& SimCluster::node(NodeId id) const {
  return nodes_.at(id);
}

std::vector<NodeId> SimCluster::nodes() const {
  return ids(setup_.members);
}

std::vector<NodeId> SimCluster::running() const {
  std::vector<NodeId> out;
  for (const auto& [id, n] : nodes_)
    if (n.alive && !n.paused) out.push_back(id);
  return out;
}

void SimCluster::start(Node& n) {
  ++n.incarnation;
  n.alive = true;
  n.paused = false;
  n.inbox.clear();
  n.quorate = false;
  n.random = std::make_unique<membership::SplitMix64>(mix(setup_.seed, n.id, n.incarnation));
  n.machine = std::make_unique<membership::Membership>(configs_.at(n.id), n.persisted_ring_seq,
                                                       *n.random, now_);
  drain(n);
}

void SimCluster::push(QueuedEvent event) {
  event.order = order_++;
  queue_.push(std::move(event));
}

void SimCluster::schedule_tick(Node& n) {
  std::optional<TimePoint> deadline = n.machine->next_deadline();
  if (deadline == n.tick_at) return;
  n.tick_at = deadline;
  ++n.tick_generation;
  if (deadline)
    push(QueuedEvent{std::max(*deadline, now_), 0, n.id, EventKind::kTick, n.tick_generation, {}});
}

void SimCluster::drain(Node& n) {
  send_and_report(n, n.machine->take_ready());
}

void SimCluster::send_and_report(Node& n, membership::Ready ready) {
  if (ready.persist_ring_seq) n.persisted_ring_seq = *ready.persist_ring_seq;
  for (const membership::Datagram& datagram : ready.datagrams) {
    if (send_observer_) send_observer_(n.id, datagram, now_);
    if (datagram.destination == membership::kBroadcast) {
      copies_sent_ += setup_.members - 1;
    } else if (datagram.destination != n.id) {
      ++copies_sent_;
    }
    for (Delivery& delivery : network_.route(n.id, datagram, now_))
      push(QueuedEvent{delivery.at, 0, delivery.to, EventKind::kDatagram, 0,
                       std::move(delivery.bytes)});
  }
  bool quorum_moved = false;
  bool configured = false;
  for (const membership::Event& event : ready.events) {
    checker_.on_event(key(n), event);
    if (observer_) observer_(n.id, event, now_);
    if (const auto* quorum = std::get_if<membership::QuorumChanged>(&event)) {
      n.quorate = quorum->quorate;
      n.quorum_members = quorum->members;
      quorum_moved = true;
    } else if (const auto* change = std::get_if<membership::ConfigurationChanged>(&event)) {
      configured = configured || change->kind == membership::ConfigurationKind::kRegular;
    }
  }
  schedule_tick(n);
  if (quorum_moved) quorum_changed();
  if (configured && setup_.multicast_after_configuration)
    multicast(n.id, membership::Guarantee::kAgreed);
}

void SimCluster::arrive(Node& n, membership::SharedBytes bytes) {
  if (n.backlog.size() >= setup_.cpu.socket_buffer) {
    ++n.socket_drops;
    return;
  }
  n.backlog.push_back(std::move(bytes));
  if (!n.paused) make_runnable(n);
}

void SimCluster::make_runnable(Node& n) {
  if (n.on_cpu || n.waiting_for_cpu) return;
  if (free_cpus_ > 0) {
    run_on_cpu(n);
    return;
  }
  n.waiting_for_cpu = true;
  run_queue_.push_back(n.id);
}

void SimCluster::run_on_cpu(Node& n) {
  // As the daemon's loop: it reads up to a batch of datagrams, then fires
  // the timers that are due.
  Micros cost{0};
  if (!n.backlog.empty() && n.batch < kReceiveBatch) {
    membership::SharedBytes bytes = std::move(n.backlog.front());
    n.backlog.pop_front();
    n.machine->receive(*bytes, now_);
    cost += setup_.cpu.receive;
    ++n.batch;
  } else {
    n.batch = 0;
    if (timers_due(n)) {
      n.timers_due = false;
      n.machine->tick(now_);
      cost += setup_.cpu.timers;
    } else if (n.backlog.empty()) {
      n.timers_due = false;
      return;
    } else {
      return run_on_cpu(n);
    }
  }
  membership::Ready ready = n.machine->take_ready();
  for (const membership::Datagram& datagram : ready.datagrams) {
    std::int64_t copies = datagram.destination == membership::kBroadcast
                              ? static_cast<std::int64_t>(setup_.members) - 1
                              : (datagram.destination == n.id ? 0 : 1);
    cost += setup_.cpu.send * copies;
  }
  cost = std::max(cost, Micros(1));
  --free_cpus_;
  n.on_cpu = true;
  n.cpu_time += cost;
  n.finishing = std::move(ready);
  push(QueuedEvent{now_ + cost, 0, n.id, EventKind::kWorkDone, n.incarnation, {}});
}

void SimCluster::work_done(const QueuedEvent& event) {
  ++free_cpus_;
  Node& n = node(event.node);
  if (n.alive && n.incarnation == event.generation && n.on_cpu) {
    n.on_cpu = false;
    membership::Ready ready = std::move(*n.finishing);
    n.finishing.reset();
    send_and_report(n, std::move(ready));
    // Back to the end of the queue: the cores are shared fairly.
    if (n.alive && !n.paused && (timers_due(n) || !n.backlog.empty())) make_runnable(n);
  }
  dispatch_waiting();
}

void SimCluster::dispatch_waiting() {
  while (free_cpus_ > 0 && !run_queue_.empty()) {
    Node& n = node(run_queue_.front());
    run_queue_.pop_front();
    n.waiting_for_cpu = false;
    if (!n.alive || n.paused || n.on_cpu) continue;
    run_on_cpu(n);
  }
}

void SimCluster::quorum_changed() {
  if (!setup_.check_quorum) return;
  std::vector<std::pair<ProcessKey, NodeSet>> quorate;
  for (const auto& [id, n] : nodes_) {
    if (n.alive && !n.paused && n.quorate) quorate.emplace_back(key(n), n.quorum_members);
  }
  checker_.check_quorum(quorate, now_ms());
}

bool SimCluster::run_until(TimePoint until) {
  while (!queue_.empty() && queue_.top().at <= until) {
    if (events_processed_ >= setup_.event_budget || queue_.size() >= kQueueLimit) {
      if (!over_budget_)
        checker_.violation("the run exceeded its budget of " + std::to_string(setup_.event_budget) +
                           " events or " + std::to_string(kQueueLimit) + " queued datagrams at " +
                           std::to_string(now_ms()) + " ms: a datagram storm");
      over_budget_ = true;
      return false;
    }
    QueuedEvent event = queue_.top();
    queue_.pop();
    now_ = std::max(now_, event.at);
    ++events_processed_;
    if (event.kind == EventKind::kWorkDone) {
      work_done(event);
      continue;
    }
    Node& n = node(event.node);
    if (!n.alive) continue;
    if (event.kind == EventKind::kTick) {
      if (event.generation != n.tick_generation || n.paused) continue;
      n.tick_at.reset();
      if (setup_.cpu.enabled()) {
        n.timers_due = true;
        make_runnable(n);
        continue;
      }
      n.machine->tick(now_);
      drain(n);
      continue;
    }
    if (setup_.cpu.enabled()) {
      arrive(n, std::move(event.bytes));
      continue;
    }
    if (n.paused) {
      if (n.inbox.size() < kInboxLimit) n.inbox.push_back(std::move(event.bytes));
      continue;
    }
    n.machine->receive(*event.bytes, now_);
    drain(n);
  }
  now_ = std::max(now_, until);
  return true;
}

void SimCluster::crash(NodeId id) {
  Node& n = node(id);
  if (!n.alive) return;
  n.alive = false;
  n.paused = false;
  n.machine.reset();
  n.inbox.clear();
  n.quorate = false;
  n.tick_at.reset();
  ++n.tick_generation;
  // The core it may be on is freed when that work would have ended.
  n.backlog.clear();
  n.timers_due = false;
  n.on_cpu = false;
  n.finishing.reset();
  quorum_changed();
}

void SimCluster::restart(NodeId id) {
  Node& n = node(id);
  if (n.alive) return;
  start(n);
}

void SimCluster::pause(NodeId id) {
  Node& n = node(id);
  if (!n.alive || n.paused) return;
  n.paused = true;
  quorum_changed();
}

void SimCluster::resume(NodeId id) {
  Node& n = node(id);
  if (!n.alive || !n.paused) return;
  n.paused = false;
  if (setup_.cpu.enabled()) {
    n.timers_due = true;
    make_runnable(n);
    quorum_changed();
    return;
  }
  // The timers that expired while stopped fire first, then the socket
  // buffer is read, as a process sees it after SIGCONT.
  n.machine->tick(now_);
  drain(n);
  while (n.alive && !n.paused && !n.inbox.empty()) {
    membership::SharedBytes bytes = std::move(n.inbox.front());
    n.inbox.pop_front();
    n.machine->receive(*bytes, now_);
    drain(n);
  }
  quorum_changed();
}

bool SimCluster::multicast(NodeId id, membership::Guarantee guarantee) {
  Node& n = node(id);
  if (!n.alive || n.paused) return false;
  MessageId message{n.id, n.incarnation, n.next_counter};
  if (!n.machine->multicast(make_payload(message), guarantee, now_)) {
    drain(n);
    return false;
  }
  ++n.next_counter;
  checker_.on_multicast(key(n), message);
  drain(n);
  return true;
}

NodeView SimCluster::view(NodeId id) const {
  const Node& n = node(id);
  NodeView out;
  out.id = id;
  out.incarnation = n.incarnation;
  out.alive = n.alive;
  out.paused = n.paused;
  if (!n.alive) return out;
  out.state = n.machine->totem().state();
  out.ring = n.machine->totem().ring();
  out.members = n.machine->totem().members();
  out.quorate = n.machine->quorum().quorate();
  out.expected_votes = n.machine->quorum().expected_votes();
  out.quorum = n.machine->quorum().quorum();
  return out;
}

void SimCluster::finish() {
  std::vector<ProcessKey> processes;
  for (const auto& [id, n] : nodes_)
    if (n.alive) processes.push_back(key(n));
  checker_.finish(processes);
}

}  // namespace tandem::sim
