#include "common/metrics/histogram.h"

#include <algorithm>

#include "common/core/assert.h"

namespace tandem::metrics {

Histogram::Histogram(std::span<const double> bounds) : bounds_(bounds) {
  TANDEM_ASSERT(bounds.size() <= kMaxBuckets, "a histogram has at most kMaxBuckets bounds");
  TANDEM_ASSERT(std::is_sorted(bounds.begin(), bounds.end()), "histogram bounds increase");
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
