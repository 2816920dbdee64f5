#include "render/i18n.h"

#include <gtest/gtest.h>

#include <string>

#include "render/markup_check.h"

namespace risksync {
namespace {

constexpr int kTextCount = static_cast<int>(Text::count_);

TEST(I18n, EveryTextHasBothLanguagesWithTheSamePlaceholders) {
  for (int i = 0; i < kTextCount; ++i) {
    const auto t = static_cast<Text>(i);
    const std::string_view fr = tr(t, Lang::fr);
    const std::string_view en = tr(t, Lang::en);
    EXPECT_FALSE(fr.empty()) << i;
    EXPECT_FALSE(en.empty()) << i;
    EXPECT_EQ(test::count_of(fr, "{}"), test::count_of(en, "{}")) << fr;
  }
}

TEST(I18n, EnglishHasNoFrenchLetters) {
  for (int i = 0; i < kTextCount; ++i) {
    const std::string_view en = tr(static_cast<Text>(i), Lang::en);
    for (const char* accent : {"é", "è", "ê", "à", "ù", "ç", "ô", "î", "É", "À"})
      EXPECT_EQ(en.find(accent), std::string_view::npos) << en;
  }
}

TEST(I18n, TheMethodsWordsInFrench) {
  EXPECT_EQ(tr(Text::page_title, Lang::fr), "Cartographie des risques");
  EXPECT_EQ(tr(Text::axis_gravity, Lang::fr), "Gravité");
  EXPECT_EQ(tr(Text::axis_likelihood, Lang::fr), "Vraisemblance");
  EXPECT_EQ(tr(Text::col_likelihood_initial, Lang::fr), "Vraisemblance initiale");
  EXPECT_EQ(tr(Text::col_likelihood_residual, Lang::fr), "Vraisemblance résiduelle");
  EXPECT_EQ(tr(Text::col_likelihood_target, Lang::fr), "Vraisemblance cible");
  EXPECT_EQ(tr(Text::measures_heading, Lang::fr), "Mesures possibles");
  EXPECT_EQ(tr(Text::in_place_heading, Lang::fr), "Mesures en place");
  EXPECT_EQ(tr(Text::stories_heading, Lang::fr), "Abuser stories");
  EXPECT_EQ(tr(Text::review_flag, Lang::fr), "à revoir en atelier");
  EXPECT_EQ(status_name(MeasureStatus::todo, Lang::fr), "à faire");
  EXPECT_EQ(status_name(MeasureStatus::in_progress, Lang::fr), "en cours");
  EXPECT_EQ(status_name(MeasureStatus::done, Lang::fr), "faite");
  EXPECT_EQ(status_name(MeasureStatus::dropped, Lang::fr), "abandonnée");
  EXPECT_EQ(status_name(MeasureStatus::closed_unverified, Lang::fr), "fermée non vérifiée");
  EXPECT_EQ(kind_name(MeasureKind::tech, Lang::fr), "Technique");
  EXPECT_EQ(kind_name(MeasureKind::orga, Lang::fr), "Organisationnelle");
}

TEST(I18n, StatusesKindsAndMapsInBothLanguages) {
  for (const auto st : {MeasureStatus::todo, MeasureStatus::in_progress, MeasureStatus::done,
                        MeasureStatus::dropped, MeasureStatus::closed_unverified}) {
    EXPECT_FALSE(status_symbol(st).empty());
    EXPECT_NE(status_name(st, Lang::fr), status_name(st, Lang::en));
  }
  EXPECT_EQ(status_symbol(MeasureStatus::done), "✅");
  EXPECT_EQ(status_symbol(MeasureStatus::in_progress), "⏳");
  EXPECT_EQ(status_symbol(MeasureStatus::todo), "⬜");
  EXPECT_EQ(status_symbol(MeasureStatus::dropped), "❌");
  for (const auto k : {MeasureKind::tech, MeasureKind::orga, MeasureKind::unspecified})
    EXPECT_NE(kind_name(k, Lang::fr), kind_name(k, Lang::en));
  for (const auto m : {MapKind::initial, MapKind::residual, MapKind::target}) {
    EXPECT_NE(map_title(m, Lang::fr), map_title(m, Lang::en));
    EXPECT_NE(map_note(m, Lang::fr), map_note(m, Lang::en));
    EXPECT_NE(map_short(m, Lang::fr), map_short(m, Lang::en));
  }
}

TEST(I18n, FillReplacesPlaceholdersInOrder) {
  EXPECT_EQ(fill("{} sur {}", {"1", "5"}), "1 sur 5");
  EXPECT_EQ(fill("{} et {}", {"a"}), "a et ");
  EXPECT_EQ(fill("sans", {"x"}), "sans");
  EXPECT_EQ(fill("{", {"x"}), "{");
}

}  // namespace
}  // namespace risksync
