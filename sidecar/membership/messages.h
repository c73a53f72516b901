#pragma once

// The Totem messages as values. wire.h turns them into bytes and back.
//
// Deviations from corosync's on-wire structs, all deliberate:
// - every node list is sorted and free of duplicates, so encoding is canonical;
// - sequence numbers are 64 bits and never wrap;
// - the token carries a rotation counter with the minimum "all received up
//   to" of the rotation, which the representative turns into `safe_aru`: a
//   seq every member is known to hold. Safe delivery, freeing messages and the
//   end of recovery all hang on that one proven bound (see docs/membership.md).

#include <cstdint>
#include <variant>
#include <vector>

#include "sidecar/membership/node_set.h"
#include "sidecar/membership/types.h"

namespace tandem::membership {

// Gather: "these are the processors I know of, these I consider failed".
struct JoinMessage {
  NodeId sender = kNoNode;
  // The sequence of the last ring the sender committed to, so receivers
  // can tell stale joins from fresh ones and pick a higher sequence.
  std::uint64_t ring_seq = 0;
  NodeSet proc;
  NodeSet fail;

  friend bool operator==(const JoinMessage&, const JoinMessage&) = default;
};

// One member's row in the commit token: where it comes from and how much of
// its old ring it holds. `member_info` carries votequorum's node record.
struct CommitEntry {
  RingId old_ring;
  std::uint64_t aru = 0;             // every old-ring message up to here received
  std::uint64_t high_delivered = 0;  // delivered up to here
  std::uint64_t high_received = 0;   // highest old-ring seq received
  std::vector<std::uint8_t> member_info;

  friend bool operator==(const CommitEntry&, const CommitEntry&) = default;
};

// Created by the representative once consensus is reached. The first
// rotation collects every member's entry; the second tells every member that
// all entries are in, and moves it to Recovery.
struct CommitToken {
  NodeId sender = kNoNode;
  RingId ring;
  NodeSet members;
  std::vector<CommitEntry> entries;  // members[i] filled entries[i]

  friend bool operator==(const CommitToken&, const CommitToken&) = default;
};

// The regular (ORF) token.
struct Token {
  NodeId sender = kNoNode;
  RingId ring;
  std::uint64_t token_seq = 0;  // grows on every hop; retransmitted copies repeat it
  std::uint64_t seq = 0;        // highest message seq assigned on this ring
  std::uint64_t aru = 0;        // corosync's all-received-up-to, lowered by laggards
  NodeId aru_addr = kNoNode;    // the member holding `aru` down, 0 when aru == seq
  std::uint32_t fcc = 0;        // messages sent during the last rotation (flow control)
  std::uint64_t rotation = 0;   // bumped by the representative at each pass
  std::uint64_t rotation_min_aru = UINT64_MAX;     // min member aru in this rotation
  bool rotation_pending = false;                   // a member still had recovery messages to send
  std::uint64_t safe_aru = 0;                      // every member holds every message up to here
  bool previous_pending = false;                   // rotation_pending of the last full rotation
  bool install = false;                            // recovery is complete: install the new ring
  std::uint64_t install_seq = 0;                   // messages up to here were recovery messages
  std::vector<std::uint64_t> retransmit_requests;  // sorted, unique

  friend bool operator==(const Token&, const Token&) = default;
};

// A message multicast on a ring. A recovered message carries, inside a
// message of the new ring, a message of an old ring that some member of
// that old ring missed.
struct McastMessage {
  NodeId sender = kNoNode;
  RingId ring;
  std::uint64_t seq = 0;
  NodeId origin = kNoNode;  // who multicast the payload first
  Guarantee guarantee = Guarantee::kAgreed;
  bool recovered = false;
  RingId old_ring;            // recovered only
  std::uint64_t old_seq = 0;  // recovered only
  std::vector<std::uint8_t> payload;

  friend bool operator==(const McastMessage&, const McastMessage&) = default;
};

// Sent by an idle ring's representative so that partitions find each other.
struct MergeDetect {
  NodeId sender = kNoNode;
  RingId ring;

  friend bool operator==(const MergeDetect&, const MergeDetect&) = default;
};

// Asks the representative to release a token it holds on an idle ring.
struct TokenHoldCancel {
  NodeId sender = kNoNode;
  RingId ring;

  friend bool operator==(const TokenHoldCancel&, const TokenHoldCancel&) = default;
};

using Message =
    std::variant<JoinMessage, CommitToken, Token, McastMessage, MergeDetect, TokenHoldCancel>;

NodeId sender_of(const Message& message);

}  // namespace tandem::membership
