// Fuzzes the membership wire decoder, the state machine behind it and the
// corosync.conf parser.
//
// The input is a script of operations for one node (node 1 of a 4-node
// nodelist): raw datagrams, datagrams built from fuzzed fields (so that
// the machine sees well-formed but hostile joins, commit tokens, tokens and
// messages, which random bytes would almost never decode to), the passage
// of time, application multicasts and interface changes. Beyond "no crash,
// hang or sanitizer report": every datagram that decodes must encode back
// to the same bytes, and every datagram the machine sends must decode.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/core/assert.h"
#include "sidecar/membership/config.h"
#include "sidecar/membership/corosync_conf.h"
#include "sidecar/membership/membership.h"
#include "sidecar/membership/wire.h"

namespace {

using namespace tandem::membership;

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return at_ >= size_; }
  std::uint8_t u8() { return at_ < size_ ? data_[at_++] : 0; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | (u8() << 8)); }
  std::uint64_t small() { return u8() % 16; }  // sequence-like values near the machine's
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= std::uint64_t{u8()} << (8 * i);
    return v;
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    n = std::min(n, size_ - std::min(at_, size_));
    std::span<const std::uint8_t> out(data_ + at_, n);
    at_ += n;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

constexpr NodeId kNodes = 4;

NodeId node(Input& in) {
  return 1 + in.u8() % (kNodes + 1);
}  // 5 is not in the nodelist

NodeSet nodes(Input& in) {
  std::uint8_t mask = in.u8();
  NodeSet out;
  for (NodeId id = 1; id <= kNodes + 1; ++id)
    if (mask & (1u << (id - 1))) out.insert(id);
  return out;
}

RingId ring(Input& in) {
  return RingId{node(in), in.small() * 4};
}

Message structured(Input& in) {
  switch (in.u8() % 6) {
    case 0:
      return JoinMessage{node(in), in.small() * 4, nodes(in), nodes(in)};
    case 1: {
      CommitToken token{node(in), ring(in), nodes(in), {}};
      std::size_t entries = in.u8() % (token.members.size() + 1);
      for (std::size_t i = 0; i < entries; ++i) {
        CommitEntry entry{ring(in), in.small(), in.small(), in.small(), {}};
        auto info = in.take(in.u8() % 8);
        entry.member_info.assign(info.begin(), info.end());
        token.entries.push_back(std::move(entry));
      }
      return token;
    }
    case 2: {
      Token token;
      token.sender = node(in);
      token.ring = ring(in);
      token.token_seq = in.small();
      token.seq = in.small();
      token.aru = in.small();
      token.aru_addr = in.u8() % (kNodes + 1);
      token.fcc = in.u8();
      token.rotation = in.small();
      token.rotation_min_aru = in.u8() == 0 ? UINT64_MAX : in.small();
      token.safe_aru = in.small();
      std::uint8_t flags = in.u8();
      token.rotation_pending = flags & 1;
      token.previous_pending = flags & 2;
      token.install = flags & 4;
      token.install_seq = in.small();
      std::size_t requests = in.u8() % 4;
      for (std::size_t i = 0; i < requests; ++i) {
        std::uint64_t seq = in.small();
        if (token.retransmit_requests.empty() || token.retransmit_requests.back() < seq)
          token.retransmit_requests.push_back(seq);
      }
      return token;
    }
    case 3: {
      McastMessage m;
      m.sender = node(in);
      m.ring = ring(in);
      m.seq = in.small();
      m.origin = node(in);
      m.guarantee = in.u8() & 1 ? Guarantee::kSafe : Guarantee::kAgreed;
      m.recovered = in.u8() & 1;
      if (m.recovered) {
        m.old_ring = ring(in);
        m.old_seq = 1 + in.small();
      }
      auto payload = in.take(in.u8() % 16);
      m.payload.assign(payload.begin(), payload.end());
      return m;
    }
    case 4:
      return MergeDetect{node(in), ring(in)};
    default:
      return TokenHoldCancel{node(in), ring(in)};
  }
}

MembershipConfig make_config(Input& in) {
  tandem::model::Membership membership;
  for (NodeId id = 1; id <= kNodes; ++id)
    membership.nodes.push_back(tandem::model::MemberNode{"node" + std::to_string(id), id,
                                                         "10.0.0." + std::to_string(id), 1});
  tandem::model::QuorumOptions quorum;
  std::uint8_t options = in.u8();
  quorum.wait_for_all = (options & 1) != 0;
  quorum.last_man_standing = (options & 2) != 0;
  quorum.auto_tie_breaker = (options & 4) != 0;
  auto config = make_membership_config(membership, quorum, 1);
  TANDEM_ASSERT(config.has_value(), "the fuzzer's configuration is valid");
  return *config;
}

void check_sent(const Ready& ready) {
  for (const Datagram& d : ready.datagrams) {
    auto decoded = decode(*d.bytes);
    TANDEM_ASSERT(decoded.has_value(), "the machine sent a datagram that does not decode");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);

  // The decoder alone: whatever decodes is canonical.
  {
    std::span<const std::uint8_t> all(data, size);
    auto decoded = decode(all);
    if (decoded) {
      std::vector<std::uint8_t> again = encode(*decoded);
      TANDEM_ASSERT(again.size() == size && std::equal(again.begin(), again.end(), data),
                    "a decoded datagram encodes to different bytes");
    } else {
      TANDEM_ASSERT(!decoded.error().message.empty(), "a decoding error without a message");
    }
  }

  // The same bytes as a corosync.conf: parsed or refused with a message,
  // and what parses either maps to a configuration or is refused.
  {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto conf = parse_corosync_conf(text, "fuzz.conf");
    if (conf) {
      (void)make_membership_config(conf->membership, conf->quorum,
                                   conf->membership.nodes.front().node_id);
    } else {
      TANDEM_ASSERT(!conf.error().message.empty(), "a corosync.conf error without a message");
    }
  }

  SplitMix64 random(size);
  TimePoint now{};
  Membership machine(make_config(in), in.small() * 4, random, now);
  check_sent(machine.take_ready());
  // Bounded by the input: every operation consumes at least one byte.
  while (!in.empty()) {
    switch (in.u8() % 6) {
      case 0: {
        auto bytes = in.take(in.u16() % 512);
        machine.receive(bytes, now);
        break;
      }
      case 1:
      case 2: {
        std::vector<std::uint8_t> bytes = encode(structured(in));
        machine.receive(bytes, now);
        break;
      }
      case 3:
        now += std::chrono::milliseconds(in.u16() % 8192);
        machine.tick(now);
        break;
      case 4: {
        auto payload = in.take(in.u8());
        (void)machine.multicast(std::vector<std::uint8_t>(payload.begin(), payload.end()),
                                in.u8() & 1 ? Guarantee::kSafe : Guarantee::kAgreed, now);
        break;
      }
      default:
        machine.set_interface_up(in.u8() & 1, now);
        break;
    }
    check_sent(machine.take_ready());
  }
  return 0;
}
