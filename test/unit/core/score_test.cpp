#include "common/core/score.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

TEST(Score, finite_scores_add_like_integers) {
  EXPECT_EQ(Score::of(100) + Score::of(-30), Score::of(70));
}

TEST(Score, sums_saturate_at_infinity) {
  EXPECT_EQ(Score::of(999'999) + Score::of(5), Score::infinity());
  EXPECT_EQ(Score::of(-999'999) + Score::of(-5), Score::minus_infinity());
}

TEST(Score, minus_infinity_wins_over_plus_infinity) {
  EXPECT_EQ(Score::infinity() + Score::minus_infinity(), Score::minus_infinity());
  EXPECT_EQ(Score::minus_infinity() + Score::infinity(), Score::minus_infinity());
}

TEST(Score, infinity_absorbs_finite_scores) {
  EXPECT_EQ(Score::infinity() + Score::of(-500'000), Score::infinity());
  EXPECT_EQ(Score::minus_infinity() + Score::of(500'000), Score::minus_infinity());
}

TEST(Score, literals_beyond_infinity_are_clamped) {
  EXPECT_EQ(Score::of(5'000'000), Score::infinity());
  EXPECT_EQ(*Score::parse("2000000"), Score::infinity());
  EXPECT_EQ(*Score::parse("-99999999999999999999999"), Score::minus_infinity());
}

TEST(Score, parses_pacemaker_spellings) {
  EXPECT_EQ(*Score::parse("INFINITY"), Score::infinity());
  EXPECT_EQ(*Score::parse("+INFINITY"), Score::infinity());
  EXPECT_EQ(*Score::parse("-INFINITY"), Score::minus_infinity());
  EXPECT_EQ(*Score::parse("-100"), Score::of(-100));
  EXPECT_EQ(*Score::parse("+7"), Score::of(7));
}

TEST(Score, rejects_text_that_is_not_a_score) {
  for (const char* text : {"", "infinity", "10.5", "ten", "1e3", "-", "INFINITY!"}) {
    auto score = Score::parse(text);
    ASSERT_FALSE(score) << text;
    EXPECT_NE(score.error().message.find("is not a score"), std::string::npos);
  }
  EXPECT_EQ(Score::parse("abc").error().message,
            "\"abc\" is not a score (an integer, INFINITY or -INFINITY)");
}

TEST(Score, prints_infinities_by_name) {
  EXPECT_EQ(Score::infinity().to_string(), "INFINITY");
  EXPECT_EQ(Score::minus_infinity().to_string(), "-INFINITY");
  EXPECT_EQ(Score::of(-42).to_string(), "-42");
}

TEST(Score, negation_swaps_infinities) {
  EXPECT_EQ(-Score::infinity(), Score::minus_infinity());
  EXPECT_EQ(-Score::of(5), Score::of(-5));
}

TEST(Score, orders_from_minus_infinity_to_infinity) {
  EXPECT_LT(Score::minus_infinity(), Score::of(-999'999));
  EXPECT_LT(Score::of(999'999), Score::infinity());
}

}  // namespace
}  // namespace tandem
