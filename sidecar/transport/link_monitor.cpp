#include "sidecar/transport/link_monitor.h"

namespace tandem::transport {

LinkMonitor::LinkMonitor(std::span<const std::uint32_t> peers, Time timeout) : timeout_(timeout) {
  for (std::uint32_t peer : peers) links_.emplace(peer, Link{});
}

void LinkMonitor::heard(std::uint32_t peer, Time now) {
  auto it = links_.find(peer);
  if (it == links_.end()) return;
  // A clock that does not go back, but be safe against a caller that does.
  if (!it->second.last_heard || *it->second.last_heard < now) it->second.last_heard = now;
}

bool LinkMonitor::connected(std::uint32_t peer, Time now) const {
  auto it = links_.find(peer);
  if (it == links_.end() || !it->second.last_heard) return false;
  return now - *it->second.last_heard <= timeout_;
}

std::optional<LinkMonitor::Time> LinkMonitor::last_heard(std::uint32_t peer) const {
  auto it = links_.find(peer);
  if (it == links_.end()) return std::nullopt;
  return it->second.last_heard;
}

bool LinkMonitor::changed(Time now) {
  bool any = false;
  for (auto& [peer, link] : links_) {
    bool up = connected(peer, now);
    if (up != link.reported_connected) {
      link.reported_connected = up;
      any = true;
    }
  }
  return any;
}

}  // namespace tandem::transport
