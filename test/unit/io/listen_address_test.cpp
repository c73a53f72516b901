#include "common/io/listen_address.h"

#include <gtest/gtest.h>

namespace tandem::io {
namespace {

TEST(ListenAddress, ipv4_and_bracketed_ipv6_addresses_give_host_and_port) {
  auto v4 = parse_listen("--listen", "127.0.0.1:7440");
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 7440);
  auto v6 = parse_listen("--listen", "[::1]:9664");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 9664);
}

TEST(ListenAddress, a_missing_or_bad_port_is_refused_naming_the_option) {
  auto none = parse_listen("--metrics-listen", "127.0.0.1");
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().message,
            "--metrics-listen 127.0.0.1: expected HOST:PORT, e.g. 127.0.0.1:7440");
  for (const char* bad : {"127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80x", "h:-1"}) {
    auto parsed = parse_listen("--metrics-listen", bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().message, std::string("--metrics-listen ") + bad +
                                          ": the port must be a number from 1 to 65535");
  }
}

}  // namespace
}  // namespace tandem::io
