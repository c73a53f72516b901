#include "test/sim/startup_run.h"

#include <algorithm>
#include <cstdio>

#include "test/sim/trace.h"

namespace tandem::sim {
namespace {

double ms(Micros d) {
  return static_cast<double>(d.count()) / 1000.0;
}

bool one_ring_of_all(const SimCluster& cluster) {
  std::vector<NodeId> all = cluster.nodes();
  NodeSet expected = NodeSet::from(all);
  RingId ring = cluster.view(all.front()).ring;
  for (NodeId id : all) {
    NodeView v = cluster.view(id);
    if (cluster.working(id)) return false;
    if (!v.alive || v.state != membership::State::kOperational || v.ring != ring ||
        v.members != expected || !v.quorate)
      return false;
  }
  return true;
}

std::string states_text(const SimCluster& cluster) {
  std::map<std::string, std::size_t> rings;
  for (NodeId id : cluster.nodes()) {
    NodeView v = cluster.view(id);
    rings[std::string(membership::to_string(v.state)) + " " + membership::to_string(v.ring) +
          " of " + std::to_string(v.members.size())]++;
  }
  std::string out;
  for (const auto& [text, count] : rings) out += " " + std::to_string(count) + " x " + text + ";";
  return out;
}

}  // namespace

StartupRunResult run_startup(const StartupRunOptions& options) {
  StartupRunResult result;
  SimSetup setup;
  setup.seed = options.seed;
  setup.members = options.members;
  setup.membership = make_membership(options.members, options.totem);
  setup.cpu = options.cpu;
  setup.start_stopped = true;
  setup.multicast_after_configuration = options.sync_messages;
  setup.event_budget = options.event_budget;
  SimCluster cluster(setup);

  std::uint64_t gathers = 0;
  bool formed = false;
  bool idle = false;
  cluster.set_observer([&](NodeId id, const membership::Event& event, TimePoint at) {
    if (const auto* state = std::get_if<membership::StateChanged>(&event)) {
      if (state->to == membership::State::kGather && !formed) ++gathers;
    } else if (const auto* change = std::get_if<membership::ConfigurationChanged>(&event)) {
      if (idle && change->kind == membership::ConfigurationKind::kRegular) ++result.changes_at_idle;
    }
    if (options.trace) {
      char stamp[32];
      std::snprintf(stamp, sizeof stamp, "%10.3f",
                    static_cast<double>(at.time_since_epoch().count()) / 1000.0);
      *options.trace << stamp << " ms  node " << id << ": " << describe_event(event) << "\n";
    }
  });

  if (options.trace) {
    cluster.set_send_observer([&](NodeId id, const membership::Datagram& datagram, TimePoint at) {
      std::string text = describe_datagram(datagram);
      if (text.empty()) text = "a token or message";
      char stamp[32];
      std::snprintf(stamp, sizeof stamp, "%10.3f",
                    static_cast<double>(at.time_since_epoch().count()) / 1000.0);
      *options.trace << stamp << " ms  node " << id << " sends " << text << "\n";
    });
  }
  const membership::TotemConfig& totem = cluster.config_of(1).totem;
  Micros limit = (totem.token + totem.consensus) * 4 + Micros(60'000'000);
  result.limit_ms = ms(limit);
  char head[256];
  std::snprintf(head, sizeof head,
                "%zu members started within %.0f ms, token %.0f ms (hold %.0f, consensus %.0f), "
                "%zu cpus, receive %lld us, send %lld us a copy, timers %lld us",
                options.members, ms(options.stagger), ms(totem.token), ms(totem.hold),
                ms(totem.consensus), options.cpu.cpus,
                static_cast<long long>(options.cpu.receive.count()),
                static_cast<long long>(options.cpu.send.count()),
                static_cast<long long>(options.cpu.timers.count()));
  result.plan = head;

  // Start times: node 1 at 0, the others spread over the stagger, drawn
  // from the seed (the script starts them one after another, each exec
  // taking its own time).
  membership::SplitMix64 random(options.seed * 0x9E3779B97F4A7C15ULL + 11);
  std::vector<std::pair<Micros, NodeId>> starts;
  for (NodeId id : cluster.nodes()) {
    Micros at = id == 1 ? Micros(0)
                        : Micros(static_cast<std::int64_t>(membership::uniform(
                              random, static_cast<std::uint64_t>(options.stagger.count()) + 1)));
    starts.emplace_back(at, id);
  }
  std::sort(starts.begin(), starts.end());
  TimePoint start = cluster.now();
  for (auto [at, id] : starts) {
    cluster.run_until(start + at);
    cluster.restart(id);
  }
  for (TimePoint t = cluster.now(); t <= start + limit && !cluster.over_budget();
       t += Micros(100'000)) {
    cluster.run_until(t);
    if (one_ring_of_all(cluster)) {
      formed = true;
      result.formed_ms = ms(t - start);
      break;
    }
  }
  result.gathers = gathers;
  result.copies_to_form = cluster.copies_sent();
  if (!formed) {
    cluster.checker().violation("no ring of all " + std::to_string(options.members) +
                                " nodes formed within " +
                                std::to_string(static_cast<long>(result.limit_ms)) +
                                " ms of the first start:" + states_text(cluster));
  } else {
    std::vector<Micros> cpu_before;
    for (NodeId id : cluster.nodes()) cpu_before.push_back(cluster.cpu_time(id));
    std::uint64_t copies_before = cluster.copies_sent();
    idle = true;
    cluster.run_for(options.idle);
    idle = false;
    if (result.changes_at_idle > 0 || !one_ring_of_all(cluster))
      cluster.checker().violation(std::to_string(result.changes_at_idle) +
                                  " configuration changes during " +
                                  std::to_string(static_cast<long>(ms(options.idle))) +
                                  " ms of idle after the ring formed; now" + states_text(cluster));
    double total = 0;
    for (NodeId id : cluster.nodes()) {
      double share = 100.0 * ms(cluster.cpu_time(id) - cpu_before[id - 1]) / ms(options.idle);
      total += share;
      result.idle_cpu_max_percent = std::max(result.idle_cpu_max_percent, share);
    }
    result.idle_cpu_mean_percent = total / static_cast<double>(options.members);
    result.copies_per_second_at_idle =
        static_cast<double>(cluster.copies_sent() - copies_before) / (ms(options.idle) / 1000.0);
  }
  for (NodeId id : cluster.nodes()) result.socket_drops += cluster.socket_drops(id);
  cluster.finish();
  result.ok = cluster.checker().ok();
  result.violations = cluster.checker().violations();
  result.events = cluster.events_processed();
  result.simulated_ms = cluster.now_ms();
  return result;
}

}  // namespace tandem::sim
