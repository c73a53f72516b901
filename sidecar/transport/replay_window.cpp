#include "sidecar/transport/replay_window.h"

namespace tandem::transport {

bool ReplayWindow::fresh(std::uint64_t counter) const {
  if (counter == 0) return false;
  if (counter > highest_) return true;
  std::uint64_t age = highest_ - counter;
  if (age >= kSize) return false;
  return ((seen_ >> age) & 1U) == 0;
}

void ReplayWindow::accept(std::uint64_t counter) {
  if (counter > highest_) {
    std::uint64_t shift = counter - highest_;
    seen_ = shift >= kSize ? 0 : seen_ << shift;
    seen_ |= 1U;
    highest_ = counter;
    return;
  }
  std::uint64_t age = highest_ - counter;
  if (age < kSize) seen_ |= std::uint64_t{1} << age;
}

}  // namespace tandem::transport
