// A thin RAII wrapper over the CommonMark AST of cmark-gfm (private to src/parse/).
//
// Why cmark-gfm: it gives a source line for every block node (cmark_node_get_start_line),
// which every diagnostic of the analysis parser needs, and it implements GFM tables and task
// lists; md4c, the other C parser shipped by Debian, reports no source positions.
//
// Contract:
//  - MarkdownDocument owns the tree; nodes handed out are borrowed and live as long as the
//    document. Every accessor accepts a null node and answers "nothing" (kind other, line 0,
//    empty text) instead of crashing.
//  - The parser is created with the `table`, `tasklist` and `strikethrough` extensions.
//  - Thread safety: parse() may be called from any thread. cmark-gfm 0.29 writes process-wide
//    tables while it parses (cmark_inlines_add/remove_special_character around inline
//    parsing), so calls are serialised by a mutex; extension registration runs once under
//    std::call_once. A parsed tree is read-only here and may be read concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string_view>

struct cmark_node;

namespace risksync::parse_detail {

enum class NodeKind {
  document,
  heading,
  paragraph,
  list,
  item,
  block_quote,
  code_block,
  html_block,
  thematic_break,
  table,
  table_header,  // the header row of a table
  table_row,
  table_cell,
  text,
  code,
  softbreak,
  linebreak,
  html_inline,
  emph,
  strong,
  strikethrough,
  link,
  image,
  other,
};

class MarkdownDocument {
 public:
  // nullopt only if cmark-gfm could not build a tree (it aborts on out-of-memory, so in
  // practice never).
  static std::optional<MarkdownDocument> parse(std::string_view text);

  cmark_node* root() const { return root_.get(); }

 private:
  struct Deleter {
    void operator()(cmark_node* node) const;
  };
  explicit MarkdownDocument(cmark_node* root) : root_(root) {}
  std::unique_ptr<cmark_node, Deleter> root_;
};

NodeKind kind_of(cmark_node* node);
cmark_node* first_child(cmark_node* node);
cmark_node* next_sibling(cmark_node* node);
int start_line(cmark_node* node);            // 1-based; 0 when unknown
int heading_level(cmark_node* node);         // 1..6 for a heading, 0 otherwise
std::string_view literal(cmark_node* node);  // text of text/code/html nodes, empty otherwise
// For a list item written "- [ ]" / "- [x]": whether it is ticked; nullopt for a plain item.
std::optional<bool> task_checked(cmark_node* item);

}  // namespace risksync::parse_detail
