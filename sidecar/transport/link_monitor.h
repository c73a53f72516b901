#pragma once

// Which peers this node hears from: a link is connected while something
// authenticated arrived from the peer within the timeout. Totem alone does
// not reach every node of an idle ring (the token goes only to the next
// one), so the clock probes, sent to and answered by every configured node
// every few seconds, keep the links' state current. Pure: times are given
// (a monotonic clock).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>

namespace tandem::transport {

class LinkMonitor {
 public:
  using Time = std::chrono::microseconds;  // since the monotonic clock's epoch

  // `peers`: the nodelist without this node.
  LinkMonitor(std::span<const std::uint32_t> peers, Time timeout);

  // Something from `peer` passed the receive filter; unknown peers are
  // ignored.
  void heard(std::uint32_t peer, Time now);

  bool connected(std::uint32_t peer, Time now) const;
  std::optional<Time> last_heard(std::uint32_t peer) const;

  // Whether any link went up or down since the last call.
  bool changed(Time now);

  Time timeout() const { return timeout_; }

 private:
  struct Link {
    std::optional<Time> last_heard;
    bool reported_connected = false;
  };
  std::map<std::uint32_t, Link> links_;
  Time timeout_;
};

}  // namespace tandem::transport
