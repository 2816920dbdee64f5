// The shapes of abuser stories the parser accepts: headings, list items, tables, the seed's
// "fields before the id" layout and slide glyphs.
#include <gtest/gtest.h>

#include <thread>

#include "parse/analysis_parser.h"
#include "parse_test_support.h"

namespace risksync {
namespace {

using testing::kFields;
using testing::parse_clean;
using testing::parse_ok;

std::string with_fields(std::string_view header) {
  return "## Abuser stories\n\n" + std::string(header) + "\n" + std::string(kFields);
}

void expect_one_story(const Analysis& a, int line, std::string_view text) {
  ASSERT_EQ(a.stories.size(), 1u);
  const AbuserStory& s = a.stories[0];
  EXPECT_EQ(s.id, "AS1");
  EXPECT_EQ(s.number, 1);
  EXPECT_EQ(s.where.line, line);
  EXPECT_EQ(s.where.file, "analyse.md");
  EXPECT_EQ(s.text, text);
  EXPECT_EQ(s.gravity, Gravity::important);
  EXPECT_EQ(s.current_likelihood, Likelihood::likely);
  EXPECT_EQ(s.target_likelihood, Likelihood::unlikely);
  ASSERT_EQ(s.possible_measures.size(), 1u);
}

TEST(AnalysisLayout, HeadingWithEmDash) {
  const auto a = parse_clean(with_fields("### AS1 — En tant que hacker, je souhaite voler"));
  expect_one_story(a, 3, "En tant que hacker, je souhaite voler");
}

TEST(AnalysisLayout, HeadingLevelTwoWithHyphen) {
  const auto a = parse_clean(with_fields("## AS1 - En tant que hacker, je souhaite voler"));
  expect_one_story(a, 3, "En tant que hacker, je souhaite voler");
}

TEST(AnalysisLayout, HeadingWithColonAndEnDash) {
  expect_one_story(parse_clean(with_fields("### AS1 : En tant que hacker")), 3,
                   "En tant que hacker");
  expect_one_story(parse_clean(with_fields("### AS1 – En tant que hacker")), 3,
                   "En tant que hacker");
  expect_one_story(parse_clean(with_fields("### **AS1** — En tant que hacker")), 3,
                   "En tant que hacker");
}

TEST(AnalysisLayout, HeadingWithoutSentenceTakesTheFollowingParagraph) {
  const auto a = parse_clean(R"(## Abuser stories

### AS1

En tant qu'attaquant étatique, lorsque le code source est vulnérable,
je souhaite récupérer les codes de conférences
afin de récupérer des informations stratégiques

- Gravité : 3
- Vraisemblance actuelle : 2
- Mesures possibles :
  - [Tech] Activer la double authentification
- Vraisemblance cible : 1
)");
  expect_one_story(a, 3,
                   "En tant qu'attaquant étatique, lorsque le code source est vulnérable, je "
                   "souhaite récupérer les codes de conférences afin de récupérer des "
                   "informations stratégiques");
  EXPECT_EQ(a.stories[0].attacker, "attaquant étatique");
  EXPECT_EQ(a.stories[0].component, "le code source");
}

TEST(AnalysisLayout, ListItemWithNestedFields) {
  const auto a = parse_clean(R"(## Abuser stories

- **AS1** — En tant que hacker, je souhaite voler
  - Gravité : 3
  - Vraisemblance actuelle : 2
  - Mesures possibles :
    - [Tech] Activer la double authentification
  - Vraisemblance cible : 1
- **AS2** — En tant que hacktiviste, je souhaite bloquer
  - Gravité : 2
  - Vraisemblance actuelle : 1
  - Mesures possibles :
    - [ ] [Orga] Former l'équipe
  - Vraisemblance cible : 1
)");
  ASSERT_EQ(a.stories.size(), 2u);
  EXPECT_EQ(a.stories[0].where.line, 3);
  EXPECT_EQ(a.stories[0].text, "En tant que hacker, je souhaite voler");
  EXPECT_EQ(a.stories[0].gravity, Gravity::important);
  EXPECT_EQ(a.stories[1].id, "AS2");
  EXPECT_EQ(a.stories[1].where.line, 9);
  EXPECT_EQ(a.stories[1].gravity, Gravity::significant);
  EXPECT_EQ(a.stories[1].attacker, "hacktiviste");
  ASSERT_EQ(a.measures.size(), 2u);
  EXPECT_EQ(a.measures[1].text, "Former l'équipe");
  EXPECT_EQ(a.measures[1].stories, std::vector<std::string>{"AS2"});
}

TEST(AnalysisLayout, ParagraphHeaderThenFields) {
  const auto a = parse_clean(R"(## Abuser stories

**AS1** : En tant que hacker, je souhaite voler
Gravité : 3
Vraisemblance actuelle : 2
Mesures possibles : [Tech] Activer la double authentification
Vraisemblance cible : 1
)");
  expect_one_story(a, 3, "En tant que hacker, je souhaite voler");
  EXPECT_EQ(a.measures[0].text, "Activer la double authentification");
  EXPECT_EQ(a.measures[0].where.line, 6);
}

TEST(AnalysisLayout, FieldsAsSubHeadings) {
  const auto a = parse_clean(R"(## Abuser stories

### AS1 — En tant que hacker, je souhaite voler

#### Gravité : 3

#### Vraisemblance actuelle : 2

#### Mesures possibles

- [Tech] Activer la double authentification

#### Vraisemblance cible : 1
)");
  expect_one_story(a, 3, "En tant que hacker, je souhaite voler");
}

TEST(AnalysisLayout, TableRowsWithBrInsideCells) {
  const auto a = parse_clean(R"(## Abuser stories

| ID | Abuser story | Gravité | Mesures en place | Vraisemblance actuelle | Mesures possibles | Vraisemblance cible |
|----|--------------|---------|------------------|------------------------|-------------------|---------------------|
| AS1 | En tant qu'attaquant étatique,<br/>lorsque le code source est vulnérable, je souhaite voler | 4 - Critique | [Tech] Analyse de code<br/>[Orga] Sensibilisation | 2/4 | [ ] [Tech] Bug bounty (M1)<br>[x] [Orga] Revue de code | 1/4 |
| AS2 | En tant qu'hacktiviste, je souhaite bloquer | 2 | — | 1 | [Tech] Bug bounty (M1) | 1 |
)");
  ASSERT_EQ(a.stories.size(), 2u);
  const AbuserStory& s1 = a.stories[0];
  EXPECT_EQ(s1.where.line, 5);
  EXPECT_EQ(s1.text,
            "En tant qu'attaquant étatique, lorsque le code source est vulnérable, je souhaite "
            "voler");
  EXPECT_EQ(s1.attacker, "attaquant étatique");
  EXPECT_EQ(s1.component, "le code source");
  EXPECT_EQ(s1.gravity, Gravity::critical);
  EXPECT_EQ(s1.current_likelihood, Likelihood::likely);
  EXPECT_EQ(s1.target_likelihood, Likelihood::unlikely);
  ASSERT_EQ(s1.measures_in_place.size(), 2u);
  EXPECT_EQ(s1.measures_in_place[1].text, "Sensibilisation");
  EXPECT_EQ(s1.measures_in_place[1].kind, MeasureKind::orga);
  ASSERT_EQ(s1.possible_measures.size(), 2u);
  EXPECT_EQ(s1.possible_measures[0], "M1");
  const Measure* review = a.find_measure(s1.possible_measures[1]);
  ASSERT_NE(review, nullptr);
  EXPECT_TRUE(review->checked);
  EXPECT_EQ(review->text, "Revue de code");
  EXPECT_EQ(a.stories[1].where.line, 6);
  EXPECT_TRUE(a.stories[1].measures_in_place.empty());
  EXPECT_EQ(a.find_measure("M1")->stories, (std::vector<std::string>{"AS1", "AS2"}));
}

TEST(AnalysisLayout, TableFixtureFromDisk) {
  const auto a = parse_clean(testing::read_file(testing::data_path("parse/table-layout.md")));
  ASSERT_EQ(a.stories.size(), 2u);
  EXPECT_EQ(a.product, "AudioConf");
  EXPECT_EQ(a.stories[0].measures_in_place.size(), 3u);
  EXPECT_EQ(a.stories[1].possible_measures.size(), 2u);
  EXPECT_TRUE(a.find_measure(a.stories[1].possible_measures[0])->checked);
}

// The seed's slides: the fields come before the "AS1 - En tant que…" line, with "●" and "○"
// glyphs pasted as text (first story) or as a markdown list (second story).
TEST(AnalysisLayout, SeedLayoutFieldsBeforeTheId) {
  const auto a = parse_clean(testing::read_file(testing::data_path("parse/seed-layout.md")));
  ASSERT_EQ(a.stories.size(), 2u);
  const AbuserStory& s1 = a.stories[0];
  EXPECT_EQ(s1.id, "AS1");
  EXPECT_EQ(s1.where.line, 16);
  EXPECT_EQ(s1.gravity, Gravity::critical);
  EXPECT_EQ(s1.current_likelihood, Likelihood::likely);
  EXPECT_EQ(s1.target_likelihood, Likelihood::unlikely);
  ASSERT_EQ(s1.measures_in_place.size(), 3u);
  EXPECT_EQ(s1.measures_in_place[1].text,
            "Les utilisateurs sont sensibilisé aux fait que les services ne peut accueillir que "
            "des informations non-privilégié");
  EXPECT_EQ(s1.measures_in_place[1].where.line, 8);
  EXPECT_EQ(s1.attacker, "attaquant étatique");
  ASSERT_EQ(s1.possible_measures.size(), 1u);
  EXPECT_EQ(a.find_measure(s1.possible_measures[0])->text, "Lancer un programme de bug bounty");
  const AbuserStory& s2 = a.stories[1];
  EXPECT_EQ(s2.id, "AS2");
  EXPECT_EQ(s2.where.line, 30);
  EXPECT_EQ(s2.gravity, Gravity::significant);
  EXPECT_EQ(s2.current_likelihood, Likelihood::unlikely);
  EXPECT_EQ(s2.measures_in_place.size(), 2u);
  EXPECT_EQ(s2.possible_measures.size(), 2u);
  EXPECT_EQ(s2.component, "l’API OVH");
}

TEST(AnalysisLayout, GlyphsInsideAListItemParagraph) {
  const auto a = parse_clean(R"(## Abuser stories

### AS1 — En tant que hacker

- Gravité : 3
- Vraisemblance actuelle : 2
- Mesures possibles :
  ○ [Tech] Activer la double authentification
  ○ [Orga] Revue de code par un autre développeur
  ● Vraisemblance cible : 1
)");
  ASSERT_EQ(a.stories.size(), 1u);
  ASSERT_EQ(a.measures.size(), 2u);
  EXPECT_EQ(a.measures[0].text, "Activer la double authentification");
  EXPECT_EQ(a.measures[0].where.line, 8);
  EXPECT_EQ(a.measures[1].kind, MeasureKind::orga);
  EXPECT_EQ(a.measures[1].where.line, 9);
  EXPECT_EQ(a.stories[0].target_likelihood, Likelihood::unlikely);
}

TEST(AnalysisLayout, AllBulletMarkers) {
  const auto a = parse_clean(R"(## Abuser stories

### AS1 — En tant que hacker

* Gravité : 3
* Vraisemblance actuelle : 2
* Mesures possibles :
  + [Tech] Première
  + [Tech] Deuxième
  - [Tech] Troisième
* Vraisemblance cible : 1
)");
  ASSERT_EQ(a.measures.size(), 3u);
  EXPECT_EQ(a.measures[2].text, "Troisième");
}

TEST(AnalysisLayout, StoriesWithoutAbuserSectionHeading) {
  const auto a = parse_clean("# Analyse de risques — X\n\n## AS1 — En tant que hacker\n" +
                             std::string(testing::kFields) + "\n## AS2 — En tant que voleur\n" +
                             std::string(testing::kFields));
  ASSERT_EQ(a.stories.size(), 2u);
  EXPECT_EQ(a.stories[1].where.line, 11);
}

TEST(AnalysisLayout, AnIdInRunningTextDoesNotStartAStory) {
  const auto a = parse_clean(with_fields("### AS1 — En tant que hacker") +
                             "\nAS2 et AS3 partagent ce socle de mesures.\n");
  ASSERT_EQ(a.stories.size(), 1u);
  const auto b = parse_clean(with_fields("AS1 En tant que hacker, je souhaite voler"));
  ASSERT_EQ(b.stories.size(), 1u);
  EXPECT_EQ(b.stories[0].text, "En tant que hacker, je souhaite voler");
}

TEST(AnalysisLayout, StoryIsClosedByTheNextSectionHeading) {
  const auto a = parse_ok(with_fields("### AS1 — En tant que hacker") +
                          "\n## Cartographie\n\n- Gravité : 1\n");
  ASSERT_EQ(a.stories.size(), 1u);
  EXPECT_EQ(a.stories[0].gravity, Gravity::important);
}

// cmark-gfm 0.29 edits process-wide tables while parsing: concurrent parses must still agree.
TEST(AnalysisLayout, ConcurrentParsesGiveTheSameResult) {
  const std::string md =
      testing::read_file(testing::data_path("parse/table-layout.md")) + "\n~~barré~~ | texte\n";
  const Analysis reference = parse_ok(md);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const ParseOutcome out = testing::parse(md);
        if (!out.analysis || out.analysis->stories.size() != reference.stories.size() ||
            out.analysis->measures.size() != reference.measures.size())
          ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace risksync
