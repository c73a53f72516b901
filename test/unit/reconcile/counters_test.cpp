// The operator's counters across restarts: their file form, a damaged file,
// and a reconciler that carries on from what the last one counted.

#include "operator/reconcile/counters.h"

#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "operator/daemon/counters_file.h"
#include "operator/daemon/state_dir.h"
#include "operator/server/metrics_text.h"
#include "test/unit/reconcile/fake_cluster.h"

namespace tandem::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::SizeIs;

reconcile::Counters some_counters() {
  reconcile::Counters c;
  c.transitions_total = 17;
  c.failover_durations.observe(0.8);
  c.failover_durations.observe(400);  // above the last bound: in the count only
  reconcile::ActionStats start;
  start.durations.observe(0.02);
  start.failed = 2;
  c.action_stats.emplace("start", start);
  c.action_stats.emplace("migrate_to", reconcile::ActionStats{});
  c.failovers.push_back({"web", "n1", "n2", "node n1 lost", 1'000, 1'800});
  c.outages.push_back({"db", "n1", "failed", 2'000});
  return c;
}

class StateDir {
 public:
  StateDir() {
    path_ = fs::temp_directory_path() /
            ("tandem-counters-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~StateDir() { fs::remove_all(path_); }
  std::string file() const { return (path_ / "counters.json").string(); }

 private:
  fs::path path_;
};

TEST(Counters, the_counters_file_reads_back_what_was_written) {
  const reconcile::Counters c = some_counters();
  auto back = reconcile::decode_counters(reconcile::encode(c), "counters.json");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(*back, c);
}

TEST(Counters, a_damaged_counters_text_is_an_error_naming_the_place) {
  const std::string good = reconcile::encode(some_counters());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = good;
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
  };
  const std::pair<std::string, std::string> bad[] = {
      {"", "not a JSON object"},
      {"{\"transitionsTotal\": 1", "not a JSON object"},
      {with("\"transitionsTotal\": 17", "\"transitionsTotal\": -1"), "transitionsTotal"},
      {with("\"count\": 2", "\"count\": 0"), "failoverDurations: the buckets hold more"},
      {with("\"failed\": 2", "\"failed\": \"two\""), "actions.start.failed"},
      {with("\"resource\": \"web\"", "\"resource\": 5"), "failovers[0].resource"},
      {with("\"recoveredUnixMs\": 1800", "\"recoveredUnixMs\": null"), "recoveredUnixMs"},
      {with("\"detectedUnixMs\": 2000", "\"detectedUnixMs\": \"soon\""),
       "outages[0].detectedUnixMs"},
  };
  for (const auto& [text, problem] : bad) {
    auto read = reconcile::decode_counters(text, "/var/lib/x/counters.json");
    ASSERT_FALSE(read.has_value()) << text;
    EXPECT_THAT(read.error().message, HasSubstr("/var/lib/x/counters.json")) << text;
    EXPECT_THAT(read.error().message, HasSubstr(problem)) << text;
  }
}

TEST(Counters, a_histogram_with_fewer_buckets_than_its_bounds_is_refused) {
  const double bounds[] = {1, 2};
  const std::uint64_t one[] = {1};
  EXPECT_FALSE(metrics::Histogram::restored(bounds, one, 1, 0.5).has_value());
  const std::uint64_t two[] = {1, 1};
  auto h = metrics::Histogram::restored(bounds, two, 3, 10.0);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->count(), 3u);
  EXPECT_EQ(h->bucket(1), 1u);
}

TEST(CountersFile, no_file_yet_is_zero_without_a_warning) {
  StateDir dir;
  const operator_daemon::LoadedCounters loaded = operator_daemon::load_counters(dir.file());
  EXPECT_FALSE(loaded.warning.has_value());
  EXPECT_EQ(loaded.counters, reconcile::Counters{});
}

TEST(CountersFile, a_saved_file_loads_back) {
  StateDir dir;
  ASSERT_TRUE(operator_daemon::write_atomically(dir.file(), reconcile::encode(some_counters()))
                  .has_value());
  const operator_daemon::LoadedCounters loaded = operator_daemon::load_counters(dir.file());
  EXPECT_FALSE(loaded.warning.has_value()) << *loaded.warning;
  EXPECT_EQ(loaded.counters, some_counters());
}

TEST(CountersFile, a_damaged_file_is_named_and_the_counters_start_from_zero) {
  StateDir dir;
  std::ofstream(dir.file()) << "{\"transitionsTotal\": 3, \"failoverDurations\": {\"cou";
  const operator_daemon::LoadedCounters loaded = operator_daemon::load_counters(dir.file());
  ASSERT_TRUE(loaded.warning.has_value());
  EXPECT_THAT(*loaded.warning, HasSubstr(dir.file()));
  EXPECT_THAT(*loaded.warning, HasSubstr("counting from zero"));
  EXPECT_EQ(loaded.counters, reconcile::Counters{});
}

void lose_the_node_running_web(FakeCluster& c) {
  const std::string lost = c.running("web").front();
  c.node(lost).up = false;
  c.next_ring();
  c.partition({lost});
  run_for(c, 20'000);  // past the self-fence time and margin
}

TEST(Counters, a_restarted_operator_carries_on_counting_failovers) {
  FakeCluster c(three_nodes() + primitive("web"));
  c.converge();
  lose_the_node_running_web(c);
  ASSERT_EQ(c.core().status().failover_durations.count(), 1u);
  const std::uint64_t transitions = c.core().status().transitions_total;
  // What the daemon saves, through its file form.
  auto saved = reconcile::decode_counters(reconcile::encode(c.core().counters()), "counters.json");
  ASSERT_TRUE(saved.has_value());

  c.restart_operator({});
  c.core().restore_counters(*saved);
  c.converge();
  EXPECT_EQ(c.core().status().failover_durations.count(), 1u);
  EXPECT_THAT(c.core().status().failovers, SizeIs(1));
  EXPECT_GE(c.core().status().transitions_total, transitions);
  EXPECT_THAT(server::metrics_text(c.core().status()), HasSubstr("tandem_failovers_total 1\n"));
}

TEST(Counters, a_failover_an_operator_restart_fell_into_is_counted_from_its_detection) {
  FakeCluster c(three_nodes() + primitive("web"));
  c.converge();
  const std::string lost = c.running("web").front();
  c.node(lost).up = false;
  c.next_ring();
  c.partition({lost});
  for (const char* n : {"n1", "n2", "n3"}) c.report(n);
  c.step();
  ASSERT_THAT(c.core().status().outages, SizeIs(1));
  const reconcile::UnixMs detected = c.core().status().outages[0].detected_ms;
  auto saved = reconcile::decode_counters(reconcile::encode(c.core().counters()), "counters.json");
  ASSERT_TRUE(saved.has_value()) << saved.error().message;

  c.restart_operator({});
  c.core().restore_counters(*saved);
  EXPECT_THAT(c.core().status().outages, SizeIs(1));
  run_for(c, 20'000);
  ASSERT_THAT(c.core().status().failovers, SizeIs(1));
  EXPECT_EQ(c.core().status().failovers[0].detected_ms, detected);
  EXPECT_EQ(c.core().status().failovers[0].from, lost);
  EXPECT_EQ(c.core().status().failover_durations.count(), 1u);
}

TEST(Counters, a_failover_after_a_restart_adds_to_what_was_counted_before) {
  FakeCluster c(three_nodes() + primitive("web"));
  c.core().restore_counters(some_counters());
  c.converge();
  EXPECT_GT(c.core().status().transitions_total, 17u);
  lose_the_node_running_web(c);
  EXPECT_EQ(c.core().status().failover_durations.count(), 3u);
  ASSERT_THAT(c.core().status().failovers, SizeIs(2));
  EXPECT_EQ(c.core().status().failovers.front(), some_counters().failovers.front());
  EXPECT_EQ(c.core().status().action_stats.at("start").failed, 2u);
}

}  // namespace
}  // namespace tandem::testing
