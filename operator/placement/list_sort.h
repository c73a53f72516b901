#pragma once

// GLib's list merge sort (g_list_sort_with_data), for orders that Pacemaker
// computes with comparisons that are not transitive (node capacities are
// compared attribute by attribute, by majority): the same splits and
// merges give the same order, and unlike std::sort a comparison that is
// not a strict weak order can never make it read out of bounds.

#include <cstddef>
#include <vector>

namespace tandem::placement::detail {

// `compare(a, b)` < 0 when a goes first; equal elements keep their order.
template <class T, class Compare>
void list_sort(std::vector<T>& items, Compare compare) {
  const std::size_t n = items.size();
  if (n < 2) return;
  // The first half takes the middle element, as GLib splits.
  const std::size_t half = (n + 1) / 2;
  std::vector<T> left(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(half));
  std::vector<T> right(items.begin() + static_cast<std::ptrdiff_t>(half), items.end());
  list_sort(left, compare);
  list_sort(right, compare);
  std::size_t i = 0, j = 0, k = 0;
  while (i < left.size() && j < right.size()) {
    if (compare(left[i], right[j]) <= 0) {
      items[k++] = left[i++];
    } else {
      items[k++] = right[j++];
    }
  }
  while (i < left.size()) items[k++] = left[i++];
  while (j < right.size()) items[k++] = right[j++];
}

}  // namespace tandem::placement::detail
