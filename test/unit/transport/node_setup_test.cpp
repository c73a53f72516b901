// Node setup: which node of the nodelist this one is, and what is wrong
// with a nodelist or its crypto.

#include "sidecar/transport/node_setup.h"

#include <gtest/gtest.h>

namespace tandem::transport {
namespace {

model::Membership three_nodes(std::string third = "127.0.0.3") {
  model::Membership m;
  m.cluster_name = "web";
  m.crypto.cipher = model::CryptoCipher::kNone;
  m.crypto.hash = model::CryptoHash::kNone;
  m.nodes = {{"a", 1, "127.0.0.1", 1}, {"b", 2, "127.0.0.2", 1}, {"c", 3, std::move(third), 1}};
  return m;
}

TEST(NodeSetup, an_explicit_node_id_picks_the_node_and_its_endpoint) {
  auto setup = prepare_node(three_nodes(), {}, NodeOptions{2, std::nullopt});
  ASSERT_TRUE(setup) << setup.error().message;
  EXPECT_EQ(setup->self, 2U);
  EXPECT_EQ(setup->local.to_string(), "127.0.0.2:5405");
  EXPECT_EQ(setup->nodes.size(), 3U);
}

TEST(NodeSetup, a_node_id_outside_the_nodelist_is_refused) {
  auto setup = prepare_node(three_nodes(), {}, NodeOptions{9, std::nullopt});
  ASSERT_FALSE(setup);
  EXPECT_EQ(setup.error().message, "--node-id 9 is not in the nodelist");
}

TEST(NodeSetup, a_nodelist_mixing_ipv4_and_ipv6_is_refused) {
  model::Membership m = three_nodes("::1");
  auto setup = prepare_node(m, {}, NodeOptions{1, std::nullopt});
  ASSERT_FALSE(setup);
  EXPECT_EQ(setup.error().message,
            "node 3's ring0_addr [::1]:5405 is not of the same IP version as the others: a ring "
            "is all IPv4 or all IPv6");
}

std::map<std::uint32_t, Peer> peers(std::initializer_list<const char*> addresses) {
  std::map<std::uint32_t, Peer> out;
  std::uint32_t id = 0;
  for (const char* a : addresses) {
    ++id;
    out[id] = Peer{id, a, *resolve(a, 5405, "test")};
  }
  return out;
}

std::vector<Endpoint> local(std::initializer_list<const char*> addresses) {
  std::vector<Endpoint> out;
  for (const char* a : addresses) out.push_back(*resolve(a, 0, "test"));
  return out;
}

TEST(NodeSetup, the_node_with_this_machines_address_is_found_whatever_the_port) {
  auto self = find_self(peers({"10.0.0.1", "10.0.0.2", "fd00::3"}),
                        local({"127.0.0.1", "10.0.0.2", "::1"}));
  ASSERT_TRUE(self) << self.error().message;
  EXPECT_EQ(*self, 2U);
  auto v6 = find_self(peers({"fd00::1", "fd00::2"}), local({"fd00::2"}));
  ASSERT_TRUE(v6);
  EXPECT_EQ(*v6, 2U);
}

TEST(NodeSetup, no_local_address_asks_for_a_node_id) {
  auto self = find_self(peers({"10.0.0.1", "10.0.0.2"}), local({"127.0.0.1"}));
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().message,
            "no ring0_addr of the nodelist is an address of this machine; give --node-id, or "
            "check the nodelist");
}

TEST(NodeSetup, several_local_addresses_ask_for_a_node_id) {
  auto self = find_self(peers({"10.0.0.1", "10.0.0.2"}), local({"10.0.0.2", "10.0.0.1"}));
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().message,
            "several nodes of the nodelist have addresses of this machine (1, 2); give --node-id");
}

TEST(NodeSetup, an_address_that_does_not_resolve_is_named) {
  auto setup = prepare_node(three_nodes("no-such-host.invalid"), {}, NodeOptions{1, std::nullopt});
  ASSERT_FALSE(setup);
  EXPECT_EQ(setup.error().message.rfind(
                "node 3's ring0_addr \"no-such-host.invalid\" does not resolve: ", 0),
            0U);
}

TEST(NodeSetup, authentication_with_a_missing_key_names_the_file) {
  model::Membership m = three_nodes();
  m.crypto.hash = model::CryptoHash::kSha256;
  auto setup = prepare_node(m, {}, NodeOptions{1, "/nonexistent/authkey"});
  ASSERT_FALSE(setup);
  EXPECT_EQ(setup.error().message.rfind("/nonexistent/authkey: cannot open the authkey: ", 0), 0U);
}

TEST(NodeSetup, without_authentication_a_note_warns_about_it) {
  auto setup = prepare_node(three_nodes(), {}, NodeOptions{1, std::nullopt});
  ASSERT_TRUE(setup);
  ASSERT_EQ(setup->notes.size(), 1U);
  EXPECT_EQ(setup->notes[0].rfind("totem.crypto_hash is none: datagrams are not authenticated", 0),
            0U);
}

TEST(NodeSetup, ipv6_nodelists_work) {
  model::Membership m = three_nodes("fd00::3");
  m.nodes[0].address = "::1";
  m.nodes[1].address = "fd00::2";
  auto setup = prepare_node(m, {}, NodeOptions{1, std::nullopt});
  ASSERT_TRUE(setup) << setup.error().message;
  EXPECT_EQ(setup->local.to_string(), "[::1]:5405");
}

}  // namespace
}  // namespace tandem::transport
