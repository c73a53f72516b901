// The observed-state file: what it reads, that it writes back what it read,
// and how each kind of mistake in it is reported.

#include "operator/observed/observed_file.h"

#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tandem::observed {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;

// Every field of the state, one per line: equal dumps mean equal states, and
// a failing test shows which field differs.
std::string dump(const placement::ObservedState& s) {
  std::ostringstream out;
  auto opt = [](const auto& value) {
    std::ostringstream text;
    if (value) {
      text << *value;
    } else {
      text << "-";
    }
    return text.str();
  };
  out << "now " << opt(s.now) << " quorum " << s.have_quorum << "\n";
  for (const auto& n : s.nodes) {
    out << "node " << n.name << " id " << n.id << " online " << n.online << " unclean " << n.unclean
        << " reason '" << n.unclean_reason << "' pending " << n.pending << " shutdown "
        << n.shutdown << " unseen " << n.unseen << " dc " << n.is_dc << "\n";
    for (const auto& [k, v] : n.attributes) out << "  attr " << k << "=" << v << "\n";
  }
  for (const auto& h : s.history) {
    out << "history " << h.resource << " on " << h.node << " agent " << h.agent_class << ":"
        << h.provider << ":" << h.type << "\n";
    for (const auto& op : h.ops) {
      out << "  op " << op.id << " " << op.task << " " << op.interval_ms << " rc " << op.rc
          << " exp " << op.expected_rc << " status " << static_cast<int>(op.status) << " call "
          << op.call_id << " change " << opt(op.last_rc_change) << " run " << opt(op.last_run)
          << " reason '" << op.exit_reason << "' src " << opt(op.migrate_source) << " dst "
          << opt(op.migrate_target) << " digest " << opt(op.digest) << " restart "
          << opt(op.restart_digest) << "\n";
    }
  }
  for (const auto& c : s.fail_counts) {
    out << "failcount " << c.resource << " on " << c.node << " " << c.operation << " "
        << c.interval_ms << " = " << c.count << " last " << opt(c.last_failure) << "\n";
  }
  return out.str();
}

struct Read {
  Decoded decoded;
  std::vector<std::string> messages;
};

Read read(const std::string& text, const DecodeLimits& limits = {}) {
  Read out;
  model::Diagnostics diagnostics;
  out.decoded = decode_observed(text, "observed.yaml", diagnostics, limits);
  for (const auto& d : diagnostics.items()) out.messages.push_back(format_diagnostic(d));
  return out;
}

// One error, as users see it.
std::string error_of(const std::string& text) {
  Read r = read(text);
  EXPECT_THAT(r.messages, SizeIs(1));
  return r.messages.empty() ? "" : r.messages.front();
}

const std::string kHeader = "apiVersion: tandem.dev/v1alpha1\nkind: ObservedState\n";

placement::ObservedNode node(std::string name, std::string id) {
  placement::ObservedNode n;
  n.name = std::move(name);
  n.id = std::move(id);
  return n;
}

// A state with every field set somewhere, in the form the decoder produces.
placement::ObservedState full_state() {
  placement::ObservedState s;
  s.now = 1700000000;
  s.have_quorum = false;
  placement::ObservedNode a = node("node1", "1");
  a.is_dc = true;
  a.attributes = {{"pingd", "100"}, {"site", "east"}, {"yes", "no"}};
  placement::ObservedNode b = node("node2", "2");
  b.online = false;
  b.unclean = true;
  b.unclean_reason = "peer is no longer part of the cluster";
  placement::ObservedNode c = node("node3", "node3");
  c.pending = true;
  placement::ObservedNode d = node("node4", "4");
  d.shutdown = true;
  d.online = false;
  placement::ObservedNode e = node("node5", "5");
  e.online = false;
  e.unseen = true;
  e.unclean = true;
  e.unclean_reason = "node is unclean";
  s.nodes = {a, b, c, d, e};

  placement::ResourceHistory web;
  web.resource = "web";
  web.node = "node1";
  web.agent_class = "ocf";
  web.provider = "heartbeat";
  web.type = "apache";
  placement::OpRecord start;
  start.id = "web_last_0";
  start.task = "start";
  start.call_id = 3;
  start.last_rc_change = 1699999000;
  start.last_run = 1699999001;
  start.digest = "abc";
  start.restart_digest = "def";
  placement::OpRecord monitor;
  monitor.id = "web_monitor_10000";
  monitor.task = "monitor";
  monitor.interval_ms = 10000;
  monitor.rc = 7;
  monitor.expected_rc = 0;
  monitor.status = placement::ExecStatus::kError;
  monitor.call_id = 4;
  monitor.exit_reason = "not running: \"pid\" gone";
  placement::OpRecord pending;
  pending.id = "web_last_failure_0";
  pending.task = "migrate_to";
  pending.rc = -1;
  pending.expected_rc = -1;
  pending.status = placement::ExecStatus::kPending;
  pending.call_id = -1;
  pending.migrate_source = "node1";
  pending.migrate_target = "node2";
  web.ops = {start, monitor, pending};
  placement::ResourceHistory fence;
  fence.resource = "old-fence";
  fence.node = "node2";
  fence.agent_class = "stonith";
  fence.type = "fence_xvm";
  placement::ResourceHistory empty;
  empty.resource = "db";
  empty.node = "node2";
  s.history = {web, fence, empty};

  placement::FailCount count;
  count.resource = "web";
  count.node = "node1";
  count.operation = "monitor";
  count.interval_ms = 10000;
  count.count = 1000000;
  count.last_failure = 1699999500;
  placement::FailCount old_style;
  old_style.resource = "db";
  old_style.node = "node1";
  old_style.count = 2;
  s.fail_counts = {count, old_style};
  // The decoder adds fail counts to the attributes, as Pacemaker keeps them.
  s.nodes[0].attributes["fail-count-web#monitor_10000"] = "INFINITY";
  s.nodes[0].attributes["last-failure-web#monitor_10000"] = "1699999500";
  s.nodes[0].attributes["fail-count-db"] = "2";
  return s;
}

TEST(ObservedFile, reads_back_what_it_writes) {
  const placement::ObservedState state = full_state();
  auto text = encode_observed(state);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  Read r = read(*text);
  EXPECT_THAT(r.messages, IsEmpty());
  apply_startup_fencing(r.decoded.state, true);
  EXPECT_EQ(dump(r.decoded.state), dump(state)) << *text;
  auto again = encode_observed(r.decoded.state);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *text);
}

TEST(ObservedFile, writes_what_is_special_and_leaves_defaults_out) {
  placement::ObservedState s;
  s.nodes = {node("node1", "node1")};
  placement::ResourceHistory h;
  h.resource = "web";
  h.node = "node1";
  placement::OpRecord op;
  op.id = "web_start_0";
  op.task = "start";
  h.ops = {op};
  s.history = {h};
  auto text = encode_observed(s);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text,
            "apiVersion: tandem.dev/v1alpha1\n"
            "kind: ObservedState\n"
            "quorum: true\n"
            "nodes:\n"
            "  - name: node1\n"
            "    state: online\n"
            "    resources:\n"
            "      - name: web\n"
            "        operations:\n"
            "          - operation: start\n"
            "            rc: 0\n");
}

TEST(ObservedFile, every_node_state_reads_back_as_the_same_flags) {
  struct Case {
    const char* yaml;
    bool online, unclean, pending, shutdown, unseen;
  };
  for (const Case& c : std::vector<Case>{
           {"state: online", true, false, false, false, false},
           {"state: offline", false, false, false, false, false},
           {"state: unclean", false, true, false, false, false},
           {"state: unclean, online: true", true, true, false, false, false},
           {"state: pending", true, false, true, false, false},
           {"state: pending, online: false", false, false, true, false, false},
           {"state: shutdown", true, false, false, true, false},
           {"state: shutdown, online: false", false, false, false, true, false},
           {"state: unseen", false, false, false, false, true},
       }) {
    Read r = read(kHeader + "nodes:\n  - {name: n1, " + c.yaml + "}\n");
    ASSERT_THAT(r.messages, IsEmpty()) << c.yaml;
    const placement::ObservedNode& n = r.decoded.state.nodes.at(0);
    EXPECT_EQ(n.online, c.online) << c.yaml;
    EXPECT_EQ(n.unclean, c.unclean) << c.yaml;
    EXPECT_EQ(n.pending, c.pending) << c.yaml;
    EXPECT_EQ(n.shutdown, c.shutdown) << c.yaml;
    EXPECT_EQ(n.unseen, c.unseen) << c.yaml;
    auto text = encode_observed(r.decoded.state);
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(dump(read(*text).decoded.state), dump(r.decoded.state)) << c.yaml;
  }
}

TEST(ObservedFile, an_unseen_node_is_unclean_only_with_startup_fencing) {
  Read r = read(kHeader + "nodes:\n  - {name: n1, state: unseen}\n");
  placement::ObservedState fenced = r.decoded.state;
  apply_startup_fencing(fenced, true);
  EXPECT_TRUE(fenced.nodes[0].unclean);
  EXPECT_EQ(fenced.nodes[0].unclean_reason, "node is unclean");
  placement::ObservedState trusted = r.decoded.state;
  apply_startup_fencing(trusted, false);
  EXPECT_FALSE(trusted.nodes[0].unclean);
}

TEST(ObservedFile, a_minimal_file_means_quorum_and_ids_that_are_the_names) {
  Read r = read(kHeader + "nodes:\n  - name: n1\n    state: online\n");
  ASSERT_THAT(r.messages, IsEmpty());
  const placement::ObservedState& s = r.decoded.state;
  EXPECT_TRUE(s.have_quorum);
  EXPECT_FALSE(s.now.has_value());
  EXPECT_EQ(s.nodes.at(0).id, "n1");
  EXPECT_THAT(s.history, IsEmpty());
}

TEST(ObservedFile, an_operation_without_an_id_gets_pacemakers_key) {
  Read r = read(kHeader +
                "nodes:\n  - name: n1\n    state: online\n    resources:\n      - name: web\n"
                "        operations:\n          - {operation: monitor, interval: 10s, rc: 7}\n");
  ASSERT_THAT(r.messages, IsEmpty());
  EXPECT_EQ(r.decoded.state.history.at(0).ops.at(0).id, "web_monitor_10000");
  EXPECT_EQ(r.decoded.state.history.at(0).ops.at(0).interval_ms, 10000);
}

TEST(ObservedFile, fail_counts_also_appear_as_pacemakers_attributes) {
  Read r = read(kHeader +
                "nodes:\n  - name: n1\n    state: online\n    failCounts:\n"
                "      - {resource: web, operation: start, count: 3, lastFailure: 100}\n");
  ASSERT_THAT(r.messages, IsEmpty());
  EXPECT_THAT(
      r.decoded.state.nodes.at(0).attributes,
      ElementsAre(Pair("fail-count-web#start_0", "3"), Pair("last-failure-web#start_0", "100")));
}

TEST(ObservedFile, times_are_rfc_3339_or_seconds_since_the_epoch) {
  EXPECT_EQ(read(kHeader + "now: 2023-11-14T22:13:20Z\n").decoded.state.now, 1700000000);
  EXPECT_EQ(read(kHeader + "now: 2023-11-14T23:13:20+01:00\n").decoded.state.now, 1700000000);
  EXPECT_EQ(read(kHeader + "now: 1700000000\n").decoded.state.now, 1700000000);
}

TEST(ObservedFile, node_ids_may_be_written_as_numbers) {
  Read r = read(kHeader + "nodes:\n  - {name: n1, id: 12, state: online}\n");
  ASSERT_THAT(r.messages, IsEmpty());
  EXPECT_EQ(r.decoded.state.nodes.at(0).id, "12");
}

TEST(ObservedFile, remembers_where_each_entry_was_for_later_messages) {
  Read r = read(kHeader +
                "nodes:\n  - name: n1\n    state: online\n    resources:\n"
                "      - name: web\n");
  ASSERT_THAT(r.decoded.nodes, SizeIs(1));
  EXPECT_EQ(r.decoded.nodes[0].line, 4);
  EXPECT_EQ(r.decoded.nodes[0].path, "nodes[0]");
  ASSERT_THAT(r.decoded.history, SizeIs(1));
  EXPECT_EQ(r.decoded.history[0].line, 7);
  EXPECT_EQ(r.decoded.history[0].path, "nodes[0].resources[0]");
}

// ---- one test per kind of mistake -------------------------------------------

TEST(ObservedFileErrors, an_unknown_field_is_named_with_a_likely_correction) {
  EXPECT_THAT(read(kHeader + "nodes:\n  - name: n1\n    stat: online\n").messages,
              ElementsAre("observed.yaml:4:5: nodes[0].state: required field is missing",
                          "observed.yaml:5:5: nodes[0].stat: unknown field (did you mean "
                          "\"state\"?)"));
  Read r = read(kHeader + "nodes:\n  - name: n1\n    state: online\n    onlin: true\n");
  EXPECT_THAT(r.messages, ElementsAre("observed.yaml:6:5: nodes[0].onlin: unknown field (did you "
                                      "mean \"online\"?)"));
}

TEST(ObservedFileErrors, a_missing_required_field_is_named) {
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - state: online\n"),
            "observed.yaml:4:5: nodes[0].name: required field is missing");
}

TEST(ObservedFileErrors, a_value_of_the_wrong_type_says_what_was_expected) {
  EXPECT_EQ(error_of(kHeader + "quorum: 1\n"),
            "observed.yaml:3:9: quorum: expected true or false, got the integer 1");
  EXPECT_EQ(error_of(kHeader + "nodes: {name: n1}\n"),
            "observed.yaml:3:8: nodes: expected a list, got a mapping");
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - {name: n1, state: online, attributes: {pingd: 100}}\n"),
            "observed.yaml:4:51: nodes[0].attributes.pingd: expected a string, got the integer 100 "
            "(quote it: \"100\")");
}

TEST(ObservedFileErrors, yaml_1_1_booleans_are_refused_as_in_manifests) {
  EXPECT_EQ(error_of(kHeader + "quorum: yes\n"),
            "observed.yaml:3:9: quorum: yes is not a boolean: write true or false");
}

TEST(ObservedFileErrors, an_out_of_range_value_gives_the_range) {
  const std::string resource =
      kHeader +
      "nodes:\n  - name: n1\n    state: online\n    resources:\n      - name: web\n"
      "        operations:\n          - ";
  EXPECT_EQ(error_of(resource + "{operation: start, rc: 256}\n"),
            "observed.yaml:9:36: nodes[0].resources[0].operations[0].rc: must be at most 255, got "
            "256");
  EXPECT_EQ(error_of(resource + "{operation: start, callId: -2}\n"),
            "observed.yaml:9:40: nodes[0].resources[0].operations[0].callId: must be at least -1, "
            "got -2");
  EXPECT_EQ(error_of(resource + "{operation: start, interval: 200d}\n"),
            "observed.yaml:9:42: nodes[0].resources[0].operations[0].interval: \"200d\" is not a "
            "duration");
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - name: n1\n    state: online\n    failCounts:\n"
                               "      - {resource: web, count: -1}\n"),
            "observed.yaml:7:32: nodes[0].failCounts[0].count: must be at least 0, got -1");
}

TEST(ObservedFileErrors, a_misspelt_choice_lists_the_choices) {
  EXPECT_EQ(
      error_of(kHeader + "nodes:\n  - {name: n1, state: onlin}\n"),
      "observed.yaml:4:23: nodes[0].state: \"onlin\" is not one of: online, offline, unclean, "
      "pending, shutdown, unseen (did you mean \"online\"?)");
}

TEST(ObservedFileErrors, a_time_must_be_whole_seconds_after_1970) {
  EXPECT_EQ(error_of(kHeader + "now: 2023-11-14T22:13:20.5Z\n"),
            "observed.yaml:3:6: now: \"2023-11-14T22:13:20.5Z\" has a fraction of a second; write "
            "whole seconds");
  EXPECT_EQ(error_of(kHeader + "now: 1969-12-31T23:59:59Z\n"),
            "observed.yaml:3:6: now: \"1969-12-31T23:59:59Z\" is before 1970");
  EXPECT_EQ(error_of(kHeader + "now: yesterday\n"),
            "observed.yaml:3:6: now: \"yesterday\" is not an RFC 3339 timestamp (e.g. "
            "2026-11-24T19:42:00Z)");
}

TEST(ObservedFileErrors, a_manifest_is_not_an_observed_state) {
  EXPECT_EQ(error_of("apiVersion: tandem.dev/v1alpha1\nkind: HANode\n"),
            "observed.yaml:2:7: kind: \"HANode\" is not \"ObservedState\": this is a manifest, not "
            "an observed-state file");
  EXPECT_EQ(error_of("apiVersion: v1\nkind: ObservedState\n"),
            "observed.yaml:1:13: apiVersion: \"v1\" is not supported (expected "
            "tandem.dev/v1alpha1)");
}

TEST(ObservedFileErrors, a_duplicate_key_is_refused) {
  EXPECT_EQ(error_of(kHeader + "quorum: true\nquorum: false\n"),
            "observed.yaml:4:1: quorum: duplicate key");
}

TEST(ObservedFileErrors, a_node_listed_twice_points_at_the_first) {
  EXPECT_EQ(
      error_of(kHeader + "nodes:\n  - {name: n1, state: online}\n  - {name: n1, state: offline}\n"),
      "observed.yaml:5:5: nodes[1].name: node \"n1\" is listed twice (first at line 4)");
}

TEST(ObservedFileErrors, two_dcs_are_refused) {
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - {name: n1, state: online, dc: true}\n"
                               "  - {name: n2, state: online, dc: true}\n"),
            "observed.yaml:5:5: nodes[1].dc: only one node is the DC, and \"n1\" already is");
}

TEST(ObservedFileErrors, online_is_only_for_states_that_leave_it_open) {
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - {name: n1, state: offline, online: true}\n"),
            "observed.yaml:4:40: nodes[0].online: only unclean, pending and shutdown nodes take "
            "online; an offline node is offline by definition");
}

TEST(ObservedFileErrors, a_reason_is_only_for_unclean_nodes) {
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - {name: n1, state: online, reason: lost}\n"),
            "observed.yaml:4:39: nodes[0].reason: only unclean nodes take a reason (why they must "
            "be fenced)");
}

TEST(ObservedFileErrors, fail_counts_are_not_attributes) {
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - name: n1\n    state: online\n    attributes:\n"
                               "      fail-count-web#start_0: \"1\"\n"),
            "observed.yaml:7:7: nodes[0].attributes.fail-count-web#start_0: fail counts go under "
            "failCounts, which sets this attribute too");
}

TEST(ObservedFileErrors, a_node_name_must_be_a_host_name) {
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - {name: -n1, state: online}\n"),
            "observed.yaml:4:12: nodes[0].name: \"-n1\" is not a node name (letters, digits, '-', "
            "'_' and '.', starting with a letter or digit)");
}

TEST(ObservedFileErrors, a_resource_listed_twice_on_a_node_is_refused) {
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - name: n1\n    state: online\n    resources:\n"
                               "      - name: web\n      - name: web\n"),
            "observed.yaml:8:15: nodes[0].resources[1].name: resource \"web\" is listed twice on "
            "this node; give all its operations in one entry");
}

TEST(ObservedFileErrors, an_agent_needs_its_class) {
  EXPECT_EQ(error_of(kHeader + "nodes:\n  - name: n1\n    state: online\n    resources:\n"
                               "      - {name: web, agent: {type: apache}}\n"),
            "observed.yaml:7:28: nodes[0].resources[0].agent.class: required field is missing");
}

TEST(ObservedFileErrors, broken_yaml_gives_the_line) {
  EXPECT_EQ(error_of(kHeader + "nodes: [\n"),
            "observed.yaml:4:1: invalid YAML: end of sequence flow not found");
}

TEST(ObservedFileErrors, a_file_holds_one_document) {
  EXPECT_EQ(error_of(kHeader + "---\n" + kHeader),
            "observed.yaml:4:1: expected one document (an ObservedState), found 2");
  EXPECT_EQ(error_of(""), "observed.yaml: no ObservedState in the file");
  EXPECT_EQ(error_of("- a\n- b\n"),
            "observed.yaml:1:1: expected an ObservedState (a mapping with apiVersion and kind), "
            "got a list");
}

TEST(ObservedFileErrors, a_file_over_the_size_limit_is_refused_unread) {
  DecodeLimits limits;
  limits.max_bytes = 1 << 20;
  Read r = read(kHeader + "# " + std::string(1 << 20, 'x') + "\n", limits);
  EXPECT_THAT(r.messages, ElementsAre("observed.yaml: file is larger than 1 MiB"));
}

TEST(ObservedFileErrors, aliases_cannot_make_reading_take_forever) {
  // Every resource reuses one long list of operations: a short text, but
  // resources x operations values to read.
  std::string text = kHeader + "x: &ops\n";
  for (int i = 0; i < 200; ++i)
    text += "  - {operation: start, callId: " + std::to_string(i) + "}\n";
  text += "nodes:\n  - name: n1\n    state: online\n    resources:\n";
  for (int i = 0; i < 200; ++i)
    text += "      - {name: r" + std::to_string(i) + ", operations: *ops}\n";
  DecodeLimits limits;
  limits.max_values = 10000;
  Read r = read(text, limits);
  EXPECT_THAT(r.messages, ::testing::Contains(HasSubstr(
                              "too many values (counting each use of an alias): stopped reading")));
  EXPECT_THAT(read(text).messages, ElementsAre("observed.yaml:3:1: x: unknown field"));
}

// ---- what the file cannot hold ---------------------------------------------

TEST(ObservedFileEncode, refuses_flags_that_no_node_state_stands_for) {
  placement::ObservedState s;
  placement::ObservedNode n = node("n1", "1");
  n.unclean = true;
  n.shutdown = true;
  s.nodes = {n};
  auto text = encode_observed(s);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().message,
            "node \"n1\" is unclean and pending or shutting down, which no node state of the "
            "observed-state file stands for");
}

TEST(ObservedFileEncode, refuses_history_of_a_node_it_does_not_list) {
  placement::ObservedState s;
  placement::ResourceHistory h;
  h.resource = "web";
  h.node = "ghost";
  s.history = {h};
  auto text = encode_observed(s);
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().message, "history of \"web\" on node \"ghost\", which is not listed");
}

TEST(ObservedFileEncode, refuses_values_the_reader_would_refuse) {
  placement::ObservedState s;
  s.now = -5;
  s.nodes = {node("n1", "1")};
  placement::FailCount count;
  count.resource = "web";
  count.node = "n1";
  count.interval_ms = std::int64_t{1} << 40;
  s.fail_counts = {count};
  auto text = encode_observed(s);
  ASSERT_FALSE(text.has_value());
  EXPECT_THAT(text.error().message, HasSubstr("now -5 is not between 1970 and 9999"));
  EXPECT_THAT(text.error().message, HasSubstr("interval 1099511627776ms is not between 0 and 100"));
}

}  // namespace
}  // namespace tandem::observed
