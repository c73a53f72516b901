#include "sidecar/executor/attribute_command.h"

#include <gtest/gtest.h>

namespace tandem::executor {
namespace {

using Env = std::map<std::string, std::string>;

const Env kAgent{{"OCF_RESOURCE_INSTANCE", "db:1"}};

TEST(AttributeCommand, stateful_sets_its_promotion_score_with_crm_attribute) {
  auto command = parse_attribute_command("crm_attribute", {"--promotion", "-v", "10"}, kAgent);
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(command->op, AttributeOp::kSet);
  EXPECT_EQ(command->name, "master-db");
  EXPECT_EQ(command->value, "10");
}

TEST(AttributeCommand, stateful_deletes_its_promotion_score_on_stop) {
  auto command = parse_attribute_command("crm_attribute", {"--promotion", "-D"}, kAgent);
  ASSERT_TRUE(command);
  EXPECT_EQ(command->op, AttributeOp::kDelete);
  EXPECT_EQ(command->name, "master-db");
}

TEST(AttributeCommand, crm_master_is_a_promotion_score) {
  auto command = parse_attribute_command("crm_master", {"-l", "reboot", "-v", "100"}, kAgent);
  ASSERT_TRUE(command);
  EXPECT_EQ(command->name, "master-db");
  EXPECT_EQ(command->value, "100");
  auto other = parse_attribute_command("crm_master", {"-r", "other", "-G", "-q"}, kAgent);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->op, AttributeOp::kQuery);
  EXPECT_EQ(other->name, "master-other");
  EXPECT_TRUE(other->quiet);
}

TEST(AttributeCommand, ocf_shellfuncs_promotion_helper_is_understood) {
  // ocf_promotion_score runs "crm_attribute -p $@" on Pacemaker 2.1.
  auto command = parse_attribute_command("crm_attribute", {"-p", "-v", "5"}, kAgent);
  ASSERT_TRUE(command);
  EXPECT_EQ(command->name, "master-db");
  auto attached = parse_attribute_command("crm_attribute", {"--promotion=web", "-v", "5"}, kAgent);
  ASSERT_TRUE(attached);
  EXPECT_EQ(attached->name, "master-web");
}

TEST(AttributeCommand, globally_unique_clones_keep_their_instance_number) {
  EXPECT_EQ(promotion_attribute("db:1", false), "master-db");
  EXPECT_EQ(promotion_attribute("db:1", true), "master-db:1");
  EXPECT_EQ(promotion_attribute("db", false), "master-db");
  EXPECT_EQ(promotion_attribute("db:x", false), "master-db:x");
}

TEST(AttributeCommand, ping_updates_its_attribute_with_attrd_updater) {
  auto command =
      parse_attribute_command("attrd_updater", {"-n", "pingd", "-v", "1000", "-d", "5s"}, {});
  ASSERT_TRUE(command) << command.error().message;
  EXPECT_EQ(command->op, AttributeOp::kSet);
  EXPECT_EQ(command->name, "pingd");
  EXPECT_EQ(command->value, "1000");
  auto both = parse_attribute_command("attrd_updater", {"-n", "pingd", "-B", "0", "-d", "0"}, {});
  ASSERT_TRUE(both);
  EXPECT_EQ(both->value, "0");
  auto remove = parse_attribute_command("attrd_updater", {"-D", "-n", "pingd", "-d", "5s"}, {});
  ASSERT_TRUE(remove);
  EXPECT_EQ(remove->op, AttributeOp::kDelete);
}

TEST(AttributeCommand, long_options_take_attached_values) {
  auto command = parse_attribute_command(
      "crm_attribute", {"--name=site", "--update=east", "--lifetime=forever"}, {});
  ASSERT_TRUE(command);
  EXPECT_EQ(command->name, "site");
  EXPECT_EQ(command->value, "east");
}

TEST(AttributeCommand, without_an_action_it_is_a_query) {
  auto command = parse_attribute_command("crm_attribute", {"-n", "site", "-d", "none"}, {});
  ASSERT_TRUE(command);
  EXPECT_EQ(command->op, AttributeOp::kQuery);
  EXPECT_EQ(command->fallback, "none");
}

TEST(AttributeCommand, bad_command_lines_say_what_is_wrong) {
  EXPECT_EQ(parse_attribute_command("crm_attribute", {"-v", "1"}, {}).error().message,
            "crm_attribute: no attribute name given (use -n NAME)");
  EXPECT_EQ(parse_attribute_command("attrd_updater", {"-n"}, {}).error().message,
            "attrd_updater: option -n needs a value");
  EXPECT_EQ(
      parse_attribute_command("crm_attribute", {"-n", "../etc", "-v", "1"}, {}).error().message,
      "crm_attribute: \"../etc\" is not an attribute name Tandem accepts (letters, digits "
      "and -_.:#)");
  EXPECT_EQ(
      parse_attribute_command("crm_attribute", {"--promotion", "-v", "1"}, {}).error().message,
      "crm_attribute: no resource for the promotion score (OCF_RESOURCE_INSTANCE is not set)");
  EXPECT_EQ(parse_attribute_command("crm_attribute", {"-z"}, {}).error().message,
            "crm_attribute: option -z is not supported by Tandem's crm_attribute");
  EXPECT_FALSE(
      parse_attribute_command("crm_attribute", {"-t", "crm_config", "-n", "x", "-v", "1"}, {}));
  EXPECT_FALSE(parse_attribute_command("crm_attribute", {"-n", "x", "-v", "a\nb"}, {}));
  EXPECT_FALSE(parse_attribute_command("crm_resource", {}, {}));
}

TEST(AttributeCommand, crm_node_answers_the_node_name) {
  auto command = parse_attribute_command("crm_node", {"-n"}, {});
  ASSERT_TRUE(command);
  EXPECT_EQ(command->op, AttributeOp::kPrintNodeName);
  EXPECT_FALSE(parse_attribute_command("crm_node", {"-l"}, {}));
}

TEST(AttributeNames, are_safe_file_names) {
  EXPECT_TRUE(is_attribute_name("pingd"));
  EXPECT_TRUE(is_attribute_name("master-db:1"));
  EXPECT_TRUE(is_attribute_name("#health-cpu"));
  EXPECT_FALSE(is_attribute_name(""));
  EXPECT_FALSE(is_attribute_name("."));
  EXPECT_FALSE(is_attribute_name(".tmp.1.x"));
  EXPECT_FALSE(is_attribute_name("a/b"));
  EXPECT_FALSE(is_attribute_name(std::string(201, 'a')));
}

}  // namespace
}  // namespace tandem::executor
