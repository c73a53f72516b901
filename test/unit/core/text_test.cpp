#include "common/core/text.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(Quoted, escapes_what_would_garble_a_terminal) {
  EXPECT_EQ(quote("plain"), "\"plain\"");
  EXPECT_EQ(quote("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
  EXPECT_EQ(quote(std::string("\x1b[31m", 5)), "\"\\x1b[31m\"");
  EXPECT_EQ(quote("\xff"), "\"\\xff\"");
}

TEST(Quoted, shortens_long_values) {
  std::string text(200, 'a');
  EXPECT_EQ(quote(text), "\"" + std::string(80, 'a') + "...\"");
}

TEST(ClosestMatch, suggests_a_likely_typo) {
  constexpr std::array<std::string_view, 3> kFields{"params", "operations", "meta"};
  EXPECT_EQ(closest_match("paramz", kFields), "params");
  EXPECT_EQ(closest_match("operation", kFields), "operations");
  EXPECT_EQ(closest_match("completely-different", kFields), std::nullopt);
  EXPECT_EQ(closest_match("", kFields), std::nullopt);
}

TEST(DnsNames, follow_kubernetes_rules) {
  EXPECT_TRUE(is_dns_subdomain("web-1.example"));
  EXPECT_FALSE(is_dns_subdomain("Web"));
  EXPECT_FALSE(is_dns_subdomain("web_1"));
  EXPECT_FALSE(is_dns_subdomain("-web"));
  EXPECT_FALSE(is_dns_subdomain(std::string(254, 'a')));
  EXPECT_TRUE(is_dns_label("default"));
  EXPECT_FALSE(is_dns_label("a.b"));
  EXPECT_FALSE(is_dns_label(std::string(64, 'a')));
}

}  // namespace
}  // namespace tandem
