#include "common/manifest/scalar.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

namespace tandem::manifest {
namespace {

TEST(Scalar, plain_scalars_are_typed_as_kubectl_reads_them) {
  EXPECT_EQ(classify_plain("hello"), ScalarType::kString);
  EXPECT_EQ(classify_plain("10s"), ScalarType::kString);
  EXPECT_EQ(classify_plain("INFINITY"), ScalarType::kString);
  EXPECT_EQ(classify_plain("-INFINITY"), ScalarType::kString);
  EXPECT_EQ(classify_plain("24"), ScalarType::kInt);
  EXPECT_EQ(classify_plain("-7"), ScalarType::kInt);
  EXPECT_EQ(classify_plain("0x1F"), ScalarType::kInt);
  EXPECT_EQ(classify_plain("1.5"), ScalarType::kFloat);
  EXPECT_EQ(classify_plain("1e3"), ScalarType::kFloat);
  EXPECT_EQ(classify_plain(".inf"), ScalarType::kFloat);
  EXPECT_EQ(classify_plain("~"), ScalarType::kNull);
  EXPECT_EQ(classify_plain(""), ScalarType::kNull);
}

TEST(Scalar, yaml_1_1_booleans_are_booleans_but_only_true_and_false_are_accepted) {
  for (const char* text : {"yes", "No", "on", "OFF", "y", "n", "true", "False"}) {
    EXPECT_EQ(classify_plain(text), ScalarType::kBool) << text;
  }
  EXPECT_TRUE(is_canonical_bool("true"));
  EXPECT_TRUE(is_canonical_bool("FALSE"));
  EXPECT_FALSE(is_canonical_bool("yes"));
  EXPECT_FALSE(is_canonical_bool("on"));
}

TEST(Scalar, quotes_and_tags_decide_over_the_text) {
  EXPECT_EQ(classify(YAML::Load("\"24\"")), ScalarType::kString);
  EXPECT_EQ(classify(YAML::Load("'off'")), ScalarType::kString);
  EXPECT_EQ(classify(YAML::Load("!!str 24")), ScalarType::kString);
  EXPECT_EQ(classify(YAML::Load("!!int 24")), ScalarType::kInt);
  EXPECT_EQ(classify(YAML::Load("!custom 24")), ScalarType::kUnsupportedTag);
  EXPECT_EQ(classify(YAML::Load("|\n  block\n")), ScalarType::kString);
}

TEST(Scalar, decimal_integers_have_digits_and_an_optional_sign) {
  EXPECT_TRUE(is_decimal_integer("42"));
  EXPECT_TRUE(is_decimal_integer("-42"));
  EXPECT_TRUE(is_decimal_integer("+42"));
  EXPECT_FALSE(is_decimal_integer("0x2a"));
  EXPECT_FALSE(is_decimal_integer("1_000"));
  EXPECT_FALSE(is_decimal_integer("-"));
}

}  // namespace
}  // namespace tandem::manifest
