#include "sidecar/agent/seen_actions.h"

#include "common/core/assert.h"

namespace tandem::agent {

SeenActions::SeenActions(std::size_t limit) : limit_(limit) {
  TANDEM_ASSERT(limit_ > 0, "the seen-action window must hold at least one id");
}

bool SeenActions::first_time(const std::string& id) {
  if (!ids_.insert(id).second) return false;
  order_.push_back(id);
  while (order_.size() > limit_) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

}  // namespace tandem::agent
