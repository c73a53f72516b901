#pragma once

// The Totem single-ring ordering and membership protocol (Amir, Moser,
// Melliar-Smith, Agarwal, Ciarfella, ACM TOCS 13(4), 1995) as a
// deterministic state machine, following corosync 3's behaviour and timers.
//
// Inputs: a received datagram, the passage of time (tick), an application
// message to multicast. Outputs, collected by take_ready(): datagrams to
// send, the ring sequence to persist, and events (state changes with their
// reason, deliveries in total order, transitional and regular configuration
// changes). No I/O, no clock, no global randomness: the same inputs give the
// same outputs, which is what lets the simulator replay a run from its seed.
//
// The code is split by concern: totem.cpp (inputs, timers, outputs),
// totem_gather.cpp (Gather: joins and consensus), totem_commit.cpp (the
// commit token and entering Recovery), totem_token.cpp (the token: ordering,
// retransmission, flow control, hold) and totem_delivery.cpp (messages,
// delivery, and installing a ring with extended virtual synchrony).

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>

#include "common/core/result.h"
#include "sidecar/membership/config.h"
#include "sidecar/membership/events.h"
#include "sidecar/membership/message_store.h"
#include "sidecar/membership/messages.h"
#include "sidecar/membership/random.h"
#include "sidecar/membership/timers.h"

namespace tandem::membership {

struct TotemStats {
  std::uint64_t datagrams_received = 0;
  std::uint64_t datagrams_rejected = 0;
  std::uint64_t tokens_received = 0;
  std::uint64_t token_retransmits = 0;
  std::uint64_t messages_sent = 0;
  std::uint64_t messages_retransmitted = 0;
  std::uint64_t gathers = 0;
  std::uint64_t rings_installed = 0;
};

class Totem {
 public:
  // `persisted_ring_seq` is the last value this node was asked to persist
  // (0 on first start). `random` must outlive the Totem.
  Totem(TotemConfig config, std::uint64_t persisted_ring_seq, Random& random, TimePoint now,
        Bytes member_info = {});

  void receive(std::span<const std::uint8_t> datagram, TimePoint now);
  // Fires every timer whose deadline is at or before `now`.
  void tick(TimePoint now);
  // Queues a message for the next token visit. Fails when the payload is
  // too large or the queue is full (the caller retries later).
  Result<void> multicast(Bytes payload, Guarantee guarantee, TimePoint now);
  // The bytes this node contributes to the next commit token (votequorum's
  // node record).
  void set_member_info(Bytes info);
  // The network interface went down or came back; acted on at the next
  // downcheck, as corosync does.
  void set_interface_up(bool up, TimePoint now);

  Ready take_ready();
  // When tick() next has something to do.
  std::optional<TimePoint> next_deadline() const { return timers_.next_deadline(); }

  NodeId self() const { return config_.self; }
  State state() const { return state_; }
  RingId ring() const { return ring_id_; }
  const NodeSet& members() const { return members_; }
  std::size_t pending_messages() const { return pending_.size(); }
  const TotemStats& stats() const { return stats_; }
  const TotemConfig& config() const { return config_; }

 private:
  struct Pending {
    Bytes payload;
    Guarantee guarantee;
  };

  // totem.cpp
  void dispatch(Message message, SharedBytes encoded);
  void on_timer(TimerKind kind);
  void set_state(State to, std::optional<GatherReason> reason = std::nullopt);
  void send(NodeId to, SharedBytes bytes);
  void broadcast(SharedBytes bytes);
  void send_token(NodeId to, const Message& token);
  void emit(Event event) { ready_.events.push_back(std::move(event)); }
  void reject(std::string reason);
  // A message from a member of the installed ring about an older ring of
  // its own: left over in the network, not a sign of another partition.
  bool is_stale(NodeId sender, RingId ring) const;
  const NodeSet& ring_members() const;

  // totem_gather.cpp
  void gather_enter(GatherReason reason);
  void on_join(const JoinMessage& join);
  bool process_join(const JoinMessage& join);
  void merge_processors(const JoinMessage& join);
  bool heard_recently(NodeId id) const;
  void check_consensus();
  void on_consensus_timeout();
  void send_join();
  void transmit_join();
  void on_join_timer();
  void on_merge_detect(const MergeDetect& merge);
  void on_foreign(NodeId sender, RingId ring, GatherReason in_operational, GatherReason in_gather);
  void on_downcheck();

  // totem_commit.cpp
  void create_commit_token();
  void commit_enter(CommitToken token);
  void on_commit_token(CommitToken token);
  void recovery_enter(const CommitToken& token);
  void leave_recovery();

  // totem_token.cpp
  void on_token(Token token);
  void visit(Token token);
  void originate_token();
  void forward_token(Token& token, bool hold);
  void release_held_token();
  void on_token_hold_cancel(const TokenHoldCancel& cancel);
  std::uint32_t retransmit_requested(Token& token, MessageStore& store, std::uint32_t budget);
  std::uint32_t send_new_messages(Token& token, std::uint32_t budget);

  // totem_delivery.cpp
  void on_mcast(McastMessage message, SharedBytes encoded);
  void store_message(MessageStore& store, const McastMessage& message, SharedBytes encoded);
  void deliver_in_order();
  void install(std::uint64_t install_seq);

  TotemConfig config_;
  Random& random_;
  TimePoint now_;
  Timers timers_;
  Ready ready_;
  TotemStats stats_;
  State state_ = State::kGather;
  bool interface_up_ = true;
  bool reported_interface_up_ = true;

  // The installed ring (the regular configuration) and its messages. Before
  // the first ring forms, a ring of this node alone that no one else can
  // name: (self, persisted sequence + 1).
  RingId ring_id_;
  NodeSet members_;
  MessageStore store_;
  std::uint64_t safe_aru_ = 0;  // every member of ring_id_ holds every message up to here

  std::uint64_t ring_seq_ = 0;          // sequence of the last ring committed to
  std::uint64_t highest_ring_seq_ = 0;  // highest ring sequence heard of

  // Gather.
  NodeSet proc_;
  NodeSet fail_;
  NodeSet consensus_;
  // Live nodes spared at a consensus timeout since the last ring installed.
  NodeSet second_chance_;
  // How long until the join is sent again: `join` after each change of the
  // sets, doubling while they stay the same (see on_join_timer).
  Micros join_interval_{0};

  // Commit and Recovery: the ring being formed.
  std::optional<CommitToken> commit_;
  NodeSet transitional_;
  std::uint64_t max_high_delivered_ = 0;  // over the transitional members
  MessageStore new_store_;
  std::uint64_t new_safe_aru_ = 0;
  std::deque<std::uint64_t> recovery_queue_;  // old-ring seqs still to retransmit
  bool originated_token_ = false;

  // The token on the ring being run (Operational or Recovery).
  std::uint64_t last_token_seq_ = 0;
  SharedBytes last_token_sent_;
  NodeId last_token_to_ = kNoNode;
  std::uint64_t last_seen_seq_ = 0;
  std::int64_t seq_unchanged_ = 0;
  std::uint64_t last_token_aru_ = 0;
  std::int64_t aru_count_ = 0;
  std::uint32_t sent_last_visit_ = 0;
  bool holding_ = false;
  bool hold_cancel_sent_ = false;

  std::deque<Pending> pending_;
  Bytes member_info_;
  std::map<NodeId, TimePoint> last_heard_;
};

}  // namespace tandem::membership
