// The reconciler with fake sidecars: waves in order, the safety rule for
// lost nodes, fencing, quorum, operator and sidecar restarts, status and
// failover bookkeeping.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/manifest/load.h"
#include "operator/reconcile/monitors.h"
#include "test/unit/reconcile/fake_cluster.h"

namespace tandem::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr reconcile::UnixMs kSecond = 1000;

std::string web_with_monitor() {
  return primitive("web", "  operations:\n    - {name: monitor, interval: 10s}\n");
}

std::string group_ab() {
  return primitive("a") + primitive("b") +
         "---\napiVersion: tandem.dev/v1alpha1\nkind: HAGroup\nmetadata: {name: g}\n"
         "spec:\n  resources: [a, b]\n";
}

std::vector<std::string> tasks(const std::vector<protocol::ActionRequest>& actions) {
  std::vector<std::string> out;
  for (const auto& a : actions) out.push_back(a.task + " " + a.resource);
  std::sort(out.begin(), out.end());
  return out;
}

void report_all(FakeCluster& c) {
  for (const char* n : {"n1", "n2", "n3"}) c.report(n);
}

void execute_all(FakeCluster& c) {
  for (const char* n : {"n1", "n2", "n3"}) {
    if (c.node(n).up) c.execute(n);
  }
}

TEST(Reconciler, a_resource_starts_once_with_its_recurring_monitor) {
  FakeCluster c(three_nodes() + web_with_monitor());
  c.converge();
  EXPECT_THAT(c.running("web"), SizeIs(1));
  EXPECT_THAT(c.executed(), Contains("monitor:10000 web " + c.running("web").front()));
  const auto& resources = c.core().status().resources;
  ASSERT_THAT(resources, SizeIs(1));
  EXPECT_EQ(resources[0].role, "Started");
  EXPECT_EQ(resources[0].running_on, c.running("web"));
}

TEST(Reconciler, an_action_carries_the_ring_it_was_planned_in) {
  FakeCluster c(three_nodes() + primitive("web"));
  report_all(c);
  const auto wave = c.step().dispatched;
  ASSERT_FALSE(wave.empty());
  for (const protocol::ActionRequest& a : wave) EXPECT_EQ(a.ring_id, "1.10");
}

TEST(Reconciler, an_action_waits_for_its_predecessor) {
  FakeCluster c(three_nodes() + group_ab());
  report_all(c);
  // First the probes: every start waits for them.
  auto first = c.step().dispatched;
  for (const auto& a : first) EXPECT_EQ(a.task, "monitor") << a.key;
  EXPECT_THAT(first, SizeIs(6));
  execute_all(c);
  report_all(c);
  // Then the group's first member; the second waits for it.
  EXPECT_THAT(tasks(c.step().dispatched), ElementsAre("start a"));
  execute_all(c);
  report_all(c);
  EXPECT_THAT(tasks(c.step().dispatched), ElementsAre("start b"));
}

TEST(Reconciler, nothing_new_goes_out_while_an_action_is_in_flight) {
  FakeCluster c(three_nodes() + primitive("web"));
  report_all(c);
  auto wave = c.step().dispatched;
  ASSERT_THAT(wave, Not(IsEmpty()));
  c.advance(kSecond);
  report_all(c);
  EXPECT_THAT(c.step().dispatched, IsEmpty());
}

TEST(Reconciler, an_action_stays_pending_until_the_node_reports_its_outcome) {
  FakeCluster c(three_nodes() + primitive("web"));
  report_all(c);
  c.step();
  ASSERT_THAT(c.core().pending_for("n1"), SizeIs(1));
  const std::string id = c.core().pending_for("n1").front().id;
  report_all(c);  // no outcome yet
  c.step();
  ASSERT_THAT(c.core().pending_for("n1"), SizeIs(1));
  EXPECT_EQ(c.core().pending_for("n1").front().id, id);
  c.execute("n1");
  c.report("n1");
  EXPECT_THAT(c.core().pending_for("n1"), IsEmpty());
}

TEST(Reconciler, an_outcome_that_changes_only_the_last_transition_changes_the_status) {
  FakeCluster c(three_nodes() + web_with_monitor());
  // Until the recurring monitor goes out: then it is the only action in
  // flight, and its outcome changes nothing but its own state.
  bool monitor_sent = false;
  for (int i = 0; i < 20 && !monitor_sent; ++i) {
    report_all(c);
    for (const auto& a : c.step().dispatched) monitor_sent = monitor_sent || a.interval_ms > 0;
    if (!monitor_sent) execute_all(c);
  }
  ASSERT_TRUE(monitor_sent);
  execute_all(c);
  report_all(c);  // the outcome arrives between steps
  const reconcile::StepResult next = c.step();
  EXPECT_TRUE(next.status_changed);
  ASSERT_TRUE(c.core().status().last_transition.has_value());
  EXPECT_EQ(c.core().status().last_transition->actions.front().state, "done");
}

TEST(Reconciler, action_ids_differ_across_operator_incarnations) {
  FakeCluster c(three_nodes() + primitive("web"), {.id_prefix = "op1"});
  report_all(c);
  c.step();
  const std::string first = c.core().pending_for("n1").front().id;
  c.restart_operator({.id_prefix = "op2"});
  report_all(c);
  c.step();
  ASSERT_THAT(c.core().pending_for("n1"), SizeIs(1));
  EXPECT_NE(c.core().pending_for("n1").front().id, first);
  EXPECT_EQ(first, "op1-1");
}

TEST(Reconciler, a_lost_nodes_resource_does_not_start_elsewhere_before_the_self_fence_time) {
  FakeCluster c(three_nodes() + web_with_monitor());
  c.converge();
  ASSERT_THAT(c.running("web"), SizeIs(1));
  const std::string lost = c.running("web").front();
  c.node(lost).up = false;  // killed: it reports nothing any more
  c.next_ring();
  c.partition({lost});
  // Self-fence 10 s plus the 2 s margin: nothing starts for 11.75 s.
  run_for(c, 11'750);
  EXPECT_THAT(c.running("web"), ElementsAre(lost));
  EXPECT_EQ(node_status(c, lost).state, "unclean");
  ASSERT_THAT(c.core().status().resources, SizeIs(1));
  EXPECT_THAT(c.core().status().resources[0].presumed_on, ElementsAre(lost));
  EXPECT_THAT(c.core().status().held, Not(IsEmpty()));
  run_for(c, 2'000);
  EXPECT_THAT(c.running("web"), SizeIs(2));  // the lost node's copy is the sidecar's to stop
  EXPECT_EQ(node_status(c, lost).state, "offline");
  std::vector<std::string> now_on = c.running("web");
  std::erase(now_on, lost);
  EXPECT_THAT(c.executed(), Contains("monitor:10000 web " + now_on.front()));
}

TEST(Reconciler, after_fencing_succeeds_the_resource_starts_elsewhere) {
  FakeCluster c(three_nodes() + web_with_monitor(), {.fencing_available = true});
  c.converge();
  const std::string lost = c.running("web").front();
  c.node(lost).up = false;
  c.next_ring();
  c.partition({lost});
  report_all(c);
  c.step();
  ASSERT_THAT(c.fences(), SizeIs(1));
  EXPECT_EQ(c.fences()[0].node, lost);
  c.advance(kSecond);
  c.core().on_fence_result(c.fences()[0].id, true, "", c.now());
  run_for(c, 1'000);
  std::vector<std::string> running = c.running("web");
  std::erase(running, lost);
  EXPECT_THAT(running, SizeIs(1));
  EXPECT_EQ(node_status(c, lost).cleared_by, "fencing");
}

// Web on three nodes with one fence device (its params YAML line, if any)
// and no fence command; the node that runs web is lost for two seconds.
// Returns that node.
std::string lose_web_with_a_fence_device(FakeCluster& c) {
  c.converge();
  const std::string where = c.running("web").at(0);
  c.node(where).up = false;
  c.partition({where});
  c.next_ring();
  run_for(c, 2 * kSecond);
  return where;
}

std::string fence_device_manifests(const std::string& params) {
  return three_nodes("fencingEnabled: true") + primitive("web") +
         "---\napiVersion: tandem.dev/v1alpha1\nkind: HAResource\n"
         "metadata: {name: ipmi}\nspec:\n  agent: {fence: {type: fence_ipmilan}}\n" +
         params;
}

TEST(Reconciler, a_fence_device_in_the_manifests_fences_without_a_fence_command) {
  FakeCluster c(fence_device_manifests(""), reconcile::Options{});
  const std::string where = lose_web_with_a_fence_device(c);
  ASSERT_THAT(c.fences(), SizeIs(1));
  EXPECT_EQ(c.fences()[0].node, where);
}

TEST(Reconciler, a_lost_nodes_last_report_from_the_earlier_ring_is_not_called_split_brain) {
  FakeCluster c(fence_device_manifests(""), reconcile::Options{});
  const std::string where = lose_web_with_a_fence_device(c);
  EXPECT_THAT(node_status(c, where).reason, ::testing::HasSubstr("earlier ring 1.10"));
}

TEST(Reconciler, a_node_that_reports_a_quorate_ring_of_its_own_is_called_split_brain) {
  FakeCluster c(fence_device_manifests(""), reconcile::Options{});
  c.converge();
  const std::string where = c.running("web").at(0);
  c.partition({where});
  c.next_ring();
  c.node(where).quorate = true;  // a wrong quorum claim, as after a bad expected_votes
  run_for(c, 500);
  EXPECT_THAT(node_status(c, where).reason, ::testing::HasSubstr("split brain"));
}

TEST(Reconciler, a_node_no_fence_device_reaches_waits_out_the_self_fence_time_unfenced) {
  FakeCluster c(fence_device_manifests("  params: {pcmk_host_list: nowhere}\n"),
                reconcile::Options{});
  const std::string where = lose_web_with_a_fence_device(c);
  EXPECT_THAT(c.fences(), IsEmpty());
  EXPECT_TRUE(node_status(c, where).clears_at.has_value());
}

TEST(Reconciler, a_failed_fence_keeps_the_node_unclean_and_is_tried_again) {
  FakeCluster c(three_nodes() + web_with_monitor(), {.fencing_available = true});
  c.converge();
  const std::string lost = c.running("web").front();
  c.node(lost).up = false;
  c.next_ring();
  c.partition({lost});
  report_all(c);
  c.step();
  ASSERT_THAT(c.fences(), SizeIs(1));
  c.core().on_fence_result(c.fences()[0].id, false, "exit 1", c.now());
  run_for(c, 6'000);
  EXPECT_THAT(c.running("web"), ElementsAre(lost));
  EXPECT_THAT(c.fences(), SizeIs(2));
  EXPECT_EQ(node_status(c, lost).fence_error, "exit 1");
}

TEST(Reconciler, reports_from_an_inquorate_partition_start_nothing) {
  FakeCluster c(three_nodes() + primitive("web"));
  c.partition({"n1"});
  c.node("n2").up = false;
  c.node("n3").up = false;
  run_for(c, 30'000);
  EXPECT_THAT(c.executed(), IsEmpty());
  EXPECT_FALSE(c.core().status().quorum.quorate);
}

TEST(Reconciler, an_operator_restart_does_not_start_a_second_copy_of_a_running_resource) {
  FakeCluster c(three_nodes() + web_with_monitor());
  c.converge();
  const std::vector<std::string> before = c.running("web");
  ASSERT_THAT(before, SizeIs(1));
  c.restart_operator({.id_prefix = "op2"});
  c.converge();
  EXPECT_EQ(c.running("web"), before);
  EXPECT_THAT(c.executed(), IsEmpty());
}

TEST(Reconciler, a_start_in_progress_across_an_operator_restart_is_not_ordered_again_or_overtaken) {
  FakeCluster c(three_nodes() + group_ab(), {.id_prefix = "op1"});
  c.converge();
  ASSERT_THAT(c.running("a"), SizeIs(1));
  const std::string lost = c.running("a").front();
  c.node(lost).up = false;
  c.next_ring();
  c.partition({lost});
  // The first operator orders a's start elsewhere; the node takes it and
  // is still starting it when that operator dies.
  std::string target;
  for (int i = 0; i < 100 && target.empty(); ++i) {
    report_all(c);
    c.step();
    for (const char* n : {"n1", "n2", "n3"}) {
      for (const auto& a : c.core().pending_for(n)) {
        if (a.task == "start") target = n;
      }
    }
    c.advance(250);
  }
  ASSERT_FALSE(target.empty());
  c.pending(target, "a", "start");
  c.restart_operator({.id_prefix = "op2"});
  // Long past the lost node's self-fence time: still nothing goes out.
  run_for(c, 20'000);
  EXPECT_THAT(c.executed(), IsEmpty());
  EXPECT_THAT(c.core().status().held,
              Contains("everything waits: the start of a on " + target + " is in progress"));
  // Once its result is in, b follows it there, and a is not started again.
  c.finish_pending(target, "a", "start");
  run_for(c, 2'000);
  EXPECT_THAT(c.executed(), Contains("start b " + target));
  EXPECT_THAT(c.executed(), Not(Contains(::testing::StartsWith("start a"))));
  EXPECT_THAT(c.running("a"), Contains(target));
}

TEST(Reconciler, after_a_restart_a_silent_ring_member_keeps_everything_from_starting) {
  FakeCluster c(three_nodes() + web_with_monitor());
  c.converge();
  const std::string runs = c.running("web").front();
  c.restart_operator({.id_prefix = "op2"});
  // Still in the quorate ring, but its reports do not reach the new operator.
  c.node(runs).up = false;
  run_for(c, 60'000);
  EXPECT_THAT(c.running("web"), ElementsAre(runs));
  EXPECT_EQ(node_status(c, runs).state, "unclean");
  EXPECT_FALSE(node_status(c, runs).clears_at.has_value());
}

TEST(Reconciler, a_failover_is_recorded_with_its_duration) {
  FakeCluster c(three_nodes() + web_with_monitor());
  c.converge();
  const std::string lost = c.running("web").front();
  c.node(lost).up = false;
  c.next_ring();
  c.partition({lost});
  run_for(c, 6'000);
  ASSERT_THAT(c.core().status().outages, SizeIs(1));
  run_for(c, 8'000);
  const auto& failovers = c.core().status().failovers;
  ASSERT_THAT(failovers, SizeIs(1));
  EXPECT_EQ(failovers[0].resource, "web");
  EXPECT_EQ(failovers[0].from, lost);
  EXPECT_NE(failovers[0].to, lost);
  EXPECT_GE(failovers[0].duration_ms(), 12'000);
  EXPECT_LE(failovers[0].duration_ms(), 13'000);
  EXPECT_EQ(c.core().status().failover_durations.count(), 1u);
  EXPECT_THAT(c.core().status().outages, IsEmpty());
}

TEST(Reconciler, a_sidecar_restart_fails_the_actions_it_had_in_flight) {
  FakeCluster c(three_nodes() + primitive("web"));
  report_all(c);
  c.step();
  ASSERT_THAT(c.core().pending_for("n2"), SizeIs(1));
  c.node("n2").incarnation = "i2";
  c.report("n2");
  EXPECT_THAT(c.core().pending_for("n2"), IsEmpty());
  ASSERT_TRUE(c.core().status().last_transition.has_value());
  bool failed = false;
  for (const auto& a : c.core().status().last_transition->actions) {
    if (a.node == "n2") failed = a.state == "failed";
  }
  EXPECT_TRUE(failed);
}

// Probes everything, then fails the first start of `resource` wherever it
// was sent; returns that node once the cluster has settled.
std::string fail_first_start(FakeCluster& c, const std::string& resource) {
  report_all(c);
  c.step();
  execute_all(c);
  report_all(c);
  auto wave = c.step().dispatched;
  EXPECT_THAT(tasks(wave), ElementsAre("start " + resource));
  std::string first;
  for (const char* n : {"n1", "n2", "n3"}) {
    if (!c.core().pending_for(n).empty()) first = n;
  }
  EXPECT_FALSE(first.empty());
  if (!first.empty()) c.node(first).failing_starts.insert(resource);
  c.converge();
  return first;
}

TEST(Reconciler, a_failed_start_moves_the_resource_to_another_node) {
  FakeCluster c(three_nodes() + primitive("web", "  meta: {migrationThreshold: 1}\n"));
  const std::string first = fail_first_start(c, "web");
  std::vector<std::string> running = c.running("web");
  ASSERT_THAT(running, SizeIs(1));
  EXPECT_NE(running.front(), first);
}

TEST(Reconciler, a_failed_start_bans_the_node_without_a_migration_threshold) {
  // start-failure-is-fatal (the default): one failed start is enough, as
  // Pacemaker's fail-count INFINITY makes it; no restarts in place.
  FakeCluster c(three_nodes() + primitive("web"));
  const std::string first = fail_first_start(c, "web");
  std::vector<std::string> running = c.running("web");
  ASSERT_THAT(running, SizeIs(1));
  EXPECT_NE(running.front(), first);
}

TEST(Cleanup, a_cleanup_forgets_a_failed_start_so_the_node_may_run_the_resource_again) {
  FakeCluster c(three_nodes() + primitive("web"));
  const std::string first = fail_first_start(c, "web");
  ASSERT_THAT(c.core().status().fail_counts, SizeIs(1));
  c.node(first).failing_starts.clear();

  auto asked = c.core().request_cleanup("web", "");
  ASSERT_TRUE(asked.has_value()) << asked.error().message;
  EXPECT_THAT(*asked, ::testing::HasSubstr(first));
  report_all(c);
  // The cleanup goes out alone, to the node with the failure only.
  EXPECT_THAT(tasks(c.step().dispatched), ElementsAre("cleanup web"));
  EXPECT_THAT(c.core().pending_for(first), SizeIs(1));
  c.converge();
  EXPECT_THAT(c.executed(), Contains("cleanup web " + first));
  EXPECT_THAT(c.core().status().fail_counts, IsEmpty());
  EXPECT_THAT(c.core().status().failed_operations, IsEmpty());
  EXPECT_THAT(c.running("web"), SizeIs(1));
}

TEST(Cleanup, a_resource_without_failures_has_nothing_to_clean_up) {
  FakeCluster c(three_nodes() + primitive("web"));
  c.converge();
  auto asked = c.core().request_cleanup("web", "");
  ASSERT_TRUE(asked.has_value());
  EXPECT_THAT(*asked, ::testing::HasSubstr("nothing to clean up"));
  report_all(c);
  EXPECT_THAT(c.step().dispatched, IsEmpty());
}

TEST(Cleanup, a_cleanup_names_an_unknown_resource_or_node) {
  FakeCluster c(three_nodes() + primitive("web"));
  c.converge();
  auto unknown = c.core().request_cleanup("nope", "");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_THAT(unknown.error().message, ::testing::HasSubstr("nope"));
  auto stranger = c.core().request_cleanup("web", "n9");
  ASSERT_FALSE(stranger.has_value());
  EXPECT_THAT(stranger.error().message, ::testing::HasSubstr("n9"));
}

TEST(Cleanup, a_group_cleanup_reaches_every_member_with_failures) {
  FakeCluster c(three_nodes() + group_ab());
  const std::string first = fail_first_start(c, "a");
  ASSERT_FALSE(first.empty());
  auto asked = c.core().request_cleanup("g", first);
  ASSERT_TRUE(asked.has_value()) << asked.error().message;
  report_all(c);
  EXPECT_THAT(tasks(c.step().dispatched), ElementsAre("cleanup a"));
}

TEST(Reconciler, reports_of_unknown_nodes_are_dropped) {
  FakeCluster c(three_nodes() + primitive("web"));
  protocol::NodeReport r;
  r.node = "intruder";
  auto events = c.core().on_report(r, c.now());
  EXPECT_THAT(events, ElementsAre("report from intruder dropped: not a node of the manifests"));
  c.step();
  for (const auto& n : c.core().status().nodes) EXPECT_NE(n.name, "intruder");
}

TEST(Reconciler, an_older_report_of_the_same_incarnation_is_ignored) {
  FakeCluster c(three_nodes() + primitive("web"));
  c.converge();
  const std::string runs = c.running("web").front();
  protocol::NodeReport stale = c.report_of(c.node(runs));
  stale.sequence = 1;
  stale.resources.clear();
  c.core().on_report(stale, c.now());
  c.step();
  EXPECT_THAT(c.core().status().resources[0].running_on, ElementsAre(runs));
}

}  // namespace
}  // namespace tandem::testing

namespace tandem::testing {
namespace {

model::Manifests example(const std::string& dir, const std::vector<std::string>& nodes) {
  auto loaded = manifest::load_manifests({std::string(TANDEM_SOURCE_DIR) + "/examples/" + dir});
  EXPECT_TRUE(loaded.has_value());
  model::validate(loaded->manifests, loaded->diagnostics);
  EXPECT_FALSE(loaded->diagnostics.has_errors());
  model::normalize(loaded->manifests);
  // The fake cluster's nodes are n1..n3.
  auto& members = loaded->manifests.clusters.front().spec.membership.nodes;
  for (std::size_t i = 0; i < members.size() && i < nodes.size(); ++i) members[i].name = nodes[i];
  for (std::size_t i = 0; i < loaded->manifests.nodes.size() && i < nodes.size(); ++i)
    loaded->manifests.nodes[i].metadata.name = nodes[i];
  return loaded->manifests;
}

TEST(Reconciler, the_two_node_example_starts_its_group_once_and_then_stays_put) {
  FakeCluster c(example("two-node-web", {"n1", "n2"}), {});
  c.node("n3").up = false;
  for (const char* n : {"n1", "n2"}) c.node(n).ring = {"n1", "n2"};
  c.converge();
  EXPECT_THAT(c.running("vip"), SizeIs(1));
  EXPECT_EQ(c.running("web"), c.running("vip"));
  EXPECT_THAT(c.executed(), Contains("monitor:10000 vip " + c.running("vip").front()));
  EXPECT_THAT(c.executed(), Contains("monitor:10000 web " + c.running("vip").front()));
  const std::size_t actions = c.executed().size();
  c.converge();
  EXPECT_EQ(c.executed().size(), actions) << ::testing::PrintToString(c.executed());
}

}  // namespace
}  // namespace tandem::testing

namespace tandem::testing {
namespace {

TEST(Monitors, a_monitor_without_a_role_watches_started_and_unpromoted_instances_only) {
  model::Operation plain;
  EXPECT_TRUE(reconcile::monitor_applies(plain, model::Role::kStarted));
  EXPECT_TRUE(reconcile::monitor_applies(plain, model::Role::kUnpromoted));
  EXPECT_FALSE(reconcile::monitor_applies(plain, model::Role::kPromoted));
  model::Operation promoted;
  promoted.role = model::Role::kPromoted;
  EXPECT_TRUE(reconcile::monitor_applies(promoted, model::Role::kPromoted));
  EXPECT_FALSE(reconcile::monitor_applies(promoted, model::Role::kStarted));
}

TEST(Monitors, a_recurring_monitor_is_asked_for_again_after_the_resource_restarts) {
  FakeCluster c(three_nodes() + web_with_monitor());
  c.converge();
  const std::string node = c.running("web").front();
  // The sidecar restarted the resource on its own (a local recovery).
  c.record(c.node(node), "web", "stop", 0, 0, 0);
  c.record(c.node(node), "web", "start", 0, 0, 0);
  c.executed().clear();
  c.converge();
  EXPECT_THAT(c.executed(), ElementsAre("monitor:10000 web " + node));
}

TEST(Reconciler, an_anonymous_clone_starts_once_per_node_and_then_nothing_is_asked_again) {
  FakeCluster c(
      three_nodes() +
      primitive("db", "  clone: {}\n  operations:\n    - {name: monitor, interval: 10s}\n"));
  c.converge();
  EXPECT_THAT(c.running("db"), ElementsAre("n1", "n2", "n3"));
  // Sidecars know the instances by the clone's name: one probe, one start
  // and one monitor per node answer for them all.
  std::map<std::string, int> by_task;
  for (const std::string& e : c.executed()) ++by_task[e.substr(0, e.find(' '))];
  EXPECT_THAT(by_task, ElementsAre(std::pair<const std::string, int>("monitor", 3),
                                   std::pair<const std::string, int>("monitor:10000", 3),
                                   std::pair<const std::string, int>("start", 3)));
  c.executed().clear();
  run_for(c, 30'000);
  EXPECT_THAT(c.executed(), IsEmpty());
}

TEST(Monitors, a_monitor_the_sidecar_never_records_is_not_asked_for_in_a_loop) {
  FakeCluster c(three_nodes() + web_with_monitor());
  c.converge();
  const std::string node = c.running("web").front();
  std::erase_if(c.node(node).history["web"],
                [](const protocol::OpResult& op) { return op.interval_ms > 0; });
  c.executed().clear();
  // The fake records it again when it runs it, so drop it after each round.
  for (int i = 0; i < 20; ++i) {
    report_all(c);
    c.step();
    execute_all(c);
    std::erase_if(c.node(node).history["web"],
                  [](const protocol::OpResult& op) { return op.interval_ms > 0; });
    c.advance(250);
  }
  EXPECT_THAT(c.executed(), SizeIs(1));  // 5 s: once, the retry pause is 10 s
}

}  // namespace
}  // namespace tandem::testing

namespace tandem::testing {
namespace {

TEST(Reconciler, a_lost_node_that_still_reports_quorum_of_its_own_is_cleared_only_by_fencing) {
  FakeCluster c(three_nodes() + web_with_monitor());
  c.converge();
  const std::string lost = c.running("web").front();
  c.next_ring();
  c.partition({lost});
  c.node(lost).quorate = true;  // as both halves of a twoNode cluster are
  run_for(c, 30'000);
  EXPECT_THAT(c.running("web"), ElementsAre(lost));
  EXPECT_EQ(node_status(c, lost).state, "unclean");
  EXPECT_FALSE(node_status(c, lost).clears_at.has_value());
}

}  // namespace
}  // namespace tandem::testing
