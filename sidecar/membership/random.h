#pragma once

// Randomness is injected: the protocol draws from a Random it is given, so a
// seeded simulation replays exactly. Production seeds SplitMix64 from the OS
// in the adapter.

#include <cstdint>

namespace tandem::membership {

class Random {
 public:
  virtual ~Random() = default;
  virtual std::uint64_t next() = 0;
};

// Uniform in [0, bound); 0 when bound is 0.
std::uint64_t uniform(Random& random, std::uint64_t bound);

// Vigna's SplitMix64: small, fast, and good enough for jitter and simulation.
class SplitMix64 final : public Random {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() override;

 private:
  std::uint64_t state_;
};

}  // namespace tandem::membership
