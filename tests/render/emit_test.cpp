// The emitters (render/emit.h), node type by node type, on small hand-made trees: exact output
// for the simple cases, and what cmark-gfm / the markup checker make of hostile text.
#include "render/emit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "render/gfm.h"
#include "render/markup_check.h"

namespace risksync {
namespace {

using namespace doc;
using test::count_of;
using test::parse_gfm;

const char* const kHostile =
    "a | b <script>x</script> & ](javascript:y) `c` *d* \\ # e\nline2 <!-- f -->";

Document with_blocks(std::vector<Block> blocks) {
  Document d;
  d.lang = "fr";
  d.title = "T";
  d.sections.push_back({Heading{2, "s", "S"}, std::move(blocks)});
  return d;
}

// The markdown of `blocks` alone (after "# T\n\n## S\n\n").
std::string md_of(std::vector<Block> blocks) {
  const std::string out = emit_markdown(with_blocks(std::move(blocks)));
  const std::string prefix = "# T\n\n## S\n\n";
  EXPECT_EQ(out.rfind(prefix, 0), 0u) << out;
  return out.substr(prefix.size());
}

// The HTML of `blocks` alone (between the section's heading and "</section>").
std::string html_of(std::vector<Block> blocks, const HtmlResources& resources = {}) {
  const std::string out = emit_html(with_blocks(std::move(blocks)), resources);
  EXPECT_EQ(test::check_markup(out, /*html=*/true), "") << out;
  const std::string open = "<h2 id=\"s\">S</h2>\n";
  const std::size_t from = out.find(open);
  const std::size_t to = out.rfind("</section>");
  EXPECT_NE(from, std::string::npos) << out;
  EXPECT_NE(to, std::string::npos) << out;
  if (from == std::string::npos || to == std::string::npos) return out;
  return out.substr(from + open.size(), to - from - open.size());
}

Table one_cell_table(Inlines content) {
  Table t;
  t.columns = {{"H", Align::left}, {"K", Align::center}};
  t.rows.push_back(
      {{Cell{std::move(content), "", "", false}, Cell{{Text{"z"}}, "", "", false}}, ""});
  return t;
}

// ---- markdown ----

TEST(EmitMarkdown, DocumentTitleBylineSectionsFooter) {
  Document d;
  d.title = "Carte # 1";
  d.byline = {Text{"le 2026-11-23"}};
  d.sections.push_back({Heading{2, "a", "- A"}, {Block{Paragraph{{Text{"p"}}}}}});
  d.footer = {Text{"pied"}};
  EXPECT_EQ(emit_markdown(d), "# Carte # 1\n\nle 2026-11-23\n\n## \\- A\n\np\n\n---\n\npied\n");
}

TEST(EmitMarkdown, HeadingLevelsAreClampedAndTextEscaped) {
  EXPECT_EQ(md_of({Block{Heading{3, "x", "Titre *x*"}}}), "### Titre \\*x\\*\n\n");
  EXPECT_EQ(md_of({Block{Heading{0, "x", "a"}}}), "# a\n\n");
  EXPECT_EQ(md_of({Block{Heading{9, "x", "a\nb"}}}), "###### a b\n\n");
}

TEST(EmitMarkdown, InlinesKeepTheirSpacesAndEachItsOwnSyntax) {
  EXPECT_EQ(md_of({Block{Paragraph{{Swatch{"z-watch"}, Text{"🟧 "}, Strong{"à surveiller"},
                                    Text{" : tolérable"}}}}}),
            "🟧 **à surveiller** : tolérable\n\n");
  EXPECT_EQ(md_of({Block{Note{{Text{"lancez "}, Code{"risksync check"}, Text{" puis"}}}}}),
            "lancez `risksync check` puis\n\n");
  EXPECT_EQ(md_of({Block{Paragraph{{Text{"- pas une liste "}, Strong{"b"}}}}}),
            "\\- pas une liste **b**\n\n");
}

TEST(EmitMarkdown, LinksKeepOnlyHttpTargets) {
  EXPECT_EQ(md_of({Block{Paragraph{{Link{"AS1", "https://x.example/1?a=(b)"}}}}}),
            "[AS1](https://x.example/1?a=%28b%29)\n\n");
  EXPECT_EQ(md_of({Block{Paragraph{{Link{"AS2", "javascript:alert(1)"}}}}}), "AS2\n\n");
  EXPECT_EQ(md_of({Block{Paragraph{{Link{"[x]", "data:text/html,x"}}}}}), "\\[x\\]\n\n");
}

TEST(EmitMarkdown, BulletList) {
  EXPECT_EQ(md_of({Block{BulletList{{{Text{"a"}}, {Text{"1. b"}}}, "legend"}}}),
            "- a\n- 1\\. b\n\n");
  EXPECT_EQ(md_of({Block{BulletList{{}, ""}}}), "");
}

TEST(EmitMarkdown, TableAlignmentRowHeadersAndShape) {
  Table t;
  t.columns = {{"G", Align::left}, {"1", Align::center}};
  t.rows.push_back(
      {{Cell{{Text{"4 – Critique"}}, "", "", true}, Cell{{Text{"🟧 AS1"}}, "z", "tip", false}},
       "dropped"});
  t.rows.push_back({{Cell{{Text{"seule"}}, "", "", false}}, ""});  // padded
  t.rows.push_back({{Cell{{Text{"a"}}, "", "", false}, Cell{{Text{"b"}}, "", "", false},
                     Cell{{Text{"cut"}}, "", "", false}},
                    ""});
  EXPECT_EQ(md_of({Block{t}}),
            "| G | 1 |\n|---|:-:|\n| **4 – Critique** | 🟧 AS1 |\n| seule |  |\n| a | b |\n\n");
}

TEST(EmitMarkdown, HostileCellTextStaysInItsCell) {
  for (const Inlines& content :
       {Inlines{Text{kHostile}}, Inlines{Strong{kHostile}}, Inlines{Code{kHostile}},
        Inlines{Link{kHostile, "https://ok.example/"}}, Inlines{Text{"x "}, Code{"a|b"}}}) {
    const std::string md = md_of({Block{one_cell_table(content)}});
    const auto doc = parse_gfm(md, /*autolink=*/false);
    ASSERT_EQ(doc.tables.size(), 1u) << md;
    ASSERT_EQ(doc.tables[0].rows.size(), 2u) << md;
    ASSERT_EQ(doc.tables[0].rows[1].size(), 2u) << md;
    EXPECT_EQ(doc.tables[0].rows[1][1].text, "z") << md;
    EXPECT_EQ(doc.html.find("<script"), std::string::npos) << md;
    EXPECT_EQ(doc.html.find("<!--"), std::string::npos) << md;
    for (const auto& url : doc.urls) EXPECT_EQ(url, "https://ok.example/") << md;
  }
  const auto doc = parse_gfm(md_of({Block{one_cell_table({Text{kHostile}})}}), false);
  EXPECT_EQ(doc.tables[0].rows[1][0].text,
            "a | b <script>x</script> & ](javascript:y) `c` *d* \\ # e line2 <!-- f -->");
  const auto code = parse_gfm(md_of({Block{one_cell_table({Text{"x "}, Code{"a|b"}})}}), false);
  EXPECT_EQ(code.tables[0].rows[1][0].text, "x a|b");
}

TEST(EmitMarkdown, ImageLinksTheAttachedFileOnly) {
  EXPECT_EQ(md_of({Block{Image{"maps", "Carte [1]", "carte des risques.svg", "maps"}}}),
            "![Carte \\[1\\]](carte%20des%20risques.svg)\n\n");
  EXPECT_EQ(md_of({Block{Image{"maps", "Carte", "javascript:x", ""}}}),
            "![Carte](javascript%3Ax)\n\n");
  EXPECT_EQ(md_of({Block{Image{"maps", "Carte", "", ""}}}), "");
}

TEST(EmitMarkdown, PreformattedFenceOutlastsTheText) {
  EXPECT_EQ(md_of({Block{Preformatted{"a = b\nc < d", "rule"}}}), "```\na = b\nc < d\n```\n\n");
  const std::string md = md_of({Block{Preformatted{"```\nnot the end\n````", ""}}});
  EXPECT_EQ(md, "`````\n```\nnot the end\n````\n`````\n\n");
  // One code block and nothing after it: no line of the text closed the fence.
  EXPECT_EQ(parse_gfm(md).node_types, (std::vector<std::string>{"document", "code_block"}));
}

TEST(EmitMarkdown, CollapsibleShowsItsSummaryThenItsBlocks) {
  EXPECT_EQ(md_of({Block{Collapsible{
                "Tableaux", {Block{Heading{3, "m", "M"}}, Block{Paragraph{{Text{"p"}}}}}}}}),
            "**Tableaux**\n\n### M\n\np\n\n");
}

// ---- HTML ----

TEST(EmitHtml, HeadBodyAndStylesheet) {
  Document d = with_blocks({});
  d.lang = "en\"x";
  d.title = "T <b>";
  d.byline = {Text{"by"}};
  d.footer = {Text{"foot & co"}};
  const std::string html = emit_html(d, {"p{color:red}\n", {}});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en&quot;x\">\n<head>\n", 0), 0u);
  EXPECT_NE(html.find("<title>T &lt;b&gt;</title>\n<style>\np{color:red}\n</style>\n"),
            std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_NE(html.find("<header>\n<h1>T &lt;b&gt;</h1>\n<p class=\"meta\">by</p>\n</header>\n"
                      "<main>\n<section>\n<h2 id=\"s\">S</h2>\n</section>\n</main>\n"
                      "<footer>foot &amp; co</footer>\n</body>\n</html>\n"),
            std::string::npos);
  EXPECT_EQ(test::check_markup(html, true), "");
}

TEST(EmitHtml, InlinesAndLinks) {
  EXPECT_EQ(html_of({Block{Paragraph{{Swatch{"z-watch"}, Text{"🟧 "}, Strong{"<a>"},
                                      Code{"x & y"}, Link{"AS1", "https://x.example/?a=1&b"},
                                      Link{"AS2", "javascript:alert(1)"}}}}}),
            "<p><span class=\"swatch z-watch\"></span>🟧 <strong>&lt;a&gt;</strong><code>x &amp; "
            "y</code><a href=\"https://x.example/?a=1&amp;b\" rel=\"noopener noreferrer\">AS1</a>"
            "AS2</p>\n");
  EXPECT_EQ(html_of({Block{Note{{Text{"n"}}}}}), "<p class=\"note\">n</p>\n");
}

TEST(EmitHtml, HeadingIdsListsAndPreformatted) {
  EXPECT_EQ(html_of({Block{Heading{7, "a\"b", "x"}}, Block{Heading{3, "", "y"}}}),
            "<h6 id=\"a&quot;b\">x</h6>\n<h3>y</h3>\n");
  EXPECT_EQ(html_of({Block{BulletList{{{Text{"a"}}, {Text{"<b>"}}}, "legend"}}}),
            "<ul class=\"legend\">\n<li>a</li>\n<li>&lt;b&gt;</li>\n</ul>\n");
  EXPECT_EQ(html_of({Block{Preformatted{"a < b\nc", "rule"}}}),
            "<pre class=\"rule\">a &lt; b\nc</pre>\n");
}

TEST(EmitHtml, TableCellsCarryStylesTooltipsAndRowHeaders) {
  Table t;
  t.style = "map";
  t.columns = {{"G", Align::left}, {"1 \"x\"", Align::center}};
  t.rows.push_back(
      {{Cell{{Text{"4"}}, "", "", true}, Cell{{Text{"a | b"}}, "z-watch", "t\"ip", false}},
       "dropped"});
  t.rows.push_back({{Cell{{Text{"seule"}}, "", "", false}}, ""});
  EXPECT_EQ(html_of({Block{t}}),
            "<table class=\"map\">\n<thead><tr><th scope=\"col\">G</th><th scope=\"col\">1 "
            "&quot;x&quot;</th></tr></thead>\n<tbody>\n<tr class=\"dropped\"><th "
            "scope=\"row\">4</th><td class=\"z-watch\" title=\"t&quot;ip\">a | "
            "b</td></tr>\n<tr><td>seule</td><td></td></tr>\n</tbody>\n</table>\n");
}

TEST(EmitHtml, HostileTextNeverMakesMarkup) {
  Table t = one_cell_table({Text{kHostile}, Code{kHostile}, Strong{kHostile}});
  t.rows[0].cells[0].tooltip = kHostile;
  t.rows[0].cells[0].style = kHostile;
  const std::string html = html_of(
      {Block{t}, Block{Heading{3, kHostile, kHostile}}, Block{Note{{Link{kHostile, kHostile}}}},
       Block{Collapsible{kHostile, {Block{Preformatted{kHostile, kHostile}}}}}});
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  EXPECT_EQ(html.find("href"), std::string::npos);
}

TEST(EmitHtml, ImageIsTheInlineSvgOfItsIdOrNothing) {
  HtmlResources resources;
  resources.inline_svg.emplace("maps", "<svg></svg>\n");
  EXPECT_EQ(html_of({Block{Image{"maps", "alt", "", "maps"}}}, resources),
            "<figure class=\"maps\">\n<svg></svg>\n</figure>\n");
  EXPECT_EQ(html_of({Block{Image{"other", "alt", "x.svg", ""}}}, resources), "");
}

TEST(EmitHtml, CollapsibleIsADetailsElement) {
  EXPECT_EQ(html_of({Block{Collapsible{"Tableaux <1>", {Block{Paragraph{{Text{"p"}}}}}}}}),
            "<details>\n<summary>Tableaux &lt;1&gt;</summary>\n<p>p</p>\n</details>\n");
  EXPECT_EQ(count_of(html_of({Block{Collapsible{"s", {}}}}), "<details>"), 1u);
}

// ---- Confluence storage ----

// The storage of `blocks` alone (after "<h1>T</h1>\n<h2>S</h2>\n"), checked well formed.
std::string storage_of(std::vector<Block> blocks, const ConfluenceResources& resources = {}) {
  const std::string out = emit_confluence_storage(with_blocks(std::move(blocks)), resources);
  EXPECT_EQ(test::check_markup(out, /*html=*/false), "") << out;
  const std::string prefix = "<h1>T</h1>\n<h2>S</h2>\n";
  EXPECT_EQ(out.rfind(prefix, 0), 0u) << out;
  return out.substr(std::min(prefix.size(), out.size()));
}

TEST(EmitConfluence, ColouredCellsCarryHighlightAndStyle) {
  ConfluenceResources resources;
  resources.colours.emplace("z-watch", ConfluenceCellColours{"#ff9800", "#000000"});
  resources.colours.emplace("bad", ConfluenceCellColours{"red\" onclick=\"x", "#fff"});
  Table t;
  t.columns = {{"G", Align::left}, {"1", Align::center}, {"2", Align::left}};
  t.rows.push_back({{Cell{{Text{"4"}}, "", "", true}, Cell{{Text{"AS1"}}, "z-watch", "tip", false},
                     Cell{{Text{"y"}}, "bad", "", false}},
                    ""});
  EXPECT_EQ(storage_of({Block{t}}, resources),
            "<table>\n<tbody>\n<tr><th>G</th><th>1</th><th>2</th></tr>\n<tr><th>4</th><td "
            "data-highlight-colour=\"#ff9800\" style=\"background-color: #ff9800; text-align: "
            "center;\"><span style=\"color: #000000;\">AS1</span></td><td>y</td></tr>\n"
            "</tbody>\n</table>\n");
}

TEST(EmitConfluence, NoteIsAnInfoMacroAndCollapsibleIsUnfolded) {
  EXPECT_EQ(storage_of({Block{Note{{Text{"n"}}}}}),
            "<ac:structured-macro ac:name=\"info\" ac:schema-version=\"1\"><ac:rich-text-body>"
            "<p>n</p></ac:rich-text-body></ac:structured-macro>\n");
  EXPECT_EQ(storage_of({Block{Collapsible{"Tables", {Block{Paragraph{{Text{"p"}}}}}}}}),
            "<p><strong>Tables</strong></p>\n<p>p</p>\n");
}

TEST(EmitConfluence, ImageShowsItsRasterTwinAndLinksItsFile) {
  ConfluenceResources resources;
  resources.shown_images.emplace("maps", "map.png");
  EXPECT_EQ(storage_of({Block{Image{"maps", "Les cartes", "map.svg", ""}}}, resources),
            "<p><ac:image ac:alt=\"Les cartes\" ac:title=\"Les cartes\"><ri:attachment "
            "ri:filename=\"map.png\"/></ac:image></p>\n<p><ac:link><ri:attachment "
            "ri:filename=\"map.svg\"/><ac:link-body>map.svg</ac:link-body></ac:link></p>\n");
  EXPECT_EQ(storage_of({Block{Image{"maps", "alt", "", ""}}}), "");
}

TEST(EmitConfluence, HostileTextNeverMakesMarkup) {
  Table t =
      one_cell_table({Text{kHostile}, Code{kHostile}, Strong{kHostile}, Link{kHostile, kHostile}});
  t.rows[0].cells[0].style = kHostile;
  const std::string out = storage_of(
      {Block{t}, Block{Heading{3, kHostile, kHostile}}, Block{Note{{Link{kHostile, kHostile}}}},
       Block{Image{kHostile, kHostile, kHostile, kHostile}},
       Block{Collapsible{kHostile, {Block{Preformatted{kHostile, kHostile}}}}}});
  EXPECT_EQ(out.find("<script"), std::string::npos);
  EXPECT_EQ(out.find("<!--"), std::string::npos);
  EXPECT_EQ(out.find("href"), std::string::npos);
  EXPECT_EQ(out.find("CDATA"), std::string::npos);
}

TEST(EmitConfluence, LinksKeepOnlyHttpUrls) {
  EXPECT_EQ(storage_of({Block{Paragraph{{Link{"AS1", "https://x.example/browse/SEC-1"},
                                         Link{"AS2", "javascript:alert(1)"}}}}}),
            "<p><a href=\"https://x.example/browse/SEC-1\">AS1</a>AS2</p>\n");
}

}  // namespace
}  // namespace risksync
