#include "common/protocol/codec.h"

#include <gtest/gtest.h>

namespace tandem::protocol {
namespace {

NodeReport sample_report() {
  NodeReport r;
  r.node = "node1";
  r.incarnation = "b7e1";
  r.sequence = 42;
  r.sent_unix_ms = 1'700'000'000'123;
  r.membership.ring_id = "1.d";
  r.membership.state = "OPERATIONAL";
  r.membership.members = {{1, "node1"}, {2, "node2"}};
  r.membership.quorate = true;
  r.membership.expected_votes = 3;
  r.membership.total_votes = 2;
  r.membership.quorum = 2;
  r.membership.quorate_since_unix_ms = 1'700'000'000'000;
  ResourceReport web{"web", "ocf", "heartbeat", "apache", {}};
  web.ops.push_back(OpResult{"web_last_0", "start", 0, 0, 0, "done", 3, 1'700'000'000,
                             1'700'000'001, 120, "", "abc"});
  web.ops.push_back(OpResult{"web_monitor_10000", "monitor", 10'000, 7, 0, "done", 4, 5, 6, 1,
                             "not running", "abc"});
  r.resources.push_back(web);
  r.fail_counts.push_back(FailCountReport{"web", "monitor", 10'000, 1, 1'700'000'002});
  r.attributes = {{"pingd", "100"}, {"master-db", "10"}};
  r.outcomes.push_back(ActionOutcome{"op1-7", 0, "done", "", 1'700'000'001'000});
  r.self_fencing = true;
  return r;
}

std::string report_text(const NodeReport& r) {
  return encode(r);
}

TEST(ProtocolCodec, a_report_round_trips_field_for_field) {
  const NodeReport original = sample_report();
  auto decoded = decode_report(encode(original));
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(report_text(*decoded), report_text(original));
  EXPECT_EQ(decoded->resources.at(0).ops.at(1).exit_reason, "not running");
  EXPECT_EQ(decoded->membership.members.at(1).name, "node2");
  EXPECT_TRUE(decoded->self_fencing);
}

TEST(ProtocolCodec, an_action_batch_round_trips) {
  ActionBatch batch;
  batch.actions.push_back(ActionRequest{"op1-1",
                                        "db:1_start_0",
                                        "start",
                                        "db:1",
                                        0,
                                        20'000,
                                        {{"clone", "1"}},
                                        "kind: HAResource\n",
                                        "d1"});
  batch.version = "op1.4";
  batch.actions[0].ring_id = "1.8";
  auto decoded = decode_actions(encode(batch));
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->actions.size(), 1u);
  EXPECT_EQ(decoded->actions[0].resource, "db:1");
  EXPECT_EQ(decoded->actions[0].meta.at("clone"), "1");
  EXPECT_EQ(decoded->actions[0].digest, "d1");
  EXPECT_EQ(decoded->version, "op1.4");
  EXPECT_EQ(decoded->actions[0].ring_id, "1.8");
  EXPECT_EQ(encode(*decoded), encode(batch));
}

TEST(ProtocolCodec, a_wrong_type_is_named_by_its_path) {
  auto decoded = decode_report(
      R"({"node":"n1","resources":[{"resource":"a","ops":[{"id":"x"},{"rc":"zero"}]}]})");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message,
            "node report: resources[0].ops[1].rc: expected an integer in range");
}

TEST(ProtocolCodec, a_number_out_of_range_is_refused) {
  auto decoded = decode_report(R"({"node":"n1","membership":{"expectedVotes":-1}})");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message,
            "node report: membership.expectedVotes: expected a non-negative integer in range");
  EXPECT_FALSE(decode_report(R"({"node":"n1","failCounts":[{"count":99999999999}]})"));
}

TEST(ProtocolCodec, text_that_is_not_a_json_object_is_refused) {
  EXPECT_EQ(decode_report("{").error().message, "node report: not valid JSON");
  EXPECT_EQ(decode_report("[1]").error().message, "node report: expected a JSON object");
  EXPECT_EQ(decode_actions("").error().message, "actions: not valid JSON");
}

TEST(ProtocolCodec, a_report_without_a_node_is_refused) {
  EXPECT_EQ(decode_report("{}").error().message, "node report: node: required");
}

TEST(ProtocolCodec, an_action_without_an_id_is_refused) {
  auto decoded = decode_actions(R"({"actions":[{"id":"a","task":"start"},{"task":"stop"}]})");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message, "actions: actions[1]: id and task are required");
}

TEST(ProtocolCodec, attributes_must_be_strings) {
  auto decoded = decode_report(R"({"node":"n1","attributes":{"pingd":100}})");
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().message, "node report: attributes.pingd: expected a string");
}

TEST(ProtocolCodec, unknown_fields_are_ignored_for_upgrades) {
  auto decoded = decode_report(R"({"node":"n1","fromTheFuture":{"x":1}})");
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(decoded->node, "n1");
}

}  // namespace
}  // namespace tandem::protocol
