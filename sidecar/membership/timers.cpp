#include "sidecar/membership/timers.h"

namespace tandem::membership {

std::optional<TimerKind> Timers::next_expired(TimePoint now) const {
  std::optional<TimerKind> best;
  for (std::size_t i = 0; i < deadlines_.size(); ++i) {
    if (!deadlines_[i] || *deadlines_[i] > now) continue;
    if (!best || *deadlines_[i] < *deadlines_[index(*best)]) best = static_cast<TimerKind>(i);
  }
  return best;
}

std::optional<TimePoint> Timers::next_deadline() const {
  std::optional<TimePoint> best;
  for (const auto& deadline : deadlines_) {
    if (deadline && (!best || *deadline < *best)) best = deadline;
  }
  return best;
}

}  // namespace tandem::membership
