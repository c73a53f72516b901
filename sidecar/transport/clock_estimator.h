#pragma once

// Estimates each peer's clock offset from clock probes, as NTP does: the
// requester sends t1, the peer stamps arrival t2 and departure t3, the
// reply arrives at t4, and
//
//   offset = ((t2 - t1) + (t3 - t4)) / 2   (the peer's clock minus ours)
//   delay  = (t4 - t1) - (t3 - t2)         (the round trip on the wire)
//
// The true offset lies within delay / 2 of the estimate, so of the last
// few samples the one with the smallest delay is reported. Pure: times are
// given, in microseconds of realtime (since the Unix epoch).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <span>

#include "sidecar/transport/clock_probe.h"

namespace tandem::transport {

// Samples kept per peer: a window long enough to ride out a few delayed
// replies, short enough to follow a clock that is stepped.
inline constexpr std::size_t kClockWindow = 8;

struct ClockSample {
  std::int64_t offset_us = 0;
  std::int64_t delay_us = 0;
  std::int64_t at_us = 0;  // t4: when the reply arrived, our realtime

  friend bool operator==(const ClockSample&, const ClockSample&) = default;
};

struct ClockEstimate {
  ClockSample best;         // the sample with the smallest delay in the window
  std::size_t samples = 0;  // how many the window holds
};

class ClockEstimator {
 public:
  // `peers`: the nodes to estimate (the nodelist without this node).
  // `first_id`: where probe ids start (random, so a reply meant for an
  // earlier run of this node cannot match).
  ClockEstimator(std::span<const std::uint32_t> peers, std::uint64_t first_id);

  // The request to send to `peer` now; it replaces the probe outstanding to
  // that peer, whose reply is then ignored. nullopt for an unknown peer or a
  // time out of range.
  std::optional<ClockProbe> start_probe(std::uint32_t peer, std::int64_t now_us);

  // A reply from `peer` that arrived at `t4_us`. Counted only when it
  // answers the probe outstanding to that peer (id and t1), once, and its
  // times are consistent (neither the round trip nor the peer's holding
  // time is negative). Returns whether it became a sample.
  bool on_reply(std::uint32_t peer, const ClockProbe& reply, std::int64_t t4_us);

  std::optional<ClockEstimate> estimate(std::uint32_t peer) const;

 private:
  struct Outstanding {
    std::uint64_t id = 0;
    std::int64_t t1 = 0;
  };
  struct PeerClock {
    std::optional<Outstanding> outstanding;
    std::deque<ClockSample> window;
  };

  std::map<std::uint32_t, PeerClock> peers_;
  std::uint64_t next_id_;
};

// Whether a peer's estimated offset is beyond the bound, remembered per
// peer so the log says it once when it happens and once when it ends. It
// ends only below 90 % of the bound, so an offset hovering at the bound
// does not fill the log.
enum class ClockAlarm : std::uint8_t { kUnchanged, kRaised, kCleared };

class ClockAlarms {
 public:
  // `bound_us` 0 turns the alarms off.
  explicit ClockAlarms(std::int64_t bound_us) : bound_us_(bound_us) {}

  ClockAlarm update(std::uint32_t peer, const ClockEstimate& estimate);
  bool exceeds(const ClockEstimate& estimate) const;
  bool raised(std::uint32_t peer) const { return raised_.contains(peer); }
  std::int64_t bound_us() const { return bound_us_; }

 private:
  std::int64_t bound_us_;
  std::set<std::uint32_t> raised_;
};

}  // namespace tandem::transport
