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

TEST(CheckText, accepts_utf8_text_with_tabs_and_newlines) {
  EXPECT_EQ(check_text("plain"), "");
  EXPECT_EQ(check_text("tab\tand\nnewline"), "");
  EXPECT_EQ(check_text("\u00e9t\u00e9 \u2713 \U0001F600"), "");
}

TEST(CheckText, rejects_broken_utf8_and_control_characters) {
  EXPECT_EQ(check_text("a\x9f"), "is not valid UTF-8 (byte 1)");
  EXPECT_EQ(check_text("\xc0\xaf"), "is not valid UTF-8 (byte 0)");          // overlong '/'
  EXPECT_EQ(check_text("\xed\xa0\x80"), "is not valid UTF-8 (byte 0)");      // surrogate
  EXPECT_EQ(check_text("\xf4\x90\x80\x80"), "is not valid UTF-8 (byte 0)");  // past U+10FFFF
  EXPECT_EQ(check_text("\xe2\x82"), "is not valid UTF-8 (byte 0)");          // cut short
  EXPECT_EQ(check_text("a\rb"), "contains a control character (byte 1)");
  EXPECT_EQ(check_text("\x7f"), "contains a control character (byte 0)");
  EXPECT_EQ(check_text("\xc2\x85"), "contains a control character (byte 0)");  // NEL
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

TEST(AppendFormat, appends_formatted_text_of_any_length) {
  std::string out = "x";
  append_format(out, "%5u|%s", 42U, std::string(1000, 'y').c_str());
  EXPECT_EQ(out, "x   42|" + std::string(1000, 'y'));
  append_format(out, "%s", "");
  EXPECT_EQ(out.size(), 1007U);
}

}  // namespace
}  // namespace tandem
