#include "parse/markdown_ast.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <array>
#include <cstring>
#include <mutex>

namespace risksync::parse_detail {
namespace {

void ensure_extensions_registered() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

struct ParserDeleter {
  void operator()(cmark_parser* p) const {
    if (p) cmark_parser_free(p);
  }
};

struct KindName {
  std::string_view name;
  NodeKind kind;
};

constexpr std::array<KindName, 25> kKinds{{
    {"document", NodeKind::document},
    {"heading", NodeKind::heading},
    {"paragraph", NodeKind::paragraph},
    {"list", NodeKind::list},
    {"item", NodeKind::item},
    {"tasklist", NodeKind::item},
    {"block_quote", NodeKind::block_quote},
    {"code_block", NodeKind::code_block},
    {"html_block", NodeKind::html_block},
    {"thematic_break", NodeKind::thematic_break},
    {"table", NodeKind::table},
    {"table_header", NodeKind::table_header},
    {"table_row", NodeKind::table_row},
    {"table_cell", NodeKind::table_cell},
    {"text", NodeKind::text},
    {"code", NodeKind::code},
    {"softbreak", NodeKind::softbreak},
    {"linebreak", NodeKind::linebreak},
    {"html_inline", NodeKind::html_inline},
    {"emph", NodeKind::emph},
    {"strong", NodeKind::strong},
    {"strikethrough", NodeKind::strikethrough},
    {"link", NodeKind::link},
    {"image", NodeKind::image},
    {"footnote_reference", NodeKind::other},
}};

}  // namespace

void MarkdownDocument::Deleter::operator()(cmark_node* node) const {
  if (node) cmark_node_free(node);
}

std::optional<MarkdownDocument> MarkdownDocument::parse(std::string_view text) {
  ensure_extensions_registered();
  static std::mutex parse_mutex;
  const std::lock_guard<std::mutex> lock(parse_mutex);
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(CMARK_OPT_DEFAULT));
  if (!parser) return std::nullopt;
  for (const char* name : {"table", "tasklist", "strikethrough"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser.get(), ext);
  }
  cmark_parser_feed(parser.get(), text.data(), text.size());
  cmark_node* root = cmark_parser_finish(parser.get());
  if (!root) return std::nullopt;
  return MarkdownDocument(root);
}

NodeKind kind_of(cmark_node* node) {
  if (!node) return NodeKind::other;
  // Core types by their enum (a tasklist item is a CMARK_NODE_ITEM); the types that the
  // extensions register (table, strikethrough) by name.
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_DOCUMENT:
      return NodeKind::document;
    case CMARK_NODE_HEADING:
      return NodeKind::heading;
    case CMARK_NODE_PARAGRAPH:
      return NodeKind::paragraph;
    case CMARK_NODE_LIST:
      return NodeKind::list;
    case CMARK_NODE_ITEM:
      return NodeKind::item;
    case CMARK_NODE_BLOCK_QUOTE:
      return NodeKind::block_quote;
    case CMARK_NODE_CODE_BLOCK:
      return NodeKind::code_block;
    case CMARK_NODE_HTML_BLOCK:
      return NodeKind::html_block;
    case CMARK_NODE_THEMATIC_BREAK:
      return NodeKind::thematic_break;
    case CMARK_NODE_TEXT:
      return NodeKind::text;
    case CMARK_NODE_CODE:
      return NodeKind::code;
    case CMARK_NODE_SOFTBREAK:
      return NodeKind::softbreak;
    case CMARK_NODE_LINEBREAK:
      return NodeKind::linebreak;
    case CMARK_NODE_HTML_INLINE:
      return NodeKind::html_inline;
    case CMARK_NODE_EMPH:
      return NodeKind::emph;
    case CMARK_NODE_STRONG:
      return NodeKind::strong;
    case CMARK_NODE_LINK:
      return NodeKind::link;
    case CMARK_NODE_IMAGE:
      return NodeKind::image;
    default:
      break;
  }
  const char* type = cmark_node_get_type_string(node);
  if (!type) return NodeKind::other;
  const std::string_view name(type);
  for (const auto& k : kKinds)
    if (k.name == name) return k.kind;
  return NodeKind::other;
}

cmark_node* first_child(cmark_node* node) {
  return node ? cmark_node_first_child(node) : nullptr;
}

cmark_node* next_sibling(cmark_node* node) {
  return node ? cmark_node_next(node) : nullptr;
}

int start_line(cmark_node* node) {
  if (!node) return 0;
  const int line = cmark_node_get_start_line(node);
  return line > 0 ? line : 0;
}

int heading_level(cmark_node* node) {
  if (kind_of(node) != NodeKind::heading) return 0;
  const int level = cmark_node_get_heading_level(node);
  return level > 0 ? level : 0;
}

std::string_view literal(cmark_node* node) {
  if (!node) return {};
  const char* text = cmark_node_get_literal(node);
  return text ? std::string_view(text) : std::string_view();
}

std::optional<bool> task_checked(cmark_node* item) {
  if (!item) return std::nullopt;
  const char* type = cmark_node_get_type_string(item);
  if (!type || std::strcmp(type, "tasklist") != 0) return std::nullopt;
  return cmark_gfm_extensions_get_tasklist_item_checked(item);
}

}  // namespace risksync::parse_detail
