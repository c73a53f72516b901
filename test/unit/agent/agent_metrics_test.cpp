// What the sidecar's /metrics shows, from the statuses and operations the
// membership thread and the agent loop hand in.

#include "sidecar/agent/agent_metrics.h"

#include <atomic>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sidecar/agent/agent_metrics_text.h"
#include "test/unit/promtool.h"
#include "test/unit/transport/sample_status.h"

namespace tandem::agent {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using transport::two_of_three_seen_from;

transport::MembershipStatus with_links_and_clocks() {
  transport::MembershipStatus s = two_of_three_seen_from(1);
  s.links = {{2, "beta", "10.0.0.2:5405", true, 1000}, {3, "gamma", "10.0.0.3:5405", false, {}}};
  transport::ClockStatus beta;
  beta.node_id = 2;
  beta.name = "beta";
  beta.offset_us = -1500;
  beta.delay_us = 250;
  transport::ClockStatus gamma;  // never answered
  gamma.node_id = 3;
  gamma.name = "gamma";
  s.clock = {beta, gamma};
  s.transport.sent = 10;
  s.transport.dropped.by_reason[static_cast<std::size_t>(transport::DropReason::kBadMac)] = 4;
  return s;
}

std::string text_of(const AgentMetrics& metrics) {
  return agent_metrics_text(metrics.snapshot());
}

TEST(AgentMetrics, a_new_ring_id_counts_as_a_ring_change_and_heartbeats_do_not) {
  AgentMetrics metrics;
  transport::MembershipStatus s = two_of_three_seen_from(1);
  s.ring_sequence = 0;  // before the first ring
  metrics.on_membership(s);
  EXPECT_EQ(metrics.snapshot().ring_changes, 0u);
  s.ring_sequence = 4;
  metrics.on_membership(s);
  metrics.on_membership(s);
  s.state = "GATHER";  // the ring id stays until a new ring forms
  metrics.on_membership(s);
  EXPECT_EQ(metrics.snapshot().ring_changes, 1u);
  s.ring_sequence = 8;
  metrics.on_membership(s);
  s.ring_representative = 2;
  metrics.on_membership(s);
  EXPECT_EQ(metrics.snapshot().ring_changes, 3u);
  EXPECT_THAT(text_of(metrics), HasSubstr("tandem_membership_ring_changes_total 3\n"));
}

TEST(AgentMetrics, membership_and_votes_read_as_ha_cluster_exporter_has_them) {
  AgentMetrics metrics;
  metrics.on_membership(two_of_three_seen_from(2));
  const std::string text = text_of(metrics);
  EXPECT_THAT(text, HasSubstr("tandem_membership_members 2\n"));
  EXPECT_THAT(text, HasSubstr("tandem_membership_quorate 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_membership_quorum_votes{type=\"expected_votes\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("tandem_membership_quorum_votes{type=\"highest_expected\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("tandem_membership_quorum_votes{type=\"total_votes\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("tandem_membership_quorum_votes{type=\"quorum\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("tandem_membership_member_votes{node_id=\"1\",node=\"alpha\","
                              "local=\"false\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_membership_member_votes{node_id=\"2\",node=\"beta\","
                              "local=\"true\"} 1\n"));
}

TEST(AgentMetrics, links_clock_offsets_and_drops_are_per_peer_and_per_reason) {
  AgentMetrics metrics;
  metrics.on_membership(with_links_and_clocks());
  const std::string text = text_of(metrics);
  EXPECT_THAT(text, HasSubstr("tandem_transport_link_up{node=\"beta\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_transport_link_up{node=\"gamma\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("tandem_clock_offset_seconds{node=\"beta\"} -0.0015\n"));
  EXPECT_THAT(text, HasSubstr("tandem_clock_round_trip_seconds{node=\"beta\"} 0.00025\n"));
  EXPECT_THAT(text, Not(HasSubstr("tandem_clock_offset_seconds{node=\"gamma\"}")));
  EXPECT_THAT(text, HasSubstr("tandem_transport_packets_sent_total 10\n"));
  EXPECT_THAT(text, HasSubstr("tandem_transport_packets_dropped_total{reason=\"bad_mac\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("tandem_transport_packets_dropped_total{reason=\"replayed\"} 0\n"));
}

TEST(AgentMetrics, operations_are_timed_and_failures_counted_by_operation) {
  AgentMetrics metrics;
  metrics.on_operation(executor::Action::kStart, Duration(30), false);
  metrics.on_operation(executor::Action::kMonitor, Duration(4), false);
  metrics.on_operation(executor::Action::kMonitor, Duration(2000), true);
  metrics.on_operation(executor::Action::kMigrateTo, Duration(700), false);
  const std::string text = text_of(metrics);
  EXPECT_THAT(text, HasSubstr("tandem_operation_duration_seconds_bucket{operation=\"start\","
                              "le=\"0.025\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("tandem_operation_duration_seconds_bucket{operation=\"start\","
                              "le=\"0.05\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("tandem_operation_duration_seconds_count{operation=\"monitor\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("tandem_operation_duration_seconds_sum{operation=\"monitor\"} 2.004\n"));
  EXPECT_THAT(text, HasSubstr("tandem_operation_failures_total{operation=\"monitor\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_operation_failures_total{operation=\"start\"} 0\n"));
  // The core operations are there before their first run; others once seen.
  EXPECT_THAT(text, HasSubstr("tandem_operation_duration_seconds_count{operation=\"demote\"} 0\n"));
  EXPECT_THAT(text,
              HasSubstr("tandem_operation_duration_seconds_count{operation=\"migrate_to\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("operation=\"reload\"")));
}

TEST(AgentMetrics, before_the_first_status_only_counters_and_operations_show) {
  AgentMetrics metrics;
  const std::string text = text_of(metrics);
  EXPECT_THAT(text, HasSubstr("tandem_membership_ring_changes_total 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE tandem_membership_quorate gauge\n"));
  EXPECT_THAT(text, Not(HasSubstr("tandem_membership_quorate 0")));
  EXPECT_THAT(text, HasSubstr("tandem_self_fencing 0\n"));
}

TEST(AgentMetrics, self_fencing_shows_while_it_lasts) {
  AgentMetrics metrics;
  metrics.set_self_fencing(true);
  EXPECT_THAT(text_of(metrics), HasSubstr("tandem_self_fencing 1\n"));
  metrics.set_self_fencing(false);
  EXPECT_THAT(text_of(metrics), HasSubstr("tandem_self_fencing 0\n"));
}

// Members and total votes change together in every status the writer hands
// in: a scrape that saw one status's members and another's votes would
// break the equality.
TEST(AgentMetrics, a_scrape_sees_one_status_whole_while_the_membership_writes) {
  AgentMetrics metrics;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    transport::MembershipStatus s = two_of_three_seen_from(1);
    for (std::uint32_t i = 0; i < 20'000; ++i) {
      s.members.resize(1 + i % 3, transport::MemberStatus{9, 1, "x"});
      s.total_votes = static_cast<std::uint32_t>(s.members.size());
      s.ring_sequence = i + 1;
      metrics.on_membership(s);
    }
    done = true;
  });
  int scrapes = 0;
  while (!done || scrapes == 0) {
    const AgentMetricsSnapshot snapshot = metrics.snapshot();
    ++scrapes;
    if (!snapshot.membership) continue;
    ASSERT_EQ(snapshot.membership->members.size(), snapshot.membership->total_votes);
    ASSERT_LE(snapshot.ring_changes, snapshot.membership->ring_sequence);
  }
  writer.join();
  EXPECT_EQ(metrics.snapshot().ring_changes, 20'000u);
}

TEST(AgentMetrics, promtool_finds_nothing_to_lint) {
  AgentMetrics metrics;
  metrics.on_membership(with_links_and_clocks());
  metrics.on_operation(executor::Action::kStart, Duration(30), false);
  metrics.on_operation(executor::Action::kReloadAgent, Duration(30), true);
  auto verdict = testing::promtool_check(text_of(metrics));
  if (!verdict) GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  EXPECT_EQ(verdict->exit_status, 0) << verdict->output;
  EXPECT_EQ(verdict->output, "");
}

}  // namespace
}  // namespace tandem::agent
