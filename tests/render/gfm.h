// Test helper: parses markdown with cmark-gfm (the library GitHub's renderer is built on) and
// exposes what a structural test needs: tables with their cells' plain text, headings, link
// targets, every node type, and the HTML rendered *without* cmark's safety filter (so that any
// raw HTML or javascript: link that got through would show up).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace risksync::test {

struct GfmCell {
  std::string text;                       // plain text (entities decoded, escapes removed)
  std::vector<std::string> inline_types;  // types of every node inside the cell
};

struct GfmTable {
  std::vector<std::vector<GfmCell>> rows;  // rows[0] is the header row
};

struct GfmDocument {
  std::vector<GfmTable> tables;
  std::vector<std::string> headings;    // plain text of every heading, document order
  std::vector<std::string> urls;        // destinations of links and images
  std::vector<std::string> node_types;  // every node, document order ("document", "text", …)
  std::string html;                     // rendered with CMARK_OPT_UNSAFE
};

// Extensions attached: table, strikethrough, tasklist, and autolink when `autolink`.
GfmDocument parse_gfm(std::string_view markdown, bool autolink = true);

}  // namespace risksync::test
