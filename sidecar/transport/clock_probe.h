#pragma once

// The clock probe: a datagram between sidecars, sealed by the same frame
// codec as Totem's (so authenticated, and checked against replays and the
// nodelist), that the membership machine never sees. Its payload starts
// with "TC" where Totem's start with "TN", which is how the daemon tells
// them apart. Pure.
//
//   offset  size  field
//        0     2  "TC" (Tandem clock)
//        2     1  version, 1
//        3     1  kind: 1 request, 2 reply
//        4     8  probe id, never 0
//       12     8  t1: the requester's realtime when it sent the request
//       20     8  t2: the responder's realtime when the request arrived (0 in a request)
//       28     8  t3: the responder's realtime when it sent the reply (0 in a request)
//
// Times are microseconds since the Unix epoch, signed, little-endian. A
// request is as large as its reply, so answering one never amplifies
// traffic.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace tandem::transport {

inline constexpr std::size_t kClockProbeSize = 36;
// |t| beyond this (about 36,000 years) is refused: it keeps every sum and
// difference of four timestamps far from overflow.
inline constexpr std::int64_t kMaxClockTimestamp = std::int64_t{1} << 60;

enum class ClockProbeKind : std::uint8_t { kRequest = 1, kReply = 2 };

struct ClockProbe {
  ClockProbeKind kind = ClockProbeKind::kRequest;
  std::uint64_t id = 0;
  std::int64_t t1 = 0;
  std::int64_t t2 = 0;
  std::int64_t t3 = 0;

  friend bool operator==(const ClockProbe&, const ClockProbe&) = default;
};

// Whether an authenticated payload is a clock probe (rather than Totem).
bool is_clock_probe(std::span<const std::uint8_t> payload);

std::vector<std::uint8_t> encode(const ClockProbe& probe);
// nullopt for anything encode() would not have written: another size, an
// unknown kind, id 0, a request with reply times, a timestamp out of range.
std::optional<ClockProbe> decode_clock_probe(std::span<const std::uint8_t> payload);

// The reply to `request`: received at t2, sent at t3 (the responder's
// realtime). nullopt when the times are out of range.
std::optional<ClockProbe> reply_to(const ClockProbe& request, std::int64_t t2, std::int64_t t3);

}  // namespace tandem::transport
