#include "sidecar/transport/send_counter.h"

#include <algorithm>
#include <limits>

namespace tandem::transport {

std::uint32_t next_epoch(std::optional<std::uint32_t> persisted, std::int64_t unix_seconds) {
  constexpr std::uint32_t kMax = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t from_clock =
      static_cast<std::uint32_t>(std::clamp<std::int64_t>(unix_seconds, 1, kMax - 1));
  std::uint32_t from_disk = persisted ? (*persisted == kMax ? kMax : *persisted + 1) : 1;
  return std::max(from_clock, from_disk);
}

std::optional<std::uint64_t> SendCounter::next() {
  if (count_ == std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  ++count_;
  return (std::uint64_t{epoch_} << 32) | count_;
}

bool SendCounter::advance_epoch() {
  if (epoch_ == std::numeric_limits<std::uint32_t>::max()) return false;
  ++epoch_;
  count_ = 0;
  return true;
}

}  // namespace tandem::transport
