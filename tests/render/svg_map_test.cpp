#include <gtest/gtest.h>

#include <string>

#include "render/markup_check.h"
#include "render/page.h"
#include "render/sample.h"

namespace risksync {
namespace {

using test::audioconf_sample;
using test::count_of;

TEST(SvgMaps, IsAStandaloneWellFormedImage) {
  const auto s = audioconf_sample();
  const std::string svg = render_svg_maps(s.assessment, s.grid, Lang::fr);
  EXPECT_EQ(
      svg.rfind(
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"",
          0),
      0u);
  EXPECT_NE(svg.find(" viewBox=\"0 0 "), std::string::npos);
  EXPECT_NE(svg.find(" width=\""), std::string::npos);
  EXPECT_NE(svg.find(" height=\""), std::string::npos);
  EXPECT_EQ(test::check_markup(svg, /*html=*/false), "");
  EXPECT_EQ(svg.back(), '\n');
}

TEST(SvgMaps, NoScriptNoExternalResource) {
  const auto s = audioconf_sample();
  const std::string svg = render_svg_maps(s.assessment, s.grid, Lang::fr);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("href"), std::string::npos);
  EXPECT_EQ(svg.find("url("), std::string::npos);
  EXPECT_EQ(svg.find("<image"), std::string::npos);
  EXPECT_EQ(svg.find("<foreignObject"), std::string::npos);
  EXPECT_EQ(count_of(svg, "http"), 1u);        // the xmlns only
  EXPECT_FALSE(test::has_event_handler(svg));  // no event handler attribute
}

TEST(SvgMaps, ThreeGridsOfSixteenCellsColouredByZone) {
  const auto s = audioconf_sample();
  const std::string svg = render_svg_maps(s.assessment, s.grid, Lang::fr);
  // background + 3 × 16 cells + 4 legend swatches
  EXPECT_EQ(count_of(svg, "<rect "), 1u + 48u + 4u);
  // Default grid per map: 5 acceptable, 6 watch, 2 important, 3 unacceptable (+1 swatch each).
  EXPECT_EQ(count_of(svg, "fill=\"#4caf50\""), 3u * 5u + 1u);
  EXPECT_EQ(count_of(svg, "fill=\"#ff9800\""), 3u * 6u + 1u);
  EXPECT_EQ(count_of(svg, "fill=\"#e53935\""), 3u * 2u + 1u);
  EXPECT_EQ(count_of(svg, "fill=\"#212121\""), 3u * 3u + 1u);
  for (const char* text :
       {"Cartographie initiale", "Cartographie résiduelle", "Cartographie cible", "Gravité →",
        "Vraisemblance →", "4 – Critique", "1 – Mineure", "Peu probable", "Quasi-certain",
        "inacceptable", "vous ne pouvez pas lancer", "à surveiller"}) {
    EXPECT_NE(svg.find(text), std::string::npos) << text;
  }
  // Story ids in their cells: AS1, AS2 and AS3 once per map.
  EXPECT_EQ(count_of(svg, ">AS1</text>"), 3u);
  EXPECT_EQ(count_of(svg, ">AS2</text>"), 3u);
  EXPECT_EQ(count_of(svg, ">AS3</text>"), 3u);
  EXPECT_NE(svg.find("<title>Critique × Probable : à surveiller — AS1</title>"), std::string::npos);
}

TEST(SvgMaps, ManyIdsWrapThreePerLineAndCollapseBeyondNine) {
  Assessment a;
  for (int i = 1; i <= 12; ++i) {
    StoryAssessment sa;
    sa.id = "AS" + std::to_string(i);
    sa.gravity = Gravity::important;
    sa.current = sa.residual = sa.target = Likelihood::very_likely;
    a.stories.push_back(sa);
  }
  const std::string svg = render_svg_maps(a, ZoneGrid::default_grid(), Lang::fr);
  EXPECT_EQ(count_of(svg, ">AS1, AS2, AS3</text>"), 3u);
  EXPECT_EQ(count_of(svg, ">AS4, AS5, AS6</text>"), 3u);
  EXPECT_EQ(count_of(svg, ">AS7, AS8, +4</text>"), 3u);  // 12 ids: 8 shown and "+4"
  EXPECT_EQ(svg.find(">AS9"), std::string::npos);
  EXPECT_EQ(
      count_of(svg, "— AS1, AS2, AS3, AS4, AS5, AS6, AS7, AS8, AS9, AS10, AS11, AS12</title>"),
      3u);  // the tooltip lists them all
  EXPECT_EQ(test::check_markup(svg, false), "");
}

TEST(SvgMaps, IdsAreEscaped) {
  Assessment a;
  StoryAssessment sa;
  sa.id = "<AS&1>\"'";
  a.stories.push_back(sa);
  const std::string svg = render_svg_maps(a, ZoneGrid::default_grid(), Lang::en);
  EXPECT_EQ(test::check_markup(svg, false), "");
  EXPECT_NE(svg.find("&lt;AS&amp;1&gt;&quot;&#39;"), std::string::npos);
  EXPECT_EQ(svg.find("<AS"), std::string::npos);
}

TEST(SvgMaps, EnglishAndDeterministic) {
  const auto s = audioconf_sample();
  const std::string svg = render_svg_maps(s.assessment, s.grid, Lang::en);
  EXPECT_EQ(svg, render_svg_maps(s.assessment, s.grid, Lang::en));
  for (const char* text : {"Initial map", "Residual map", "Target map", "Severity →",
                           "Likelihood →", "4 – Critical", "unacceptable"})
    EXPECT_NE(svg.find(text), std::string::npos) << text;
  for (const char* french : {"Gravité", "Vraisemblance", "Cartographie", "Critique"})
    EXPECT_EQ(svg.find(french), std::string::npos) << french;
}

}  // namespace
}  // namespace risksync
