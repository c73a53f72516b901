#pragma once

// The vocabulary of the membership protocol: node ids, ring ids, sets of
// nodes and the injected notion of time. Pure: nothing here reads a clock.

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

namespace tandem::membership {

// corosync.conf's nodeid: 32 bits, 0 is reserved.
using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = 0;

// A monotonic clock that cannot be read: adapters pass "now" in, the
// simulator passes simulated time. Microseconds so that simulated network
// delays below a millisecond keep their order.
struct MonotonicClock {
  using rep = std::int64_t;
  using period = std::micro;
  using duration = std::chrono::microseconds;
  using time_point = std::chrono::time_point<MonotonicClock>;
  static constexpr bool is_steady = true;
};
using TimePoint = MonotonicClock::time_point;
using Micros = std::chrono::microseconds;

// A ring is named by its representative (the lowest node id in it, which
// created it) and a sequence number that grows with every ring the
// representative creates, across restarts. Corosync prints it as "rep.seq".
struct RingId {
  NodeId representative = kNoNode;
  std::uint64_t sequence = 0;

  friend auto operator<=>(const RingId&, const RingId&) = default;
};
std::string to_string(RingId ring);

// Agreed messages are delivered in the total order as soon as every earlier
// message has been; safe messages wait until every member of the ring is
// known to have received them.
enum class Guarantee : std::uint8_t { kAgreed = 1, kSafe = 2 };
const char* to_string(Guarantee guarantee);

// The paper's four states.
enum class State : std::uint8_t { kOperational, kGather, kCommit, kRecovery };
const char* to_string(State state);

}  // namespace tandem::membership
