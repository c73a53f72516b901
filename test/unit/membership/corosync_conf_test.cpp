// corosync.conf: what is read, what is warned about, and the exact errors
// for bad input.

#include "sidecar/membership/corosync_conf.h"

#include <gtest/gtest.h>

#include "sidecar/membership/config.h"

namespace tandem::membership {
namespace {

using namespace std::chrono_literals;

constexpr const char* kThreeNodes = R"(# A three-node cluster.
totem {
    version: 2
    cluster_name: web
    transport: knet
    token: 5000
    token_coefficient: 0
    join: 60
    window_size: 40
    crypto_cipher: aes256
    crypto_hash: sha256
    interface {
        linknumber: 0
    }
}

nodelist {
    node {
        name: alpha
        nodeid: 1
        ring0_addr: 10.0.0.1
    }
    node {
        name: beta
        nodeid: 2
        ring0_addr: 10.0.0.2
        quorum_votes: 2
    }
    node {
        nodeid: 3
        ring0_addr: 10.0.0.3
    }
}

quorum {
    provider: corosync_votequorum
    wait_for_all: 1
    auto_tie_breaker: 1
    auto_tie_breaker_node: 3 1
    last_man_standing: on
    last_man_standing_window: 20000
}

logging {
    to_stderr: yes
    to_syslog: no
    debug: off
    timestamp: hires
    logger_subsys {
        subsys: QUORUM
        debug: off
    }
}
)";

std::string error_of(std::string_view text) {
  auto conf = parse_corosync_conf(text, "corosync.conf");
  EXPECT_FALSE(conf.has_value());
  return conf ? "" : conf.error().message;
}

constexpr const char* kOneNode = "nodelist {\n node {\n nodeid: 1\n ring0_addr: 10.0.0.1\n }\n}\n";

TEST(CorosyncConf, reads_totem_nodelist_quorum_and_logging) {
  auto conf = parse_corosync_conf(kThreeNodes, "corosync.conf");
  ASSERT_TRUE(conf.has_value()) << conf.error().message;
  EXPECT_TRUE(conf->warnings.empty());
  const model::Membership& m = conf->membership;
  EXPECT_EQ(m.cluster_name, "web");
  EXPECT_EQ(m.totem.token, 5000ms);
  EXPECT_EQ(m.totem.token_coefficient, 0ms);
  EXPECT_EQ(m.totem.join, 60ms);
  EXPECT_EQ(m.totem.window_size, 40);
  EXPECT_EQ(m.crypto.cipher, model::CryptoCipher::kAes256);
  ASSERT_EQ(m.nodes.size(), 3u);
  EXPECT_EQ(m.nodes[0], (model::MemberNode{"alpha", 1, "10.0.0.1", 1}));
  EXPECT_EQ(m.nodes[1], (model::MemberNode{"beta", 2, "10.0.0.2", 2}));
  // A node without a name is named by its address, as corosync does.
  EXPECT_EQ(m.nodes[2], (model::MemberNode{"10.0.0.3", 3, "10.0.0.3", 1}));
  const model::QuorumOptions& q = conf->quorum;
  EXPECT_EQ(q.wait_for_all, true);
  EXPECT_TRUE(q.auto_tie_breaker);
  EXPECT_EQ(q.auto_tie_breaker_node, model::TieBreaker::kList);
  EXPECT_EQ(q.auto_tie_breaker_nodes, (std::vector<std::uint32_t>{3, 1}));
  EXPECT_TRUE(q.last_man_standing);
  EXPECT_EQ(q.last_man_standing_window, 20s);
  EXPECT_TRUE(conf->logging.to_stderr);
  EXPECT_FALSE(conf->logging.to_syslog);
  EXPECT_TRUE(conf->logging.timestamp);
}

TEST(CorosyncConf, the_result_maps_to_a_membership_configuration) {
  auto conf = parse_corosync_conf(kThreeNodes, "corosync.conf");
  ASSERT_TRUE(conf.has_value());
  auto config = make_membership_config(conf->membership, conf->quorum, 2);
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->totem.token, 5000ms);
  EXPECT_EQ(config->totem.consensus, 6000ms);
  EXPECT_EQ(config->quorum.expected_votes, 4u);
  EXPECT_EQ(config->quorum.tie_breaker, TieBreakerMode::kList);
  // beta has two votes: corosync switches last_man_standing off.
  EXPECT_FALSE(config->quorum.last_man_standing);
}

TEST(CorosyncConf, unknown_keys_and_sections_are_warned_about_with_file_and_line) {
  auto conf = parse_corosync_conf(
      "totem {\n  tokn: 3000\n}\nfrobnicate {\n}\n" + std::string(kOneNode), "/etc/corosync.conf");
  ASSERT_TRUE(conf.has_value()) << conf.error().message;
  ASSERT_EQ(conf->warnings.size(), 2u);
  EXPECT_EQ(conf->warnings[0],
            "/etc/corosync.conf:2: unknown key \"tokn\" in section totem; ignored");
  EXPECT_EQ(conf->warnings[1], "/etc/corosync.conf:4: unknown section \"frobnicate\"; ignored");
}

TEST(CorosyncConf, a_second_ring_is_warned_about) {
  auto conf = parse_corosync_conf(
      "nodelist {\n node {\n nodeid: 1\n ring0_addr: a\n ring1_addr: b\n }\n}\n", "c.conf");
  ASSERT_TRUE(conf.has_value());
  ASSERT_EQ(conf->warnings.size(), 1u);
  EXPECT_EQ(conf->warnings[0],
            "c.conf:5: nodelist.node.ring1_addr: Tandem runs a single ring; ignored");
}

TEST(CorosyncConf, a_quorum_section_without_provider_is_warned_about) {
  auto conf = parse_corosync_conf("quorum {\n two_node: 1\n}\n" + std::string(kOneNode), "c.conf");
  ASSERT_TRUE(conf.has_value());
  ASSERT_EQ(conf->warnings.size(), 1u);
  EXPECT_EQ(conf->warnings[0],
            "c.conf: quorum.provider is not set (corosync would run without quorum); votequorum "
            "is used");
}

TEST(CorosyncConf, reads_the_port_from_the_interface_section) {
  auto conf = parse_corosync_conf(
      "totem {\n interface {\n  linknumber: 0\n  mcastport: 5499\n }\n}\n" + std::string(kOneNode),
      "c.conf");
  ASSERT_TRUE(conf.has_value()) << conf.error().message;
  EXPECT_EQ(conf->membership.port, 5499);
  EXPECT_EQ(parse_corosync_conf(kOneNode, "c.conf")->membership.port, 5405);
}

TEST(CorosyncConf, refuses_a_port_out_of_range) {
  EXPECT_EQ(error_of("totem {\n interface {\n  mcastport: 70000\n }\n}\n" + std::string(kOneNode)),
            "corosync.conf:3: totem.interface.mcastport: 70000 is larger than 65535");
  EXPECT_EQ(error_of("totem {\n interface {\n  mcastport: 0\n }\n}\n" + std::string(kOneNode)),
            "corosync.conf:3: totem.interface.mcastport: 0 is not a port");
}

TEST(CorosyncConf, without_crypto_keys_nothing_is_authenticated_as_in_corosync) {
  auto conf = parse_corosync_conf(kOneNode, "c.conf");
  ASSERT_TRUE(conf.has_value());
  EXPECT_EQ(conf->membership.crypto.cipher, model::CryptoCipher::kNone);
  EXPECT_EQ(conf->membership.crypto.hash, model::CryptoHash::kNone);
}

TEST(CorosyncConf, secauth_implies_aes256_and_sha256_unless_they_are_set) {
  auto on = parse_corosync_conf("totem {\n secauth: on\n}\n" + std::string(kOneNode), "c.conf");
  ASSERT_TRUE(on.has_value());
  EXPECT_EQ(on->membership.crypto.cipher, model::CryptoCipher::kAes256);
  EXPECT_EQ(on->membership.crypto.hash, model::CryptoHash::kSha256);
  auto set = parse_corosync_conf(
      "totem {\n secauth: on\n crypto_cipher: none\n}\n" + std::string(kOneNode), "c.conf");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->membership.crypto.cipher, model::CryptoCipher::kNone);
  EXPECT_EQ(set->membership.crypto.hash, model::CryptoHash::kSha256);
}

TEST(CorosyncConf, refuses_a_value_that_is_not_a_number) {
  EXPECT_EQ(error_of("totem {\n token: 3s\n}\n" + std::string(kOneNode)),
            "corosync.conf:2: totem.token: expected a whole number, got \"3s\"");
}

TEST(CorosyncConf, refuses_a_timer_beyond_32_bits) {
  EXPECT_EQ(error_of("totem {\n token: 99999999999\n}\n" + std::string(kOneNode)),
            "corosync.conf:2: totem.token: 99999999999 is larger than 2147483647");
}

TEST(CorosyncConf, refuses_a_bad_boolean) {
  EXPECT_EQ(error_of("quorum {\n provider: corosync_votequorum\n two_node: maybe\n}\n" +
                     std::string(kOneNode)),
            "corosync.conf:3: quorum.two_node: expected yes/no, on/off or 1/0, got \"maybe\"");
}

TEST(CorosyncConf, refuses_another_quorum_provider) {
  EXPECT_EQ(error_of("quorum {\n provider: corosync_quorumdevice\n}\n" + std::string(kOneNode)),
            "corosync.conf:2: quorum.provider: \"corosync_quorumdevice\" is not supported (use "
            "corosync_votequorum)");
}

TEST(CorosyncConf, refuses_a_bad_tie_breaker_list) {
  EXPECT_EQ(error_of("quorum {\n auto_tie_breaker_node: 1 two\n}\n" + std::string(kOneNode)),
            "corosync.conf:2: quorum.auto_tie_breaker_node: expected a whole number, got \"two\"");
}

TEST(CorosyncConf, refuses_nodes_without_id_or_address_and_duplicate_ids) {
  EXPECT_EQ(error_of("nodelist {\n node {\n ring0_addr: a\n }\n node {\n nodeid: 2\n }\n"
                     " node {\n nodeid: 3\n ring0_addr: c\n }\n node {\n nodeid: 3\n"
                     " ring0_addr: d\n }\n}\n"),
            "corosync.conf:2: nodelist.node: nodeid is missing\n"
            "corosync.conf:5: nodelist.node: ring0_addr is missing\n"
            "corosync.conf:12: nodelist.node: nodeid 3 appears twice");
}

TEST(CorosyncConf, refuses_node_id_zero) {
  EXPECT_EQ(error_of("nodelist {\n node {\n nodeid: 0\n ring0_addr: a\n }\n}\n"),
            "corosync.conf:3: nodelist.node.nodeid: 0 is reserved; node ids start at 1\n"
            "corosync.conf:2: nodelist.node: nodeid is missing");
}

TEST(CorosyncConf, refuses_an_empty_nodelist) {
  EXPECT_EQ(error_of("totem {\n token: 1000\n}\n"), "corosync.conf: the nodelist has no nodes");
}

TEST(CorosyncConf, refuses_unbalanced_braces) {
  EXPECT_EQ(error_of(std::string(kOneNode) + "}\n"),
            "corosync.conf:7: \"}\" without a section to close");
  // The nodelist is read as part of the unclosed totem section.
  EXPECT_EQ(error_of("totem {\n token: 1000\n" + std::string(kOneNode)),
            "corosync.conf:1: section \"totem\" is not closed\n"
            "corosync.conf: the nodelist has no nodes");
}

TEST(CorosyncConf, refuses_a_line_that_is_neither_key_section_nor_brace) {
  EXPECT_EQ(error_of("totem {\n token 1000\n}\n" + std::string(kOneNode)),
            "corosync.conf:2: expected \"key: value\", \"section {\" or \"}\", got \"token 1000\"");
}

TEST(CorosyncConf, refuses_deep_nesting_and_nul_bytes) {
  std::string deep;
  for (int i = 0; i < 9; ++i) deep += "a {\n";
  EXPECT_NE(error_of(deep).find("corosync.conf:9: sections nest deeper than 8 levels"),
            std::string::npos);
  EXPECT_EQ(error_of(std::string("totem {\n tok\0en: 1\n}\n", 21) + kOneNode),
            "corosync.conf:2: the line contains a NUL byte");
}

TEST(CorosyncConf, refuses_a_huge_file) {
  std::string huge(kMaxCorosyncConfSize + 1, '#');
  EXPECT_EQ(error_of(huge),
            "corosync.conf: the file has 1048577 bytes, more than the 1048576 a corosync.conf may "
            "have");
}

}  // namespace
}  // namespace tandem::membership
