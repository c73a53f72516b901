#include "test/sim/sim_network.h"

namespace tandem::sim {

void SimNetwork::partition(const std::vector<std::vector<NodeId>>& groups) {
  heal();
  for (std::size_t i = 0; i < groups.size(); ++i) {
    for (std::size_t j = 0; j < groups.size(); ++j) {
      if (i == j) continue;
      for (NodeId a : groups[i])
        for (NodeId b : groups[j]) cut(a, b);
    }
  }
}

bool SimNetwork::chance(double probability) {
  if (probability <= 0.0) return false;
  constexpr std::uint64_t kScale = 1'000'000;
  return membership::uniform(random_, kScale) < static_cast<std::uint64_t>(probability * kScale);
}

void SimNetwork::copy_to(NodeId to, const membership::SharedBytes& bytes, TimePoint now,
                         std::vector<Delivery>& out) {
  auto span = static_cast<std::uint64_t>((profile_.max_delay - profile_.min_delay).count());
  int copies = chance(profile_.duplicate) ? 2 : 1;
  for (int i = 0; i < copies; ++i) {
    if (chance(profile_.loss)) continue;
    Micros delay = profile_.min_delay +
                   Micros(static_cast<std::int64_t>(membership::uniform(random_, span + 1)));
    out.push_back(Delivery{to, now + delay, bytes});
  }
}

std::vector<Delivery> SimNetwork::route(NodeId from, const membership::Datagram& datagram,
                                        TimePoint now) {
  std::vector<Delivery> out;
  if (datagram.destination == from) {
    out.push_back(Delivery{from, now + Micros(10), datagram.bytes});
    return out;
  }
  if (datagram.destination != membership::kBroadcast) {
    if (connected(from, datagram.destination))
      copy_to(datagram.destination, datagram.bytes, now, out);
    return out;
  }
  for (NodeId to : nodes_) {
    if (to != from && connected(from, to)) copy_to(to, datagram.bytes, now, out);
  }
  return out;
}

}  // namespace tandem::sim
