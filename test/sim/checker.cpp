#include "test/sim/checker.h"

#include <algorithm>

#include "sidecar/membership/wire_buffer.h"

namespace tandem::sim {
namespace {

constexpr std::size_t kPayloadSize = 16;
constexpr std::size_t kMaxViolations = 20;

std::string ring_name(RingId ring) {
  return membership::to_string(ring);
}

}  // namespace

membership::Bytes make_payload(MessageId id) {
  membership::detail::WireWriter out;
  out.u32(id.origin);
  out.u32(id.incarnation);
  out.u64(id.counter);
  return out.take();
}

std::optional<MessageId> parse_payload(const membership::Bytes& payload) {
  if (payload.size() != kPayloadSize) return std::nullopt;
  membership::detail::WireReader in(payload);
  MessageId id;
  id.origin = in.u32("origin");
  id.incarnation = in.u32("incarnation");
  id.counter = in.u64("counter");
  return id;
}

std::string to_string(const MessageId& id) {
  return "message " + std::to_string(id.origin) + "/" + std::to_string(id.incarnation) + "#" +
         std::to_string(id.counter);
}

std::string Checker::name(ProcessKey who) const {
  return "node " + std::to_string(who.node) + " (incarnation " + std::to_string(who.incarnation) +
         ")";
}

void Checker::violation(std::string text) {
  if (violations_.size() < kMaxViolations) violations_.push_back(std::move(text));
}

void Checker::on_multicast(ProcessKey who, MessageId id) {
  processes_[who].multicast.push_back(id);
}

void Checker::on_event(ProcessKey who, const membership::Event& event) {
  Process& process = processes_[who];
  if (const auto* delivered = std::get_if<membership::Delivered>(&event)) {
    on_delivered(who, process, *delivered);
  } else if (const auto* change = std::get_if<membership::ConfigurationChanged>(&event)) {
    on_configuration(who, process, *change);
  }
}

void Checker::on_delivered(ProcessKey who, Process& process,
                           const membership::Delivered& delivered) {
  ++deliveries_;
  std::optional<MessageId> id = parse_payload(delivered.payload);
  if (!id) {
    violation(name(who) + " delivered a payload the simulator never sent");
    return;
  }
  if (id->origin != delivered.origin)
    violation(name(who) + " delivered " + to_string(*id) + " as coming from node " +
              std::to_string(delivered.origin));
  if (!process.delivered.insert(*id).second)
    violation(name(who) + " delivered " + to_string(*id) + " twice");

  if (delivered.transitional) {
    if (!process.in_transition || delivered.ring != process.transition_from) {
      violation(name(who) + " delivered " + to_string(*id) + " as transitional in ring " +
                ring_name(delivered.ring) + " outside a transitional configuration of it");
      return;
    }
    if (delivered.seq <= process.last_transitional_seq)
      violation(name(who) + " delivered transitional messages of ring " +
                ring_name(delivered.ring) + " out of order");
    process.last_transitional_seq = delivered.seq;
    process.transitional.push_back(*id);
    return;
  }
  if (!process.have_ring || delivered.ring != process.ring || process.in_transition) {
    violation(name(who) + " delivered " + to_string(*id) + " in ring " + ring_name(delivered.ring) +
              " while in ring " + ring_name(process.ring));
    return;
  }
  if (delivered.seq != process.next_seq) {
    violation(name(who) + " delivered seq " + std::to_string(delivered.seq) + " of ring " +
              ring_name(delivered.ring) + " when seq " + std::to_string(process.next_seq) +
              " was next: a gap or a repeat");
  }
  process.next_seq = delivered.seq + 1;
  ++process.regular_count;
  auto [it, fresh] = canonical_[delivered.ring].emplace(delivered.seq, *id);
  if (!fresh && it->second != *id)
    violation(name(who) + " delivered " + to_string(*id) + " at seq " +
              std::to_string(delivered.seq) + " of ring " + ring_name(delivered.ring) +
              " where another node delivered " + to_string(it->second));
}

void Checker::on_configuration(ProcessKey who, Process& process,
                               const membership::ConfigurationChanged& change) {
  using membership::ConfigurationKind;
  if (change.kind == ConfigurationKind::kTransitional) {
    if (process.in_transition)
      violation(name(who) + " had two transitional configurations in a row");
    if (process.have_ring && change.previous_ring != process.ring)
      violation(name(who) + " left ring " + ring_name(change.previous_ring) + " while in ring " +
                ring_name(process.ring));
    if (!change.members.contains(who.node))
      violation(name(who) + " is missing from its own transitional configuration");
    process.in_transition = true;
    process.transition_from = change.previous_ring;
    process.transition_to = change.ring;
    process.transition_members = change.members;
    process.last_transitional_seq = 0;
    process.transitional.clear();
    return;
  }
  if (!process.in_transition || process.transition_to != change.ring) {
    violation(name(who) + " installed ring " + ring_name(change.ring) +
              " without its transitional configuration");
  } else if (process.have_ring) {
    transitions_[{process.transition_from, change.ring}].push_back(
        Transition{who, process.regular_count, process.transitional, process.transition_members});
  }
  process.in_transition = false;

  if (!change.members.contains(who.node))
    violation(name(who) + " installed ring " + ring_name(change.ring) + " without itself in it");
  if (change.members.empty() || change.ring.representative != change.members.front())
    violation("ring " + ring_name(change.ring) + " has representative " +
              std::to_string(change.ring.representative) + " but members " +
              membership::to_string(change.members));
  auto [it, fresh] = ring_members_.emplace(change.ring, change.members);
  if (!fresh && it->second != change.members)
    violation("ring " + ring_name(change.ring) + " installed with members " +
              membership::to_string(it->second) + " and, by " + name(who) + ", with members " +
              membership::to_string(change.members));
  process.have_ring = true;
  process.ring = change.ring;
  process.next_seq = change.first_seq;
  process.regular_count = 0;
}

void Checker::check_quorum(const std::vector<std::pair<ProcessKey, NodeSet>>& quorate,
                           double now_ms) {
  for (std::size_t i = 0; i < quorate.size(); ++i) {
    for (std::size_t j = i + 1; j < quorate.size(); ++j) {
      if (quorate[i].second.intersects(quorate[j].second)) continue;
      violation("at " + std::to_string(now_ms) + " ms two disjoint partitions are quorate: " +
                name(quorate[i].first) + " with members " +
                membership::to_string(quorate[i].second) + ", and " + name(quorate[j].first) +
                " with members " + membership::to_string(quorate[j].second));
      return;
    }
  }
}

void Checker::finish(const std::vector<ProcessKey>& running) {
  for (const auto& [rings, group] : transitions_) {
    const Transition& first = group.front();
    for (const Transition& other : group) {
      std::string where = "moving from ring " + ring_name(rings.first) + " to ring " +
                          ring_name(rings.second) + ", " + name(first.who) + " and " +
                          name(other.who);
      if (other.members != first.members)
        violation(where + " disagree on the transitional membership (" +
                  membership::to_string(first.members) + " vs " +
                  membership::to_string(other.members) + ")");
      if (other.regular_count != first.regular_count)
        violation(where + " delivered " + std::to_string(first.regular_count) + " and " +
                  std::to_string(other.regular_count) +
                  " messages of the old regular configuration");
      if (other.transitional != first.transitional)
        violation(where + " delivered different messages in the transitional configuration (" +
                  std::to_string(first.transitional.size()) + " vs " +
                  std::to_string(other.transitional.size()) + ")");
    }
  }
  for (ProcessKey who : running) {
    const Process& process = processes_[who];
    for (const MessageId& id : process.multicast) {
      if (!process.delivered.contains(id)) {
        violation(name(who) + " never delivered its own " + to_string(id));
        break;
      }
    }
  }
}

std::uint64_t Checker::regular_count(ProcessKey who) const {
  auto it = processes_.find(who);
  return it == processes_.end() ? 0 : it->second.regular_count;
}

RingId Checker::ring_of(ProcessKey who) const {
  auto it = processes_.find(who);
  return it == processes_.end() ? RingId{} : it->second.ring;
}

}  // namespace tandem::sim
