#include "common/model/names.h"

#include <gtest/gtest.h>

namespace tandem::model {
namespace {

TEST(Names, addresses_are_ip_literals_or_host_names) {
  for (const char* good : {"192.0.2.1", "2001:db8::1", "::1", "node1", "node1.example.org"}) {
    EXPECT_TRUE(is_address(good)) << good;
  }
  for (const char* bad : {"", "192.0.2.256", "192.0.2", "node 1", "-node", "a..b", "http://x"}) {
    EXPECT_FALSE(is_address(bad)) << bad;
  }
}

TEST(Names, ocf_names_cannot_escape_the_agent_directory) {
  EXPECT_TRUE(is_path_component("IPaddr2"));
  EXPECT_TRUE(is_path_component("heartbeat"));
  for (const char* bad : {"", ".", "..", "../bin", "a/b", "a b", "x\n"}) {
    EXPECT_FALSE(is_path_component(bad)) << bad;
  }
}

TEST(Names, parameters_must_be_environment_variable_names) {
  EXPECT_TRUE(is_env_name("cidr_netmask"));
  EXPECT_TRUE(is_env_name("_x1"));
  EXPECT_FALSE(is_env_name("1x"));
  EXPECT_FALSE(is_env_name("ip-addr"));
  EXPECT_FALSE(is_env_name(""));
}

TEST(Names, parameter_names_may_start_with_a_digit_as_the_agent_reads_them_with_a_prefix) {
  EXPECT_TRUE(is_param_name("1"));
  EXPECT_TRUE(is_param_name("cidr_netmask"));
  EXPECT_FALSE(is_param_name("ip-addr"));
  EXPECT_FALSE(is_param_name(""));
}

TEST(Names, label_keys_may_carry_a_dns_prefix) {
  EXPECT_EQ(check_label_key("app"), "");
  EXPECT_EQ(check_label_key("tandem.dev/role"), "");
  EXPECT_NE(check_label_key("Bad_Prefix/x"), "");
  EXPECT_NE(check_label_key("x/"), "");
  EXPECT_EQ(check_label_value(""), "");
  EXPECT_NE(check_label_value("has space"), "");
}

TEST(Names, node_names_allow_host_name_characters) {
  EXPECT_TRUE(is_node_name("node1"));
  EXPECT_TRUE(is_node_name("Node_1.example"));
  EXPECT_FALSE(is_node_name("-node"));
  EXPECT_FALSE(is_node_name("node/1"));
}

}  // namespace
}  // namespace tandem::model
