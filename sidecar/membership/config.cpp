#include "sidecar/membership/config.h"

#include <algorithm>
#include <set>

#include "sidecar/membership/wire.h"

namespace tandem::membership {
namespace {

std::string ms(Duration d) {
  return format_duration(d);
}

void check_totem(const model::TotemTimings& totem, const DerivedTimers& timers,
                 std::vector<std::string>& errors) {
  auto at_least = [&](const char* name, Duration value) {
    if (value < model::kMinimumTotemTimeout)
      errors.push_back(std::string("totem.") + name + " must be at least " +
                       ms(model::kMinimumTotemTimeout) + ", got " + ms(value));
  };
  at_least("token", totem.token);
  at_least("token_retransmit", timers.token_retransmit);
  at_least("join", totem.join);
  at_least("consensus", timers.consensus);
  at_least("merge", totem.merge);
  at_least("downcheck", totem.downcheck);
  if (timers.consensus < totem.join)
    errors.push_back("totem.consensus (" + ms(timers.consensus) +
                     ") may not be less than totem.join (" + ms(totem.join) + ")");
  if (timers.token_retransmit >= timers.token)
    errors.push_back("totem.token_retransmit (" + ms(timers.token_retransmit) +
                     ") must be less than the effective token timeout (" + ms(timers.token) + ")");
  if (totem.send_join < Duration::zero()) errors.push_back("totem.send_join may not be negative");
  auto positive = [&](const char* name, std::int32_t value) {
    if (value < 1)
      errors.push_back(std::string("totem.") + name + " must be at least 1, got " +
                       std::to_string(value));
  };
  positive("token_retransmits_before_loss_const", totem.token_retransmits_before_loss_const);
  positive("fail_recv_const", totem.fail_recv_const);
  positive("seqno_unchanged_const", totem.seqno_unchanged_const);
  positive("miss_count_const", totem.miss_count_const);
  positive("window_size", totem.window_size);
  positive("max_messages", totem.max_messages);
}

}  // namespace

DerivedTimers derive_timers(const model::Membership& membership) {
  const model::TotemTimings& totem = membership.totem;
  DerivedTimers out;
  out.token = model::effective_token(membership);
  out.consensus = totem.consensus.value_or(Duration(out.token.count() * 12 / 10));
  const double divisor = totem.token_retransmits_before_loss_const + 0.2;
  out.token_retransmit = totem.token_retransmit.value_or(Duration(
      static_cast<std::int64_t>(static_cast<double>(out.token.count()) / std::max(divisor, 1.0))));
  out.hold = totem.hold.value_or(Duration(
      static_cast<std::int64_t>(static_cast<double>(out.token_retransmit.count()) * 0.8 - 10)));
  // corosync holds the token for at least a tick; a hold of 0 would spin.
  out.hold = std::max(out.hold, Duration(1));
  return out;
}

Result<MembershipConfig> make_membership_config(const model::Membership& membership,
                                                const model::QuorumOptions& quorum, NodeId self) {
  std::vector<std::string> errors;
  MembershipConfig config;
  TotemConfig& totem = config.totem;
  QuorumConfig& q = config.quorum;

  if (membership.nodes.empty()) errors.push_back("the nodelist is empty");
  if (membership.nodes.size() > kMaxMembers)
    errors.push_back("the nodelist has " + std::to_string(membership.nodes.size()) +
                     " nodes, at most " + std::to_string(kMaxMembers) + " are supported");
  std::set<NodeId> seen;
  std::uint32_t vote_sum = 0;
  for (const model::MemberNode& node : membership.nodes) {
    if (node.node_id == kNoNode) {
      errors.push_back("node " + node.name + " has node id 0, which is reserved");
      continue;
    }
    if (!seen.insert(node.node_id).second) {
      errors.push_back("node id " + std::to_string(node.node_id) + " is used more than once");
      continue;
    }
    totem.nodes.insert(node.node_id);
    q.votes[node.node_id] = node.quorum_votes;
    vote_sum += node.quorum_votes;
  }
  if (self == kNoNode) {
    errors.push_back("this node's id is 0, which is reserved");
  } else if (!seen.empty() && !seen.contains(self)) {
    errors.push_back("this node's id " + std::to_string(self) + " is not in the nodelist");
  }
  totem.self = self;
  q.self = self;

  const model::TotemTimings& t = membership.totem;
  DerivedTimers timers = derive_timers(membership);
  check_totem(t, timers, errors);
  totem.token = timers.token;
  totem.token_retransmit = timers.token_retransmit;
  totem.hold = std::min(timers.hold, timers.token_retransmit);
  totem.consensus = timers.consensus;
  totem.join = t.join;
  totem.send_join = t.send_join;
  totem.merge = t.merge;
  totem.downcheck = t.downcheck;
  totem.fail_recv_const = t.fail_recv_const;
  totem.seqno_unchanged_const = t.seqno_unchanged_const;
  totem.miss_count_const = t.miss_count_const;
  totem.window_size = t.window_size;
  totem.max_messages = t.max_messages;

  q.expected_votes = quorum.expected_votes.value_or(vote_sum);
  if (q.expected_votes == 0) errors.push_back("expected votes is 0: give a node a vote");
  q.two_node = quorum.two_node;
  q.wait_for_all = quorum.wait_for_all.value_or(quorum.two_node);
  q.last_man_standing = quorum.last_man_standing;
  q.last_man_standing_window = quorum.last_man_standing_window;
  if (quorum.auto_tie_breaker) {
    switch (quorum.auto_tie_breaker_node) {
      case model::TieBreaker::kLowest:
        q.tie_breaker = TieBreakerMode::kLowest;
        break;
      case model::TieBreaker::kHighest:
        q.tie_breaker = TieBreakerMode::kHighest;
        break;
      case model::TieBreaker::kList:
        q.tie_breaker = TieBreakerMode::kList;
        q.tie_breaker_nodes = quorum.auto_tie_breaker_nodes;
        if (q.tie_breaker_nodes.empty())
          errors.push_back("auto_tie_breaker_node is a list but names no node");
        break;
    }
  }

  // corosync's adjustments of options that do not work together.
  if (q.two_node && q.tie_breaker != TieBreakerMode::kNone) {
    q.two_node = false;
    config.notes.push_back(
        "two_node and auto_tie_breaker are not compatible: two_node has been disabled");
  }
  if (q.tie_breaker != TieBreakerMode::kNone && vote_sum % 2 == 1 && !q.wait_for_all) {
    if (q.last_man_standing) {
      errors.push_back(
          "auto_tie_breaker and last_man_standing need wait_for_all in a cluster with an odd "
          "number of votes");
    } else {
      q.tie_breaker = TieBreakerMode::kNone;
      config.notes.push_back(
          "auto_tie_breaker needs wait_for_all in a cluster with an odd number of votes: "
          "auto_tie_breaker has been disabled");
    }
  }
  if (q.last_man_standing &&
      std::any_of(q.votes.begin(), q.votes.end(), [](const auto& v) { return v.second > 1; })) {
    q.last_man_standing = false;
    config.notes.push_back(
        "last_man_standing works only when every node has 1 vote: last_man_standing has been "
        "disabled");
  }

  if (!errors.empty()) {
    std::string all;
    for (const std::string& e : errors) all += (all.empty() ? "" : "\n") + e;
    return fail(all);
  }
  return config;
}

}  // namespace tandem::membership
