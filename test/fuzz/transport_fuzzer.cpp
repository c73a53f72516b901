// Fuzzes the transport's frame decoder and receive filter (frame.h,
// receive_filter.h) in each crypto mode.
//
// The first byte picks what the rest is:
//   0: raw bytes to three filters (no crypto, HMAC, HMAC + AES-GCM) from
//      node 2's address;
//   1: a genuine frame sealed from the fuzzed sender, counter and payload,
//      with one fuzzed byte changed, then a replay of it.
// Beyond "no crash, hang or sanitizer report": a genuine frame opens to
// exactly what was sealed, once; a changed authenticated frame never
// opens; and an accepted raw frame re-seals to the same bytes.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/core/assert.h"
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::span<const std::uint8_t> bytes(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    raw(bytes);
  } else {
    genuine(bytes);
  }
  return 0;
}
