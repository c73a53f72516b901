#include "sidecar/transport/clock_estimator.h"

namespace tandem::transport {
namespace {

bool in_range(std::int64_t t) {
  return t >= -kMaxClockTimestamp && t <= kMaxClockTimestamp;
}

}  // namespace

ClockEstimator::ClockEstimator(std::span<const std::uint32_t> peers, std::uint64_t first_id)
    : next_id_(first_id == 0 ? 1 : first_id) {
  for (std::uint32_t peer : peers) peers_.emplace(peer, PeerClock{});
}

std::optional<ClockProbe> ClockEstimator::start_probe(std::uint32_t peer, std::int64_t now_us) {
  auto it = peers_.find(peer);
  if (it == peers_.end() || !in_range(now_us)) return std::nullopt;
  std::uint64_t id = next_id_++;
  if (next_id_ == 0) next_id_ = 1;
  it->second.outstanding = Outstanding{id, now_us};
  return ClockProbe{ClockProbeKind::kRequest, id, now_us, 0, 0};
}

bool ClockEstimator::on_reply(std::uint32_t peer, const ClockProbe& reply, std::int64_t t4_us) {
  auto it = peers_.find(peer);
  if (it == peers_.end() || reply.kind != ClockProbeKind::kReply) return false;
  std::optional<Outstanding>& outstanding = it->second.outstanding;
  if (!outstanding || outstanding->id != reply.id || outstanding->t1 != reply.t1) return false;
  // One sample per probe, whatever else arrives for it.
  outstanding.reset();
  // Every time is within ±2^60, so no sum or difference below overflows.
  if (!in_range(reply.t1) || !in_range(reply.t2) || !in_range(reply.t3) || !in_range(t4_us))
    return false;
  std::int64_t round_trip = t4_us - reply.t1;
  std::int64_t held = reply.t3 - reply.t2;
  // A clock stepped back during the probe, or a peer that answers before
  // it was asked: no sample can be trusted from it.
  if (round_trip < 0 || held < 0 || held > round_trip) return false;
  ClockSample sample;
  sample.offset_us = ((reply.t2 - reply.t1) + (reply.t3 - t4_us)) / 2;
  sample.delay_us = round_trip - held;
  sample.at_us = t4_us;
  std::deque<ClockSample>& window = it->second.window;
  window.push_back(sample);
  if (window.size() > kClockWindow) window.pop_front();
  return true;
}

std::optional<ClockEstimate> ClockEstimator::estimate(std::uint32_t peer) const {
  auto it = peers_.find(peer);
  if (it == peers_.end() || it->second.window.empty()) return std::nullopt;
  ClockEstimate out;
  out.samples = it->second.window.size();
  out.best = it->second.window.front();
  // The newest of equally good samples.
  for (const ClockSample& sample : it->second.window)
    if (sample.delay_us <= out.best.delay_us) out.best = sample;
  return out;
}

bool ClockAlarms::exceeds(const ClockEstimate& estimate) const {
  if (bound_us_ <= 0) return false;
  std::int64_t offset = estimate.best.offset_us;
  return offset > bound_us_ || offset < -bound_us_;
}

ClockAlarm ClockAlarms::update(std::uint32_t peer, const ClockEstimate& estimate) {
  if (!raised(peer)) {
    if (!exceeds(estimate)) return ClockAlarm::kUnchanged;
    raised_.insert(peer);
    return ClockAlarm::kRaised;
  }
  std::int64_t offset = estimate.best.offset_us;
  std::int64_t clear_below = bound_us_ - bound_us_ / 10;
  if (bound_us_ > 0 && (offset >= clear_below || offset <= -clear_below))
    return ClockAlarm::kUnchanged;
  raised_.erase(peer);
  return ClockAlarm::kCleared;
}

}  // namespace tandem::transport
