#include "sidecar/transport/daemon.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <deque>
#include <optional>
#include <vector>

#include <poll.h>
#include <sys/random.h>
#include <unistd.h>

#include "common/core/assert.h"
#include "sidecar/groups/server.h"
#include "sidecar/membership/membership.h"
#include "sidecar/transport/clock_estimator.h"
#include "sidecar/transport/link_monitor.h"
#include "sidecar/transport/realtime.h"
#include "sidecar/transport/receive_filter.h"
#include "sidecar/transport/send_counter.h"
#include "sidecar/transport/status.h"
#include "sidecar/transport/status_text.h"
#include "sidecar/transport/udp_socket.h"

namespace tandem::transport {
namespace {

using membership::TimePoint;

// Datagrams read per wake-up, and machine-to-itself rounds per input: both
// bound the work done before the loop looks at its deadline and signals.
constexpr int kMaxReceiveBatch = 256;
constexpr int kMaxLoopbackRounds = 64;
// Group messages offered to the ring per turn of the loop.
constexpr std::size_t kMaxGroupMessagesPerTurn = 64;
// The longest wait: keeps the periodic drop summary going on an idle node.
constexpr auto kMaxWait = std::chrono::milliseconds(1000);
constexpr auto kDropSummaryInterval = std::chrono::seconds(10);
// Counters alone change the status file at most this often.
constexpr auto kCounterRefreshInterval = std::chrono::seconds(1);
// Every other node's clock is probed this often: enough samples for the
// estimate within half a minute, a datagram and its reply per peer at
// idle.
constexpr auto kProbeInterval = std::chrono::seconds(2);
// A link is connected while something arrived from the peer this recently:
// two probe intervals and a half, so one lost probe does not flip it.
constexpr auto kLinkTimeout = std::chrono::milliseconds(5000);

TimePoint monotonic_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return TimePoint(
      std::chrono::microseconds(std::int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000));
}

std::int64_t unix_ms() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1'000'000;
}

// The clock probes' timestamps: realtime, in microseconds.
std::int64_t unix_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return std::int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

std::chrono::microseconds since_epoch(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
}

std::uint64_t os_seed() {
  std::uint64_t seed = 0;
  if (::getrandom(&seed, sizeof seed, 0) != static_cast<ssize_t>(sizeof seed))
    seed = static_cast<std::uint64_t>(unix_ms()) ^ static_cast<std::uint64_t>(::getpid());
  return seed;
}

std::string node_list(const membership::NodeSet& nodes) {
  if (nodes.empty()) return "none";
  std::string out;
  for (membership::NodeId id : nodes) out += (out.empty() ? "" : " ") + std::to_string(id);
  return out;
}

class DaemonImpl final : public Daemon {
 public:
  DaemonImpl(NodeSetup setup, StateDir state, LogLine log, StatusObserver observer,
             UdpSocket socket, std::uint32_t epoch, std::uint64_t ring_seq, DaemonOptions options,
             std::unique_ptr<groups::CpgServer> cpg)
      : setup_(std::move(setup)),
        state_(std::move(state)),
        log_(std::move(log)),
        observer_(std::move(observer)),
        socket_(std::move(socket)),
        counter_(epoch),
        random_(os_seed()),
        filter_(std::move(setup_.codec), node_ids(setup_), setup_.self),
        machine_(setup_.config, ring_seq, random_, monotonic_now()),
        peers_(peer_ids(setup_)),
        clock_(peers_, os_seed()),
        alarms_(options.max_clock_offset.count()),
        links_(peers_, kLinkTimeout),
        cpg_(std::move(cpg)),
        realtime_(options.realtime) {}

  Result<void> run(int stop_fd) override;

 private:
  static std::vector<std::uint32_t> node_ids(const NodeSetup& setup) {
    std::vector<std::uint32_t> ids;
    for (const auto& [id, peer] : setup.nodes) ids.push_back(id);
    return ids;
  }
  static std::vector<std::uint32_t> peer_ids(const NodeSetup& setup) {
    std::vector<std::uint32_t> ids;
    for (const auto& [id, peer] : setup.nodes)
      if (id != setup.self) ids.push_back(id);
    return ids;
  }

  Result<void> receive_all();
  Result<void> on_datagram(std::span<const std::uint8_t> bytes, const Endpoint& from,
                           bool truncated);
  Result<void> drain();
  // Offers the process groups' messages to the ring and writes to their
  // clients.
  Result<void> pump_groups();
  Result<void> apply(membership::Ready ready);
  Result<void> send(const membership::Datagram& datagram);
  // The next counter, persisting a new epoch when one is used up.
  Result<std::uint64_t> next_counter();
  Result<void> send_probes();
  Result<void> on_probe(std::uint32_t sender, std::span<const std::uint8_t> payload,
                        std::int64_t arrived_us);
  Result<void> send_to(std::uint32_t node, std::span<const std::uint8_t> payload);
  void check_clock(std::uint32_t peer);
  void on_event(const membership::Event& event);
  MembershipStatus build_status();
  void write_status();
  void notify_observer(const MembershipStatus& status);
  void summarize_drops(TimePoint now);

  NodeSetup setup_;
  StateDir state_;
  LogLine log_;
  StatusObserver observer_;
  TimePoint next_heartbeat_{};
  UdpSocket socket_;
  SendCounter counter_;
  membership::SplitMix64 random_;
  ReceiveFilter filter_;
  membership::Membership machine_;
  std::vector<std::uint32_t> peers_;
  ClockEstimator clock_;
  ClockAlarms alarms_;
  LinkMonitor links_;
  TimePoint next_probe_{};
  bool clock_dirty_ = false;

  std::vector<std::uint8_t> buffer_ = std::vector<std::uint8_t>(kMaxFrameSize + 1);
  std::deque<membership::SharedBytes> loopback_;
  TransportCounters counters_;
  membership::NodeSet previous_members_;
  bool status_dirty_ = true;
  DropCounts drops_logged_;
  std::uint64_t rejected_logged_ = 0;
  std::uint64_t rejected_ = 0;
  TimePoint next_drop_summary_{};
  TimePoint next_counter_refresh_{};
  TimePoint next_receive_error_log_{};
  DropCounts drops_written_;
  std::uint64_t rejected_written_ = 0;
  std::string last_rejection_;
  std::string last_drop_from_;
  std::unique_ptr<groups::CpgServer> cpg_;
  bool groups_backlog_ = false;       // more to offer than one turn took
  std::uint64_t groups_written_ = 0;  // view_changes() in the status file
  bool realtime_;
};

Result<void> DaemonImpl::run(int stop_fd) {
  log_("membership: node " + std::to_string(setup_.self) + " of cluster \"" + setup_.cluster_name +
       "\" listening on " + setup_.local.to_string() + " (" + std::to_string(setup_.nodes.size()) +
       " nodes)");
  if (cpg_) log_("cpg: process groups served on " + cpg_->path());
  if (realtime_) {
    if (auto priority = run_thread_at_realtime_priority(); priority)
      log_("membership: running under SCHED_RR, priority " + std::to_string(*priority));
    else
      log_("membership: running at normal priority (" + priority.error().message +
           "); tokens may wait behind other work on a busy machine");
  }
  if (auto r = drain(); !r) return r;
  write_status();
  next_drop_summary_ = monotonic_now() + kDropSummaryInterval;
  // Bounded per iteration; runs until asked to stop.
  while (true) {
    TimePoint now = monotonic_now();
    std::optional<TimePoint> deadline = machine_.next_deadline();
    auto wait = std::chrono::duration_cast<std::chrono::microseconds>(kMaxWait);
    if (deadline) wait = std::clamp(*deadline - now, std::chrono::microseconds(0), wait);
    if (observer_)
      wait =
          std::clamp(std::chrono::duration_cast<std::chrono::microseconds>(next_heartbeat_ - now),
                     std::chrono::microseconds(0), wait);
    wait = std::clamp(std::chrono::duration_cast<std::chrono::microseconds>(next_probe_ - now),
                      std::chrono::microseconds(0), wait);
    if (groups_backlog_) wait = std::chrono::microseconds(0);
    timespec timeout{static_cast<time_t>(wait.count() / 1'000'000),
                     static_cast<long>((wait.count() % 1'000'000) * 1000)};
    std::vector<pollfd> fds{pollfd{socket_.fd(), POLLIN, 0}, pollfd{stop_fd, POLLIN, 0}};
    if (cpg_) cpg_->add_poll_fds(fds);
    int ready = ::ppoll(fds.data(), fds.size(), &timeout, nullptr);
    if (ready < 0 && errno != EINTR)
      return fail(std::string("waiting for datagrams: ") + std::strerror(errno));
    if (ready > 0 && (fds[1].revents & POLLIN)) {
      log_("membership: stopping");
      write_status();
      return {};
    }
    if (ready > 0 && cpg_) cpg_->handle(std::span(fds).subspan(2));
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLERR))) {
      if (auto r = receive_all(); !r) return r;
    }
    now = monotonic_now();
    deadline = machine_.next_deadline();
    if (deadline && *deadline <= now) {
      machine_.tick(now);
      if (auto r = drain(); !r) return r;
    }
    if (now >= next_probe_) {
      next_probe_ = now + kProbeInterval;
      if (auto r = send_probes(); !r) return r;
    }
    if (auto r = pump_groups(); !r) return r;
    summarize_drops(now);
    if (now >= next_counter_refresh_) {
      next_counter_refresh_ = now + kCounterRefreshInterval;
      if (filter_.drops() != drops_written_ || rejected_ != rejected_written_) status_dirty_ = true;
      if (links_.changed(since_epoch(now)) || clock_dirty_) status_dirty_ = true;
      clock_dirty_ = false;
    }
    if (cpg_ && cpg_->groups().view_changes() != groups_written_) status_dirty_ = true;
    if (status_dirty_) {
      write_status();
    } else if (observer_ && monotonic_now() >= next_heartbeat_) {
      notify_observer(build_status());
    }
  }
}

Result<void> DaemonImpl::receive_all() {
  for (int i = 0; i < kMaxReceiveBatch; ++i) {
    auto received = socket_.receive(buffer_);
    if (!received) {
      // Not fatal (the network may recover), but logged at most once per
      // summary interval.
      TimePoint now = monotonic_now();
      if (now >= next_receive_error_log_) {
        log_("transport: " + received.error().message);
        next_receive_error_log_ = now + kDropSummaryInterval;
      }
      break;
    }
    if (!*received) break;
    if (auto r = on_datagram(std::span(buffer_).first((*received)->size), (*received)->from,
                             (*received)->truncated);
        !r)
      return r;
    if (auto r = drain(); !r) return r;
  }
  return {};
}

Result<void> DaemonImpl::on_datagram(std::span<const std::uint8_t> bytes, const Endpoint& from,
                                     bool truncated) {
  // As early as possible: a probe's arrival time is part of the estimate.
  std::int64_t arrived_us = unix_us();
  ++counters_.received;
  std::uint32_t from_node = 0;
  for (const auto& [id, peer] : setup_.nodes)
    if (peer.endpoint.same_host(from)) {
      from_node = id;
      break;
    }
  if (truncated) {
    ++counters_.dropped.by_reason[static_cast<std::size_t>(DropReason::kMalformed)];
    last_drop_from_ = from.to_string();
    return {};
  }
  auto accepted = filter_.accept(bytes, from_node);
  if (!accepted) {
    last_drop_from_ = from.to_string();
    return {};
  }
  TimePoint now = monotonic_now();
  links_.heard(accepted->sender, since_epoch(now));
  // The membership machine never sees a probe.
  if (is_clock_probe(accepted->payload))
    return on_probe(accepted->sender, accepted->payload, arrived_us);
  machine_.receive(accepted->payload, now);
  return {};
}

Result<void> DaemonImpl::send_probes() {
  // Bounded by the nodelist.
  for (std::uint32_t peer : peers_) {
    std::optional<ClockProbe> probe = clock_.start_probe(peer, unix_us());
    if (!probe) continue;
    if (auto r = send_to(peer, encode(*probe)); !r) return r;
  }
  return {};
}

Result<void> DaemonImpl::on_probe(std::uint32_t sender, std::span<const std::uint8_t> payload,
                                  std::int64_t arrived_us) {
  std::optional<ClockProbe> probe = decode_clock_probe(payload);
  if (!probe) {
    ++rejected_;
    last_rejection_ = "a malformed clock probe from node " + std::to_string(sender);
    return {};
  }
  if (probe->kind == ClockProbeKind::kReply) {
    std::optional<ClockEstimate> before = clock_.estimate(sender);
    if (!clock_.on_reply(sender, *probe, arrived_us)) return {};
    std::optional<ClockEstimate> after = clock_.estimate(sender);
    // The status file follows the estimate, not every sample.
    if (!before || before->best != after->best || before->samples != after->samples)
      clock_dirty_ = true;
    check_clock(sender);
    return {};
  }
  // One reply per request: the receive filter let this request through once
  // (its counter is now behind the replay window), it came from a node of
  // the nodelist, and the reply goes to that node's configured address, not
  // to where the datagram claims to be from. The reply is no larger.
  std::optional<ClockProbe> reply = reply_to(*probe, arrived_us, unix_us());
  if (!reply) return {};
  return send_to(sender, encode(*reply));
}

void DaemonImpl::check_clock(std::uint32_t peer) {
  std::optional<ClockEstimate> estimate = clock_.estimate(peer);
  if (!estimate) return;
  ClockAlarm alarm = alarms_.update(peer, *estimate);
  if (alarm == ClockAlarm::kUnchanged) return;
  auto node = setup_.nodes.find(peer);
  std::string who = "node " + std::to_string(peer);
  if (node != setup_.nodes.end() && !node->second.name.empty())
    who += " (" + node->second.name + ")";
  std::int64_t offset = estimate->best.offset_us;
  std::string bound = milliseconds_text(alarms_.bound_us(), false);
  if (alarm == ClockAlarm::kRaised) {
    log_("clock: " + who + "'s clock is " +
         milliseconds_text(offset < 0 ? -offset : offset, false) +
         (offset < 0 ? " behind" : " ahead of") + " this node's (measured over a " +
         milliseconds_text(estimate->best.delay_us, false) + " round trip), more than " + bound +
         "; tandem does not set clocks: check time synchronization on both nodes");
  } else {
    log_("clock: " + who + "'s clock is back within " + bound + " of this node's (offset " +
         milliseconds_text(offset, true) + ")");
  }
}

Result<void> DaemonImpl::send_to(std::uint32_t node, std::span<const std::uint8_t> payload) {
  auto peer = setup_.nodes.find(node);
  TANDEM_ASSERT(peer != setup_.nodes.end() && node != setup_.self,
                "probes go only to other nodes of the nodelist");
  auto counter = next_counter();
  if (!counter) return fail(counter.error().message);
  auto frame = filter_.codec().seal(setup_.self, *counter, payload);
  if (!frame) {
    ++counters_.send_errors;
    return {};
  }
  if (socket_.send(peer->second.endpoint, *frame)) {
    ++counters_.sent;
  } else {
    ++counters_.send_errors;
  }
  return {};
}

Result<std::uint64_t> DaemonImpl::next_counter() {
  std::optional<std::uint64_t> counter = counter_.next();
  if (counter) return *counter;
  if (!counter_.advance_epoch())
    return fail("the send counter's epochs are used up; remove " + state_.file(kSendEpochFile) +
                " and restart");
  if (auto r = state_.write_number(kSendEpochFile, counter_.epoch()); !r)
    return fail("cannot persist the send epoch: " + r.error().message);
  counter = counter_.next();
  TANDEM_ASSERT(counter.has_value(), "a new epoch has counters");
  return *counter;
}

Result<void> DaemonImpl::drain() {
  for (int round = 0; round < kMaxLoopbackRounds; ++round) {
    if (auto r = apply(machine_.take_ready()); !r) return r;
    if (loopback_.empty()) return {};
    std::deque<membership::SharedBytes> pending = std::exchange(loopback_, {});
    for (const membership::SharedBytes& bytes : pending) machine_.receive(*bytes, monotonic_now());
  }
  // The machine keeps talking to itself: leave the rest for the next turn
  // rather than spin here.
  return {};
}

Result<void> DaemonImpl::pump_groups() {
  groups_backlog_ = false;
  if (!cpg_) return {};
  // While the ring re-forms, messages wait in the groups' bounded queue
  // rather than in Totem's: taken now, they would arrive in the next ring,
  // stale, and have to be sent again.
  std::size_t sent = 0;
  if (machine_.totem().state() == membership::State::kOperational)
    sent = cpg_->flush(
        [this](const membership::Bytes& payload) {
          return machine_.multicast(payload, membership::Guarantee::kAgreed, monotonic_now())
              .has_value();
        },
        kMaxGroupMessagesPerTurn);
  groups_backlog_ = sent == kMaxGroupMessagesPerTurn;
  if (sent > 0) {
    if (auto r = drain(); !r) return r;
  }
  cpg_->write_clients();
  return {};
}

Result<void> DaemonImpl::apply(membership::Ready ready) {
  if (ready.persist_ring_seq) {
    if (auto r = state_.write_number(kRingSeqFile, *ready.persist_ring_seq); !r)
      return fail("cannot persist the ring sequence, so nothing more may be sent: " +
                  r.error().message);
  }
  for (const membership::Datagram& datagram : ready.datagrams)
    if (auto r = send(datagram); !r) return r;
  for (const membership::Event& event : ready.events) on_event(event);
  return {};
}

Result<void> DaemonImpl::send(const membership::Datagram& datagram) {
  if (datagram.destination == setup_.self) {
    loopback_.push_back(datagram.bytes);
    return {};
  }
  auto counter = next_counter();
  if (!counter) return fail(counter.error().message);
  auto frame = filter_.codec().seal(setup_.self, *counter, *datagram.bytes);
  if (!frame) {
    ++counters_.send_errors;
    log_("membership: not sent: " + frame.error().message);
    return {};
  }
  // Bounded by the nodelist.
  for (const auto& [id, peer] : setup_.nodes) {
    if (id == setup_.self) continue;
    if (datagram.destination != membership::kBroadcast && datagram.destination != id) continue;
    if (socket_.send(peer.endpoint, *frame)) {
      ++counters_.sent;
    } else {
      // A peer that is down or unreachable; Totem copes with loss.
      ++counters_.send_errors;
    }
  }
  return {};
}

void DaemonImpl::on_event(const membership::Event& event) {
  using namespace membership;
  if (cpg_) cpg_->on_event(event);
  if (const auto* state = std::get_if<StateChanged>(&event)) {
    if (state->to == State::kGather && state->reason)
      log_(std::string("membership: forming a new configuration: ") + describe(*state->reason));
    status_dirty_ = true;
  } else if (const auto* change = std::get_if<ConfigurationChanged>(&event)) {
    if (change->kind != ConfigurationKind::kRegular) return;
    NodeSet left = previous_members_.minus(change->members);
    NodeSet joined = change->members.minus(previous_members_);
    log_("membership: ring " + ring_id_text(change->ring.representative, change->ring.sequence) +
         " formed with members " + node_list(change->members) + " (joined: " + node_list(joined) +
         "; left: " + node_list(left) + ")");
    previous_members_ = change->members;
    status_dirty_ = true;
  } else if (const auto* quorum = std::get_if<QuorumChanged>(&event)) {
    log_("quorum: ring " + ring_id_text(quorum->ring.representative, quorum->ring.sequence) +
         (quorum->quorate ? " quorate" : " NOT quorate") + ", members " +
         node_list(quorum->members) + ", total votes " + std::to_string(quorum->total_votes) +
         ", expected votes " + std::to_string(quorum->expected_votes) + ", quorum " +
         std::to_string(quorum->quorum) + " (" + quorum->reason + ")");
    status_dirty_ = true;
  } else if (const auto* rejected = std::get_if<DatagramRejected>(&event)) {
    ++rejected_;
    last_rejection_ = rejected->reason;
  } else if (const auto* notice = std::get_if<Notice>(&event)) {
    log_("membership: " + notice->text);
  }
}

void DaemonImpl::summarize_drops(TimePoint now) {
  if (now < next_drop_summary_) return;
  next_drop_summary_ = now + kDropSummaryInterval;
  DropCounts drops = filter_.drops();
  drops.by_reason[static_cast<std::size_t>(DropReason::kMalformed)] +=
      counters_.dropped[DropReason::kMalformed];
  if (drops == drops_logged_ && rejected_ == rejected_logged_) return;
  std::string text;
  for (std::size_t i = 0; i < kDropReasons; ++i) {
    std::uint64_t n = drops.by_reason[i] - drops_logged_.by_reason[i];
    if (n > 0)
      text += (text.empty() ? "" : ", ") + std::to_string(n) + " " +
              to_string(static_cast<DropReason>(i));
  }
  if (!text.empty())
    log_("transport: dropped " + text + " in the last " +
         std::to_string(kDropSummaryInterval.count()) + " s (the last from " + last_drop_from_ +
         ")");
  if (rejected_ != rejected_logged_)
    log_("membership: rejected " + std::to_string(rejected_ - rejected_logged_) +
         " authenticated datagrams in the last " + std::to_string(kDropSummaryInterval.count()) +
         " s (the last: " + last_rejection_ + ")");
  drops_logged_ = drops;
  rejected_logged_ = rejected_;
}

void DaemonImpl::notify_observer(const MembershipStatus& status) {
  if (!observer_) return;
  observer_(status);
  next_heartbeat_ = monotonic_now() + kObserverHeartbeat;
}

void DaemonImpl::write_status() {
  status_dirty_ = false;
  MembershipStatus s = build_status();
  drops_written_ = filter_.drops();
  rejected_written_ = rejected_;
  if (cpg_) groups_written_ = cpg_->groups().view_changes();
  if (auto r = state_.write(kStatusFile, to_json(s), false); !r)
    log_("membership: cannot write the status file: " + r.error().message);
  notify_observer(s);
}

MembershipStatus DaemonImpl::build_status() {
  MembershipStatus s;
  s.pid = ::getpid();
  s.cluster_name = setup_.cluster_name;
  s.node_id = setup_.self;
  s.state = to_string(machine_.totem().state());
  s.ring_representative = machine_.totem().ring().representative;
  s.ring_sequence = machine_.totem().ring().sequence;
  const membership::Votequorum& q = machine_.quorum();
  for (membership::NodeId id : q.members()) {
    auto votes = setup_.config.quorum.votes.find(id);
    auto peer = setup_.nodes.find(id);
    s.members.push_back(
        MemberStatus{id, votes == setup_.config.quorum.votes.end() ? 0 : votes->second,
                     peer == setup_.nodes.end() ? std::to_string(id) : peer->second.name});
  }
  s.quorate = q.quorate();
  s.expected_votes = q.expected_votes();
  s.highest_expected = q.expected_votes();
  s.total_votes = q.total_votes();
  s.quorum = q.quorum();
  const membership::QuorumConfig& qc = setup_.config.quorum;
  if (qc.two_node) s.flags.push_back("2Node");
  if (s.quorate) s.flags.push_back("Quorate");
  if (qc.wait_for_all) s.flags.push_back("WaitForAll");
  if (qc.last_man_standing) s.flags.push_back("LastManStanding");
  if (qc.tie_breaker != membership::TieBreakerMode::kNone) s.flags.push_back("AutoTieBreaker");
  s.transport = counters_;
  s.transport.accepted = filter_.accepted();
  s.transport.dropped = filter_.drops();
  s.transport.dropped.by_reason[static_cast<std::size_t>(DropReason::kMalformed)] +=
      counters_.dropped[DropReason::kMalformed];
  s.transport.rejected = rejected_;
  s.local_address = setup_.local.host();
  s.link_timeout_ms = std::chrono::duration_cast<std::chrono::milliseconds>(kLinkTimeout).count();
  s.max_clock_offset_us = alarms_.bound_us();
  std::chrono::microseconds now = since_epoch(monotonic_now());
  std::int64_t now_unix_ms = unix_ms();
  for (std::uint32_t peer : peers_) {
    const Peer& node = setup_.nodes.at(peer);
    LinkStatus link{peer, node.name, node.endpoint.to_string(), links_.connected(peer, now), {}};
    if (auto heard = links_.last_heard(peer))
      link.last_heard_unix_ms =
          now_unix_ms - std::chrono::duration_cast<std::chrono::milliseconds>(now - *heard).count();
    s.links.push_back(std::move(link));
    ClockStatus clock{peer, node.name, {}, {}, {}, 0, false};
    if (auto estimate = clock_.estimate(peer)) {
      clock.offset_us = estimate->best.offset_us;
      clock.delay_us = estimate->best.delay_us;
      clock.measured_unix_ms = estimate->best.at_us / 1000;
      clock.samples = estimate->samples;
      clock.exceeds = alarms_.exceeds(*estimate);
    }
    s.clock.push_back(std::move(clock));
  }
  if (cpg_) {
    s.groups.emplace();
    for (const auto& [name, members] : cpg_->groups().all_members()) {
      GroupStatus group{name, {}};
      for (const groups::Member& m : members) group.members.push_back({m.id.node, m.pid});
      s.groups->push_back(std::move(group));
    }
  }
  s.updated_unix_ms = now_unix_ms;
  return s;
}

}  // namespace

Result<std::unique_ptr<Daemon>> Daemon::start(NodeSetup setup, StateDir state, LogLine log,
                                              DaemonOptions options, StatusObserver observer) {
  auto ring_seq = state.read_number(kRingSeqFile);
  if (!ring_seq) return fail(ring_seq.error().message);
  auto persisted_epoch = state.read_number(kSendEpochFile);
  if (!persisted_epoch) return fail(persisted_epoch.error().message);
  std::optional<std::uint32_t> previous;
  if (*persisted_epoch) {
    if (**persisted_epoch > 0xffffffffULL)
      return fail(state.file(kSendEpochFile) + ": " + std::to_string(**persisted_epoch) +
                  " is not an epoch; the file is damaged");
    previous = static_cast<std::uint32_t>(**persisted_epoch);
  }
  std::uint32_t epoch = next_epoch(previous, unix_ms() / 1000);
  if (auto r = state.write_number(kSendEpochFile, epoch); !r)
    return fail("cannot persist the send epoch: " + r.error().message);
  auto socket = UdpSocket::bind(setup.local);
  if (!socket) return fail(socket.error().message);
  std::unique_ptr<groups::CpgServer> cpg;
  if (!options.cpg_socket.empty()) {
    auto server = groups::CpgServer::open(options.cpg_socket, setup.self, log);
    if (!server) return fail("process groups: " + server.error().message);
    cpg = std::move(*server);
  }
  for (const std::string& note : setup.notes) log(note);
  return std::unique_ptr<Daemon>(std::make_unique<DaemonImpl>(
      std::move(setup), std::move(state), std::move(log), std::move(observer), std::move(*socket),
      epoch, ring_seq->value_or(0), options, std::move(cpg)));
}

}  // namespace tandem::transport
