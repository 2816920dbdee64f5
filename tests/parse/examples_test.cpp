// The shipped examples load from disk, parse cleanly and give the values of the method.
#include <gtest/gtest.h>

#include <set>

#include "model/assessment.h"
#include "parse/analysis_parser.h"
#include "parse/catalog.h"
#include "parse_test_support.h"

namespace risksync {
namespace {

Analysis load_example(std::string_view name, const ParseOptions& options = {}) {
  const std::string path = testing::example_path(name);
  const ParseOutcome out = parse_analysis(testing::read_file(path), path, options);
  EXPECT_TRUE(out.errors.empty()) << testing::dump(out.errors);
  EXPECT_TRUE(out.warnings.empty()) << testing::dump(out.warnings);
  if (!out.analysis) return Analysis{};
  return *out.analysis;
}

Catalog load_segur() {
  auto cat =
      parse_catalog(testing::read_file(testing::config_path("catalogs/segur.tsv")), "segur.tsv");
  EXPECT_TRUE(cat.ok());
  return cat.ok() ? *cat : Catalog{};
}

TEST(AudioConfExample, ParsesWithTheSeedValues) {
  const Analysis a = load_example("audioconf.md");
  EXPECT_EQ(a.product, "AudioConf");
  EXPECT_EQ(a.components.size(), 3u);
  EXPECT_EQ(a.stakeholders.size(), 2u);
  ASSERT_EQ(a.user_stories.size(), 3u);
  EXPECT_EQ(a.user_stories[0].needs.confidentiality, "Le numéro de conférence est confidentiel");
  EXPECT_EQ(a.headlines.size(), 3u);
  ASSERT_EQ(a.stories.size(), 2u);

  const AbuserStory& as1 = a.stories[0];
  EXPECT_EQ(as1.id, "AS1");
  EXPECT_EQ(as1.attacker, "attaquant étatique");
  EXPECT_EQ(as1.component, "le code source");
  EXPECT_EQ(as1.gravity, Gravity::critical);
  EXPECT_EQ(as1.current_likelihood, Likelihood::likely);
  EXPECT_EQ(as1.target_likelihood, Likelihood::unlikely);
  ASSERT_EQ(as1.measures_in_place.size(), 3u);
  EXPECT_EQ(as1.measures_in_place[1].kind, MeasureKind::orga);
  ASSERT_EQ(as1.possible_measures.size(), 1u);
  const Measure* bounty = a.find_measure(as1.possible_measures[0]);
  ASSERT_NE(bounty, nullptr);
  EXPECT_EQ(bounty->text, "Lancer un programme de bug bounty");
  EXPECT_EQ(bounty->kind, MeasureKind::tech);
  EXPECT_FALSE(bounty->checked);

  const AbuserStory& as2 = a.stories[1];
  EXPECT_EQ(as2.attacker, "hacktiviste");
  EXPECT_EQ(as2.component, "l'API OVH");
  EXPECT_EQ(as2.gravity, Gravity::significant);
  EXPECT_EQ(as2.current_likelihood, Likelihood::unlikely);
  EXPECT_EQ(as2.target_likelihood, Likelihood::unlikely);
  EXPECT_EQ(as2.measures_in_place.size(), 2u);
  EXPECT_EQ(as2.possible_measures.size(), 2u);
}

TEST(AudioConfExample, InitialTargetAndResidualPositions) {
  const Analysis a = load_example("audioconf.md");
  const ZoneGrid grid = ZoneGrid::default_grid();
  const Assessment before = assess(a, statuses_from_checkboxes(a), grid);
  const StoryAssessment* as1 = before.find_story("AS1");
  const StoryAssessment* as2 = before.find_story("AS2");
  ASSERT_NE(as1, nullptr);
  ASSERT_NE(as2, nullptr);
  EXPECT_EQ(as1->gravity, Gravity::critical);
  EXPECT_EQ(as1->current, Likelihood::likely);
  EXPECT_EQ(as1->target, Likelihood::unlikely);
  EXPECT_EQ(as1->residual, Likelihood::likely);
  EXPECT_EQ(as2->gravity, Gravity::significant);
  EXPECT_EQ(as2->current, Likelihood::unlikely);
  EXPECT_EQ(as2->residual, Likelihood::unlikely);
}

TEST(AudioConfExample, TickingTheBugBountyLowersAs1ResidualToOne) {
  std::string text = testing::read_file(testing::example_path("audioconf.md"));
  const std::string unticked = "- [ ] [Tech] Lancer un programme de bug bounty";
  const std::size_t pos = text.find(unticked);
  ASSERT_NE(pos, std::string::npos);
  text.replace(pos, unticked.size(), "- [x] [Tech] Lancer un programme de bug bounty");
  const ParseOutcome out = parse_analysis(text, "audioconf.md");
  ASSERT_TRUE(out.ok()) << testing::dump(out.errors);
  const Assessment after =
      assess(*out.analysis, statuses_from_checkboxes(*out.analysis), ZoneGrid::default_grid());
  EXPECT_EQ(after.find_story("AS1")->residual, Likelihood::unlikely);
  EXPECT_EQ(after.find_story("AS1")->measures_done, 1);
  EXPECT_EQ(after.find_story("AS2")->residual, Likelihood::unlikely);
}

TEST(PlateformeSanteExample, ParsesCleanlyWithTheSegurCatalog) {
  const Catalog segur = load_segur();
  ParseOptions options;
  options.catalog = &segur;
  const Analysis a = load_example("plateforme-sante.md", options);
  EXPECT_EQ(a.product, "Plateforme SantéPartage");
  ASSERT_GE(a.stories.size(), 6u);
  ASSERT_LE(a.stories.size(), 8u);

  // The socle: explicit ids shared by several stories.
  const Measure* m1 = a.find_measure("M1");
  const Measure* m3 = a.find_measure("M3");
  ASSERT_NE(m1, nullptr);
  ASSERT_NE(m3, nullptr);
  EXPECT_EQ(m1->stories, (std::vector<std::string>{"AS1", "AS6"}));
  EXPECT_EQ(m3->stories, (std::vector<std::string>{"AS1", "AS2", "AS4"}));
  EXPECT_EQ(m1->weight, 2);
  EXPECT_EQ(m3->catalog_refs, std::vector<std::string>{"C-15"});

  int shared = 0;
  int checked = 0;
  int weighted = 0;
  std::set<MeasureKind> kinds;
  std::set<std::string> refs;
  for (const Measure& m : a.measures) {
    shared += m.stories.size() > 1 ? 1 : 0;
    checked += m.checked ? 1 : 0;
    weighted += m.weight > 1 ? 1 : 0;
    kinds.insert(m.kind);
    for (const auto& r : m.catalog_refs) refs.insert(r);
    for (const auto& r : m.catalog_refs) EXPECT_NE(segur.find(r), nullptr) << r;
  }
  EXPECT_GE(shared, 3);
  EXPECT_GE(checked, 2);
  EXPECT_GE(weighted, 2);
  EXPECT_TRUE(kinds.count(MeasureKind::tech) && kinds.count(MeasureKind::orga));
  EXPECT_TRUE(refs.count("C-4") && refs.count("W-7"));

  // One story is written "Afin de …, en tant que …, lorsque …, je souhaite …".
  const AbuserStory* as2 = a.find_story("AS2");
  ASSERT_NE(as2, nullptr);
  EXPECT_EQ(as2->text.rfind("Afin de", 0), 0u);
  EXPECT_EQ(as2->attacker, "attaquant opportuniste");
  EXPECT_EQ(as2->component, "le contrôle des droits de l'API de documents");
}

TEST(PlateformeSanteExample, TicksLowerResidualLikelihoods) {
  const Analysis a = load_example("plateforme-sante.md");
  const Assessment result = assess(a, statuses_from_checkboxes(a), ZoneGrid::default_grid());
  // AS6: Vc 3, Vt 1, done weight 2 of 6 -> 3 - floor(2 * 2/6) = 3.
  EXPECT_EQ(result.find_story("AS6")->residual, Likelihood::very_likely);
  // AS5: Vc 3, Vt 2, M2 done (1 of 2) -> 3 - floor(1 * 1/2) = 3.
  EXPECT_EQ(result.find_story("AS5")->measures_done, 1);
  // AS3: Vc 2, Vt 1, M6 done (weight 2 of 4) -> 2 - floor(1 * 2/4) = 2.
  EXPECT_EQ(result.find_story("AS3")->measures_done, 1);
  EXPECT_EQ(result.find_story("AS3")->residual, Likelihood::likely);
}

}  // namespace
}  // namespace risksync
