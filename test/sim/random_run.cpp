#include "test/sim/random_run.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

#include "test/sim/sim_cluster.h"
#include "test/sim/trace.h"

namespace tandem::sim {
namespace {

using namespace std::chrono_literals;
using membership::Guarantee;
using membership::uniform;

struct Plan {
  RandomRunResult* result = nullptr;
  membership::SplitMix64 random{0};

  std::uint64_t below(std::uint64_t bound) { return uniform(random, bound); }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  template <class T>
  T pick(std::initializer_list<T> values) {
    return *(values.begin() + static_cast<std::ptrdiff_t>(below(values.size())));
  }
  Micros between(Micros low, Micros high) {
    return low + Micros(static_cast<std::int64_t>(
                     below(static_cast<std::uint64_t>((high - low).count()) + 1)));
  }
};

double ms(Micros d) {
  return static_cast<double>(d.count()) / 1000.0;
}

std::string quorum_mode(const model::QuorumOptions& q) {
  std::string out;
  if (q.wait_for_all.value_or(false)) out += " wait_for_all";
  if (q.last_man_standing) out += " last_man_standing";
  if (q.auto_tie_breaker)
    out += std::string(" auto_tie_breaker=") +
           (q.auto_tie_breaker_node == model::TieBreaker::kLowest    ? "lowest"
            : q.auto_tie_breaker_node == model::TieBreaker::kHighest ? "highest"
                                                                     : "list");
  return out.empty() ? " default" : out;
}

SimSetup choose_setup(Plan& plan, const RandomRunOptions& options) {
  SimSetup setup;
  setup.seed = options.seed;
  std::size_t span = options.max_members - options.min_members + 1;
  setup.members = options.min_members + static_cast<std::size_t>(plan.below(span));
  std::size_t n = setup.members;

  model::TotemTimings totem;
  totem.token = std::chrono::milliseconds(plan.pick<int>({200, 300, 500, 1000}));
  if (n <= 5 && plan.chance(15)) totem.token = 3000ms;
  totem.token_coefficient = std::chrono::milliseconds(plan.pick<int>({0, 20, 100}));
  if (n <= 4 && plan.chance(20)) totem.token_coefficient = 650ms;
  if (plan.chance(20)) totem.send_join = std::chrono::milliseconds(plan.pick<int>({5, 20}));
  if (plan.chance(20)) totem.window_size = plan.pick<int>({5, 20});
  if (plan.chance(20)) totem.max_messages = plan.pick<int>({1, 3});
  if (plan.chance(20)) totem.seqno_unchanged_const = plan.pick<int>({1, 5});
  if (plan.chance(10)) totem.fail_recv_const = plan.pick<int>({10, 50});
  setup.membership = make_membership(n, totem);

  model::QuorumOptions& q = setup.quorum;
  switch (plan.below(6)) {
    case 0:
    case 1:
      break;
    case 2:
      q.wait_for_all = true;
      break;
    case 3:
      q.auto_tie_breaker = true;
      q.wait_for_all = true;
      q.auto_tie_breaker_node =
          plan.pick({model::TieBreaker::kLowest, model::TieBreaker::kHighest});
      break;
    case 4:
      q.auto_tie_breaker = true;
      q.wait_for_all = true;
      q.auto_tie_breaker_node = model::TieBreaker::kList;
      q.auto_tie_breaker_nodes = {static_cast<std::uint32_t>(1 + plan.below(n)),
                                  static_cast<std::uint32_t>(1 + plan.below(n))};
      break;
    case 5:
      q.last_man_standing = true;
      q.wait_for_all = true;
      q.last_man_standing_window = std::chrono::milliseconds(plan.pick<int>({1000, 3000}));
      break;
  }
  // last_man_standing lowers expected votes on purpose; corosync's own
  // documentation says it can then leave two partitions quorate (and asks
  // for wait_for_all and fencing). The disjoint-quorum check applies to
  // every other option.
  setup.check_quorum = !q.last_man_standing;
  return setup;
}

LinkProfile choose_faulty_network(Plan& plan) {
  LinkProfile profile;
  profile.loss = plan.pick<double>({0.0, 0.0, 0.01, 0.05, 0.2});
  profile.duplicate = plan.pick<double>({0.0, 0.01, 0.05});
  profile.min_delay = 50us;
  profile.max_delay = plan.pick<Micros>({300us, 2ms, 10ms});
  return profile;
}

std::vector<std::vector<NodeId>> random_groups(Plan& plan, const std::vector<NodeId>& nodes) {
  std::size_t count = plan.chance(70) ? 2 : 3;
  std::vector<std::vector<NodeId>> groups(count);
  for (NodeId id : nodes) groups[plan.below(count)].push_back(id);
  return groups;
}

std::string group_text(const std::vector<std::vector<NodeId>>& groups) {
  std::string out;
  for (const auto& group : groups) {
    if (!out.empty()) out += " | ";
    for (std::size_t i = 0; i < group.size(); ++i) out += (i ? " " : "") + std::to_string(group[i]);
  }
  return out;
}

bool converged(const SimCluster& cluster) {
  std::vector<NodeId> running = cluster.running();
  if (running.empty()) return true;
  NodeSet expected = NodeSet::from(running);
  RingId ring = cluster.view(running.front()).ring;
  for (NodeId id : running) {
    NodeView v = cluster.view(id);
    if (v.state != membership::State::kOperational || v.ring != ring || v.members != expected)
      return false;
  }
  return true;
}

// How long the simulated application keeps sending after the faults stop
// while no single ring has formed. Fixed (it was once the bound) so that a
// seed keeps naming the same run: the plan's later draws come after the
// traffic's.
double traffic_window_ms(double token, double consensus, double merge, double hold, double join) {
  double round = 2 * token + 3 * consensus + 2 * (hold + merge) + 20 * join + 1000;
  return 4 * round;
}

}  // namespace

double convergence_round_ms(const BoundInputs& in) {
  // Network hops a round waits for in sequence: the announcement that
  // starts it, two exchanges of joins, the commit token's two rotations,
  // and up to three rotations of recovery and the first regular token.
  double hops = 5.0 * static_cast<double>(in.members) + 3;
  // A node learns the ring must change when its token is lost (token), or
  // when another ring's representative, holding an idle token, announces
  // its ring (hold + merge); a join or a foreign message tells it at once.
  double detect = std::max(in.token, in.hold + in.merge);
  // Gather ends at the second consensus timeout after the last change of
  // the node's sets: silent nodes are failed at the first, nodes that
  // disagree but are heard from at the second. The last change comes at
  // most one join interval after the round starts.
  double gather = in.join + 2 * in.consensus;
  // Commit and recovery each end, at the latest, when the token timer
  // expires with the token missing.
  double commit_and_recovery = 2 * in.token;
  return detect + gather + commit_and_recovery + hops * in.max_delay;
}

double convergence_bound_ms(const BoundInputs& in) {
  // The first round ends whatever the faults left each node doing (a
  // broken ring, a gather with out-of-date failure sets, an aborted
  // commit); every later round merges the groups whose rounds were in
  // step. The faults leave at most one group per node, and a round in
  // which every group is in step forms the single ring: one round per
  // member. That each round brings that moment closer is argued in
  // docs/membership.md, not proved; the checker is what tests it.
  return static_cast<double>(in.members) * convergence_round_ms(in);
}

RandomRunResult run_random(const RandomRunOptions& options) {
  RandomRunResult result;
  result.seed = options.seed;
  Plan plan;
  plan.result = &result;
  plan.random = membership::SplitMix64(options.seed * 0x2545F4914F6CDD1DULL + 7);

  SimSetup setup = choose_setup(plan, options);
  setup.network = LinkProfile{};
  LinkProfile faulty = choose_faulty_network(plan);
  SimCluster cluster(setup);
  result.members = setup.members;
  if (options.trace) {
    cluster.set_observer([&](NodeId id, const membership::Event& event, TimePoint at) {
      char stamp[32];
      std::snprintf(stamp, sizeof stamp, "%10.3f",
                    static_cast<double>(at.time_since_epoch().count()) / 1000.0);
      *options.trace << stamp << " ms  node " << id << ": " << describe_event(event) << "\n";
    });
    cluster.set_send_observer([&](NodeId id, const membership::Datagram& datagram, TimePoint at) {
      std::string text = describe_datagram(datagram);
      if (text.empty()) return;
      char stamp[32];
      std::snprintf(stamp, sizeof stamp, "%10.3f",
                    static_cast<double>(at.time_since_epoch().count()) / 1000.0);
      *options.trace << stamp << " ms  node " << id << " sends " << text << "\n";
    });
  }
  const membership::TotemConfig& totem = cluster.config_of(1).totem;
  const Micros token = totem.token;
  result.bound_ms = convergence_bound_ms(
      BoundInputs{ms(totem.token), ms(totem.consensus), ms(totem.join), ms(totem.hold),
                  ms(totem.merge), setup.members, ms(LinkProfile{}.max_delay)});

  char head[256];
  std::snprintf(head, sizeof head,
                "%zu members, token %.0f ms (retransmit %.0f, hold %.0f, consensus %.0f),%s, "
                "faults: loss %.0f%% dup %.0f%% delay <= %.1f ms",
                setup.members, ms(totem.token), ms(totem.token_retransmit), ms(totem.hold),
                ms(totem.consensus), quorum_mode(setup.quorum).c_str(), faulty.loss * 100,
                faulty.duplicate * 100, ms(faulty.max_delay));
  result.plan = head;

  // The fault schedule.
  Micros fault_end = 500ms + token * static_cast<std::int64_t>(1 + plan.below(6));
  struct Action {
    Micros at;
    std::function<void()> run;
    std::string text;
  };
  std::vector<Action> actions;
  std::vector<NodeId> nodes = cluster.nodes();
  std::size_t fault_count = plan.below(11);
  for (std::size_t i = 0; i < fault_count; ++i) {
    Micros at = plan.between(0us, fault_end);
    NodeId victim = nodes[plan.below(nodes.size())];
    switch (plan.below(10)) {
      case 0:
      case 1: {
        auto groups = random_groups(plan, nodes);
        actions.push_back({at, [&cluster, groups] { cluster.network().partition(groups); },
                           "partition " + group_text(groups)});
        break;
      }
      case 2: {
        std::vector<std::pair<NodeId, NodeId>> links;
        std::size_t count = 1 + plan.below(std::max<std::size_t>(1, nodes.size() / 2));
        for (std::size_t k = 0; k < count; ++k)
          links.emplace_back(nodes[plan.below(nodes.size())], nodes[plan.below(nodes.size())]);
        std::string text = "one-way cuts";
        for (auto [a, b] : links) text += " " + std::to_string(a) + "->" + std::to_string(b);
        actions.push_back({at,
                           [&cluster, links] {
                             for (auto [a, b] : links) cluster.network().cut(a, b);
                           },
                           text});
        break;
      }
      case 3:
        actions.push_back({at, [&cluster] { cluster.network().heal(); }, "heal"});
        break;
      case 4:
      case 5:
        actions.push_back(
            {at, [&cluster, victim] { cluster.crash(victim); }, "crash " + std::to_string(victim)});
        break;
      case 6:
        actions.push_back({at, [&cluster, victim] { cluster.restart(victim); },
                           "restart " + std::to_string(victim)});
        break;
      case 7:
      case 8: {
        Micros length = plan.between(10ms, token * 3);
        actions.push_back(
            {at, [&cluster, victim] { cluster.pause(victim); }, "pause " + std::to_string(victim)});
        actions.push_back({at + length, [&cluster, victim] { cluster.resume(victim); },
                           "resume " + std::to_string(victim)});
        break;
      }
      case 9: {
        LinkProfile profile = plan.chance(50) ? faulty : LinkProfile{};
        actions.push_back({at, [&cluster, profile] { cluster.network().set_profile(profile); },
                           "network profile change"});
        break;
      }
    }
  }
  // Application traffic during the faults and until the ring has formed
  // again (at most until the end of the convergence window).
  Micros bound = Micros(static_cast<std::int64_t>(result.bound_ms * 1000));
  Micros traffic_end =
      fault_end + Micros(static_cast<std::int64_t>(
                      traffic_window_ms(ms(totem.token), ms(totem.consensus), ms(totem.merge),
                                        ms(totem.hold), ms(totem.join)) *
                      1000));
  Micros gap = plan.pick<Micros>({20ms, 100ms, 400ms});
  for (Micros at = plan.between(0us, gap); at < traffic_end; at += plan.between(1ms, gap * 2)) {
    NodeId from = nodes[plan.below(nodes.size())];
    Guarantee guarantee = plan.chance(25) ? Guarantee::kSafe : Guarantee::kAgreed;
    actions.push_back(
        {at, [&cluster, from, guarantee] { cluster.multicast(from, guarantee); }, ""});
  }
  std::vector<NodeId> restart_at_heal;
  for (NodeId id : nodes)
    if (plan.chance(50)) restart_at_heal.push_back(id);
  actions.push_back({fault_end,
                     [&cluster, restart_at_heal] {
                       cluster.network().heal();
                       cluster.network().set_profile(LinkProfile{});
                       for (NodeId id : cluster.nodes()) cluster.resume(id);
                       for (NodeId id : restart_at_heal) cluster.restart(id);
                       if (cluster.running().empty()) cluster.restart(1);
                     },
                     "faults stop"});
  std::stable_sort(actions.begin(), actions.end(),
                   [](const Action& a, const Action& b) { return a.at < b.at; });

  cluster.network().set_profile(faulty);
  TimePoint start = cluster.now();
  for (const Action& action : actions) {
    if (action.at > fault_end) continue;
    cluster.run_until(start + action.at);
    if (options.trace && !action.text.empty())
      *options.trace << "---- " << cluster.now_ms() << " ms: " << action.text << "\n";
    action.run();
  }
  // The faults have stopped: watch for convergence.
  TimePoint healed = start + fault_end;
  auto later = std::find_if(actions.begin(), actions.end(),
                            [&](const Action& a) { return a.at > fault_end; });
  for (TimePoint t = healed; t <= healed + bound && !cluster.over_budget(); t += 10ms) {
    while (later != actions.end() && start + later->at <= t) {
      cluster.run_until(start + later->at);
      later->run();
      ++later;
    }
    cluster.run_until(t);
    if (converged(cluster)) {
      result.converged_ms = ms(t - healed);
      break;
    }
  }
  // Traffic stops once the ring has formed (or the window is over), so
  // that the quiet period can check everything sent was delivered.
  if (result.converged_ms < 0) {
    std::string states;
    for (NodeId id : cluster.running()) {
      NodeView v = cluster.view(id);
      states += " node " + std::to_string(id) + ": " + membership::to_string(v.state) + " ring " +
                membership::to_string(v.ring) + " {" + membership::to_string(v.members) + "};";
    }
    cluster.checker().violation("no single ring of all running nodes formed within " +
                                std::to_string(static_cast<long>(result.bound_ms)) +
                                " ms of the faults stopping:" + states);
  }
  // A quiet period, then everything sent must have been delivered.
  cluster.run_for(token * 4 + 2s);
  if (!converged(cluster))
    cluster.checker().violation("the single ring did not stay formed after convergence");
  std::vector<NodeId> running = cluster.running();
  if (!running.empty()) {
    ProcessKey first{running.front(), cluster.view(running.front()).incarnation};
    for (NodeId id : running) {
      ProcessKey who{id, cluster.view(id).incarnation};
      if (cluster.checker().regular_count(who) != cluster.checker().regular_count(first))
        cluster.checker().violation(
            "after the quiet period node " + std::to_string(id) + " delivered " +
            std::to_string(cluster.checker().regular_count(who)) +
            " messages in the final ring, node " + std::to_string(first.node) + " " +
            std::to_string(cluster.checker().regular_count(first)));
    }
  }
  cluster.finish();

  result.ok = cluster.checker().ok();
  result.violations = cluster.checker().violations();
  result.simulated_ms = cluster.now_ms();
  result.events = cluster.events_processed();
  result.deliveries = cluster.checker().deliveries();
  return result;
}

}  // namespace tandem::sim
