#pragma once

// The protocol's timers as deadlines. Nothing fires by itself: tick(now)
// asks which deadlines have passed. Ties fire in the order of TimerKind, so
// a run is reproducible.

#include <array>
#include <cstdint>
#include <optional>

#include "sidecar/membership/types.h"

namespace tandem::membership {

enum class TimerKind : std::uint8_t {
  kToken,            // token loss (Operational, Commit, Recovery)
  kTokenRetransmit,  // resend the last token sent
  kHold,             // release a token held on an idle ring
  kConsensus,        // Gather: give up on the nodes that have not agreed
  kJoin,             // Gather: resend the join message
  kSendJoin,         // Gather: send a join after send_join's random delay
  kMerge,            // Operational representative: announce the ring
  kDowncheck,        // look at the network interface again
  kCount,
};

class Timers {
 public:
  void arm(TimerKind kind, TimePoint at) { deadlines_[index(kind)] = at; }
  void cancel(TimerKind kind) { deadlines_[index(kind)].reset(); }
  bool armed(TimerKind kind) const { return deadlines_[index(kind)].has_value(); }
  std::optional<TimePoint> deadline(TimerKind kind) const { return deadlines_[index(kind)]; }

  // The expired timer with the earliest deadline, if any.
  std::optional<TimerKind> next_expired(TimePoint now) const;
  std::optional<TimePoint> next_deadline() const;

 private:
  static std::size_t index(TimerKind kind) { return static_cast<std::size_t>(kind); }
  std::array<std::optional<TimePoint>, static_cast<std::size_t>(TimerKind::kCount)> deadlines_{};
};

}  // namespace tandem::membership
