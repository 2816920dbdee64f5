#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <string>

#include "render/markup_check.h"
#include "render/page.h"
#include "render/sample.h"

namespace risksync {
namespace {

using test::audioconf_sample;
using test::count_of;

std::string render(const test::RenderSample& s) {
  return render_html_page(s.analysis, s.assessment, s.grid, s.ctx);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

TEST(HtmlPage, IsOneWellFormedSelfContainedPage) {
  const auto s = audioconf_sample();
  const std::string html = render(s);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"fr\">\n", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_EQ(test::check_markup(html, /*html=*/true), "");
  EXPECT_EQ(count_of(html, "<svg "), 1u);
  EXPECT_EQ(html.find("xmlns"), std::string::npos);  // inline SVG needs none
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
}

TEST(HtmlPage, NoScriptNoExternalResource) {
  const auto s = audioconf_sample();
  const std::string html = lower(render(s));
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<iframe"), std::string::npos);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  EXPECT_FALSE(test::has_event_handler(html));  // no event handler attribute
  // Every URL is a link to a tracker item.
  const auto hrefs = test::attribute_values(html, "href");
  EXPECT_EQ(count_of(html, "http://") + count_of(html, "https://"), hrefs.size());
}

TEST(HtmlPage, OnlyHttpLinksFromItemUrlsSurvive) {
  const auto s = audioconf_sample();
  const std::string html = render(s);
  const auto hrefs = test::attribute_values(html, "href");
  ASSERT_EQ(hrefs.size(), 4u);  // AS1, AS3, M1, M3; AS2 (javascript:) and M4 (data:) dropped
  for (const auto& href : hrefs) EXPECT_EQ(href.rfind("https://", 0), 0u) << href;
  EXPECT_NE(html.find("href=\"https://github.com/beta-gouv/audioconf/issues/6?from=risk%20map&amp;"
                      "x=%282%29\""),
            std::string::npos);
  EXPECT_EQ(html.find("javascript:alert(document"), std::string::npos);
  EXPECT_EQ(html.find("data:text"), std::string::npos);
  EXPECT_NE(html.find("<td>AS2</td>"), std::string::npos);  // shown, not linked
}

TEST(HtmlPage, HostileTextIsEscapedAndTablesKeepTheirShape) {
  const auto s = audioconf_sample();
  const std::string html = render(s);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &lt;!-- x --&gt; "
                      "](javascript:alert(1))"),
            std::string::npos);
  EXPECT_EQ(count_of(html, "<table"), 6u);  // 3 maps (details), stories, measures, in place
  const std::size_t stories = html.find("<table class=\"stories\">");
  const std::size_t stories_end = html.find("</table>", stories);
  ASSERT_NE(stories, std::string::npos);
  const std::string table = html.substr(stories, stories_end - stories);
  EXPECT_EQ(count_of(table, "<tr"), 4u);
  EXPECT_EQ(count_of(table, "<td"), 3u * 9u);
  EXPECT_EQ(count_of(table, "<th "), 9u);
}

TEST(HtmlPage, ShowsStatusesReviewAndRule) {
  const auto s = audioconf_sample();
  const std::string html = render(s);
  for (const char* text :
       {"❌ abandonnée", "✅ faite", "⏳ en cours", "⬜ à faire", "🔍 fermée non vérifiée",
        "⚠️ à revoir en atelier", "Règle de calcul de la vraisemblance résiduelle",
        "résiduelle = Vc − ⌊(Vc − Vt) × part faite⌋", "Mesures en place", "2026-11-23 14:05 UTC",
        "docs/analyse-de-risques.md"}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
}

TEST(HtmlPage, EnglishPage) {
  const auto s = audioconf_sample(Lang::en);
  const std::string html = render(s);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">\n", 0), 0u);
  EXPECT_EQ(test::check_markup(html, true), "");
  for (const char* french : {"Gravité", "Vraisemblance", "Cartographie", "abandonnée", "Légende"})
    EXPECT_EQ(html.find(french), std::string::npos) << french;
  EXPECT_EQ(html, render(s));
}

TEST(HtmlPage, HostileProductSourceAndDateAreEscaped) {
  auto s = audioconf_sample();
  s.analysis.product = "Audio<img src=x onerror=alert(1)>\"Conf";
  s.ctx.source_file = "docs/<script>.md";
  s.ctx.generated_at = "</p><script>alert(1)</script>";
  const std::string html = render(s);
  EXPECT_EQ(test::check_markup(html, true), "");
  EXPECT_FALSE(test::has_event_handler(html));
  EXPECT_EQ(lower(html).find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(
      html.find(
          "<h1>Cartographie des risques — Audio&lt;img src=x onerror=alert(1)&gt;&quot;Conf</h1>"),
      std::string::npos);
  EXPECT_TRUE(test::has_event_handler("<p><img src=x OnError=\"y\"></p>"));  // the checker works
}

}  // namespace
}  // namespace risksync
