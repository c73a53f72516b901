#include "sidecar/transport/endpoint.h"

#include <cstring>
#include <memory>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>

namespace tandem::transport {

std::string Endpoint::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(address);
    ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    return std::string(text) + ":" + std::to_string(ntohs(in.sin_port));
  }
  if (family() == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(address);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    return "[" + std::string(text) + "]:" + std::to_string(ntohs(in6.sin6_port));
  }
  return "(address family " + std::to_string(family()) + ")";
}

std::string Endpoint::host() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET)
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(address).sin_addr, text,
                sizeof text);
  else if (family() == AF_INET6)
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(address).sin6_addr, text,
                sizeof text);
  else
    return "(address family " + std::to_string(family()) + ")";
  return text;
}

bool Endpoint::same_host(const Endpoint& other) const {
  if (family() != other.family()) return false;
  if (family() == AF_INET)
    return reinterpret_cast<const sockaddr_in&>(address).sin_addr.s_addr ==
           reinterpret_cast<const sockaddr_in&>(other.address).sin_addr.s_addr;
  if (family() == AF_INET6)
    return std::memcmp(&reinterpret_cast<const sockaddr_in6&>(address).sin6_addr,
                       &reinterpret_cast<const sockaddr_in6&>(other.address).sin6_addr,
                       sizeof(in6_addr)) == 0;
  return false;
}

namespace {

struct AddrInfoFree {
  void operator()(addrinfo* info) const { ::freeaddrinfo(info); }
};

}  // namespace

Result<Endpoint> resolve(const std::string& address, std::uint16_t port, const std::string& what) {
  if (address.empty()) return fail(what + " is empty");
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_family = AF_UNSPEC;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  int rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) return fail(what + " \"" + address + "\" does not resolve: " + ::gai_strerror(rc));
  std::unique_ptr<addrinfo, AddrInfoFree> owned(found);
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    if (a->ai_addrlen > sizeof(sockaddr_storage)) continue;
    Endpoint e;
    std::memcpy(&e.address, a->ai_addr, a->ai_addrlen);
    e.length = a->ai_addrlen;
    if (e.family() == AF_INET6 &&
        IN6_IS_ADDR_LINKLOCAL(&reinterpret_cast<const sockaddr_in6&>(e.address).sin6_addr) &&
        reinterpret_cast<const sockaddr_in6&>(e.address).sin6_scope_id == 0)
      return fail(what + " \"" + address +
                  "\" is an IPv6 link-local address without an interface (write it as "
                  "fe80::1%eth0)");
    return e;
  }
  return fail(what + " \"" + address + "\" has no IPv4 or IPv6 address");
}

Endpoint endpoint_of(const sockaddr_storage& address, socklen_t length) {
  Endpoint e;
  e.address = address;
  e.length = length;
  return e;
}

Result<std::vector<Endpoint>> local_addresses() {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0)
    return fail(std::string("cannot list this machine's addresses: ") + std::strerror(errno));
  std::vector<Endpoint> out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr) continue;
    int family = i->ifa_addr->sa_family;
    if (family != AF_INET && family != AF_INET6) continue;
    Endpoint e;
    socklen_t length = family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
    std::memcpy(&e.address, i->ifa_addr, length);
    e.length = length;
    out.push_back(e);
  }
  ::freeifaddrs(list);
  return out;
}

}  // namespace tandem::transport
