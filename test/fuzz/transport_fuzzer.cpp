// Fuzzes the transport's frame decoder and receive filter (frame.h,
// receive_filter.h) in each crypto mode.
//
// The first byte, modulo 4, picks what the rest is:
//   0, 2: raw bytes to three filters (no crypto, HMAC, HMAC + AES-GCM) from
//      node 2's address;
//   1: a genuine frame sealed from the fuzzed sender, counter and payload,
//      with one fuzzed byte changed, then a replay of it;
//   3: a clock probe (clock_probe.h): the bytes decoded as one, sealed and
//      opened as the daemon does, and fed to the clock estimator as the
//      reply to the probe it has outstanding (or to none).
// Beyond "no crash, hang or sanitizer report": a genuine frame opens to
// exactly what was sealed, once; a changed authenticated frame never
// opens; an accepted raw frame re-seals to the same bytes; a probe decodes
// only from what encode() writes; and a sample's round trip is never
// negative nor its offset beyond the timestamps' range.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/core/assert.h"
#include "sidecar/transport/clock_estimator.h"
#include "sidecar/transport/clock_probe.h"
#include "sidecar/transport/receive_filter.h"

namespace {

using namespace tandem::transport;
using tandem::model::CryptoCipher;
using tandem::model::CryptoHash;

const std::vector<std::uint32_t> kNodes{1, 2, 3, 70000};

FrameCodec make_codec(CryptoSettings settings) {
  AuthKey key(std::vector<std::uint8_t>(256, 0x5a));
  auto codec = FrameCodec::make(settings, &key, "fuzz");
  TANDEM_ASSERT(codec.has_value(), "the fuzzer's codec");
  return std::move(*codec);
}

const CryptoSettings kModes[] = {{CryptoCipher::kNone, CryptoHash::kNone},
                                 {CryptoCipher::kNone, CryptoHash::kSha256},
                                 {CryptoCipher::kAes256, CryptoHash::kSha256}};

std::uint64_t read64(std::span<const std::uint8_t> bytes, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && at + i < bytes.size(); ++i)
    v |= std::uint64_t{bytes[at + i]} << (8 * i);
  return v;
}

void raw(std::span<const std::uint8_t> bytes) {
  for (const CryptoSettings& mode : kModes) {
    ReceiveFilter filter(make_codec(mode), kNodes, 1);
    auto accepted = filter.accept(bytes, 2);
    if (!accepted) continue;
    TANDEM_ASSERT(mode.hash == CryptoHash::kNone, "a forged frame passed authentication");
    auto again = filter.codec().seal(accepted->sender, read64(bytes, 16), accepted->payload);
    TANDEM_ASSERT(again.has_value(), "an accepted frame re-seals");
    TANDEM_ASSERT(std::equal(again->begin(), again->end(), bytes.begin(), bytes.end()),
                  "an accepted frame re-seals to the same bytes");
    TANDEM_ASSERT(!filter.accept(bytes, 2), "a replay is refused");
  }
}

void genuine(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 12) return;
  std::uint32_t sender = kNodes[bytes[0] % kNodes.size()];
  std::uint64_t counter = read64(bytes, 1);
  std::size_t flip_at = bytes[9] | (std::size_t{bytes[10]} << 8);
  std::uint8_t flip = bytes[11];
  std::span<const std::uint8_t> payload = bytes.subspan(12);
  for (const CryptoSettings& mode : kModes) {
    ReceiveFilter filter(make_codec(mode), kNodes, 1);
    auto frame = filter.codec().seal(sender, counter, payload);
    TANDEM_ASSERT(frame.has_value(), "a fuzzer-sized payload seals");
    std::vector<std::uint8_t> changed = *frame;
    flip_at %= changed.size();
    changed[flip_at] = static_cast<std::uint8_t>(changed[flip_at] ^ flip);
    auto forged = filter.accept(changed, sender);
    if (flip != 0 && mode.hash != CryptoHash::kNone)
      TANDEM_ASSERT(!forged.has_value(), "a changed authenticated frame was accepted");
    ReceiveFilter fresh(make_codec(mode), kNodes, 1);
    auto opened = fresh.accept(*frame, sender);
    bool should_open = sender != 1 && counter != 0;
    TANDEM_ASSERT(opened.has_value() == should_open, "a genuine frame opens exactly when valid");
    if (!opened) continue;
    TANDEM_ASSERT(opened->sender == sender, "the sender survives");
    TANDEM_ASSERT(
        std::equal(opened->payload.begin(), opened->payload.end(), payload.begin(), payload.end()),
        "the payload survives");
    TANDEM_ASSERT(!fresh.accept(*frame, sender), "a replay is refused");
  }
}

void clock_probe(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 10) return;
  // The first byte chooses how the reply relates to the outstanding probe;
  // the next eight are the arrival time t4; the rest is the payload.
  std::uint8_t how = bytes[0];
  auto t4 = static_cast<std::int64_t>(read64(bytes, 1));
  std::span<const std::uint8_t> payload = bytes.subspan(9);
  std::optional<ClockProbe> probe = decode_clock_probe(payload);
  if (probe) {
    std::vector<std::uint8_t> again = encode(*probe);
    TANDEM_ASSERT(std::equal(again.begin(), again.end(), payload.begin(), payload.end()),
                  "a probe decodes only from what encode writes");
  }
  // Through the frame codec and filter, as the daemon receives it.
  ReceiveFilter filter(make_codec(kModes[how % 3]), kNodes, 1);
  auto frame = filter.codec().seal(2, 1, payload);
  TANDEM_ASSERT(frame.has_value(), "a fuzzer-sized payload seals");
  auto accepted = filter.accept(*frame, 2);
  TANDEM_ASSERT(accepted.has_value(), "a genuine frame opens");
  TANDEM_ASSERT(is_clock_probe(accepted->payload) == is_clock_probe(payload),
                "the daemon tells probes from Totem after opening as before sealing");
  if (!probe) return;
  ClockEstimator clock(kNodes, 1);
  std::int64_t t1 = probe->t1;
  auto sent = clock.start_probe(2, t1);
  TANDEM_ASSERT(sent.has_value(), "a decoded timestamp is in range");
  ClockProbe reply = *probe;
  // Mostly make it answer the outstanding probe, to reach the arithmetic.
  if (how & 0x10) reply.id = sent->id;
  std::uint32_t from = (how & 0x20) ? 3 : 2;
  bool sampled = clock.on_reply(from, reply, t4);
  if (!sampled) return;
  TANDEM_ASSERT(from == 2 && reply.kind == ClockProbeKind::kReply && reply.id == sent->id,
                "only the reply to the outstanding probe is a sample");
  auto estimate = clock.estimate(2);
  TANDEM_ASSERT(estimate.has_value(), "a sample makes an estimate");
  TANDEM_ASSERT(estimate->best.delay_us >= 0, "a round trip is never negative");
  TANDEM_ASSERT(estimate->best.offset_us <= 2 * kMaxClockTimestamp &&
                    estimate->best.offset_us >= -2 * kMaxClockTimestamp,
                "an offset stays within the timestamps' range");
  TANDEM_ASSERT(!clock.on_reply(2, reply, t4), "a reply counts once");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::span<const std::uint8_t> bytes(data + 1, size - 1);
  switch (data[0] % 4) {
    case 1:
      genuine(bytes);
      break;
    case 3:
      clock_probe(bytes);
      break;
    default:
      raw(bytes);
  }
  return 0;
}
