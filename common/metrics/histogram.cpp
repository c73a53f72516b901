#include "common/metrics/histogram.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/core/assert.h"

namespace tandem::metrics {

Histogram::Histogram(std::span<const double> bounds) : bounds_(bounds) {
  TANDEM_ASSERT(bounds.size() <= kMaxBuckets, "a histogram has at most kMaxBuckets bounds");
  TANDEM_ASSERT(std::is_sorted(bounds.begin(), bounds.end()), "histogram bounds increase");
}

Result<Histogram> Histogram::restored(std::span<const double> bounds,
                                      std::span<const std::uint64_t> buckets, std::uint64_t count,
                                      double sum) {
  if (buckets.size() != bounds.size())
    return fail("expected " + std::to_string(bounds.size()) + " buckets, found " +
                std::to_string(buckets.size()));
  Histogram out(bounds);
  std::uint64_t in_buckets = 0;
  for (std::size_t b = 0; b < buckets.size(); ++b) {
    if (buckets[b] > count - in_buckets) return fail("the buckets hold more than the count");
    in_buckets += buckets[b];
    out.buckets_[b] = buckets[b];
  }
  if (!std::isfinite(sum)) return fail("the sum is not a finite number");
  out.count_ = count;
  out.sum_ = sum;
  return out;
}

void Histogram::observe(double value) {
  ++count_;
  sum_ += value;
  for (std::size_t b = 0; b < bounds_.size(); ++b) {
    if (value <= bounds_[b]) {
      ++buckets_[b];
      return;
    }
  }
}

bool operator==(const Histogram& a, const Histogram& b) {
  return std::equal(a.bounds_.begin(), a.bounds_.end(), b.bounds_.begin(), b.bounds_.end()) &&
         a.buckets_ == b.buckets_ && a.count_ == b.count_ && a.sum_ == b.sum_;
}

}  // namespace tandem::metrics
