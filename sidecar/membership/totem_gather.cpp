// Gather: nodes exchange join messages naming the processors they know of
// (proc) and those they consider failed (fail) until every processor in
// proc - fail sends the same two sets (consensus). The lowest of them, the
// representative, then creates the commit token. Processors that do not
// agree within the consensus timeout are added to fail. The rules follow
// corosync 3.1's memb_join_process, except where a comment below says why
// not: those differences are what lets every live node end up in one ring
// once faults stop (docs/membership.md, "Convergence after faults").

#include "common/core/assert.h"
#include "sidecar/membership/totem.h"
#include "sidecar/membership/wire.h"

namespace tandem::membership {

void Totem::gather_enter(GatherReason reason) {
  if (state_ == State::kRecovery) leave_recovery();
  // A round cut short in Commit or Recovery leaves a failure set that may
  // exclude nodes on evidence the abort has overtaken. Carried into the
  // next round whole (as corosync does), ring-mates adopt it and a node
  // that is alive is pushed out again each time it merges back. Failures of
  // nodes heard from within the consensus timeout are dropped; silent ones
  // stay failed.
  if (state_ == State::kCommit || state_ == State::kRecovery) {
    NodeSet still_failed;
    for (NodeId id : fail_)
      if (!heard_recently(id)) still_failed.insert(id);
    fail_ = still_failed;
  }
  commit_.reset();
  originated_token_ = false;
  holding_ = false;
  last_token_sent_.reset();
  proc_.insert(config_.self);
  consensus_ = {config_.self};
  timers_.cancel(TimerKind::kToken);
  timers_.cancel(TimerKind::kTokenRetransmit);
  timers_.cancel(TimerKind::kHold);
  timers_.cancel(TimerKind::kMerge);
  join_interval_ = config_.join;
  timers_.arm(TimerKind::kJoin, now_ + join_interval_);
  timers_.arm(TimerKind::kConsensus, now_ + config_.consensus);
  ++stats_.gathers;
  set_state(State::kGather, reason);
  // A node left with nobody to agree with forms a ring of its own at once.
  // A join saying it failed everyone else would only arrive after that
  // ring exists and make the receivers fail it in their next round too;
  // when two nodes time out together, that repeats forever. The ring's own
  // merge detection finds the others instead.
  bool alone = proc_.minus(fail_) == NodeSet{config_.self};
  if (!alone || fail_.empty()) send_join();
  // With nobody else left to agree with (startup, or every other node
  // failed), this node agrees with itself at once.
  check_consensus();
}

void Totem::send_join() {
  if (timers_.armed(TimerKind::kSendJoin)) return;
  // The join goes out at the next tick, which the caller runs once it has
  // read the datagrams that arrived together: every change they make to the
  // sets is then announced in one join rather than one join each. Sent at
  // once, a node that reads a backlog of 60 joins under load would
  // broadcast up to 60 joins of its own, each to every node, and make the
  // others' backlogs longer still. An idle node's tick follows the datagram
  // at once, so nothing waits.
  Micros delay{0};
  // send_join spreads the joins of a large ring over a random delay, as
  // corosync does; several requests before the timer fires send one join.
  if (config_.send_join.count() > 0)
    delay = Micros(static_cast<std::int64_t>(
        uniform(random_, static_cast<std::uint64_t>(Micros(config_.send_join).count()))));
  timers_.arm(TimerKind::kSendJoin, now_ + delay);
}

void Totem::on_join_timer() {
  send_join();
  // Corosync sends the same join again every `join` (50 ms) for as long as
  // the gather lasts, to make up for lost joins. Every node does, to every
  // other: with 64 nodes that is 80,000 datagrams a second, each encrypted
  // and authenticated, which two cores cannot handle; queues then grow
  // until joins arrive too late for the consensus timeout and the nodes
  // fail each other (tandem_sim --startup, docs/membership.md). Every
  // change of the sets still sends a join at once and restarts this timer
  // at `join`; while the sets stay the same, the interval doubles, up to a
  // tenth of the consensus timeout, so a lost join is still sent again
  // several times before anyone gives up on its sender.
  Micros longest = std::max<Micros>(config_.join, config_.consensus / 10);
  join_interval_ = std::min(join_interval_ * 2, longest);
  timers_.arm(TimerKind::kJoin, now_ + join_interval_);
}

void Totem::transmit_join() {
  broadcast(
      std::make_shared<const Bytes>(encode(JoinMessage{config_.self, ring_seq_, proc_, fail_})));
}

void Totem::on_join(const JoinMessage& join) {
  highest_ring_seq_ = std::max(highest_ring_seq_, join.ring_seq);
  switch (state_) {
    case State::kOperational:
      // The sender is forming a ring without us, or repeats a join from
      // before the ring we are in: if it matters, the token will tell.
      if (join.fail.contains(config_.self)) return;
      if (members_.contains(join.sender) && join.ring_seq < ring_id_.sequence) return;
      if (!process_join(join)) gather_enter(GatherReason::kJoinDuringOperational);
      return;
    case State::kGather:
      process_join(join);
      return;
    case State::kCommit:
    case State::kRecovery:
      // Only a member of the ring being formed that has already seen it
      // can abort it; older joins are echoes of the gather that formed it.
      // In Commit, one more: a member that has not reached this ring yet
      // but names a processor or failure this node never agreed to has
      // moved on and will drop the commit token (its sets no longer match
      // the token's members). Corosync waits out the token timeout here;
      // with 64 nodes that is 43 s in which the ring's other members
      // ignore everyone, and the nodes still gathering time out on them.
      // An echo cannot look like this: within a gather the sets only grow,
      // and this node agreed to the largest ones.
      if (!commit_ || !commit_->members.contains(join.sender)) return;
      if (join.ring_seq >= ring_seq_ ||
          (state_ == State::kCommit &&
           !(join.proc.is_subset_of(proc_) && join.fail.is_subset_of(fail_)))) {
        gather_enter(state_ == State::kCommit ? GatherReason::kJoinDuringCommit
                                              : GatherReason::kJoinDuringRecovery);
        process_join(join);
      }
      return;
  }
}

// Returns true if it re-entered Gather.
bool Totem::process_join(const JoinMessage& join) {
  if (join.proc == proc_ && join.fail == fail_) {
    consensus_.insert(join.sender);
    check_consensus();
    return false;
  }
  if (join.proc.is_subset_of(proc_) && join.fail.is_subset_of(fail_)) return false;
  if (fail_.contains(join.sender)) return false;
  // A join that fails this node but comes from before the last ring this
  // node committed to judges an older incarnation of the membership: the
  // sender has not yet heard of that ring. Failing the sender in return
  // makes two nodes that time out at different moments fail each other
  // forever, each forming a ring alone just as the other's stale join
  // arrives. Ignored, the sender either catches up or is failed here at
  // this round's consensus timeout.
  if (join.fail.contains(config_.self) && join.ring_seq < ring_seq_) return false;
  NodeSet proc = proc_;
  NodeSet fail = fail_;
  merge_processors(join);
  if (join.fail.contains(config_.self)) {
    // It gave up on us; we give up on it, and each side forms its own ring
    // until a merge brings them together with clean failure sets.
    fail_.insert(join.sender);
  } else if (members_.contains(join.sender)) {
    // A member of our own ring saw failures we did not: believe it.
    fail_.insert_all(join.fail);
  } else {
    // Corosync takes failures only from members of its own ring. Two rings
    // that merge then each learn of a crashed node separately (each at its
    // own consensus timeout) and, disagreeing on it, fail each other; when
    // several groups do this out of step, they never form one ring (seed
    // 11946). A failure reported by anyone is taken when this node has not
    // heard from that node within the consensus timeout either: its own
    // evidence agrees, so live nodes are never failed this way, and the
    // fail set only grows by silent nodes (no join storm).
    for (NodeId id : join.fail)
      if (id != config_.self && proc_.contains(id) && !heard_recently(id)) fail_.insert(id);
  }
  // A join whose failures we may not adopt changes nothing here. Corosync
  // re-enters Gather anyway, which restarts the consensus timeout: a node
  // hearing such joins every join interval would never time out and give
  // up on a dead node. Here the disagreement waits for that timeout.
  if (proc_ == proc && fail_ == fail) return false;
  gather_enter(GatherReason::kMergeDuringJoin);
  // The join just adopted carries exactly the sets this node now holds: its
  // sender agrees already. Waiting for its next join instead costs a whole
  // join interval whenever the representative is not the first survivor to
  // time out (corosync waits; its survivors' joins usually cross).
  if (join.proc == proc_ && join.fail == fail_) {
    consensus_.insert(join.sender);
    check_consensus();
  }
  return true;
}

void Totem::merge_processors(const JoinMessage& join) {
  // Corosync takes every processor a join names. A dead node then keeps
  // coming back through the joins of nodes that still list it, so no round
  // after a crash agrees without waiting out the consensus timeout, and
  // rounds ending at different times keep splitting each other. A
  // processor is taken only on evidence: it sent the join, this node heard
  // from it within the consensus timeout, or the sender reports it failed
  // (and so it is failed here too). Safety does not rest on this: a ring
  // still needs every member to send the same sets.
  for (NodeId id : join.proc) {
    if (proc_.contains(id)) continue;
    if (id == join.sender || heard_recently(id)) {
      proc_.insert(id);
    } else if (join.fail.contains(id)) {
      proc_.insert(id);
      fail_.insert(id);
    }
  }
}

bool Totem::heard_recently(NodeId id) const {
  auto it = last_heard_.find(id);
  return it != last_heard_.end() && now_ - it->second < Micros(config_.consensus);
}

void Totem::check_consensus() {
  if (state_ != State::kGather) return;
  NodeSet agreeing = proc_.minus(fail_);
  if (!agreeing.contains(config_.self) || !agreeing.is_subset_of(consensus_)) return;
  if (agreeing.front() != config_.self) return;  // the representative creates the token
  // A join still waiting for the tick goes out first, as corosync's goes
  // out on entering Gather: a node that starts alone and forms its ring at
  // once would otherwise tell nobody it is there, and the others would
  // find it only when its ring announces itself (merge detection).
  if (config_.send_join.count() <= 0 && timers_.armed(TimerKind::kSendJoin)) {
    timers_.cancel(TimerKind::kSendJoin);
    transmit_join();
  }
  create_commit_token();
}

void Totem::on_consensus_timeout() {
  NodeSet agreeing = proc_.minus(fail_);
  if (agreeing.is_subset_of(consensus_)) {
    // Everyone agreed but no commit token came: ask again, and if the
    // representative is gone, the next timeout will find it silent.
    consensus_ = {config_.self};
    timers_.arm(TimerKind::kConsensus, now_ + config_.consensus);
    return;
  }
  // A node that did not agree but is heard from is most likely in a round
  // of its own that began a little earlier or later: failing it at once
  // makes the two rounds fail each other, and they stay out of step from
  // then on (seed 26899). It gets one more consensus timeout in this
  // gather; silent nodes are failed at once.
  for (NodeId id : proc_.minus(consensus_)) {
    if (!heard_recently(id) || second_chance_.contains(id)) {
      fail_.insert(id);
    } else {
      second_chance_.insert(id);
    }
  }
  gather_enter(GatherReason::kConsensusTimeout);
}

void Totem::on_merge_detect(const MergeDetect& merge) {
  if (merge.ring == ring_id_) return;
  on_foreign(merge.sender, merge.ring, GatherReason::kMergeDuringOperational,
             GatherReason::kMergeDuringGather);
}

void Totem::on_foreign(NodeId sender, RingId ring, GatherReason in_operational,
                       GatherReason in_gather) {
  if (is_stale(sender, ring)) return;
  if (state_ == State::kOperational) {
    proc_.insert(sender);
    gather_enter(in_operational);
  } else if (state_ == State::kGather && !proc_.contains(sender)) {
    proc_.insert(sender);
    gather_enter(in_gather);
  }
}

void Totem::on_downcheck() {
  if (reported_interface_up_ == interface_up_) return;
  interface_up_ = reported_interface_up_;
  if (!interface_up_) {
    // Alone until the interface comes back, as corosync on loopback.
    proc_ = {config_.self};
    fail_.clear();
  }
  gather_enter(GatherReason::kInterfaceChange);
}

}  // namespace tandem::membership
