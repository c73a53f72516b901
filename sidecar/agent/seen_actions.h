#pragma once

// The action ids this incarnation has already taken. The operator repeats
// an action in every batch until a report lists its outcome, so this is
// what makes each action run at most once. Bounded: the oldest ids are
// forgotten first, long after their outcomes were acknowledged. Pure.

#include <cstddef>
#include <deque>
#include <set>
#include <string>

namespace tandem::agent {

class SeenActions {
 public:
  explicit SeenActions(std::size_t limit = 8192);

  // True the first time an id is offered, false for every repeat.
  bool first_time(const std::string& id);
  std::size_t size() const { return ids_.size(); }

 private:
  std::size_t limit_;
  std::set<std::string> ids_;
  std::deque<std::string> order_;  // oldest first
};

}  // namespace tandem::agent
