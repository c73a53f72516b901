#include "sidecar/agent/quorum_guard.h"

#include <gtest/gtest.h>

namespace tandem::agent {
namespace {

using std::chrono::milliseconds;

constexpr Duration kSelfFence{10'000};
constexpr Duration kPauseLimit{660};  // token 300 ms + consensus 360 ms

Instant at(std::int64_t ms) {
  return Instant(milliseconds(ms));
}

GuardConfig config() {
  return GuardConfig{kSelfFence, kPauseLimit, 2 * kPauseLimit};
}

QuorumSnapshot quorate(std::string ring = "1.4") {
  return {true, true, std::move(ring)};
}
QuorumSnapshot inquorate(std::string ring = "1.8") {
  return {false, true, std::move(ring)};
}

// A guard that has seen a quorate ring at 0 ms and ticked once.
QuorumGuard running_guard() {
  QuorumGuard guard(config());
  guard.on_membership(quorate(), at(0));
  guard.tick(at(0), {});
  return guard;
}

// Quorate heartbeats and ticks every 50 ms from `from` to `to`.
void run_quorate(QuorumGuard& guard, std::int64_t from, std::int64_t to,
                 const std::set<std::string>& active) {
  for (std::int64_t t = from; t <= to; t += 50) {
    guard.on_membership(quorate(), at(t));
    GuardOrders orders = guard.tick(at(t), active);
    EXPECT_TRUE(orders.stop.empty()) << "at " << t << " ms";
    EXPECT_TRUE(orders.kill.empty()) << "at " << t << " ms";
  }
}

TEST(QuorumGuard, a_node_starts_fenced_until_it_sees_a_quorate_ring) {
  QuorumGuard guard(config());
  EXPECT_TRUE(guard.fencing());
  EXPECT_FALSE(guard.allows("start"));
  GuardOrders first = guard.tick(at(0), {});
  EXPECT_TRUE(first.fenced_because.has_value());
  EXPECT_TRUE(first.stop.empty());

  guard.on_membership(quorate(), at(10));
  EXPECT_TRUE(guard.tick(at(10), {}).unfenced);
  EXPECT_FALSE(guard.fencing());
  EXPECT_TRUE(guard.allows("start"));
  EXPECT_TRUE(guard.allows("promote"));
}

TEST(QuorumGuard, an_inquorate_partition_stops_every_resource) {
  QuorumGuard guard = running_guard();
  guard.on_membership(inquorate(), at(100));
  GuardOrders orders = guard.tick(at(100), {"db:0", "vip", "web"});
  ASSERT_TRUE(orders.fenced_because.has_value());
  EXPECT_NE(orders.fenced_because->find("not quorate"), std::string::npos);
  EXPECT_EQ(orders.stop, (std::vector<std::string>{"db:0", "vip", "web"}));
  EXPECT_TRUE(orders.kill.empty());
  EXPECT_FALSE(guard.allows("start"));
  EXPECT_FALSE(guard.allows("promote"));
  EXPECT_TRUE(guard.allows("stop"));
  EXPECT_TRUE(guard.allows("demote"));
  EXPECT_TRUE(guard.allows("monitor"));

  // Each stop is ordered once per fence, not on every turn.
  guard.on_membership(inquorate(), at(150));
  EXPECT_TRUE(guard.tick(at(150), {"db:0", "vip", "web"}).stop.empty());
}

TEST(QuorumGuard, stopped_resources_are_not_killed) {
  QuorumGuard guard = running_guard();
  guard.on_membership(inquorate(), at(100));
  guard.tick(at(100), {"vip", "web"});
  guard.on_stop_result("vip", true);
  guard.on_stop_result("web", true);
  EXPECT_FALSE(guard.kill_deadline().has_value());
  guard.on_membership(inquorate(), at(100 + kSelfFence.count()));
  EXPECT_TRUE(guard.tick(at(100 + kSelfFence.count()), {}).kill.empty());
}

TEST(QuorumGuard, a_stop_that_outlives_the_self_fence_time_is_killed) {
  QuorumGuard guard = running_guard();
  guard.on_membership(inquorate(), at(100));
  guard.tick(at(100), {"vip", "web"});
  guard.on_stop_result("vip", true);
  guard.on_stop_result("web", false);  // a failed stop may leave it running
  ASSERT_TRUE(guard.kill_deadline().has_value());
  EXPECT_EQ(*guard.kill_deadline(), at(100 + kSelfFence.count()));

  for (std::int64_t t = 150; t < 100 + kSelfFence.count(); t += 50) {
    guard.on_membership(inquorate(), at(t));
    EXPECT_TRUE(guard.tick(at(t), {"web"}).kill.empty()) << "at " << t << " ms";
  }
  guard.on_membership(inquorate(), at(100 + kSelfFence.count()));
  GuardOrders orders = guard.tick(at(100 + kSelfFence.count()), {"web"});
  EXPECT_EQ(orders.kill, std::vector<std::string>{"web"});
  // Killed once, not again.
  EXPECT_TRUE(guard.tick(at(150 + kSelfFence.count()), {"web"}).kill.empty());
}

TEST(QuorumGuard, the_kill_deadline_outlasts_quorum_coming_back) {
  QuorumGuard guard = running_guard();
  guard.on_membership(inquorate(), at(100));
  guard.tick(at(100), {"web"});
  guard.on_membership(quorate("1.c"), at(200));
  EXPECT_TRUE(guard.tick(at(200), {"web"}).unfenced);
  EXPECT_TRUE(guard.allows("start"));
  // The others may already count on the stop: it is still owed.
  guard.on_membership(quorate("1.c"), at(100 + kSelfFence.count()));
  EXPECT_EQ(guard.tick(at(100 + kSelfFence.count()), {"web"}).kill,
            std::vector<std::string>{"web"});
}

TEST(QuorumGuard, a_resumed_node_that_was_evicted_stops_before_it_starts_anything) {
  QuorumGuard guard = running_guard();
  run_quorate(guard, 50, 1000, {"db"});
  // SIGSTOP at 1000 ms, SIGCONT at 9000 ms. The membership's last status
  // still says quorate; it has not noticed the lost token yet.
  guard.on_membership(quorate(), at(9000));
  GuardOrders orders = guard.tick(at(9000), {"db"});
  ASSERT_TRUE(orders.fenced_because.has_value());
  EXPECT_NE(orders.fenced_because->find("did not run"), std::string::npos);
  EXPECT_EQ(orders.stop, std::vector<std::string>{"db"});
  EXPECT_FALSE(guard.allows("start"));
  // The others have counted the self-fence time since the pause began.
  ASSERT_TRUE(guard.kill_deadline().has_value());
  EXPECT_EQ(*guard.kill_deadline(), at(1000 + kSelfFence.count()));

  // The stale quorate status right after the resume does not end it...
  guard.on_membership(quorate(), at(9050));
  EXPECT_FALSE(guard.tick(at(9050), {"db"}).unfenced);
  EXPECT_FALSE(guard.allows("start"));
  // ...the membership notices, re-forms, and once quorum is seen well after
  // the resume, starts are allowed again.
  guard.on_membership({true, false, "1.4"}, at(9300));
  guard.tick(at(9300), {});
  guard.on_membership(quorate("2.10"), at(9000 + kPauseLimit.count() + 50));
  EXPECT_TRUE(guard.tick(at(9000 + kPauseLimit.count() + 50), {}).unfenced);
  EXPECT_TRUE(guard.allows("start"));
}

TEST(QuorumGuard, a_pause_longer_than_the_self_fence_time_kills_at_once) {
  QuorumGuard guard = running_guard();
  run_quorate(guard, 50, 1000, {"db"});
  guard.on_membership(quorate(), at(60'000));
  GuardOrders orders = guard.tick(at(60'000), {"db"});
  EXPECT_EQ(orders.stop, std::vector<std::string>{"db"});
  EXPECT_EQ(orders.kill, std::vector<std::string>{"db"});
}

TEST(QuorumGuard, losing_only_the_operator_keeps_resources_running) {
  // The guard hears nothing of the operator: with the membership quorate,
  // a minute without any action or report answered changes nothing.
  QuorumGuard guard = running_guard();
  run_quorate(guard, 50, 60'000, {"db", "web"});
  EXPECT_FALSE(guard.fencing());
  EXPECT_TRUE(guard.allows("start"));
}

TEST(QuorumGuard, a_membership_that_stops_reporting_fences) {
  QuorumGuard guard = running_guard();
  run_quorate(guard, 50, 500, {"db"});
  // Ticks go on; the membership's heartbeats stop.
  GuardOrders orders;
  std::int64_t t = 550;
  for (; t < 3000 && !orders.fenced_because; t += 50) orders = guard.tick(at(t), {"db"});
  ASSERT_TRUE(orders.fenced_because.has_value());
  EXPECT_NE(orders.fenced_because->find("has not reported"), std::string::npos);
  EXPECT_LE(t - 500, kPauseLimit.count() + 100);
  EXPECT_EQ(orders.stop, std::vector<std::string>{"db"});
}

TEST(QuorumGuard, a_ring_that_reforms_quickly_with_quorum_does_not_fence) {
  QuorumGuard guard = running_guard();
  run_quorate(guard, 50, 500, {"db"});
  // A node left: the ring re-forms for 700 ms, quorum is kept meanwhile.
  for (std::int64_t t = 550; t <= 1200; t += 50) {
    guard.on_membership({true, false, "1.4"}, at(t));
    EXPECT_TRUE(guard.tick(at(t), {"db"}).stop.empty()) << "at " << t << " ms";
  }
  run_quorate(guard, 1250, 2000, {"db"});
  EXPECT_FALSE(guard.fencing());
}

TEST(QuorumGuard, a_ring_that_cannot_reform_fences) {
  QuorumGuard guard = running_guard();
  run_quorate(guard, 50, 500, {"db"});
  GuardOrders orders;
  std::int64_t t = 550;
  for (; t < 5000 && !orders.fenced_because; t += 50) {
    guard.on_membership({true, false, "1.4"}, at(t));
    orders = guard.tick(at(t), {"db"});
  }
  ASSERT_TRUE(orders.fenced_because.has_value());
  EXPECT_NE(orders.fenced_because->find("no quorate operational ring"), std::string::npos);
}

TEST(QuorumGuard, a_gone_membership_fences_for_good) {
  QuorumGuard guard = running_guard();
  guard.on_membership_gone(at(100));
  EXPECT_EQ(guard.tick(at(100), {"db"}).stop, std::vector<std::string>{"db"});
  guard.on_membership(quorate(), at(150));
  EXPECT_FALSE(guard.tick(at(150), {}).unfenced);
  EXPECT_TRUE(guard.fencing());
}

}  // namespace
}  // namespace tandem::agent
