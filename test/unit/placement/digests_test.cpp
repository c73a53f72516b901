// Parameter changes: digests as Pacemaker computes them, and the restart or
// reload a change brings.

#include "operator/placement/digests.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/placement/scenario.h"

namespace tandem::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(Digests, are_pacemakers_md5_of_the_sorted_parameters) {
  // Values recorded by Pacemaker in its regression corpus.
  EXPECT_EQ(placement::detail::parameters_digest({{"ip", "127.0.0.11"}}),
            "fd54394d262d771b8cb48f31f8df7242");
  EXPECT_EQ(placement::detail::parameters_digest(
                {{"fstype", "reiserfs"}, {"directory", "/mnt/share1"}, {"device", "/dev/drbd0"}}),
            "e38fc095cd72534897b21e24a8484122");
}

Scenario web_with_ip(const std::string& ip) {
  Scenario s(cluster_yaml(1) + dummy("web", "  params: {ip: \"" + ip + "\"}\n"), 1);
  return s;
}

TEST(Digests, unchanged_parameters_leave_a_running_resource_alone) {
  Scenario s = web_with_ip("127.0.0.11");
  s.running("web", "n1");
  s.history("web", "n1").ops.back().digest = "fd54394d262d771b8cb48f31f8df7242";
  EXPECT_THAT(changes(s.schedule()), IsEmpty());
}

TEST(Digests, changed_parameters_restart_a_resource_whose_agent_cannot_reload) {
  Scenario s = web_with_ip("127.0.0.12");
  s.running("web", "n1");
  s.history("web", "n1").ops.back().digest = "fd54394d262d771b8cb48f31f8df7242";
  EXPECT_THAT(changes(s.schedule()), ElementsAre("restart web n1"));
}

TEST(Digests, changed_parameters_reload_a_resource_whose_agent_can) {
  Scenario s = web_with_ip("127.0.0.12");
  s.running("web", "n1");
  auto& start = s.history("web", "n1").ops.back();
  start.digest = "fd54394d262d771b8cb48f31f8df7242";
  // A restart digest over no parameters: ip is reloadable.
  start.restart_digest = placement::detail::parameters_digest({});
  start.force_restart = " ";
  EXPECT_THAT(changes(s.schedule()), ElementsAre("reload web n1"));
}

TEST(Digests, a_changed_parameter_that_needs_a_restart_restarts_even_where_reload_is_possible) {
  Scenario s = web_with_ip("127.0.0.12");
  s.running("web", "n1");
  auto& start = s.history("web", "n1").ops.back();
  start.digest = "fd54394d262d771b8cb48f31f8df7242";
  start.restart_digest = "fd54394d262d771b8cb48f31f8df7242";
  start.force_restart = " ip ";
  EXPECT_THAT(changes(s.schedule()), ElementsAre("restart web n1"));
}

}  // namespace
}  // namespace tandem::testing
