// Golden files of the dashboard pages (tests/data/render/*.golden). To regenerate after an
// intended change: RISKSYNC_UPDATE_GOLDEN=1 ./test_render --gtest_filter='Golden*', then
// review every changed file before committing (see render/golden.h).
#include <gtest/gtest.h>

#include "render/golden.h"
#include "render/markup_check.h"
#include "render/page.h"
#include "render/sample.h"

namespace risksync {
namespace {

using test::audioconf_sample;
using test::matches_golden;

TEST(Golden, MarkdownPageFrench) {
  const auto s = audioconf_sample(Lang::fr);
  EXPECT_TRUE(matches_golden("audioconf.fr.md.golden",
                             render_markdown_page(s.analysis, s.assessment, s.grid, s.ctx)));
}

TEST(Golden, MarkdownPageEnglish) {
  const auto s = audioconf_sample(Lang::en);
  EXPECT_TRUE(matches_golden("audioconf.en.md.golden",
                             render_markdown_page(s.analysis, s.assessment, s.grid, s.ctx)));
}

TEST(Golden, SvgMapsFrench) {
  const auto s = audioconf_sample(Lang::fr);
  EXPECT_TRUE(
      matches_golden("audioconf.fr.svg.golden", render_svg_maps(s.assessment, s.grid, Lang::fr)));
}

TEST(Golden, SvgMapsEnglish) {
  const auto s = audioconf_sample(Lang::en);
  EXPECT_TRUE(
      matches_golden("audioconf.en.svg.golden", render_svg_maps(s.assessment, s.grid, Lang::en)));
}

TEST(Golden, HtmlPageFrench) {
  const auto s = audioconf_sample(Lang::fr);
  EXPECT_TRUE(matches_golden("audioconf.fr.html.golden",
                             render_html_page(s.analysis, s.assessment, s.grid, s.ctx)));
}

TEST(Golden, HtmlPageEnglish) {
  const auto s = audioconf_sample(Lang::en);
  EXPECT_TRUE(matches_golden("audioconf.en.html.golden",
                             render_html_page(s.analysis, s.assessment, s.grid, s.ctx)));
}

// The Confluence storage page, with the PNG twin shown and the SVG linked.
TEST(Golden, ConfluencePageFrench) {
  auto s = audioconf_sample(Lang::fr);
  s.ctx.svg_file_name = "Cartographie-des-risques.svg";
  s.ctx.png_file_name = "Cartographie-des-risques.png";
  const std::string page = render_confluence_page(s.analysis, s.assessment, s.grid, s.ctx);
  EXPECT_EQ(test::check_markup(page, /*html=*/false), "");
  EXPECT_TRUE(matches_golden("audioconf.fr.confluence.golden", page));
}

TEST(Golden, ConfluencePageEnglish) {
  const auto s = audioconf_sample(Lang::en);
  EXPECT_TRUE(matches_golden("audioconf.en.confluence.golden",
                             render_confluence_page(s.analysis, s.assessment, s.grid, s.ctx)));
}

}  // namespace
}  // namespace risksync
