#pragma once

// UDP endpoints: the nodelist's addresses (ring0_addr: IPv4, IPv6 or a host
// name) with the cluster's port, and this machine's own addresses, which
// tell which node of the nodelist this one is.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sys/socket.h>

#include "common/core/result.h"

namespace tandem::transport {

struct Endpoint {
  sockaddr_storage address{};
  socklen_t length = 0;

  int family() const { return address.ss_family; }
  // "10.0.0.1:5405", "[fd00::1]:5405"
  std::string to_string() const;
  // The address alone: "10.0.0.1", "fd00::1" (corosync-cfgtool's "addr").
  std::string host() const;
  // The same host, whatever the port.
  bool same_host(const Endpoint& other) const;
};

// Numeric addresses directly; a host name through the resolver (once, at
// start). `what` names the address in messages ("node 2's ring0_addr").
Result<Endpoint> resolve(const std::string& address, std::uint16_t port, const std::string& what);

// From a received datagram.
Endpoint endpoint_of(const sockaddr_storage& address, socklen_t length);

// The addresses of this machine's interfaces (port 0).
Result<std::vector<Endpoint>> local_addresses();

}  // namespace tandem::transport
