#pragma once

// The messages of one ring, by sequence number: what this node received,
// up to where it has everything (aru), what it delivered, what it may free.

#include <cstdint>
#include <map>
#include <vector>

#include "sidecar/membership/events.h"
#include "sidecar/membership/types.h"

namespace tandem::membership {

struct StoredMessage {
  NodeId origin = kNoNode;
  Guarantee guarantee = Guarantee::kAgreed;
  bool recovered = false;  // carries an old ring's message (recovery only)
  RingId old_ring;
  std::uint64_t old_seq = 0;
  SharedBytes payload;
  SharedBytes encoded;  // the datagram, kept for retransmission
};

class MessageStore {
 public:
  // How far past its aru a node accepts messages. Senders stay within half
  // of it (see the flow control in totem_token.cpp), so only garbage or a
  // foreign ring's numbering can exceed it; the bound keeps memory finite.
  static constexpr std::uint64_t kAcceptSpan = 16384;

  // False for duplicates, seq 0, and seqs outside (aru, aru + kAcceptSpan].
  bool insert(std::uint64_t seq, StoredMessage message);
  const StoredMessage* find(std::uint64_t seq) const;
  bool contains(std::uint64_t seq) const { return messages_.contains(seq); }

  std::uint64_t aru() const { return aru_; }
  std::uint64_t high() const { return high_; }
  std::uint64_t delivered() const { return delivered_; }
  void set_delivered(std::uint64_t seq) { delivered_ = seq; }

  // Frees messages up to min(seq, delivered): everyone holds them and this
  // node has delivered them, so no one can ask for them again.
  void release(std::uint64_t seq);

  // Sequence numbers in (aru, upto] this node lacks and has missed at least
  // `miss_threshold` times (one count per call), at most `limit` of them.
  std::vector<std::uint64_t> missing(std::uint64_t upto, int miss_threshold, std::size_t limit);

  // Messages with seq in (from, to], in order.
  template <class Fn>
  void for_each(std::uint64_t from, std::uint64_t to, Fn&& fn) const {
    for (auto it = messages_.upper_bound(from); it != messages_.end() && it->first <= to; ++it)
      fn(it->first, it->second);
  }

  std::size_t size() const { return messages_.size(); }

 private:
  std::map<std::uint64_t, StoredMessage> messages_;
  std::map<std::uint64_t, int> misses_;
  std::uint64_t aru_ = 0;
  std::uint64_t high_ = 0;
  std::uint64_t delivered_ = 0;
  std::uint64_t released_ = 0;
};

}  // namespace tandem::membership
