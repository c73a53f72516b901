#pragma once

// The counter a node puts on every datagram it sends: strictly increasing
// for the life of the node's state directory, across restarts, so that
// peers can reject replays and the AES-GCM nonce (sender id + counter) is
// never reused. The high 32 bits are an epoch the adapter persists before
// the first datagram of the epoch leaves (send_state.h); the low 32 bits
// count datagrams within it. Pure.

#include <cstdint>
#include <optional>

namespace tandem::transport {

// The epoch to start with: one past the persisted one, and never below the
// wall clock's seconds, so that a node whose state directory was lost still
// starts above what its peers remember (as long as its clock is right).
std::uint32_t next_epoch(std::optional<std::uint32_t> persisted, std::int64_t unix_seconds);

class SendCounter {
 public:
  explicit SendCounter(std::uint32_t epoch) : epoch_(epoch) {}

  // The next counter, or nullopt when this epoch is used up (2^32 - 1
  // datagrams): the caller persists epoch() + 1 and calls advance_epoch().
  std::optional<std::uint64_t> next();
  // False when no epoch is left (the year 2106, or a corrupt epoch file).
  bool advance_epoch();
  std::uint32_t epoch() const { return epoch_; }

 private:
  std::uint32_t epoch_;
  std::uint32_t count_ = 0;
};

}  // namespace tandem::transport
