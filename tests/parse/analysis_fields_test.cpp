// Field lines: labels in French or English, with or without accents, levels as numbers,
// names or both.
#include <gtest/gtest.h>

#include "parse/analysis_parser.h"
#include "parse_test_support.h"

namespace risksync {
namespace {

using testing::parse;
using testing::parse_clean;

std::string story_with(std::string_view gravity_line, std::string_view current_line = "",
                       std::string_view target_line = "") {
  std::string md = "## Abuser stories\n\n### AS1 — En tant que hacker\n\n";
  md += "- " + std::string(gravity_line) + "\n";
  md +=
      "- " + std::string(current_line.empty() ? "Vraisemblance actuelle : 3" : current_line) + "\n";
  md += "- Mesures possibles :\n  - [Tech] Activer la double authentification\n";
  md += "- " + std::string(target_line.empty() ? "Vraisemblance cible : 1" : target_line) + "\n";
  return md;
}

struct GravityCase {
  std::string_view line;
  Gravity expected;
};

class GravityLine : public ::testing::TestWithParam<GravityCase> {};

TEST_P(GravityLine, IsRead) {
  const auto a = parse_clean(story_with(GetParam().line));
  ASSERT_EQ(a.stories.size(), 1u);
  EXPECT_EQ(a.stories[0].gravity, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Variants, GravityLine,
    ::testing::Values(GravityCase{"Gravité : 4/4 🟥", Gravity::critical},
                      GravityCase{"Gravité : 4 - Critique", Gravity::critical},
                      GravityCase{"Gravité: Critique", Gravity::critical},
                      GravityCase{"**Gravité** : 4", Gravity::critical},
                      GravityCase{"Gravité : 4 – Critique", Gravity::critical},
                      GravityCase{"Gravité : 3-Importante", Gravity::important},
                      GravityCase{"GRAVITE : 2", Gravity::significant},
                      GravityCase{"gravite:1", Gravity::minor},
                      GravityCase{"Gravité\u00a0: 2 🟨", Gravity::significant},
                      GravityCase{"Gravité : 🟧 3/4", Gravity::important},
                      GravityCase{"Gravité : Significative (2)", Gravity::significant},
                      GravityCase{"Severity: Critical", Gravity::critical},
                      GravityCase{"Gravity : 3", Gravity::important}));

struct LikelihoodCase {
  std::string_view current;
  std::string_view target;
  Likelihood expected_current;
  Likelihood expected_target;
};

class LikelihoodLines : public ::testing::TestWithParam<LikelihoodCase> {};

TEST_P(LikelihoodLines, AreRead) {
  const auto a = parse_clean(story_with("Gravité : 2", GetParam().current, GetParam().target));
  ASSERT_EQ(a.stories.size(), 1u);
  EXPECT_EQ(a.stories[0].current_likelihood, GetParam().expected_current);
  EXPECT_EQ(a.stories[0].target_likelihood, GetParam().expected_target);
}

INSTANTIATE_TEST_SUITE_P(
    Variants, LikelihoodLines,
    ::testing::Values(LikelihoodCase{"Vraisemblance actuelle : 2/4 🟨",
                                     "Vraisemblance cible : 1/4 🟩", Likelihood::likely,
                                     Likelihood::unlikely},
                      LikelihoodCase{"Vraisemblance initiale : 3 - Très probable",
                                     "Vraisemblance cible : 2 – Probable", Likelihood::very_likely,
                                     Likelihood::likely},
                      LikelihoodCase{"vraisemblance actuelle: Quasi-certain",
                                     "VRAISEMBLANCE CIBLE: tres probable", Likelihood::near_certain,
                                     Likelihood::very_likely},
                      LikelihoodCase{"**Vraisemblance actuelle** : 4",
                                     "**Vraisemblance cible** : Peu probable",
                                     Likelihood::near_certain, Likelihood::unlikely},
                      LikelihoodCase{"Current likelihood: 3", "Target likelihood: 2",
                                     Likelihood::very_likely, Likelihood::likely},
                      LikelihoodCase{"Initial likelihood : Likely", "Target likelihood : Unlikely",
                                     Likelihood::likely, Likelihood::unlikely}));

TEST(AnalysisFields, ResidualLikelihoodFillsWrittenResidual) {
  const auto fr =
      parse_clean(story_with("Gravité : 2", "Vraisemblance actuelle : 3",
                             "Vraisemblance cible : 1\n- Vraisemblance résiduelle : 2"));
  ASSERT_EQ(fr.stories.size(), 1u);
  EXPECT_EQ(fr.stories[0].written_residual, Likelihood::likely);
  const auto en =
      parse_clean(story_with("Gravité : 2", "Vraisemblance actuelle : 3",
                             "Vraisemblance cible : 1\n- Residual likelihood: Very likely"));
  EXPECT_EQ(en.stories[0].written_residual, Likelihood::very_likely);
  const auto none = parse_clean(story_with("Gravité : 2"));
  EXPECT_FALSE(none.stories[0].written_residual.has_value());
}

TEST(AnalysisFields, EnglishDocument) {
  const auto a = parse_clean(R"(# Risk analysis — AudioConf

## Abuser stories

### AS1 — As a state attacker, when the source code is vulnerable, I want to steal codes so that I can spy

- Severity: 4
- Existing measures:
  - [Tech] Automatic code analysis
- Current likelihood: 2
- Possible measures:
  - [ ] [Tech] Bug bounty programme
- Target likelihood: 1
)");
  ASSERT_EQ(a.stories.size(), 1u);
  EXPECT_EQ(a.product, "AudioConf");
  EXPECT_EQ(a.stories[0].attacker, "state attacker");
  EXPECT_EQ(a.stories[0].component, "the source code");
  EXPECT_EQ(a.stories[0].measures_in_place.size(), 1u);
  EXPECT_EQ(a.stories[0].possible_measures.size(), 1u);
  EXPECT_EQ(a.stories[0].gravity, Gravity::critical);
}

TEST(AnalysisFields, MeasuresInPlaceEnglishSynonym) {
  const auto a = parse_clean(R"(## Abuser stories

### AS1 — As a hacker

- Gravity: 2
- Measures in place:
  - Firewall
- Initial likelihood: 2
- Possible measures:
  - WAF
- Target likelihood: 1
)");
  ASSERT_EQ(a.stories.size(), 1u);
  EXPECT_EQ(a.stories[0].measures_in_place.size(), 1u);
  EXPECT_EQ(a.stories[0].measures_in_place[0].kind, MeasureKind::unspecified);
}

TEST(AnalysisFields, PluralSingularAndParentheses) {
  for (const std::string_view label :
       {"Mesures possible(s) :", "Mesure possible :", "Mesures possible :", "mesures possibles:",
        "Mesures possibles (à planifier) :"}) {
    const std::string md =
        "### AS1 — En tant que hacker\n\n- Gravité : 2\n- Vraisemblance "
        "actuelle : 2\n- " +
        std::string(label) + "\n  - [Tech] X\n- Vraisemblance cible : 1\n";
    const auto a = parse_clean(md);
    ASSERT_EQ(a.stories.size(), 1u) << label;
    EXPECT_EQ(a.stories[0].possible_measures.size(), 1u) << label;
  }
}

TEST(AnalysisFields, NumberAndNameThatDisagreeIsAnError) {
  const auto out = parse(story_with("Gravité : 4 - Mineure"));
  EXPECT_FALSE(out.ok());
  ASSERT_EQ(out.errors.size(), 1u) << testing::dump(out.errors);
  const Error& e = out.errors[0];
  EXPECT_EQ(e.kind, ErrorKind::bad_input);
  EXPECT_EQ(e.where.file, "analyse.md");
  EXPECT_EQ(e.where.line, 5);
  EXPECT_EQ(e.field, "Gravité");
  EXPECT_NE(e.message.find("Critique"), std::string::npos) << e.message;
}

TEST(AnalysisFields, TextAfterTheLevelIsAWarning) {
  const auto out = parse(story_with("Gravité : 3 (discuté en atelier)"));
  ASSERT_TRUE(out.ok()) << testing::dump(out.errors);
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_EQ(out.warnings[0].field, "Gravité");
  EXPECT_EQ(out.warnings[0].where.line, 5);
  EXPECT_EQ(out.analysis->stories[0].gravity, Gravity::important);
}

TEST(AnalysisFields, ExplicitAttackerAndComponentLines) {
  const auto a = parse_clean(R"(### AS1 — Vol de données

- Attaquant : cybercriminel
- Composant : la base de données
- Gravité : 3
- Vraisemblance actuelle : 2
- Mesures possibles : [Tech] Chiffrer la base
- Vraisemblance cible : 1
)");
  ASSERT_EQ(a.stories.size(), 1u);
  EXPECT_EQ(a.stories[0].attacker, "cybercriminel");
  EXPECT_EQ(a.stories[0].component, "la base de données");
  EXPECT_EQ(a.stories[0].text, "Vol de données");
}

}  // namespace
}  // namespace risksync
