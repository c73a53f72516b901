#pragma once

// Replay protection for one sender: the highest counter accepted and which
// of the 64 below it were seen, as IPsec does (RFC 4303, 3.4.3). A datagram
// reordered by the network is still accepted once; a copy is not, nor
// anything older than the window. Pure.

#include <cstdint>

namespace tandem::transport {

class ReplayWindow {
 public:
  static constexpr std::uint64_t kSize = 64;

  // Whether `counter` is new; does not change the window.
  bool fresh(std::uint64_t counter) const;
  // Records an accepted counter (call after authentication, so a forged
  // counter cannot move the window).
  void accept(std::uint64_t counter);

  std::uint64_t highest() const { return highest_; }

 private:
  std::uint64_t highest_ = 0;
  std::uint64_t seen_ = 0;  // bit i: highest_ - i was accepted
};

}  // namespace tandem::transport
