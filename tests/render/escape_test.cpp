#include "render/escape.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "render/gfm.h"
#include "util/utf8.h"

namespace risksync {
namespace {

using test::parse_gfm;

// ---- escape_markdown_inline: exact outputs ----

TEST(EscapeMarkdown, PipeCannotSplitACell) {
  EXPECT_EQ(escape_markdown_inline("a | b"), "a \\| b");
  EXPECT_EQ(escape_markdown_inline("a \\| b"), "a \\\\\\| b");
}

TEST(EscapeMarkdown, HtmlBecomesEntities) {
  EXPECT_EQ(escape_markdown_inline("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(escape_markdown_inline("<!-- x -->"), "&lt;\\!-- x --&gt;");
  EXPECT_EQ(escape_markdown_inline("&amp; &"), "&amp;amp; &amp;");
}

TEST(EscapeMarkdown, BracketsCannotFormALink) {
  EXPECT_EQ(escape_markdown_inline("](javascript:alert(1))"), "\\](javascript:alert(1))");
  EXPECT_EQ(escape_markdown_inline("![x](y)"), "\\!\\[x\\](y)");
}

TEST(EscapeMarkdown, InlinePunctuationIsEscaped) {
  EXPECT_EQ(escape_markdown_inline("**b** _i_ `c` ~~s~~ $m$ \\"),
            "\\*\\*b\\*\\* \\_i\\_ \\`c\\` \\~\\~s\\~\\~ \\$m\\$ \\\\");
}

TEST(EscapeMarkdown, BlockStartsAreEscapedOnlyAtTheStart) {
  EXPECT_EQ(escape_markdown_inline("# titre"), "\\# titre");
  EXPECT_EQ(escape_markdown_inline("- item"), "\\- item");
  EXPECT_EQ(escape_markdown_inline("+ item"), "\\+ item");
  EXPECT_EQ(escape_markdown_inline("=== x"), "\\=== x");
  EXPECT_EQ(escape_markdown_inline("1. premier"), "1\\. premier");
  EXPECT_EQ(escape_markdown_inline("12) douze"), "12\\) douze");
  EXPECT_EQ(escape_markdown_inline("  - indenté"), "\\- indenté");
  // Mid-text they are plain and stay readable.
  EXPECT_EQ(escape_markdown_inline("2026-11-23 (poids 2) #3 + 1. fin"),
            "2026-11-23 (poids 2) #3 + 1. fin");
}

TEST(EscapeMarkdown, LineBreaksAndControlsBecomeSpaces) {
  EXPECT_EQ(escape_markdown_inline("a\nb\r\nc\rd\te"), "a b c d e");
  EXPECT_EQ(escape_markdown_inline(std::string("a\0b", 3)), "a b");
  EXPECT_EQ(escape_markdown_inline("  spaced out \n"), "spaced out");
}

TEST(EscapeMarkdown, Utf8IsKeptInvalidBytesReplaced) {
  EXPECT_EQ(escape_markdown_inline("Très probable – 🟥"), "Très probable – 🟥");
  EXPECT_EQ(escape_markdown_inline("a\xff"
                                   "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(escape_markdown_inline("\xC3"), "\xEF\xBF\xBD");  // truncated
  EXPECT_EQ(escape_markdown_inline("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

// ---- escape_markdown_inline: what GFM actually makes of it ----

const std::vector<std::string> kHostile = {
    "a | b",
    "a \\| b",
    "|",
    "||",
    "\\",
    "a\\",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.example/a.js></SCRIPT>",
    "](javascript:alert(1))",
    "[x](javascript:alert(1))",
    "[x]: javascript:alert(1)",
    "![img](https://evil.example/x.png)",
    "<!-- comment -->",
    "<!--",
    "-->",
    "**bold** __b__ *i* _i_",
    "`code` ``x``",
    "~~strike~~ ~x~",
    "$x^2$ and $$y$$",
    "# title",
    "## h2 #",
    "- item",
    "+ item",
    "* item",
    "1. first",
    "2) second",
    "   - indented",
    "---",
    "===",
    "* * *",
    "```",
    "~~~",
    "> quote",
    "<div>html</div>",
    "<img src=x onerror=alert(1)>",
    "&amp; &lt; &#x3C; &#60;",
    "back\\slash\\",
    "line1\nline2\r\nline3\rline4",
    "tab\there",
    "[^1] footnote",
    "[[WikiLink]]",
    "<https://auto.example>",
    "Quasi-certain (poids 2) – ok !",
    "C'est l'été, 42 € !",
    "x_y_z and 2*3*4",
    "- [ ] task",
    "\\*not emphasis\\*",
    "    four spaces",
};

// What a code span must show: line breaks and tabs as spaces, nothing trimmed.
std::string code_literal(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    out += c;
  }
  return out;
}

// What the reader must see of text: the same, without leading/trailing space.
std::string literal(std::string_view s) {
  const std::string out = code_literal(s);
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

TEST(EscapeMarkdownGfm, EveryHostileTextStaysInOneCellAsLiteralText) {
  for (const auto& input : kHostile) {
    const std::string md = "| h | k |\n|---|---|\n| " + escape_markdown_inline(input) + " | z |\n";
    const auto doc = parse_gfm(md, /*autolink=*/false);
    ASSERT_EQ(doc.tables.size(), 1u) << input;
    const auto& rows = doc.tables[0].rows;
    ASSERT_EQ(rows.size(), 2u) << input;
    ASSERT_EQ(rows[1].size(), 2u) << input;
    EXPECT_EQ(rows[1][0].text, literal(input)) << input;
    EXPECT_EQ(rows[1][1].text, "z") << input;
    for (const auto& t : rows[1][0].inline_types) EXPECT_EQ(t, "text") << input;
    EXPECT_EQ(doc.html.find("<script"), std::string::npos) << input;
    EXPECT_EQ(doc.html.find("<SCRIPT"), std::string::npos) << input;
    EXPECT_EQ(doc.html.find("<!--"), std::string::npos) << input;
    EXPECT_TRUE(doc.urls.empty()) << input;
  }
}

TEST(EscapeMarkdownGfm, EveryHostileTextStaysOneParagraphEvenAtLineStart) {
  for (const auto& input : kHostile) {
    const std::string escaped = escape_markdown_inline(input);
    for (const std::string& md : {escaped + "\n", "Avant : " + escaped + " : après\n"}) {
      const auto doc = parse_gfm(md, /*autolink=*/false);
      ASSERT_GE(doc.node_types.size(), 2u) << input;
      EXPECT_EQ(doc.node_types[0], "document") << input;
      EXPECT_EQ(doc.node_types[1], "paragraph") << input;
      for (std::size_t k = 2; k < doc.node_types.size(); ++k)
        EXPECT_EQ(doc.node_types[k], "text") << input << " in: " << md;
      EXPECT_TRUE(doc.urls.empty()) << input;
    }
  }
}

TEST(EscapeMarkdownGfm, AutolinkNeverMakesANonHttpLink) {
  const auto doc = parse_gfm(
      escape_markdown_inline("javascript:alert(1) data:text/html,x vbscript:x www.example.org"
                             " https://ok.example"),
      /*autolink=*/true);
  for (const auto& url : doc.urls)
    EXPECT_TRUE(url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) << url;
}

// ---- escape_markdown_piece: a piece of a line between other inlines ----

TEST(EscapeMarkdownPiece, KeepsSpacesInsideALineAndTrimsOnlyAtItsEnds) {
  EXPECT_EQ(escape_markdown_piece(" : suite ", false, false), " : suite ");
  EXPECT_EQ(escape_markdown_piece("  début ", true, false), "début ");
  EXPECT_EQ(escape_markdown_piece(" fin  ", false, true), " fin");
  for (const auto& input : {"a | b", "# t", " x ", "1. y", "<b>&"})
    EXPECT_EQ(escape_markdown_piece(input, true, true), escape_markdown_inline(input)) << input;
}

TEST(EscapeMarkdownPiece, BlockStartsAreLeftAloneInsideALine) {
  EXPECT_EQ(escape_markdown_piece("- x", false, true), "- x");
  EXPECT_EQ(escape_markdown_piece("1. x", false, true), "1. x");
  EXPECT_EQ(escape_markdown_piece("- x", true, true), "\\- x");
  EXPECT_EQ(escape_markdown_piece("a|b", false, false), "a\\|b");  // inline escapes always
}

TEST(EscapeMarkdownPieceGfm, HostilePiecesBetweenStrongTextStayLiteral) {
  for (const auto& input : kHostile) {
    const std::string md = "| h |\n|---|\n| " + escape_markdown_piece(input, true, false) +
                           "**B**" + escape_markdown_piece(input, false, false) + "**B**" +
                           escape_markdown_piece(input, false, true) + " |\n";
    const auto doc = parse_gfm(md, /*autolink=*/false);
    ASSERT_EQ(doc.tables.size(), 1u) << input;
    ASSERT_EQ(doc.tables[0].rows.size(), 2u) << input;
    ASSERT_EQ(doc.tables[0].rows[1].size(), 1u) << input;
    for (const auto& t : doc.tables[0].rows[1][0].inline_types)
      EXPECT_TRUE(t == "text" || t == "strong") << input << ": " << t;
    EXPECT_TRUE(doc.urls.empty()) << input;
    EXPECT_EQ(doc.html.find("<script"), std::string::npos) << input;
    EXPECT_EQ(doc.html.find("<!--"), std::string::npos) << input;
  }
}

// ---- markdown_code_span ----

TEST(MarkdownCodeSpan, FenceIsLongerThanAnyBacktickRun) {
  EXPECT_EQ(markdown_code_span("risksync check", false), "`risksync check`");
  EXPECT_EQ(markdown_code_span("a `b` c", false), "``a `b` c``");
  EXPECT_EQ(markdown_code_span("``x", false), "``` ``x ```");
  EXPECT_EQ(markdown_code_span("", false), "");
  EXPECT_EQ(markdown_code_span("a\nb\r\nc", false), "`a b c`");
  EXPECT_EQ(markdown_code_span("a|b", false), "`a|b`");
  EXPECT_EQ(markdown_code_span("a|b", true), "`a\\|b`");
  EXPECT_EQ(markdown_code_span("\xff", false), "`\xEF\xBF\xBD`");
}

TEST(MarkdownCodeSpanGfm, HostileTextIsOneLiteralCodeSpanInACellAndAParagraph) {
  for (const auto& input : kHostile) {
    const std::string cell = markdown_code_span(input, /*in_table_cell=*/true);
    const auto table = parse_gfm("| h | k |\n|---|---|\n| " + cell + " | z |\n", false);
    ASSERT_EQ(table.tables.size(), 1u) << input;
    const auto& rows = table.tables[0].rows;
    ASSERT_EQ(rows.size(), 2u) << input;
    ASSERT_EQ(rows[1].size(), 2u) << input;
    EXPECT_EQ(rows[1][0].text, code_literal(input)) << input << " as " << cell;
    EXPECT_EQ(rows[1][0].inline_types, std::vector<std::string>{"code"}) << input;
    EXPECT_EQ(rows[1][1].text, "z") << input;

    const auto para = parse_gfm("Avant " + markdown_code_span(input, false) + " après\n", false);
    EXPECT_EQ(para.node_types,
              (std::vector<std::string>{"document", "paragraph", "text", "code", "text"}))
        << input;
    EXPECT_EQ(para.html.find("<script"), std::string::npos) << input;
  }
}

// ---- escape_html ----

TEST(EscapeHtml, EscapesTheFiveCharacters) {
  EXPECT_EQ(escape_html("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  EXPECT_EQ(escape_html("<!-- -->"), "&lt;!-- --&gt;");
  EXPECT_EQ(escape_html("Vraisemblance – très probable 🟥"),
            "Vraisemblance – très probable 🟥");
}

TEST(EscapeHtml, KeepsOnlyCharactersXmlAllows) {
  EXPECT_EQ(escape_html("a\tb\nc\rd"), "a\tb\nc\rd");
  EXPECT_EQ(escape_html(std::string("a\0b\x1b", 4)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(escape_html("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(escape_html("\xEF\xBF\xBF"), "\xEF\xBF\xBD");          // U+FFFF
}

// ---- shorten_text ----

TEST(ShortenText, FittingTextIsUnchanged) {
  EXPECT_EQ(shorten_text("Lancer un programme de bug bounty", 33),
            "Lancer un programme de bug bounty");
  EXPECT_EQ(shorten_text("", 5), "");
  EXPECT_EQ(shorten_text("été", 3), "été");
}

TEST(ShortenText, CutsOnAWordBoundary) {
  EXPECT_EQ(shorten_text("Lancer un programme de bug bounty", 20), "Lancer un programme…");
  EXPECT_EQ(shorten_text("Lancer un programme de bug bounty", 22), "Lancer un programme…");
  EXPECT_EQ(shorten_text("Revue du code, renforcée par l'outil", 16), "Revue du code…");
  EXPECT_EQ(shorten_text("été été été", 6), "été…");
}

TEST(ShortenText, LongWordIsCutInside) {
  EXPECT_EQ(shorten_text("anticonstitutionnellement", 10), "anticonst…");
  EXPECT_EQ(shorten_text("a anticonstitutionnellement", 10), "a anticon…");
}

TEST(ShortenText, NeverCutsASequenceOrAMark) {
  EXPECT_EQ(shorten_text("🟥🟥🟥🟥", 3), "🟥🟥…");
  // "é" written as e + U+0301: the mark stays with its letter.
  EXPECT_EQ(shorten_text("e\xCC\x81"
                         "e\xCC\x81"
                         "e\xCC\x81",
                         4),
            "e\xCC\x81…");
}

TEST(ShortenText, EdgeLengths) {
  EXPECT_EQ(shorten_text("abc", 0), "");
  EXPECT_EQ(shorten_text("abc", 1), "…");
  EXPECT_EQ(shorten_text("abc", 2), "a…");
}

TEST(ShortenText, ResultNeverExceedsTheLimitAndStaysValid) {
  const std::string text =
      "En tant qu'attaquant étatique, lorsque le code source est vulnérable 🟥, je souhaite "
      "récupérer les codes—sans\tcoupure\nni e\xCC\x81 mal placé";
  for (std::size_t max = 0; max < 140; ++max) {
    const std::string out = shorten_text(text, max);
    EXPECT_LE(utf8::code_point_count(out), max) << max;
    std::size_t i = 0;
    while (i < out.size()) {
      bool valid = true;
      utf8::next_code_point(out, i, &valid);
      ASSERT_TRUE(valid) << max;
    }
  }
  EXPECT_NO_FATAL_FAILURE(shorten_text("\xff\xfe\xfd\xfc abc", 3));
}

// ---- safe_http_url ----

TEST(SafeHttpUrl, AcceptsHttpAndHttps) {
  EXPECT_EQ(safe_http_url("https://github.com/o/r/issues/1"), "https://github.com/o/r/issues/1");
  EXPECT_EQ(safe_http_url("  HTTP://localhost:8080/x "), "http://localhost:8080/x");
  EXPECT_EQ(safe_http_url("https://x.example/a b|c(d)<e>\"f'`"),
            "https://x.example/a%20b%7Cc%28d%29%3Ce%3E%22f%27%60");
  EXPECT_EQ(safe_http_url("https://x.example/?q=a&b=%C3%A9&c=100%"),
            "https://x.example/?q=a&b=%C3%A9&c=100%25");
  EXPECT_EQ(safe_http_url("https://x.example/été"), "https://x.example/%C3%A9t%C3%A9");
}

TEST(SafeHttpUrl, RefusesEverythingElse) {
  for (const char* bad :
       {"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,x",
        "vbscript:x", "file:///etc/passwd", "ftp://x.example", "//evil.example", "/relative",
        "relative/x", "https:evil.example", "https:/evil.example", "https:///path", "https://",
        "https://\\evil", "https://x.example/\nnext", "java\nscript:alert(1)", "",
        "https://x.example/\t"}) {
    EXPECT_EQ(safe_http_url(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace risksync
