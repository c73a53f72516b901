#include "sidecar/membership/random.h"

namespace tandem::membership {

std::uint64_t uniform(Random& random, std::uint64_t bound) {
  if (bound == 0) return 0;
  // Rejection sampling keeps the draw unbiased; the loop ends with
  // probability 1 and in practice after one or two draws.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (int attempt = 0; attempt < 64; ++attempt) {
    std::uint64_t value = random.next();
    if (value < limit) return value % bound;
  }
  return random.next() % bound;
}

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace tandem::membership
