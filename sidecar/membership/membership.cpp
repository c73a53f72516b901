#include "sidecar/membership/membership.h"

namespace tandem::membership {

Membership::Membership(MembershipConfig config, std::uint64_t persisted_ring_seq, Random& random,
                       TimePoint now)
    : quorum_(config.quorum, now),
      totem_(config.totem, persisted_ring_seq, random, now, encode_record(quorum_.record())) {
  for (std::string& note : config.notes) ready_.events.push_back(Notice{std::move(note)});
  absorb(now);
  ready_.events.push_back(quorum_.status("startup"));
}

void Membership::receive(std::span<const std::uint8_t> datagram, TimePoint now) {
  totem_.receive(datagram, now);
  absorb(now);
}

void Membership::tick(TimePoint now) {
  totem_.tick(now);
  absorb(now);
  if (std::optional<QuorumChanged> change = quorum_.tick(now)) {
    ready_.events.push_back(std::move(*change));
    totem_.set_member_info(encode_record(quorum_.record()));
  }
}

Result<void> Membership::multicast(Bytes payload, Guarantee guarantee, TimePoint now) {
  Result<void> result = totem_.multicast(std::move(payload), guarantee, now);
  absorb(now);
  return result;
}

void Membership::set_interface_up(bool up, TimePoint now) {
  totem_.set_interface_up(up, now);
  absorb(now);
}

Ready Membership::take_ready() {
  return std::exchange(ready_, Ready{});
}

std::optional<TimePoint> Membership::next_deadline() const {
  std::optional<TimePoint> totem = totem_.next_deadline();
  std::optional<TimePoint> quorum = quorum_.next_deadline();
  if (!totem) return quorum;
  if (!quorum) return totem;
  return std::min(*totem, *quorum);
}

void Membership::absorb(TimePoint now) {
  Ready ready = totem_.take_ready();
  if (ready.persist_ring_seq) ready_.persist_ring_seq = ready.persist_ring_seq;
  for (Datagram& datagram : ready.datagrams) ready_.datagrams.push_back(std::move(datagram));
  for (Event& event : ready.events) {
    const auto* change = std::get_if<ConfigurationChanged>(&event);
    bool regular = change != nullptr && change->kind == ConfigurationKind::kRegular;
    if (!regular) {
      ready_.events.push_back(std::move(event));
      continue;
    }
    QuorumChanged quorum =
        quorum_.on_configuration(change->ring, change->members, change->member_info, now);
    ready_.events.push_back(std::move(event));
    ready_.events.push_back(std::move(quorum));
    notices();
    totem_.set_member_info(encode_record(quorum_.record()));
  }
}

void Membership::notices() {
  for (std::string& text : quorum_.take_notices()) ready_.events.push_back(Notice{std::move(text)});
}

}  // namespace tandem::membership
