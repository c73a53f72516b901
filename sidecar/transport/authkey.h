#pragma once

// The shared key every node of a cluster holds: corosync's authkey file.
// corosync-keygen writes raw random bytes (256 by default, 128 to 4096 with
// -s) and nothing else; corosync reads the file whole. So a key is a file of
// 128 to 4096 bytes, and any corosync-keygen key works here unchanged.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/core/result.h"

namespace tandem::transport {

inline constexpr std::size_t kMinAuthKeySize = 128;
inline constexpr std::size_t kMaxAuthKeySize = 4096;

// The key bytes, wiped from memory when the key goes away.
class AuthKey {
 public:
  AuthKey() = default;
  explicit AuthKey(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  AuthKey(const AuthKey& other) = default;
  AuthKey& operator=(const AuthKey& other);
  AuthKey(AuthKey&& other) noexcept = default;
  AuthKey& operator=(AuthKey&& other) noexcept;
  ~AuthKey();

  std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  void wipe();
  std::vector<std::uint8_t> bytes_;
};

// Checks the size; `file` names the key in the message.
Result<AuthKey> parse_authkey(std::span<const std::uint8_t> bytes, const std::string& file);

struct LoadedKey {
  AuthKey key;
  // Set when others than the owner may read the file (corosync-keygen
  // makes it 0400): a line for the log, not a reason to refuse.
  std::optional<std::string> warning;
};

// Reads a regular file of at most kMaxAuthKeySize bytes.
Result<LoadedKey> load_authkey(const std::string& path);

}  // namespace tandem::transport
