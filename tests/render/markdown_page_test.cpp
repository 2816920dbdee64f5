#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "render/escape.h"
#include "render/gfm.h"
#include "render/i18n.h"
#include "render/markup_check.h"
#include "render/page.h"
#include "render/sample.h"

namespace risksync {
namespace {

using test::audioconf_sample;
using test::GfmDocument;
using test::GfmTable;
using test::parse_gfm;

std::string render(const test::RenderSample& s) {
  return render_markdown_page(s.analysis, s.assessment, s.grid, s.ctx);
}

// Map tables: rows[0] header, rows[1..4] gravity 4..1; cells[0] label, cells[1..4] likelihood.
const test::GfmCell& map_cell(const GfmTable& map, int gravity, int likelihood) {
  return map.rows[static_cast<std::size_t>(5 - gravity)][static_cast<std::size_t>(likelihood)];
}

void expect_table_shape(const GfmTable& table, std::size_t rows, std::size_t columns) {
  ASSERT_EQ(table.rows.size(), rows);
  for (const auto& row : table.rows) EXPECT_EQ(row.size(), columns);
}

TEST(MarkdownPage, HasTheExpectedTablesWithExactShapes) {
  const auto s = audioconf_sample();
  const GfmDocument doc = parse_gfm(render(s));
  ASSERT_EQ(doc.tables.size(), 6u);  // 3 maps, stories, measures, measures in place
  for (int m = 0; m < 3; ++m) expect_table_shape(doc.tables[static_cast<std::size_t>(m)], 5, 5);
  expect_table_shape(doc.tables[3], 1 + 3, 9);
  expect_table_shape(doc.tables[4], 1 + 5, 7);
  expect_table_shape(doc.tables[5], 1 + 5, 4);
}

TEST(MarkdownPage, HostileStoryTextStaysInItsCell) {
  const auto s = audioconf_sample();
  const std::string md = render(s);
  EXPECT_EQ(md.find("<script"), std::string::npos);
  EXPECT_EQ(md.find("<!--"), std::string::npos);
  EXPECT_EQ(md.find("-->"), std::string::npos);
  for (std::size_t at = md.find("](javascript"); at != std::string::npos;
       at = md.find("](javascript", at + 1)) {
    ASSERT_GT(at, 0u);
    EXPECT_EQ(md[at - 1], '\\') << "unescaped ']' before javascript: at byte " << at;
  }

  const GfmDocument doc = parse_gfm(md);
  EXPECT_EQ(doc.html.find("<script"), std::string::npos);
  EXPECT_EQ(doc.html.find("<!--"), std::string::npos);
  const auto& stories = doc.tables[3];
  ASSERT_EQ(stories.rows.size(), 4u);
  const auto& as3 = stories.rows[3];
  ASSERT_EQ(as3.size(), 9u);
  EXPECT_EQ(as3[0].text, "AS3");
  EXPECT_EQ(as3[1].text, shorten_text(test::kHostileStoryText, 90));
  EXPECT_NE(as3[1].text.find("| <script>alert(1)</script> <!-- x --> ](javascript:alert(1))"),
            std::string::npos);
  for (const auto& t : as3[1].inline_types) EXPECT_EQ(t, "text");
  EXPECT_EQ(as3[2].text, "3 – Importante");  // the cell after the story is still gravity
  // The hostile measure text too.
  const auto& m5 = doc.tables[4].rows[5];
  EXPECT_EQ(m5[0].text, "M5");
  EXPECT_EQ(m5[1].text, "Neutraliser les sorties HTML <b> | <script> selon le contexte");
  EXPECT_EQ(m5[2].text, "Technique");
}

TEST(MarkdownPage, OnlyHttpLinksAndTheSvgImage) {
  const auto s = audioconf_sample();
  const GfmDocument doc = parse_gfm(render(s));
  ASSERT_FALSE(doc.urls.empty());
  for (const auto& url : doc.urls) {
    EXPECT_TRUE(url.rfind("https://", 0) == 0 || url == "cartographie.svg") << url;
  }
  // AS1 links to its issue, AS2's javascript: URL and M4's data: URL are dropped.
  const auto& stories = doc.tables[3];
  EXPECT_NE(std::find(stories.rows[1][0].inline_types.begin(),
                      stories.rows[1][0].inline_types.end(), "link"),
            stories.rows[1][0].inline_types.end());
  for (const auto& t : stories.rows[2][0].inline_types) EXPECT_EQ(t, "text");
  EXPECT_EQ(std::count(doc.urls.begin(), doc.urls.end(),
                       "https://github.com/beta-gouv/audioconf/issues/1"),
            1);
  EXPECT_EQ(std::count(doc.urls.begin(), doc.urls.end(),
                       "https://github.com/beta-gouv/audioconf/issues/6?from=risk%20map&x=%282%29"),
            1);
  EXPECT_EQ(doc.html.find("javascript:alert(document"), std::string::npos);
  EXPECT_EQ(doc.html.find("data:text"), std::string::npos);
}

TEST(MarkdownPage, AudioConfStoriesSitInTheirCells) {
  const auto s = audioconf_sample();
  const GfmDocument doc = parse_gfm(render(s));
  ASSERT_EQ(doc.tables.size(), 6u);
  const GfmTable& initial = doc.tables[0];
  const GfmTable& residual = doc.tables[1];
  const GfmTable& target = doc.tables[2];
  EXPECT_EQ(initial.rows[0][1].text, "1 – Peu probable");
  EXPECT_EQ(initial.rows[0][4].text, "4 – Quasi-certain");
  EXPECT_EQ(initial.rows[1][0].text, "4 – Critique");
  EXPECT_EQ(initial.rows[4][0].text, "1 – Mineure");

  EXPECT_EQ(map_cell(initial, 4, 2).text, "🟧 AS1");
  EXPECT_EQ(map_cell(target, 4, 1).text, "🟧 AS1");
  EXPECT_EQ(map_cell(initial, 4, 1).text, "🟧");
  EXPECT_EQ(map_cell(initial, 2, 1).text, "🟩 AS2");
  EXPECT_EQ(map_cell(residual, 2, 1).text, "🟩 AS2");
  EXPECT_EQ(map_cell(target, 2, 1).text, "🟩 AS2");
  EXPECT_EQ(map_cell(initial, 3, 3).text, "🟥 AS3");
  EXPECT_EQ(map_cell(residual, 3, 2).text, "🟧 AS3");
  EXPECT_EQ(map_cell(target, 3, 1).text, "🟩 AS3");
  EXPECT_EQ(map_cell(initial, 4, 4).text, "⬛");
  // Every story appears exactly once on each map.
  for (const GfmTable* map : {&initial, &residual, &target}) {
    int seen = 0;
    for (std::size_t r = 1; r < 5; ++r)
      for (std::size_t c = 1; c < 5; ++c) seen += map->rows[r][c].text.size() > 4 ? 1 : 0;
    EXPECT_EQ(seen, 3);
  }
}

TEST(MarkdownPage, SharedCellListsEveryStory) {
  auto s = audioconf_sample();
  s.analysis.stories[1].gravity = Gravity::critical;
  s.analysis.stories[1].current_likelihood = Likelihood::likely;
  s.assessment = assess(s.analysis, s.statuses, s.grid);
  const GfmDocument doc = parse_gfm(render(s));
  EXPECT_EQ(map_cell(doc.tables[0], 4, 2).text, "🟧 AS1, AS2");
}

TEST(MarkdownPage, StoryRowsShowLikelihoodsMeasuresZoneAndReview) {
  const auto s = audioconf_sample();
  const GfmDocument doc = parse_gfm(render(s));
  const auto& rows = doc.tables[3].rows;
  EXPECT_EQ(rows[0][3].text, "Vraisemblance initiale");
  EXPECT_EQ(rows[0][4].text, "Vraisemblance résiduelle");
  EXPECT_EQ(rows[0][5].text, "Vraisemblance cible");
  // AS1: 1 of 2 measures done, no step earned, as written: no review.
  EXPECT_EQ(rows[1][3].text, "2 – Probable");
  EXPECT_EQ(rows[1][4].text, "2 – Probable");
  EXPECT_EQ(rows[1][5].text, "1 – Peu probable");
  EXPECT_EQ(rows[1][6].text, "1 / 2");
  EXPECT_EQ(rows[1][7].text, "🟧 à surveiller");
  EXPECT_EQ(rows[1][8].text, "");
  // AS3: one step earned, written value 3 differs.
  EXPECT_EQ(rows[3][4].text, "2 – Probable");
  EXPECT_EQ(rows[3][7].text, "🟧 à surveiller");
  EXPECT_EQ(rows[3][8].text,
            "⚠️ à revoir en atelier (valeur écrite dans l'analyse : 3 – Très probable)");
}

TEST(MarkdownPage, DroppedMeasureIsShownWithEveryOtherStatus) {
  const auto s = audioconf_sample();
  const GfmDocument doc = parse_gfm(render(s));
  const auto& rows = doc.tables[4].rows;
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[1][5].text, "⏳ en cours");
  EXPECT_EQ(rows[2][0].text, "M3");
  EXPECT_EQ(rows[2][3].text, "2");
  EXPECT_EQ(rows[2][4].text, "AS1, AS3");
  EXPECT_EQ(rows[2][5].text, "✅ faite");
  EXPECT_EQ(rows[2][6].text, "W-13, W-14");
  EXPECT_EQ(rows[3][0].text.rfind("AS2-", 0), 0u);
  EXPECT_EQ(rows[3][5].text, "⬜ à faire");
  EXPECT_EQ(rows[4][0].text, "M4");
  EXPECT_EQ(rows[4][2].text, "Organisationnelle");
  EXPECT_EQ(rows[4][5].text, "❌ abandonnée");
  EXPECT_EQ(rows[5][5].text, "🔍 fermée non vérifiée");
}

TEST(MarkdownPage, StatesTheResidualRuleInWordsAndFormula) {
  for (const Lang lang : {Lang::fr, Lang::en}) {
    const auto s = audioconf_sample(lang);
    const std::string md = render(s);
    const GfmDocument doc = parse_gfm(md);
    EXPECT_NE(std::find(doc.headings.begin(), doc.headings.end(), tr(Text::rule_heading, lang)),
              doc.headings.end());
    EXPECT_NE(md.find(tr(Text::rule_text, lang)), std::string::npos);
    EXPECT_NE(md.find(tr(Text::rule_formula, lang)), std::string::npos);
    EXPECT_NE(md.find("Vc − ⌊(Vc − Vt) × "), std::string::npos);
  }
}

TEST(MarkdownPage, TitleDateSourceLegendAndImage) {
  const auto s = audioconf_sample();
  const std::string md = render(s);
  EXPECT_EQ(md.rfind("# Cartographie des risques — AudioConf\n", 0), 0u);
  EXPECT_NE(md.find("2026-11-23 14:05 UTC"), std::string::npos);
  EXPECT_NE(md.find("docs/analyse-de-risques.md"), std::string::npos);
  EXPECT_NE(md.find("- ⬛ **inacceptable** : vous ne pouvez pas lancer — zone bloquante\n"),
            std::string::npos);
  EXPECT_NE(md.find("- 🟥 **important** : vous devez prendre des mesures rapidement\n"),
            std::string::npos);
  EXPECT_NE(md.find("](cartographie.svg)"), std::string::npos);

  auto no_svg = s;
  no_svg.ctx.svg_file_name.clear();
  EXPECT_EQ(render(no_svg).find(".svg"), std::string::npos);

  auto odd_svg = s;
  odd_svg.ctx.svg_file_name = "javascript:carte (1).svg";
  const GfmDocument doc = parse_gfm(render(odd_svg));
  EXPECT_NE(std::find(doc.urls.begin(), doc.urls.end(), "javascript%3Acarte%20%281%29.svg"),
            doc.urls.end());
}

TEST(MarkdownPage, EnglishPageHasNoFrenchHeadings) {
  const auto s = audioconf_sample(Lang::en);
  const std::string md = render(s);
  const GfmDocument doc = parse_gfm(md);
  std::vector<std::string> labels = doc.headings;
  for (const auto& table : doc.tables)
    for (const auto& cell : table.rows[0]) labels.push_back(cell.text);
  // Row labels of the maps and level names too.
  for (std::size_t m = 0; m < 3; ++m)
    for (std::size_t r = 1; r < 5; ++r) labels.push_back(doc.tables[m].rows[r][0].text);
  ASSERT_GT(labels.size(), 20u);
  for (const auto& label : labels) {
    for (int i = 0; i < static_cast<int>(Text::count_); ++i) {
      const auto t = static_cast<Text>(i);
      if (tr(t, Lang::fr) == tr(t, Lang::en)) continue;  // "Abuser stories", "Id"
      EXPECT_EQ(label.find(tr(t, Lang::fr)), std::string::npos) << label;
    }
    for (const char* french : {"Gravité", "Vraisemblance", "Mesure", "Critique", "Probable",
                               "Mineure", "Cartographie", "Légende", "Statut", "Clé"})
      EXPECT_EQ(label.find(french), std::string::npos) << label;
  }
  EXPECT_EQ(md.rfind("# Risk map — AudioConf\n", 0), 0u);
  EXPECT_NE(md.find("| **4 – Critical** |"), std::string::npos);
  EXPECT_NE(md.find("❌ dropped"), std::string::npos);
  EXPECT_NE(md.find("to review in a workshop"), std::string::npos);
  for (const char* french : {"à faire", "en cours", "abandonnée", "Organisationnelle", "à revoir",
                             "à surveiller", "vous ne pouvez pas", "Synthèse", "Règle"})
    EXPECT_EQ(md.find(french), std::string::npos) << french;
}

TEST(MarkdownPage, IsDeterministic) {
  const auto s = audioconf_sample();
  EXPECT_EQ(render(s), render(s));
  EXPECT_EQ(render(audioconf_sample()), render(s));
}

TEST(MarkdownPage, EmptyAnalysisStillHasTheThreeMaps) {
  test::RenderSample s;
  s.assessment = assess(s.analysis, {}, s.grid);
  s.ctx.generated_at = "2026-01-01 00:00 UTC";
  s.ctx.source_file = "analyse.md";
  const std::string md = render(s);
  const GfmDocument doc = parse_gfm(md);
  EXPECT_EQ(doc.tables.size(), 3u);
  EXPECT_NE(md.find(tr(Text::no_stories, Lang::fr)), std::string::npos);
  EXPECT_NE(md.find(tr(Text::no_measures, Lang::fr)), std::string::npos);
  EXPECT_EQ(md.rfind("# Cartographie des risques\n", 0), 0u);
}

TEST(MarkdownPage, BlockingResidualRiskIsInTheSummary) {
  auto s = audioconf_sample();
  s.analysis.stories[0].current_likelihood = Likelihood::near_certain;  // AS1 (4, 4): ⬛
  s.analysis.stories[0].target_likelihood = Likelihood::near_certain;
  s.assessment = assess(s.analysis, s.statuses, s.grid);
  const std::string md = render(s);
  EXPECT_NE(md.find("- Risques résiduels en zone bloquante : ⚠️ AS1\n"), std::string::npos);
  EXPECT_NE(md.find("- Abuser stories à revoir en atelier : ⚠️ AS3\n"), std::string::npos);
  const std::string ok = render(audioconf_sample());
  EXPECT_NE(ok.find("- Risques résiduels en zone bloquante : aucun\n"), std::string::npos);
  EXPECT_NE(ok.find("- Mesures possibles faites : 1 sur 5 (abandonnées : 1)\n"), std::string::npos);
}

TEST(MarkdownPage, HostileProductSourceAndDateAreEscaped) {
  auto s = audioconf_sample();
  s.analysis.product = "Audio<img src=x onerror=alert(1)>|Conf\n# pwned";
  s.ctx.source_file = "docs/[x](javascript:alert(1)).md";
  s.ctx.generated_at = "<!-- 2026 -->";
  const std::string md = render(s);
  const GfmDocument doc = parse_gfm(md);
  ASSERT_FALSE(doc.headings.empty());
  EXPECT_EQ(doc.headings[0],
            "Cartographie des risques — Audio<img src=x onerror=alert(1)>|Conf # pwned");
  EXPECT_EQ(doc.html.find("<img src=x"), std::string::npos);  // only the SVG image
  EXPECT_EQ(doc.html.find("<!--"), std::string::npos);
  EXPECT_EQ(doc.tables.size(), 6u);
  for (const auto& url : doc.urls)
    EXPECT_TRUE(url.rfind("https://", 0) == 0 || url == "cartographie.svg") << url;
}

}  // namespace
}  // namespace risksync
