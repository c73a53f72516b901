#include "sidecar/transport/clock_probe.h"

namespace tandem::transport {
namespace {

constexpr std::uint8_t kMagic0 = 'T';
constexpr std::uint8_t kMagic1 = 'C';
constexpr std::uint8_t kVersion = 1;

void put64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get64(std::span<const std::uint8_t> in, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 8; i > 0; --i) v = (v << 8) | in[at + i - 1];
  return v;
}

bool in_range(std::int64_t t) {
  return t >= -kMaxClockTimestamp && t <= kMaxClockTimestamp;
}

}  // namespace

bool is_clock_probe(std::span<const std::uint8_t> payload) {
  return payload.size() >= 2 && payload[0] == kMagic0 && payload[1] == kMagic1;
}

std::vector<std::uint8_t> encode(const ClockProbe& probe) {
  std::vector<std::uint8_t> out{kMagic0, kMagic1, kVersion, static_cast<std::uint8_t>(probe.kind)};
  out.reserve(kClockProbeSize);
  put64(out, probe.id);
  put64(out, static_cast<std::uint64_t>(probe.t1));
  put64(out, static_cast<std::uint64_t>(probe.t2));
  put64(out, static_cast<std::uint64_t>(probe.t3));
  return out;
}

std::optional<ClockProbe> decode_clock_probe(std::span<const std::uint8_t> payload) {
  if (payload.size() != kClockProbeSize || !is_clock_probe(payload) || payload[2] != kVersion)
    return std::nullopt;
  ClockProbe probe;
  if (payload[3] == static_cast<std::uint8_t>(ClockProbeKind::kRequest)) {
    probe.kind = ClockProbeKind::kRequest;
  } else if (payload[3] == static_cast<std::uint8_t>(ClockProbeKind::kReply)) {
    probe.kind = ClockProbeKind::kReply;
  } else {
    return std::nullopt;
  }
  probe.id = get64(payload, 4);
  probe.t1 = static_cast<std::int64_t>(get64(payload, 12));
  probe.t2 = static_cast<std::int64_t>(get64(payload, 20));
  probe.t3 = static_cast<std::int64_t>(get64(payload, 28));
  if (probe.id == 0 || !in_range(probe.t1) || !in_range(probe.t2) || !in_range(probe.t3))
    return std::nullopt;
  if (probe.kind == ClockProbeKind::kRequest && (probe.t2 != 0 || probe.t3 != 0))
    return std::nullopt;
  return probe;
}

std::optional<ClockProbe> reply_to(const ClockProbe& request, std::int64_t t2, std::int64_t t3) {
  if (request.kind != ClockProbeKind::kRequest || !in_range(t2) || !in_range(t3))
    return std::nullopt;
  return ClockProbe{ClockProbeKind::kReply, request.id, request.t1, t2, t3};
}

}  // namespace tandem::transport
