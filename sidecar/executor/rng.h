#pragma once

// Randomness is injected so that a seeded run replays exactly. SplitMix64 is
// small, fast and good enough for jitter; production seeds it from the OS.

#include <cstdint>

namespace tandem::executor {

class Rng {
 public:
  virtual ~Rng() = default;
  virtual std::uint64_t next() = 0;
};

class SplitMix64 final : public Rng {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() override {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  std::uint64_t state_;
};

// A value in [0, bound); 0 when bound is 0. The modulo bias is below 2^-40
// for the bounds jitter uses (milliseconds of an interval), which is fine.
inline std::uint64_t uniform_below(Rng& rng, std::uint64_t bound) {
  return bound == 0 ? 0 : rng.next() % bound;
}

}  // namespace tandem::executor
