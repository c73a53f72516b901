#pragma once

// One non-blocking UDP socket bound to this node's address and the
// cluster's port: every datagram to and from the other nodes goes through
// it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/core/result.h"
#include "sidecar/transport/endpoint.h"

namespace tandem::transport {

struct Received {
  Endpoint from;
  std::size_t size = 0;
  bool truncated = false;  // larger than the buffer: dropped as malformed
};

class UdpSocket {
 public:
  static Result<UdpSocket> bind(const Endpoint& local);

  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;
  UdpSocket(UdpSocket&& other) noexcept;
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  ~UdpSocket();

  int fd() const { return fd_; }
  // Fails with the reason (the caller counts and logs it; a peer that is
  // down makes sends fail with ECONNREFUSED or EHOSTUNREACH).
  Result<void> send(const Endpoint& to, std::span<const std::uint8_t> bytes);
  // nullopt when nothing is waiting.
  Result<std::optional<Received>> receive(std::span<std::uint8_t> buffer);

 private:
  explicit UdpSocket(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace tandem::transport
