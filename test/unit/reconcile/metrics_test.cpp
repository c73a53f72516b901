// The Prometheus text and the status JSON made from a status.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "operator/reconcile/status_json.h"
#include "operator/server/metrics_text.h"

namespace tandem::server {
namespace {

using ::testing::HasSubstr;

reconcile::Status sample() {
  reconcile::Status s;
  s.cluster = "web";
  s.quorum.quorate = true;
  s.quorum.members = {"n1", "n2"};
  reconcile::NodeStatus n1;
  n1.name = "n1";
  n1.state = "online";
  reconcile::NodeStatus n2;
  n2.name = "n2";
  n2.state = "unclean";
  s.nodes = {n1, n2};
  reconcile::ResourceStatus web;
  web.resource = "web";
  web.role = "Started";
  web.running_on = {"n1"};
  s.resources.push_back(web);
  s.fail_counts.push_back({"web", "n1", "monitor", 10000, 2, 1700000000});
  s.failover_stats.count = 1;
  s.failover_stats.sum_seconds = 0.75;
  s.failover_stats.buckets[2] = 1;  // <= 1 s
  s.failovers.push_back({"web", "n2", "n1", "node n2 lost", 1000, 1750});
  s.transitions_total = 4;
  return s;
}

TEST(Metrics, the_exposition_has_every_family_with_cumulative_buckets) {
  const std::string text = metrics_text(sample());
  EXPECT_THAT(text, HasSubstr("# TYPE tandem_failovers_total counter\ntandem_failovers_total 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_bucket{le=\"0.5\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_bucket{le=\"1\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_bucket{le=\"300\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_bucket{le=\"+Inf\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_failover_duration_seconds_sum 0.75\n"));
  EXPECT_THAT(
      text,
      HasSubstr("tandem_resource_running{resource=\"web\",node=\"n1\",role=\"Started\"} 1\n"));
  EXPECT_THAT(
      text, HasSubstr("tandem_fail_count{resource=\"web\",node=\"n1\",operation=\"monitor\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("tandem_cluster_members 2\n"));
  EXPECT_THAT(text, HasSubstr("tandem_cluster_quorate 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_node_unclean{node=\"n2\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("tandem_operator_transitions_total 4\n"));
}

TEST(Metrics, label_values_are_escaped) {
  EXPECT_EQ(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
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
