#include "sidecar/transport/authkey.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sidecar/transport/fd.h"

namespace tandem::transport {

AuthKey& AuthKey::operator=(const AuthKey& other) {
  if (this != &other) {
    wipe();
    bytes_ = other.bytes_;
  }
  return *this;
}

AuthKey& AuthKey::operator=(AuthKey&& other) noexcept {
  if (this != &other) {
    wipe();
    bytes_ = std::move(other.bytes_);
  }
  return *this;
}

AuthKey::~AuthKey() {
  wipe();
}

void AuthKey::wipe() {
  if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  bytes_.clear();
}

Result<AuthKey> parse_authkey(std::span<const std::uint8_t> bytes, const std::string& file) {
  if (bytes.size() < kMinAuthKeySize || bytes.size() > kMaxAuthKeySize)
    return fail(file + ": an authkey has " + std::to_string(kMinAuthKeySize) + " to " +
                std::to_string(kMaxAuthKeySize) + " bytes, this one has " +
                std::to_string(bytes.size()) + " (make one with corosync-keygen -k " + file + ")");
  return AuthKey(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

Result<LoadedKey> load_authkey(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0)
    return fail(path + ": cannot open the authkey: " + std::strerror(errno) +
                " (make one with corosync-keygen -k " + path + ")");
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return fail(path + ": cannot read the authkey: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return fail(path + ": the authkey is not a regular file");
  std::vector<std::uint8_t> bytes(kMaxAuthKeySize + 1);
  std::size_t have = 0;
  // Bounded: at most kMaxAuthKeySize + 1 bytes, each read makes progress or
  // ends the loop.
  while (have < bytes.size()) {
    ssize_t n = ::read(fd.get(), bytes.data() + have, bytes.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      OPENSSL_cleanse(bytes.data(), bytes.size());
      return fail(path + ": cannot read the authkey: " + std::strerror(errno));
    }
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  Result<AuthKey> key = parse_authkey(std::span(bytes).first(have), path);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  if (!key) return tl::unexpected(key.error());
  LoadedKey loaded{std::move(*key), std::nullopt};
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    loaded.warning = path + ": the authkey may be read by others than its owner (mode " +
                     std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) +
                     std::to_string(st.st_mode & 7) + "); corosync-keygen makes it 0400";
  return loaded;
}

}  // namespace tandem::transport
