#include "model/assessment.h"

#include <gtest/gtest.h>

namespace risksync {
namespace {

Analysis two_stories() {
  Analysis a;
  AbuserStory as1;
  as1.id = "AS1";
  as1.number = 1;
  as1.gravity = Gravity::critical;
  as1.current_likelihood = Likelihood::likely;
  as1.target_likelihood = Likelihood::unlikely;
  as1.possible_measures = {"M1"};
  AbuserStory as2;
  as2.id = "AS2";
  as2.number = 2;
  as2.gravity = Gravity::significant;
  as2.current_likelihood = Likelihood::unlikely;
  as2.target_likelihood = Likelihood::unlikely;
  as2.possible_measures = {"M1", "M2"};
  Measure m1;
  m1.key = "M1";
  m1.stories = {"AS1", "AS2"};
  Measure m2;
  m2.key = "M2";
  m2.stories = {"AS2"};
  a.stories = {as1, as2};
  a.measures = {m1, m2};
  return a;
}

TEST(Assessment, NothingDoneKeepsCurrentLikelihood) {
  const auto a = two_stories();
  const auto result = assess(a, {}, ZoneGrid::default_grid());
  ASSERT_EQ(result.stories.size(), 2u);
  EXPECT_EQ(result.stories[0].residual, Likelihood::likely);
  EXPECT_EQ(result.stories[0].zone_residual, Zone::watch);
  EXPECT_EQ(result.stories[0].measures_done, 0);
  EXPECT_EQ(result.stories[0].measures_total, 1);
  EXPECT_FALSE(result.stories[0].needs_review);
}

TEST(Assessment, SharedMeasureDoneLowersEveryStoryItServes) {
  const auto a = two_stories();
  const StatusMap st{{"M1", MeasureStatus::done}};
  const auto result = assess(a, st, ZoneGrid::default_grid());
  EXPECT_EQ(result.stories[0].residual, Likelihood::unlikely);
  EXPECT_TRUE(result.stories[0].needs_review);  // written 2, computed 1
  EXPECT_EQ(result.stories[1].measures_done, 1);
  EXPECT_EQ(result.stories[1].measures_total, 2);
  EXPECT_EQ(result.status_of("M1"), MeasureStatus::done);
  EXPECT_EQ(result.status_of("M2"), MeasureStatus::todo);
}

TEST(Assessment, WrittenResidualIsComparedWithComputed) {
  auto a = two_stories();
  a.stories[0].written_residual = Likelihood::unlikely;
  const auto not_done = assess(a, {}, ZoneGrid::default_grid());
  EXPECT_TRUE(not_done.stories[0].needs_review);
  const auto done = assess(a, {{"M1", MeasureStatus::done}}, ZoneGrid::default_grid());
  EXPECT_FALSE(done.stories[0].needs_review);
}

TEST(Assessment, CheckboxesGiveLocalStatus) {
  auto a = two_stories();
  a.measures[1].checked = true;
  const auto st = statuses_from_checkboxes(a);
  EXPECT_EQ(st.at("M1"), MeasureStatus::todo);
  EXPECT_EQ(st.at("M2"), MeasureStatus::done);
}

TEST(Assessment, CheckboxThatDisagreesWithTheTrackerIsAWarningAtItsLine) {
  auto a = two_stories();
  a.measures[0].checked = true;  // ticked, tracker: in progress
  a.measures[0].where = {"analyse.md", 12};
  a.measures[1].where = {"analyse.md", 20};  // not ticked, tracker: done
  const StatusMap tracker{{"M1", MeasureStatus::in_progress}, {"M2", MeasureStatus::done}};
  const auto warnings = checkbox_disagreements(a, tracker, "github (octo/risks)");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].where.line, 12);
  EXPECT_NE(warnings[0].message.find("M1"), std::string::npos);
  EXPECT_NE(warnings[0].message.find("ticked but github (octo/risks) says in_progress"),
            std::string::npos)
      << warnings[0].message;
  EXPECT_EQ(warnings[1].where.line, 20);
  EXPECT_NE(warnings[1].message.find("not ticked"), std::string::npos);

  // Agreeing boxes say nothing: ticked and done, not ticked and not done (dropped included).
  a.measures[0].checked = true;
  a.measures[1].checked = false;
  const StatusMap agreeing{{"M1", MeasureStatus::done}, {"M2", MeasureStatus::dropped}};
  EXPECT_TRUE(checkbox_disagreements(a, agreeing, "github (octo/risks)").empty());
}

TEST(RiskMap, PlacesStoriesOnEachOfTheThreeMaps) {
  const auto a = two_stories();
  const auto grid = ZoneGrid::default_grid();
  const auto result = assess(a, {}, grid);
  const auto initial = build_risk_map(result, MapKind::initial, grid);
  const auto target = build_risk_map(result, MapKind::target, grid);
  EXPECT_EQ(initial.at(Gravity::critical, Likelihood::likely).story_ids,
            std::vector<std::string>{"AS1"});
  EXPECT_EQ(target.at(Gravity::critical, Likelihood::unlikely).story_ids,
            std::vector<std::string>{"AS1"});
  EXPECT_EQ(initial.at(Gravity::significant, Likelihood::unlikely).story_ids,
            std::vector<std::string>{"AS2"});
  EXPECT_TRUE(initial.at(Gravity::critical, Likelihood::unlikely).story_ids.empty());
  EXPECT_EQ(initial.at(Gravity::critical, Likelihood::near_certain).zone, Zone::unacceptable);
}

TEST(Zones, DefaultGridMatchesDesign) {
  const auto g = ZoneGrid::default_grid();
  using enum Zone;
  const Zone expected[4][4] = {
      {acceptable, acceptable, watch, watch},
      {acceptable, acceptable, watch, important},
      {acceptable, watch, important, unacceptable},
      {watch, watch, unacceptable, unacceptable},
  };
  for (int gr = 1; gr <= 4; ++gr)
    for (int l = 1; l <= 4; ++l)
      EXPECT_EQ(g.at(static_cast<Gravity>(gr), static_cast<Likelihood>(l)), expected[gr - 1][l - 1])
          << gr << "," << l;
  EXPECT_EQ(g.blocking(), std::set<Zone>{unacceptable});
}

TEST(Zones, NamesInBothLanguagesAreRecognised) {
  EXPECT_EQ(zone_from_string("inacceptable"), Zone::unacceptable);
  EXPECT_EQ(zone_from_string("À surveiller"), Zone::watch);
  EXPECT_EQ(zone_from_string("a-surveiller"), Zone::watch);
  EXPECT_EQ(zone_from_string("IMPORTANT"), Zone::important);
  EXPECT_EQ(zone_from_string("nonsense"), std::nullopt);
}

TEST(Zones, StoriesAtOrAboveThreshold) {
  auto a = two_stories();
  a.stories[0].current_likelihood = Likelihood::near_certain;
  const auto result = assess(a, {}, ZoneGrid::default_grid());
  EXPECT_EQ(stories_at_or_above(result, Zone::unacceptable), std::vector<std::string>{"AS1"});
  EXPECT_EQ(stories_at_or_above(result, Zone::acceptable).size(), 2u);
}

TEST(Text, NormalizeFoldsAccentsCasePunctuation) {
  EXPECT_EQ(normalize_text("  Très  PROBABLE !"), "tres probable");
  EXPECT_EQ(normalize_text("Vraisemblance-cible:"), "vraisemblance cible");
  EXPECT_EQ(normalize_text("Œuvre 🟥 ça"), "oeuvre ca");
}

TEST(Text, DerivedKeyIgnoresCosmeticEditsButNotWords) {
  const auto k = derive_measure_key("AS1", "Lancer un programme de bug bounty");
  EXPECT_EQ(k.substr(0, 4), "AS1-");
  EXPECT_EQ(k.size(), 12u);
  EXPECT_EQ(k, derive_measure_key("AS1", "lancer un  programme de bug-bounty."));
  EXPECT_NE(k, derive_measure_key("AS1", "Lancer un programme de bug bounty privé"));
  EXPECT_NE(k, derive_measure_key("AS2", "Lancer un programme de bug bounty"));
}

TEST(Scales, NamesRoundTrip) {
  for (int v = 1; v <= 4; ++v) {
    const auto g = static_cast<Gravity>(v);
    const auto l = static_cast<Likelihood>(v);
    EXPECT_EQ(gravity_from_name(gravity_name(g, Lang::fr)), g);
    EXPECT_EQ(gravity_from_name(gravity_name(g, Lang::en)), g);
    EXPECT_EQ(likelihood_from_name(likelihood_name(l, Lang::fr)), l);
    EXPECT_EQ(likelihood_from_name(likelihood_name(l, Lang::en)), l);
  }
  EXPECT_EQ(likelihood_from_name("tres probable"), Likelihood::very_likely);
  EXPECT_EQ(gravity_from_int(5), std::nullopt);
  EXPECT_EQ(likelihood_from_int(0), std::nullopt);
}

}  // namespace
}  // namespace risksync
