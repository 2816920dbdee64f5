// Labels are recognised by their key: parentheses dropped (an unbalanced ')' too), text
// normalised (case, accents, punctuation, whitespace runs), each word singular ("s" alone
// dropped, a final 's' removed from words of more than three letters). These cases pin that
// behaviour down for match_label() and table_column_field().
#include <gtest/gtest.h>

#include "parse/fields.h"
#include "parse/text_util.h"

namespace risksync::parse_detail {
namespace {

struct LabelCase {
  std::string_view text;
  bool colon_optional;
  Field expected;
};

class LabelKey : public ::testing::TestWithParam<LabelCase> {};

TEST_P(LabelKey, GivesTheField) {
  const LabelMatch m = match_label(GetParam().text, GetParam().colon_optional);
  EXPECT_EQ(m.field, GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Variants, LabelKey,
    ::testing::Values(LabelCase{"Gravité", true, Field::gravity},
                      LabelCase{"Gravité", false, Field::none},  // no colon, not a list field
                      LabelCase{"GRAVITÉS : 3", false, Field::gravity},
                      LabelCase{"  gravite\t:\t3  ", false, Field::gravity},
                      LabelCase{"Mesure(s) possible(s) :", false, Field::possible},
                      LabelCase{"Mesures possibles (à discuter)", false, Field::possible},
                      LabelCase{"Mesures   en\tplace :", false, Field::in_place},
                      LabelCase{"Mesures\r\nen place :", false, Field::in_place},
                      LabelCase{"Gra)vité : 3", false, Field::gravity},  // ')' alone dropped
                      LabelCase{"Vraisemblance (cible) : 2", false, Field::current},
                      LabelCase{"Vraisemblances cibles : 2", false, Field::target},
                      LabelCase{"s Gravité s : 3", false, Field::gravity},      // "s" alone dropped
                      LabelCase{"Niveaux de gravité : 2", false, Field::none},  // "niveaux"
                      LabelCase{"Gravit : 3", false, Field::none},
                      LabelCase{"Abuser stories : x", false, Field::none},  // "abuser storie"
                      LabelCase{"Target-likelihood : 1", false, Field::target},
                      LabelCase{"", true, Field::none}));

TEST(LabelKey, UnknownLabelShapedLinesAreLabelish) {
  const LabelMatch m = match_label("Niveaux de gravité : 2", false);
  EXPECT_EQ(m.field, Field::none);
  EXPECT_TRUE(m.labelish);
  EXPECT_EQ(m.label, "Niveaux de gravité");
  EXPECT_EQ(m.value, "2");
}

TEST(LabelKey, TableHeaders) {
  EXPECT_EQ(table_column_field("Abuser stories"), Field::story_text);
  EXPECT_EQ(table_column_field("Réf."), Field::story_id);
  EXPECT_EQ(table_column_field("IDs"), Field::none);  // three letters: the 's' stays
  EXPECT_EQ(table_column_field("Mesures possibles"), Field::possible);
  EXPECT_EQ(table_column_field("Gravité (1-4)"), Field::gravity);
}

// ASCII whitespace runs become one space; the ends are trimmed of ASCII and Unicode spaces
// (a no-break space inside the text stays).
TEST(CollapseSpaces, RunsAndEnds) {
  EXPECT_EQ(collapse_spaces("  a \t\r\n b  "), "a b");
  EXPECT_EQ(collapse_spaces("a"), "a");
  EXPECT_EQ(collapse_spaces(""), "");
  EXPECT_EQ(collapse_spaces(" \t "), "");
  EXPECT_EQ(collapse_spaces("\u00a0a\u00a0b\u00a0"), "a\u00a0b");
  EXPECT_EQ(collapse_spaces("\u00a0 x  y \u00a0"), "x y");
  EXPECT_EQ(collapse_spaces("\u2003 x  y"), "\u2003 x y");  // an em space is not trimmed
}

}  // namespace
}  // namespace risksync::parse_detail
