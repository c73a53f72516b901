#include "sidecar/agent/agent_metrics_text.h"

#include <algorithm>
#include <string_view>

#include "common/metrics/exposition.h"
#include "common/metrics/operations.h"

namespace tandem::agent {
namespace {

using metrics::Exposition;
using metrics::MetricType;

double seconds(std::int64_t microseconds) {
  return static_cast<double>(microseconds) / 1e6;
}

void membership(Exposition& out, const AgentMetricsSnapshot& snapshot) {
  out.family("tandem_membership_ring_changes_total", MetricType::kCounter,
             "New rings (membership configurations) this node joined since it started, the "
             "first included.");
  out.sample({}, snapshot.ring_changes);
  const transport::MembershipStatus* s = snapshot.membership.get();
  out.family("tandem_membership_members", MetricType::kGauge, "Nodes in this node's current ring.");
  if (s) out.sample({}, static_cast<std::uint64_t>(s->members.size()));
  out.family("tandem_membership_quorate", MetricType::kGauge,
             "1 when this node's partition is quorate, else 0.");
  if (s) out.sample({}, s->quorate ? 1.0 : 0.0);
  out.family("tandem_membership_quorum_votes", MetricType::kGauge,
             "Votes as votequorum counts them on this node, by type.");
  if (s) {
    out.sample({{"type", "expected_votes"}}, static_cast<std::uint64_t>(s->expected_votes));
    out.sample({{"type", "highest_expected"}}, static_cast<std::uint64_t>(s->highest_expected));
    out.sample({{"type", "total_votes"}}, static_cast<std::uint64_t>(s->total_votes));
    out.sample({{"type", "quorum"}}, static_cast<std::uint64_t>(s->quorum));
  }
  out.family("tandem_membership_member_votes", MetricType::kGauge,
             "Votes each member of the current ring contributes.");
  if (s) {
    for (const transport::MemberStatus& m : s->members) {
      const std::string id = std::to_string(m.node_id);
      out.sample({{"node_id", id},
                  {"node", m.name},
                  {"local", m.node_id == s->node_id ? "true" : "false"}},
                 static_cast<std::uint64_t>(m.votes));
    }
  }
}

void links_and_clocks(Exposition& out, const transport::MembershipStatus* s) {
  out.family("tandem_transport_link_up", MetricType::kGauge,
             "1 while something authenticated arrived from the node within the link timeout, "
             "else 0; one line per other node of the nodelist.");
  if (s) {
    for (const transport::LinkStatus& l : s->links)
      out.sample({{"node", l.name}}, l.connected ? 1.0 : 0.0);
  }
  out.family("tandem_clock_offset_seconds", MetricType::kGauge,
             "The other node's clock minus this node's, as the clock probes estimate it (true "
             "within half the round trip); absent until a probe was answered.");
  if (s) {
    for (const transport::ClockStatus& c : s->clock)
      if (c.offset_us) out.sample({{"node", c.name}}, seconds(*c.offset_us));
  }
  out.family("tandem_clock_round_trip_seconds", MetricType::kGauge,
             "The round trip of the probe the offset estimate comes from.");
  if (s) {
    for (const transport::ClockStatus& c : s->clock)
      if (c.delay_us) out.sample({{"node", c.name}}, seconds(*c.delay_us));
  }
}

void transport_counters(Exposition& out, const transport::MembershipStatus* s) {
  const transport::TransportCounters counters = s ? s->transport : transport::TransportCounters{};
  out.family("tandem_transport_packets_sent_total", MetricType::kCounter,
             "Datagrams the membership sent.");
  out.sample({}, counters.sent);
  out.family("tandem_transport_send_errors_total", MetricType::kCounter,
             "Datagrams the membership could not send.");
  out.sample({}, counters.send_errors);
  out.family("tandem_transport_packets_received_total", MetricType::kCounter,
             "Datagrams that arrived, before any check.");
  out.sample({}, counters.received);
  out.family("tandem_transport_packets_dropped_total", MetricType::kCounter,
             "Datagrams dropped before the membership saw them, by reason.");
  for (std::size_t i = 0; i < transport::kDropReasons; ++i)
    out.sample({{"reason", transport::drop_reason_key(static_cast<transport::DropReason>(i))}},
               counters.dropped.by_reason[i]);
  out.family("tandem_transport_packets_rejected_total", MetricType::kCounter,
             "Authenticated datagrams the membership refused (stale rings, bad encodings).");
  out.sample({}, counters.rejected);
}

void operations(Exposition& out, const AgentMetricsSnapshot& snapshot) {
  // The core operations always, at zero before the first; others once seen.
  auto shown = [&](std::size_t i) {
    const std::string_view name = executor::action_name(static_cast<executor::Action>(i));
    return snapshot.operations[i].durations.count() > 0 ||
           std::find(metrics::kCoreOperations.begin(), metrics::kCoreOperations.end(), name) !=
               metrics::kCoreOperations.end();
  };
  auto name = [](std::size_t i) { return executor::action_name(static_cast<executor::Action>(i)); };
  out.family("tandem_operation_duration_seconds", MetricType::kHistogram,
             "How long the resource agent ran for each operation on this node, by operation "
             "(probes and recurring monitors are monitors).");
  for (std::size_t i = 0; i < executor::kActionCount; ++i)
    if (shown(i)) out.histogram({{"operation", name(i)}}, snapshot.operations[i].durations);
  out.family("tandem_operation_failures_total", MetricType::kCounter,
             "Operations on this node whose result was a failure, by operation.");
  for (std::size_t i = 0; i < executor::kActionCount; ++i)
    if (shown(i)) out.sample({{"operation", name(i)}}, snapshot.operations[i].failures);
  out.family("tandem_self_fencing", MetricType::kGauge,
             "1 while this node refuses to run anything because it is not known to be in a "
             "quorate partition (it stops its resources), else 0.");
  out.sample({}, snapshot.self_fencing ? 1.0 : 0.0);
}

}  // namespace

std::string agent_metrics_text(const AgentMetricsSnapshot& snapshot) {
  Exposition out;
  membership(out, snapshot);
  links_and_clocks(out, snapshot.membership.get());
  transport_counters(out, snapshot.membership.get());
  operations(out, snapshot);
  return out.text();
}

}  // namespace tandem::agent
