#pragma once

// A simulated network between membership nodes: per-datagram loss,
// duplication and delay (delay jitter reorders), and links that can be cut
// in one direction (asymmetric partition) or both. Every random choice comes
// from the Random it is given, so a seed replays the same deliveries.

#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "sidecar/membership/events.h"
#include "sidecar/membership/random.h"

namespace tandem::sim {

using membership::Micros;
using membership::NodeId;
using membership::TimePoint;

struct LinkProfile {
  double loss = 0.0;       // probability a datagram copy is dropped
  double duplicate = 0.0;  // probability a datagram is delivered twice
  Micros min_delay{50};
  Micros max_delay{300};

  friend bool operator==(const LinkProfile&, const LinkProfile&) = default;
};

struct Delivery {
  NodeId to;
  TimePoint at;
  membership::SharedBytes bytes;
};

class SimNetwork {
 public:
  SimNetwork(std::vector<NodeId> nodes, membership::Random& random)
      : nodes_(std::move(nodes)), random_(random) {}

  void set_profile(const LinkProfile& profile) { profile_ = profile; }
  const LinkProfile& profile() const { return profile_; }

  void cut(NodeId from, NodeId to) { cut_.insert({from, to}); }
  void cut_both(NodeId a, NodeId b) {
    cut(a, b);
    cut(b, a);
  }
  void heal() { cut_.clear(); }
  bool connected(NodeId from, NodeId to) const { return !cut_.contains({from, to}); }
  // The groups cannot reach each other; inside a group all links work.
  void partition(const std::vector<std::vector<NodeId>>& groups);

  // Where and when copies of a datagram sent by `from` at `now` arrive.
  // Datagrams a node sends itself (the token of a ring of one) loop back at
  // once and are never lost.
  std::vector<Delivery> route(NodeId from, const membership::Datagram& datagram, TimePoint now);

 private:
  void copy_to(NodeId to, const membership::SharedBytes& bytes, TimePoint now,
               std::vector<Delivery>& out);
  bool chance(double probability);

  std::vector<NodeId> nodes_;
  membership::Random& random_;
  LinkProfile profile_;
  std::set<std::pair<NodeId, NodeId>> cut_;
};

}  // namespace tandem::sim
