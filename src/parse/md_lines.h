// Turns blocks of the cmark-gfm AST into "logical lines" (private to src/parse/): the unit the
// analysis parser reasons about. A paragraph gives one logical line per field, bullet or
// sentence: soft line breaks are joined unless the next line starts something new (see
// starts_logical_line), `<br>` always splits. Every line keeps the source line of its node.
//
// Contract: never recurses deeper than kMaxNesting (deeper content is dropped), accepts null
// nodes, never throws except std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <vector>

struct cmark_node;

namespace risksync::parse_detail {

constexpr int kMaxNesting = 48;

struct TextLine {
  std::string text;       // inline markup removed, whitespace collapsed, glyph removed
  int line = 0;           // 1-based source line
  int depth = 0;          // list nesting: 0 top-level block, 1 item of a top-level list...
  int heading_level = 0;  // > 0 for a heading
  int glyph = 0;          // 1 for "●"/"•", 2 for "○"/"◦" at the start (removed from text)
  bool block_start = false;     // first logical line of its paragraph or heading
  bool bullet = false;          // first logical line of a list item
  std::optional<bool> checked;  // "- [x]" / "- [ ]" item, on its first line
};

struct Segment {
  std::string text;
  int line = 0;
};

// Text of the inline children of `container` (paragraph, heading, table cell), split at soft
// and hard line breaks and at `<br>`, `<br/>`, `<br />`. Emphasis, strikethrough and links
// keep their text; a link whose text is a catalog id ("C-4") is written "[C-4]".
std::vector<Segment> inline_segments(cmark_node* container);

// Segments joined with a space.
std::string inline_text(cmark_node* container);

// Appends the logical lines of `block` (paragraph, heading, list, item, block quote) to `out`.
// Tables, code and HTML blocks give nothing.
void flatten_block(cmark_node* block, int depth, std::vector<TextLine>& out);

}  // namespace risksync::parse_detail
