#include "common/model/rule_eval.h"

#include <gtest/gtest.h>

namespace tandem::model {
namespace {

using Attributes = std::map<std::string, std::string>;

std::chrono::sys_seconds at(std::string_view rfc3339) {
  return std::chrono::floor<std::chrono::seconds>(Timestamp::parse(rfc3339).value().time);
}

Expression attribute_is(std::string name, std::string value) {
  return {.attribute = std::move(name), .operation = ExpressionOperation::kEq, .value = value};
}

TEST(RuleEval, and_needs_every_test_and_or_needs_one) {
  Rule rule{.expressions = {attribute_is("rack", "1"), attribute_is("zone", "a")}};
  Attributes node{{"rack", "1"}, {"zone", "b"}};
  EXPECT_FALSE(rule_holds(rule, {.node_attributes = &node}));
  rule.boolean_op = BooleanOp::kOr;
  EXPECT_TRUE(rule_holds(rule, {.node_attributes = &node}));
}

TEST(RuleEval, numbers_compare_as_numbers_when_the_type_is_unset) {
  Rule rule{
      .expressions = {{.attribute = "cpus", .operation = ExpressionOperation::kGt, .value = "8"}}};
  Attributes big{{"cpus", "16"}}, small{{"cpus", "4"}};
  EXPECT_TRUE(rule_holds(rule, {.node_attributes = &big}));
  EXPECT_FALSE(rule_holds(rule, {.node_attributes = &small}));
}

TEST(RuleEval, value_source_param_compares_with_the_resource_parameter) {
  Rule rule{.expressions = {{.attribute = "fake",
                             .operation = ExpressionOperation::kEq,
                             .value = "fake",
                             .value_source = ValueSource::kParam}}};
  Attributes node{{"fake", "200"}};
  Attributes params{{"fake", "200"}}, other{{"fake", "300"}};
  EXPECT_TRUE(rule_holds(rule, {.node_attributes = &node, .params = &params}));
  EXPECT_FALSE(rule_holds(rule, {.node_attributes = &node, .params = &other}));
  EXPECT_FALSE(rule_holds(rule, {.node_attributes = &node}));
}

TEST(RuleEval, a_date_in_a_rule_is_tested_at_now) {
  Rule rule{.expressions = {attribute_is("#uname", "n1")},
            .dates = {{.operation = DateOperation::kDateSpec, .spec = DateSpec{.hours = "9-16"}}}};
  Attributes node{{"#uname", "n1"}};
  EXPECT_TRUE(rule_holds(rule, {.node_attributes = &node, .now = at("2026-11-25T10:00:00Z")}));
  EXPECT_FALSE(rule_holds(rule, {.node_attributes = &node, .now = at("2026-11-25T20:00:00Z")}));
}

TEST(ResolveParams, the_first_override_that_holds_wins_over_params) {
  ResourceSpec spec;
  spec.params = {{"nic", "eth0"}, {"ip", "192.0.2.1"}};
  spec.param_overrides = {
      {.rule = {.expressions = {attribute_is("#uname", "n1")}}, .params = {{"nic", "eth1"}}},
      {.rule = {.expressions = {attribute_is("site", "a")}}, .params = {{"nic", "eth2"}}}};
  const auto now = at("2026-11-25T10:00:00Z");
  EXPECT_EQ(resolve_params(spec, {{"#uname", "n1"}, {"site", "a"}}, now).at("nic"), "eth1");
  EXPECT_EQ(resolve_params(spec, {{"#uname", "n2"}, {"site", "a"}}, now).at("nic"), "eth2");
  auto fallback = resolve_params(spec, {{"#uname", "n2"}}, now);
  EXPECT_EQ(fallback.at("nic"), "eth0");
  EXPECT_EQ(fallback.at("ip"), "192.0.2.1");
}

}  // namespace
}  // namespace tandem::model
