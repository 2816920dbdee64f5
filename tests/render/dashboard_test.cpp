// build_dashboard_document (render/dashboard.h): the tree itself, and that the markdown and the
// HTML pages are that one tree (same headings, same tables, same cells), in both languages.
#include "render/dashboard.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <variant>
#include <vector>

#include "render/emit.h"
#include "render/escape.h"
#include "render/gfm.h"
#include "render/page.h"
#include "render/sample.h"

namespace risksync {
namespace {

using test::audioconf_sample;

std::string plain(const doc::Inlines& content) {
  std::string out;
  for (const auto& item : content) {
    if (const auto* t = std::get_if<doc::Text>(&item)) out += t->text;
    if (const auto* s = std::get_if<doc::Strong>(&item)) out += s->text;
    if (const auto* c = std::get_if<doc::Code>(&item)) out += c->text;
    if (const auto* l = std::get_if<doc::Link>(&item)) out += l->text;
  }
  return out;
}

struct Flat {
  std::vector<std::string> headings;  // title first, then every heading in document order
  std::vector<const doc::Table*> tables;
};

void flatten(const std::vector<doc::Block>& blocks, Flat& out) {
  for (const auto& block : blocks) {
    if (const auto* h = std::get_if<doc::Heading>(&block.node)) out.headings.push_back(h->text);
    if (const auto* t = std::get_if<doc::Table>(&block.node)) out.tables.push_back(t);
    if (const auto* c = std::get_if<doc::Collapsible>(&block.node)) flatten(c->blocks, out);
  }
}

Flat flatten(const doc::Document& d) {
  Flat out;
  out.headings.push_back(d.title);
  for (const auto& section : d.sections) {
    out.headings.push_back(section.heading.text);
    flatten(section.blocks, out);
  }
  return out;
}

std::string decode_entities(std::string s) {
  for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}}) {
    for (std::size_t at = s.find(entity); at != std::string::npos; at = s.find(entity, at + 1))
      s.replace(at, entity.size(), c);
  }
  return s;
}

std::vector<std::string> html_headings(const std::string& html) {
  std::vector<std::string> out;
  const std::regex heading("<h([1-6])[^>]*>([^<]*)</h\\1>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), heading);
       it != std::sregex_iterator(); ++it)
    out.push_back(decode_entities((*it)[2].str()));
  return out;
}

// Rows of <td>/<th> counts, one vector per <table>.
std::vector<std::vector<std::size_t>> html_table_shapes(const std::string& html) {
  std::vector<std::vector<std::size_t>> out;
  for (std::size_t t = html.find("<table"); t != std::string::npos;
       t = html.find("<table", t + 1)) {
    const std::size_t end = html.find("</table>", t);
    std::vector<std::size_t> rows;
    for (std::size_t r = html.find("<tr", t); r != std::string::npos && r < end;
         r = html.find("<tr", r + 1)) {
      const std::size_t row_end = html.find("</tr>", r);
      std::size_t cells = 0;
      for (std::size_t c = html.find("<t", r + 3); c < row_end; c = html.find("<t", c + 1))
        if (html.compare(c, 3, "<td") == 0 || html.compare(c, 3, "<th") == 0) ++cells;
      rows.push_back(cells);
    }
    out.push_back(std::move(rows));
  }
  return out;
}

class SameTree : public ::testing::TestWithParam<Lang> {};

TEST_P(SameTree, EveryHeadingOfTheTreeIsInBothPagesInOrder) {
  const auto s = audioconf_sample(GetParam());
  const Flat tree = flatten(build_dashboard_document(s.analysis, s.assessment, s.grid, s.ctx));
  ASSERT_GE(tree.headings.size(), 10u);
  const auto md = test::parse_gfm(render_markdown_page(s.analysis, s.assessment, s.grid, s.ctx));
  EXPECT_EQ(md.headings, tree.headings);
  EXPECT_EQ(html_headings(render_html_page(s.analysis, s.assessment, s.grid, s.ctx)),
            tree.headings);
}

TEST_P(SameTree, EveryTableCellOfTheTreeIsInBothPages) {
  const auto s = audioconf_sample(GetParam());
  const doc::Document document = build_dashboard_document(s.analysis, s.assessment, s.grid, s.ctx);
  const Flat tree = flatten(document);
  ASSERT_EQ(tree.tables.size(), 6u);
  const auto md = test::parse_gfm(emit_markdown(document));
  const auto html_shapes =
      html_table_shapes(render_html_page(s.analysis, s.assessment, s.grid, s.ctx));
  ASSERT_EQ(md.tables.size(), tree.tables.size());
  ASSERT_EQ(html_shapes.size(), tree.tables.size());
  for (std::size_t t = 0; t < tree.tables.size(); ++t) {
    const doc::Table& table = *tree.tables[t];
    const auto& rows = md.tables[t].rows;
    ASSERT_EQ(rows.size(), table.rows.size() + 1) << t;
    ASSERT_EQ(html_shapes[t].size(), table.rows.size() + 1) << t;
    for (std::size_t c = 0; c < table.columns.size(); ++c)
      EXPECT_EQ(rows[0][c].text, table.columns[c].header) << t;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      ASSERT_EQ(rows[r + 1].size(), table.columns.size()) << t;
      EXPECT_EQ(html_shapes[t][r + 1], table.columns.size()) << t << " row " << r;
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        EXPECT_EQ(rows[r + 1][c].text, plain(table.rows[r].cells[c].content))
            << "table " << t << " row " << r << " column " << c;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothLanguages, SameTree, ::testing::Values(Lang::fr, Lang::en),
                         [](const ::testing::TestParamInfo<Lang>& param_info) {
                           return std::string(to_string(param_info.param));
                         });

TEST(DashboardDocument, SectionsInTheirOrderWithStableIds) {
  for (const Lang lang : {Lang::fr, Lang::en}) {
    const auto s = audioconf_sample(lang);
    const auto d = build_dashboard_document(s.analysis, s.assessment, s.grid, s.ctx);
    std::vector<std::string> ids;
    for (const auto& section : d.sections) ids.push_back(section.heading.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"summary", "legend", "maps", "stories", "measures",
                                             "in-place", "rule"}));
    EXPECT_EQ(d.lang, lang == Lang::fr ? "fr" : "en");
  }
}

TEST(DashboardDocument, TextsArePlainAndTheWholeTextIsKept) {
  const auto s = audioconf_sample();
  const auto d = build_dashboard_document(s.analysis, s.assessment, s.grid, s.ctx);
  const Flat tree = flatten(d);
  const doc::Table& stories = *tree.tables[3];
  const doc::Cell& as3 = stories.rows[2].cells[1];
  EXPECT_EQ(as3.tooltip, test::kHostileStoryText);  // unescaped, uncut
  EXPECT_EQ(plain(as3.content), shorten_text(test::kHostileStoryText, 90));
  // The tracker link is the url given, unfiltered: filtering is the emitters' job.
  const auto* link = std::get_if<doc::Link>(&stories.rows[1].cells[0].content.at(0));
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->url, s.ctx.item_urls.at("AS2"));
}

TEST(DashboardDocument, MapsImageIsTheAttachedSvgWhenThereIsOne) {
  auto s = audioconf_sample();
  for (const std::string name : {"cartographie.svg", ""}) {
    s.ctx.svg_file_name = name;
    const auto d = build_dashboard_document(s.analysis, s.assessment, s.grid, s.ctx);
    const auto* image = std::get_if<doc::Image>(&d.sections[2].blocks.at(0).node);
    ASSERT_NE(image, nullptr);
    EXPECT_EQ(image->id, kMapsImageId);
    EXPECT_EQ(image->file_name, name);
    const std::string md = emit_markdown(d);
    EXPECT_EQ(md.find("](cartographie.svg)") != std::string::npos, !name.empty());
  }
}

// The two pages from one tree are the pages each function renders alone, byte for byte.
TEST(DashboardPages, OneTreeGivesTheSamePagesAsEachFunction) {
  for (const Lang lang : {Lang::fr, Lang::en}) {
    auto s = audioconf_sample(lang);
    s.ctx.svg_file_name = "cartographie.svg";
    s.ctx.item_urls["M1"] = "https://tracker.test/issues/1";
    const DashboardPages both =
        render_dashboard_pages(s.analysis, s.assessment, s.grid, s.ctx, true);
    EXPECT_EQ(both.markdown, render_markdown_page(s.analysis, s.assessment, s.grid, s.ctx));
    EXPECT_EQ(both.html, render_html_page(s.analysis, s.assessment, s.grid, s.ctx));
    EXPECT_FALSE(both.html.empty());
    const DashboardPages md_only =
        render_dashboard_pages(s.analysis, s.assessment, s.grid, s.ctx, false);
    EXPECT_EQ(md_only.markdown, both.markdown);
    EXPECT_TRUE(md_only.html.empty());
  }
}

}  // namespace
}  // namespace risksync
