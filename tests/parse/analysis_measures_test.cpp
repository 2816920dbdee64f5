// Measures: kind tags, ids, weights, catalog citations, checkboxes, shared measures.
#include <gtest/gtest.h>

#include "parse/analysis_parser.h"
#include "parse/catalog.h"
#include "parse_test_support.h"

namespace risksync {
namespace {

using testing::parse;
using testing::parse_clean;

std::string story(std::string_view id, std::string_view possible_items) {
  return "### " + std::string(id) +
         " — En tant que hacker\n\n- Gravité : 3\n- Vraisemblance actuelle : 3\n"
         "- Mesures possibles :\n" +
         std::string(possible_items) + "- Vraisemblance cible : 1\n\n";
}

TEST(AnalysisMeasures, KindTags) {
  const auto a = parse_clean(story("AS1",
                                   "  - [Tech] Un\n"
                                   "  - [Orga] Deux\n"
                                   "  - [tech] Trois\n"
                                   "  - Tech : Quatre\n"
                                   "  - Orga : Cinq\n"
                                   "  - Six (technique)\n"
                                   "  - Sept (organisationnelle)\n"
                                   "  - Huit\n"
                                   "  - [Technique] Neuf\n"));
  ASSERT_EQ(a.measures.size(), 9u);
  const std::vector<std::pair<std::string, MeasureKind>> expected{
      {"Un", MeasureKind::tech},    {"Deux", MeasureKind::orga},
      {"Trois", MeasureKind::tech}, {"Quatre", MeasureKind::tech},
      {"Cinq", MeasureKind::orga},  {"Six", MeasureKind::tech},
      {"Sept", MeasureKind::orga},  {"Huit", MeasureKind::unspecified},
      {"Neuf", MeasureKind::tech}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(a.measures[i].text, expected[i].first);
    EXPECT_EQ(a.measures[i].kind, expected[i].second) << expected[i].first;
    EXPECT_EQ(a.measures[i].where.line, 6 + static_cast<int>(i));
  }
}

TEST(AnalysisMeasures, KindTagsInMeasuresInPlace) {
  const auto a = parse_clean(R"(### AS1 — En tant que hacker

- Gravité : 3
- Mesures en place :
  - [Tech] Pare-feu [C-22]
  - Orga : Charte informatique
  - Sauvegardes
- Vraisemblance actuelle : 2
- Mesures possibles :
  - X
- Vraisemblance cible : 1
)");
  const auto& in_place = a.stories.at(0).measures_in_place;
  ASSERT_EQ(in_place.size(), 3u);
  EXPECT_EQ(in_place[0].text, "Pare-feu");
  EXPECT_EQ(in_place[0].kind, MeasureKind::tech);
  EXPECT_EQ(in_place[0].catalog_refs, std::vector<std::string>{"C-22"});
  EXPECT_EQ(in_place[0].where.line, 5);
  EXPECT_EQ(in_place[1].kind, MeasureKind::orga);
  EXPECT_EQ(in_place[1].text, "Charte informatique");
  EXPECT_EQ(in_place[2].kind, MeasureKind::unspecified);
}

TEST(AnalysisMeasures, ExplicitIdsAreRemovedFromTheText) {
  const auto a = parse_clean(story("AS1",
                                   "  - [Tech] Lancer un bug bounty (M7)\n"
                                   "  - {#socle-2fa} [Tech] Double authentification\n"
                                   "  - [Orga] Revue de code {#M9} par un pair\n"));
  ASSERT_EQ(a.measures.size(), 3u);
  EXPECT_EQ(a.measures[0].key, "M7");
  EXPECT_TRUE(a.measures[0].explicit_key);
  EXPECT_EQ(a.measures[0].text, "Lancer un bug bounty");
  EXPECT_EQ(a.measures[1].key, "socle-2fa");
  EXPECT_EQ(a.measures[1].text, "Double authentification");
  EXPECT_EQ(a.measures[2].key, "M9");
  EXPECT_EQ(a.measures[2].text, "Revue de code par un pair");
  EXPECT_EQ(a.stories[0].possible_measures, (std::vector<std::string>{"M7", "socle-2fa", "M9"}));
}

TEST(AnalysisMeasures, MeasuresWithoutIdGetADerivedKey) {
  const auto a = parse_clean(story("AS3", "  - [Tech] Lancer un programme de bug bounty\n"));
  ASSERT_EQ(a.measures.size(), 1u);
  EXPECT_EQ(a.measures[0].key, derive_measure_key("AS3", "Lancer un programme de bug bounty"));
  EXPECT_FALSE(a.measures[0].explicit_key);
  EXPECT_EQ(a.measures[0].stories, std::vector<std::string>{"AS3"});
}

TEST(AnalysisMeasures, Weights) {
  const auto a = parse_clean(story("AS1",
                                   "  - [Tech] Un (poids 2)\n"
                                   "  - [Tech] Deux (weight 3)\n"
                                   "  - [Tech] Trois (M3) (poids : 4)\n"
                                   "  - [Tech] Quatre\n"));
  ASSERT_EQ(a.measures.size(), 4u);
  EXPECT_EQ(a.measures[0].weight, 2);
  EXPECT_EQ(a.measures[0].text, "Un");
  EXPECT_EQ(a.measures[1].weight, 3);
  EXPECT_EQ(a.measures[2].weight, 4);
  EXPECT_EQ(a.measures[2].key, "M3");
  EXPECT_EQ(a.measures[3].weight, 1);
}

TEST(AnalysisMeasures, WeightOutOfRangeIsAnError) {
  const auto out = parse(story("AS1", "  - [Tech] Un (poids 0)\n"));
  ASSERT_FALSE(out.ok());
  ASSERT_EQ(out.errors.size(), 1u) << testing::dump(out.errors);
  EXPECT_EQ(out.errors[0].where.line, 6);
  EXPECT_EQ(out.errors[0].field, "Mesures possibles");
}

TEST(AnalysisMeasures, CatalogCitations) {
  const auto a = parse_clean(story("AS1",
                                   "  - [Tech] Blocage du compte [C-4]\n"
                                   "  - [Tech] Jetons anti-CSRF [W-7] [C-13]\n"
                                   "  - [Tech] Cookies sécurisés [W-6, W-21]\n"
                                   "  - [Tech] Voir [C-22](https://example.org/c22)\n"));
  ASSERT_EQ(a.measures.size(), 4u);
  EXPECT_EQ(a.measures[0].catalog_refs, std::vector<std::string>{"C-4"});
  EXPECT_EQ(a.measures[0].text, "Blocage du compte");
  EXPECT_EQ(a.measures[0].kind, MeasureKind::tech);  // [Tech] is a tag, not a citation
  EXPECT_EQ(a.measures[1].catalog_refs, (std::vector<std::string>{"W-7", "C-13"}));
  EXPECT_EQ(a.measures[2].catalog_refs, (std::vector<std::string>{"W-6", "W-21"}));
  EXPECT_EQ(a.measures[3].catalog_refs, std::vector<std::string>{"C-22"});
  EXPECT_EQ(a.measures[3].text, "Voir");
}

TEST(AnalysisMeasures, UnknownCitationIsAWarningWhenACatalogIsGiven) {
  auto catalog = parse_catalog("C-4\tAuth\tBlocage compte\tdesc\n", "mini.tsv");
  ASSERT_TRUE(catalog.ok());
  ParseOptions options;
  options.catalog = &*catalog;
  const auto out = parse(story("AS1", "  - [Tech] Un [C-4] [Z-99]\n"), options);
  ASSERT_TRUE(out.ok()) << testing::dump(out.errors);
  ASSERT_EQ(out.warnings.size(), 1u) << testing::dump(out.warnings);
  EXPECT_EQ(out.warnings[0].where.line, 6);
  EXPECT_EQ(out.warnings[0].field, "Mesures possibles");
  EXPECT_NE(out.warnings[0].message.find("[Z-99]"), std::string::npos);
  // Without a catalog, citations are not checked.
  EXPECT_TRUE(parse(story("AS1", "  - [Tech] Un [Z-99]\n")).warnings.empty());
}

TEST(AnalysisMeasures, Checkboxes) {
  const auto a = parse_clean(story("AS1",
                                   "  - [x] [Tech] Un\n"
                                   "  - [X] [Tech] Deux\n"
                                   "  - [ ] [Tech] Trois\n"
                                   "  - [Tech] Quatre\n"));
  ASSERT_EQ(a.measures.size(), 4u);
  EXPECT_TRUE(a.measures[0].checked);
  EXPECT_TRUE(a.measures[1].checked);
  EXPECT_FALSE(a.measures[2].checked);
  EXPECT_FALSE(a.measures[3].checked);
  EXPECT_EQ(a.measures[1].text, "Deux");
}

TEST(AnalysisMeasures, SharedMeasureIsOneMeasureServingSeveralStories) {
  const auto a = parse_clean(story("AS1", "  - [Tech] Double authentification (M1)\n") +
                             story("AS2",
                                   "  - [Tech] Double authentification (M1)\n"
                                   "  - [Orga] Former l'équipe\n") +
                             story("AS3", "  - (M1)\n"));
  ASSERT_EQ(a.measures.size(), 2u);
  const Measure* m1 = a.find_measure("M1");
  ASSERT_NE(m1, nullptr);
  EXPECT_EQ(m1->stories, (std::vector<std::string>{"AS1", "AS2", "AS3"}));
  EXPECT_EQ(m1->where.line, 6);
  EXPECT_EQ(m1->text, "Double authentification");
  EXPECT_EQ(a.stories[2].possible_measures, std::vector<std::string>{"M1"});
}

TEST(AnalysisMeasures, SharedMeasureWithAnotherTextIsAWarning) {
  const auto out = parse(story("AS1", "  - [Tech] Double authentification (M1)\n") +
                         story("AS2", "  - [Tech] Authentification forte (M1)\n"));
  ASSERT_TRUE(out.ok()) << testing::dump(out.errors);
  ASSERT_EQ(out.warnings.size(), 1u) << testing::dump(out.warnings);
  EXPECT_EQ(out.warnings[0].where.line, 14);
  EXPECT_EQ(out.warnings[0].field, "Mesures possibles");
  EXPECT_EQ(out.analysis->find_measure("M1")->text, "Double authentification");
}

TEST(AnalysisMeasures, IdWithoutTextAnywhereIsAnError) {
  const auto out = parse(story("AS1", "  - (M5)\n"));
  ASSERT_FALSE(out.ok());
  ASSERT_EQ(out.errors.size(), 1u) << testing::dump(out.errors);
  EXPECT_EQ(out.errors[0].where.line, 6);
  EXPECT_EQ(out.errors[0].field, "Mesures possibles");
}

TEST(AnalysisMeasures, WrappedMeasureTextIsJoined) {
  const auto a = parse_clean(story("AS1",
                                   "  - [ ] [Orga] Les utilisateurs sont sensibilisés au fait que\n"
                                   "    le service n'accueille que des informations publiques\n"));
  ASSERT_EQ(a.measures.size(), 1u);
  EXPECT_EQ(a.measures[0].text,
            "Les utilisateurs sont sensibilisés au fait que le service n'accueille que des "
            "informations publiques");
}

}  // namespace
}  // namespace risksync
