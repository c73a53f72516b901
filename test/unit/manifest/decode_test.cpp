// How the decoder locates problems and survives hostile input. What each
// message says is pinned down in test/data/bad-manifests.

#include "common/manifest/decode.h"

#include <cstring>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tandem::manifest {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

struct Decoded {
  model::Manifests manifests;
  std::vector<model::Diagnostic> diagnostics;
};

Decoded decode(const std::string& text, const DecodeLimits& limits = {}) {
  Decoded out;
  model::Diagnostics diagnostics;
  decode_file(text, "web.yaml", out.manifests, diagnostics, limits);
  out.diagnostics = diagnostics.items();
  return out;
}

constexpr const char* kResource =
    "apiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: web}\n"
    "spec: {agent: {ocf: {provider: heartbeat, type: Dummy}}}\n";

TEST(Decode, reads_every_document_of_a_file) {
  auto decoded = decode(std::string(kResource) + "---\n" + kResource + "---\n");
  EXPECT_THAT(decoded.diagnostics, SizeIs(0));
  EXPECT_THAT(decoded.manifests.resources, SizeIs(2));
  EXPECT_EQ(decoded.manifests.resources[1].origin.document, 2);
  EXPECT_EQ(decoded.manifests.resources[1].origin.line, 6);
}

TEST(Decode, an_error_carries_its_line_and_column) {
  auto decoded = decode(std::string(kResource) + "---\n" +
                        "apiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n1}\n"
                        "spec:\n  standby: maybe\n");
  ASSERT_THAT(decoded.diagnostics, SizeIs(1));
  const model::Diagnostic& d = decoded.diagnostics[0];
  EXPECT_EQ(d.document, 2);
  EXPECT_EQ(d.line, 10);
  EXPECT_EQ(d.column, 12);
  EXPECT_EQ(d.to_string(),
            "web.yaml: HANode default/n1: spec.standby: expected true or false, got the string "
            "\"maybe\"");
}

TEST(Decode, a_syntax_error_does_not_hide_the_other_documents) {
  auto decoded = decode(std::string(kResource) + "---\nspec: [oops\n---\n" +
                        "apiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n1}\n");
  ASSERT_THAT(decoded.diagnostics, SizeIs(1));
  EXPECT_EQ(decoded.diagnostics[0].document, 2);
  EXPECT_EQ(decoded.diagnostics[0].to_string(),
            "web.yaml: line 7, column 1: invalid YAML: end of sequence flow not found");
  EXPECT_THAT(decoded.manifests.resources, SizeIs(1));
  EXPECT_THAT(decoded.manifests.nodes, SizeIs(1));
}

TEST(Decode, empty_documents_and_comments_are_skipped) {
  auto decoded = decode("# nothing here\n---\n---\n" + std::string(kResource) + "...\n");
  EXPECT_THAT(decoded.diagnostics, SizeIs(0));
  ASSERT_THAT(decoded.manifests.resources, SizeIs(1));
  EXPECT_EQ(decoded.manifests.resources[0].origin.document, 1);
}

TEST(Decode, null_means_not_set) {
  auto decoded = decode(
      "apiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: web, labels: ~}\n"
      "spec:\n  agent: {ocf: {provider: heartbeat, type: Dummy}}\n  clone: null\n  meta:\n");
  EXPECT_THAT(decoded.diagnostics, SizeIs(0));
  EXPECT_FALSE(decoded.manifests.resources.at(0).spec.clone.has_value());
}

TEST(Decode, an_object_with_errors_is_kept_but_marked_incomplete) {
  auto decoded = decode(
      "apiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: web}\n"
      "spec: {agent: {ocf: {provider: heartbeat, type: Dummy}}, colour: blue}\n");
  ASSERT_THAT(decoded.manifests.resources, SizeIs(1));
  EXPECT_FALSE(decoded.manifests.resources[0].origin.complete);
}

TEST(Decode, an_alias_bomb_stops_at_the_value_budget_instead_of_hanging) {
  // Ten levels of nested rules, each listing the level below ten times
  // through an alias: 10^10 rules once expanded, in under a kilobyte.
  std::string rules = "&r0 {expressions: [{attribute: a, operation: defined}]}";
  for (int i = 1; i <= 10; ++i) {
    std::string list = rules;
    for (int j = 1; j < 10; ++j) list += ", *r" + std::to_string(i - 1);
    rules = "&r" + std::to_string(i) + " {rules: [" + list + "]}";
  }
  std::string text =
      "apiVersion: tandem.dev/v1alpha1\nkind: HAConstraint\nmetadata: {name: bomb}\n"
      "spec:\n  location:\n    resource: web\n    rules:\n      - {score: 1, rules: [" +
      rules + "]}\n";
  ASSERT_LT(text.size(), 1024u);
  DecodeLimits limits;
  limits.max_values = 100'000;
  auto decoded = decode(text, limits);
  ASSERT_FALSE(decoded.diagnostics.empty());
  EXPECT_THAT(decoded.diagnostics.back().message,
              ::testing::HasSubstr("too many values (counting each use of an alias)"));
}

TEST(Decode, nesting_deeper_than_the_schema_allows_is_cut_short) {
  std::string rules = "{expressions: [{attribute: a, operation: defined}]}";
  for (int i = 0; i < 200; ++i) rules = "{rules: [" + rules + "]}";
  std::string text =
      "apiVersion: tandem.dev/v1alpha1\nkind: HAConstraint\nmetadata: {name: deep}\n"
      "spec:\n  location:\n    resource: web\n    rules: [" +
      rules + "]\n";
  auto decoded = decode(text);
  ASSERT_THAT(decoded.diagnostics, SizeIs(1));
  EXPECT_EQ(decoded.diagnostics[0].message, "nested too deeply");
}

TEST(Decode, deep_nesting_is_an_error_not_a_crash) {
  std::string text = "apiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n1}\nspec: ";
  text += std::string(100'000, '[') + std::string(100'000, ']') + "\n";
  auto decoded = decode(text);
  ASSERT_THAT(decoded.diagnostics, SizeIs(1));
  EXPECT_THAT(decoded.diagnostics[0].message, ::testing::HasSubstr("nested too deeply"));
}

TEST(Decode, an_oversized_file_is_refused) {
  DecodeLimits limits;
  limits.max_bytes = 1 << 20;
  auto decoded = decode(std::string((1 << 20) + 1, '#'), limits);
  ASSERT_THAT(decoded.diagnostics, SizeIs(1));
  EXPECT_EQ(decoded.diagnostics[0].to_string(), "web.yaml: file is larger than 1 MiB");
}

TEST(Decode, echoed_values_are_bounded) {
  auto decoded = decode(
      "apiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata: {name: n1}\n"
      "spec: {standby: " +
      std::string(100'000, '7') + "}\n");
  ASSERT_THAT(decoded.diagnostics, SizeIs(1));
  EXPECT_EQ(decoded.diagnostics[0].message,
            "expected true or false, got the integer " + std::string(80, '7') + "...");
}

TEST(Decode, binary_garbage_is_reported_not_fatal) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  auto decoded = decode(garbage);
  EXPECT_FALSE(decoded.diagnostics.empty());
}

}  // namespace
}  // namespace tandem::manifest
