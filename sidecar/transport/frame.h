#pragma once

// The frame around every membership datagram on the wire: who sent it, for
// which cluster, a per-sender counter against replays, and the crypto
// corosync.conf asks for (crypto_hash sha256: an HMAC-SHA-256 over the
// whole frame; crypto_cipher aes256: the payload encrypted with
// AES-256-GCM, then the HMAC over the ciphertext). Pure: no I/O, no clock.
//
//   offset  size  field
//        0     2  "TF" (Tandem frame)
//        2     1  version, 1
//        3     1  mode: bit 0 HMAC-SHA-256, bit 1 AES-256-GCM
//        4     8  cluster id: the first 8 bytes of SHA-256 of the cluster name
//       12     4  sender node id, little-endian
//       16     8  counter, little-endian, never 0
//       24     n  payload, or with AES-256-GCM the ciphertext and its 16-byte tag
//   24 + n    32  with HMAC-SHA-256: the HMAC of bytes 0 .. 24 + n
//
// The GCM nonce is the sender id and the counter: never reused as long as a
// sender never reuses a counter (send_counter.h). Both keys are derived from
// the authkey, one per purpose.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/core/result.h"
#include "common/model/cluster.h"
#include "sidecar/transport/authkey.h"

namespace tandem::transport {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::size_t kFrameHeaderSize = 24;
inline constexpr std::size_t kMacSize = 32;
inline constexpr std::size_t kGcmTagSize = 16;
// The largest datagram the transport sends or accepts (IPv4's UDP limit).
inline constexpr std::size_t kMaxFrameSize = 65507;

struct CryptoSettings {
  model::CryptoCipher cipher = model::CryptoCipher::kNone;
  model::CryptoHash hash = model::CryptoHash::kNone;

  bool needs_key() const {
    return cipher != model::CryptoCipher::kNone || hash != model::CryptoHash::kNone;
  }
};

// Rejects encryption without authentication, as corosync does.
Result<CryptoSettings> crypto_settings(const model::Crypto& crypto);

// Why a frame was not accepted; each is counted separately.
enum class DropReason : std::uint8_t {
  kMalformed,       // too short, wrong magic or version, truncated
  kCryptoMismatch,  // the sender uses other crypto settings
  kWrongCluster,    // for another cluster name
  kBadMac,          // authentication or decryption failed: another key, or tampering
  kUnknownNode,     // the sender's node id is not in the nodelist, or is this node's
  kWrongAddress,    // the node id does not match the address it came from
  kReplayed,        // a counter this node has already accepted, or too old to tell
};
inline constexpr std::size_t kDropReasons = 7;
const char* to_string(DropReason reason);
// The reason in snake_case ("bad_mac"), as the status file and /metrics
// name it.
const char* drop_reason_key(DropReason reason);

struct OpenedFrame {
  std::uint32_t sender = 0;
  std::uint64_t counter = 0;
  Bytes payload;
};

class FrameCodec {
 public:
  // `key` is required when the settings authenticate or encrypt.
  static Result<FrameCodec> make(CryptoSettings settings, const AuthKey* key,
                                 const std::string& cluster_name);

  FrameCodec(const FrameCodec&) = delete;
  FrameCodec& operator=(const FrameCodec&) = delete;
  FrameCodec(FrameCodec&& other) noexcept;
  FrameCodec& operator=(FrameCodec&& other) noexcept;
  ~FrameCodec();

  // Fails only when the payload is too large or OpenSSL fails.
  Result<Bytes> seal(std::uint32_t sender, std::uint64_t counter,
                     std::span<const std::uint8_t> payload) const;
  // Checks everything the frame itself can prove; the caller checks the
  // sender against the nodelist and the counter against replays.
  tl::expected<OpenedFrame, DropReason> open(std::span<const std::uint8_t> frame) const;

  std::size_t overhead() const;
  const CryptoSettings& settings() const { return settings_; }

 private:
  FrameCodec() = default;
  void wipe();

  CryptoSettings settings_;
  std::uint8_t mode_ = 0;
  std::array<std::uint8_t, 8> cluster_id_{};
  std::array<std::uint8_t, 32> mac_key_{};
  std::array<std::uint8_t, 32> cipher_key_{};
};

}  // namespace tandem::transport
