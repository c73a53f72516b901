#pragma once

// Totem messages as bytes. Every datagram starts with an 8-byte header:
//
//   magic "TN" (2 bytes), version (1 byte), type (1 byte), sender node id (4 bytes)
//
// followed by the body of that type. Integers are little-endian; lists carry
// their length in front; there is no padding and nothing may follow the body.
// The encoding is canonical: decode(bytes) succeeds only for bytes that
// encode(decode(bytes)) reproduces exactly, and every field is checked against
// its bounds, so hostile input is refused with a message that names the field.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/core/result.h"
#include "sidecar/membership/messages.h"

namespace tandem::membership {

inline constexpr std::uint8_t kWireVersion = 1;
// The largest UDP payload over IPv4.
inline constexpr std::size_t kMaxDatagramSize = 65507;
// corosync's PROCESSOR_COUNT_MAX.
inline constexpr std::size_t kMaxMembers = 384;
inline constexpr std::size_t kMaxRetransmitRequests = 64;
inline constexpr std::size_t kMaxMemberInfoSize = 64;
// Application payloads travel in one datagram, with room left for the
// header of a recovered message.
inline constexpr std::size_t kMaxPayloadSize = 60000;

enum class MessageType : std::uint8_t {
  kJoin = 1,
  kCommitToken = 2,
  kToken = 3,
  kMcast = 4,
  kMergeDetect = 5,
  kTokenHoldCancel = 6,
};

std::vector<std::uint8_t> encode(const Message& message);
Result<Message> decode(std::span<const std::uint8_t> bytes);

}  // namespace tandem::membership
