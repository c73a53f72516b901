#include "sidecar/transport/udp_socket.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <netinet/in.h>
#include <unistd.h>

namespace tandem::transport {

Result<UdpSocket> UdpSocket::bind(const Endpoint& local) {
  int fd = ::socket(local.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail(std::string("cannot open a UDP socket: ") + std::strerror(errno));
  UdpSocket sock(fd);
  if (local.family() == AF_INET6) {
    int only = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
  }
  // Room for bursts of joins from large rings.
  int size = 1 << 21;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&local.address), local.length) != 0)
    return fail("cannot bind UDP " + local.to_string() + ": " + std::strerror(errno) +
                (errno == EADDRINUSE ? " (is another corosync or tandem-sidecar running?)" : ""));
  return sock;
}

UdpSocket::UdpSocket(UdpSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

UdpSocket& UdpSocket::operator=(UdpSocket&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UdpSocket::~UdpSocket() {
  if (fd_ >= 0) ::close(fd_);
}

Result<void> UdpSocket::send(const Endpoint& to, std::span<const std::uint8_t> bytes) {
  // Bounded: EINTR is retried a few times at most.
  for (int attempt = 0; attempt < 4; ++attempt) {
    ssize_t n = ::sendto(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT,
                         reinterpret_cast<const sockaddr*>(&to.address), to.length);
    if (n >= 0) return {};
    if (errno != EINTR) break;
  }
  return fail("send to " + to.to_string() + ": " + std::strerror(errno));
}

Result<std::optional<Received>> UdpSocket::receive(std::span<std::uint8_t> buffer) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    Received r;
    socklen_t length = sizeof r.from.address;
    ssize_t n = ::recvfrom(fd_, buffer.data(), buffer.size(), MSG_TRUNC | MSG_DONTWAIT,
                           reinterpret_cast<sockaddr*>(&r.from.address), &length);
    if (n >= 0) {
      r.from.length = length;
      r.truncated = static_cast<std::size_t>(n) > buffer.size();
      r.size = r.truncated ? buffer.size() : static_cast<std::size_t>(n);
      return std::optional<Received>(r);
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return std::optional<Received>();
    // ICMP errors from earlier sends surface here on Linux; they say
    // nothing about this datagram.
    if (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH) continue;
    if (errno != EINTR) break;
  }
  if (errno == EINTR || errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH)
    return std::optional<Received>();
  return fail(std::string("receive: ") + std::strerror(errno));
}

}  // namespace tandem::transport
