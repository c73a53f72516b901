#include "sidecar/membership/message_store.h"

#include <algorithm>

namespace tandem::membership {

bool MessageStore::insert(std::uint64_t seq, StoredMessage message) {
  if (seq <= aru_ || seq > aru_ + kAcceptSpan) return false;
  if (!messages_.emplace(seq, std::move(message)).second) return false;
  misses_.erase(seq);
  high_ = std::max(high_, seq);
  while (messages_.contains(aru_ + 1)) ++aru_;
  misses_.erase(misses_.begin(), misses_.upper_bound(aru_));
  return true;
}

const StoredMessage* MessageStore::find(std::uint64_t seq) const {
  auto it = messages_.find(seq);
  return it == messages_.end() ? nullptr : &it->second;
}

void MessageStore::release(std::uint64_t seq) {
  std::uint64_t upto = std::min({seq, delivered_, aru_});
  if (upto <= released_) return;
  messages_.erase(messages_.begin(), messages_.upper_bound(upto));
  released_ = upto;
}

std::vector<std::uint64_t> MessageStore::missing(std::uint64_t upto, int miss_threshold,
                                                 std::size_t limit) {
  std::vector<std::uint64_t> out;
  // Looking further than this past the aru would only find seqs that the
  // requests already listed will not unblock anyway.
  constexpr std::uint64_t kScan = 1024;
  upto = std::min(upto, aru_ + kScan);
  for (std::uint64_t seq = aru_ + 1; seq <= upto && out.size() < limit; ++seq) {
    if (messages_.contains(seq)) continue;
    if (++misses_[seq] >= miss_threshold) out.push_back(seq);
  }
  return out;
}

}  // namespace tandem::membership
