#pragma once

// A Prometheus histogram's state: observations counted into buckets with
// fixed upper bounds, their count and their sum. The bounds live in static
// storage (one constexpr array per metric), so copying a histogram copies
// a few hundred bytes and never allocates: a snapshot can be taken under a
// lock that the writers hold only briefly.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/core/result.h"

namespace tandem::metrics {

class Histogram {
 public:
  static constexpr std::size_t kMaxBuckets = 16;

  Histogram() = default;
  // `bounds`: increasing upper bounds, at most kMaxBuckets, outliving the
  // histogram (+Inf is implied).
  explicit Histogram(std::span<const double> bounds);

  // A histogram with the state it had (written down, read back): `buckets`
  // as bucket() gives them, one per bound. Fails, naming what is wrong,
  // when they do not fit the bounds or each other.
  static Result<Histogram> restored(std::span<const double> bounds,
                                    std::span<const std::uint64_t> buckets, std::uint64_t count,
                                    double sum);

  void observe(double value);

  std::span<const double> bounds() const { return bounds_; }
  // Observations at most bounds()[i] and above the bound before: not
  // cumulative.
  std::uint64_t bucket(std::size_t i) const { return buckets_[i]; }
  std::uint64_t count() const { return count_; }
  double sum() const { return sum_; }

  friend bool operator==(const Histogram& a, const Histogram& b);

 private:
  std::span<const double> bounds_;
  std::array<std::uint64_t, kMaxBuckets> buckets_{};
  std::uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace tandem::metrics
