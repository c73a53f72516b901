// The Prometheus text and the status JSON made from a status.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "operator/reconcile/status_json.h"
#include "operator/server/metrics_text.h"
#include "test/unit/promtool.h"

namespace tandem::server {
namespace {

using ::testing::HasSubstr;

reconcile::Status sample() {
  reconcile::Status s;
  s.cluster = "web";
  s.quorum.quorate = true;
  s.quorum.members = {"n1", "n3"};
  s.quorum.expected_votes = 3;
  s.quorum.total_votes = 2;
  s.quorum.quorum = 2;
  reconcile::NodeStatus n1;
  n1.name = "n1";
  n1.state = "online";
  reconcile::NodeStatus n2;
  n2.name = "n2";
  n2.state = "unclean";
  reconcile::NodeStatus n3;
  n3.name = "n3";
  n3.state = "standby";
  s.nodes = {n1, n2, n3};
  reconcile::ResourceStatus web;
  web.resource = "web";
  web.role = "Started";
  web.running_on = {"n1"};
  reconcile::ResourceStatus db;
  db.resource = "db";
  db.role = "Promoted";
  db.presumed_on = {"n2"};
  db.managed = false;
  reconcile::ResourceStatus ip;
  ip.resource = "ip";
  ip.role = "Stopped";
  ip.failed = true;
  s.resources = {web, db, ip};
  s.fail_counts.push_back({"web", "n1", "monitor", 10000, 2, 1700000000});
  s.fail_counts.push_back({"web", "n1", "monitor", 20000, 1, 1700000000});
  s.failover_durations.observe(0.75);
  s.failovers.push_back({"web", "n2", "n1", "node n2 lost", 1000, 1750});
  s.outages.push_back({"db", "n2", "node n2 lost", 1000});
  s.transitions_total = 4;
  s.action_stats["start"].durations.observe(0.03);
  s.action_stats["migrate_to"].durations.observe(2);
  s.action_stats["migrate_to"].failed = 1;
  return s;
}

TEST(Metrics, the_failover_histogram_has_cumulative_buckets) {
  const std::string text = metrics_text(sample());
  EXPECT_THAT(text, HasSubstr("# TYPE tandem_failovers_total counter\ntandem_failovers_total 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_bucket{le=\"0.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_bucket{le=\"1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_bucket{le=\"300\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_bucket{le=\"+Inf\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_sum 0.75\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_count 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_resources_down 1\n"));
}

TEST(Metrics, every_resource_has_a_line_per_node_with_its_role_and_status) {
  const std::string text = metrics_text(sample());
  EXPECT_THAT(text, HasSubstr("tandem_resources{resource=\"web\",node=\"n1\",role=\"Started\","
                              "status=\"active\",managed=\"true\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_resources{resource=\"db\",node=\"n2\",role=\"Promoted\","
                              "status=\"unclean\",managed=\"false\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_resources{resource=\"ip\",node=\"\",role=\"Stopped\","
                              "status=\"failed\",managed=\"true\"} 1\n"));
}

TEST(Metrics, fail_counts_of_two_monitors_of_one_resource_are_two_series) {
  const std::string text = metrics_text(sample());
  EXPECT_THAT(text, HasSubstr("tandem_resource_failcount{resource=\"web\",node=\"n1\","
                              "operation=\"monitor\",interval_ms=\"10000\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("tandem_resource_failcount{resource=\"web\",node=\"n1\","
                              "operation=\"monitor\",interval_ms=\"20000\"} 1\n"));
}

TEST(Metrics, nodes_and_quorum_are_as_the_operator_sees_them) {
  const std::string text = metrics_text(sample());
  EXPECT_THAT(text, HasSubstr("tandem_nodes{node=\"n1\",status=\"online\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_nodes{node=\"n2\",status=\"online\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("tandem_nodes{node=\"n2\",status=\"unclean\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_nodes{node=\"n3\",status=\"online\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_nodes{node=\"n3\",status=\"standby\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_cluster_members 2\n"));
  EXPECT_THAT(text, HasSubstr("tandem_cluster_quorate 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_cluster_quorum_votes{type=\"expected_votes\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("tandem_cluster_quorum_votes{type=\"total_votes\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("tandem_cluster_quorum_votes{type=\"quorum\"} 2\n"));
}

TEST(Metrics, action_series_exist_for_the_core_operations_before_the_first_one) {
  const std::string text = metrics_text(sample());
  EXPECT_THAT(text, HasSubstr("tandem_operator_transitions_total 4\n"));
  EXPECT_THAT(text,
              HasSubstr("tandem_operator_action_duration_seconds_count{operation=\"stop\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("tandem_operator_action_duration_seconds_bucket{operation=\"start\","
                              "le=\"0.05\"} 1\n"));
  EXPECT_THAT(
      text,
      HasSubstr("tandem_operator_action_duration_seconds_count{operation=\"migrate_to\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("tandem_operator_action_failures_total{operation=\"migrate_to\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_operator_action_failures_total{operation=\"promote\"} 0\n"));
}

TEST(Metrics, promtool_finds_nothing_to_lint) {
  auto verdict = testing::promtool_check(metrics_text(sample()));
  if (!verdict) GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  EXPECT_EQ(verdict->exit_status, 0) << verdict->output;
  EXPECT_EQ(verdict->output, "");
}

TEST(StatusJson, the_status_reads_back_as_json_with_the_failover_duration) {
  const auto json = nlohmann::json::parse(reconcile::status_json(sample(), 5000));
  EXPECT_EQ(json["cluster"], "web");
  EXPECT_EQ(json["updatedUnixMs"], 5000);
  EXPECT_EQ(json["nodes"][1]["state"], "unclean");
  EXPECT_EQ(json["resources"][0]["runningOn"][0], "n1");
  EXPECT_EQ(json["resources"][0]["name"], "web");
  EXPECT_EQ(json["resources"][0]["instances"][0]["node"], "n1");
  EXPECT_EQ(json["resources"][0]["instances"][0]["role"], "Started");
  EXPECT_EQ(json["failovers"][0]["durationMs"], 750);
  EXPECT_EQ(json["quorum"]["quorate"], true);
}

}  // namespace
}  // namespace tandem::server
