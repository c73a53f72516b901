#include "operator/placement/explain.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/placement/scenario.h"

namespace tandem::placement {
namespace {

using testing::cluster_yaml;
using testing::constraint;
using testing::dummy;
using ::testing::HasSubstr;
using testing::Scenario;

TEST(Explain, names_the_constraint_and_the_stickiness_behind_each_score) {
  Scenario s(cluster_yaml(2) + dummy("web", "  meta: {stickiness: 200}\n") +
                 constraint("prefer-n1", "location: {resource: web, node: n1, score: 100}"),
             2);
  s.running("web", "n2").stopped("web", "n1");
  auto text = explain(s.schedule(true), "web");
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_THAT(*text, HasSubstr("web: It runs on n2 and stays there."));
  EXPECT_THAT(*text, HasSubstr("+100  location constraint prefer-n1"));
  EXPECT_THAT(*text, HasSubstr("+200  stickiness: it runs here"));
  EXPECT_THAT(*text, HasSubstr("n2: 200  <- chosen"));
}

TEST(Explain, says_why_a_resource_runs_nowhere) {
  Scenario s(cluster_yaml(1) + dummy("web", "  meta: {migrationThreshold: 2}\n"), 1);
  s.running("web", "n1").op("web", "n1", "monitor", 7, 10'000, 0);
  s.failures("web", "n1", 2, 1'699'999'000);
  auto text = explain(s.schedule(true), "web");
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_THAT(*text, HasSubstr("will be stopped"));
  EXPECT_THAT(*text, HasSubstr("failed 2 times here; migration-threshold is 2"));
}

TEST(Explain, says_which_tie_breaker_chose_between_equal_nodes) {
  Scenario s(cluster_yaml(2) + dummy("a") + dummy("b"), 2);
  auto text = explain(s.schedule(true), "b");
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_THAT(*text, HasSubstr("n2 ties with n1 at 0; it wins because fewer resources were "
                               "placed on it before this one (0 against 1)."));
}

TEST(Explain, suggests_the_closest_name_for_an_unknown_resource) {
  Scenario s(cluster_yaml(1) + dummy("web"), 1);
  auto text = explain(s.schedule(true), "wbe");
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().message, "no resource named \"wbe\"; did you mean \"web\"?");
}

TEST(Explain, needs_a_transition_computed_with_scores) {
  Scenario s(cluster_yaml(1) + dummy("web"), 1);
  auto text = explain(s.schedule(false), "web");
  ASSERT_FALSE(text.has_value());
  EXPECT_THAT(text.error().message, HasSubstr("without scores"));
}

}  // namespace
}  // namespace tandem::placement
