#include "parse/md_lines.h"

#include <string_view>

#include "parse/fields.h"
#include "parse/markdown_ast.h"
#include "parse/text_util.h"

namespace risksync::parse_detail {
namespace {

bool is_br_tag(std::string_view html) {
  std::string compact;
  for (const char c : html)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') compact += ascii_lower(c);
  return compact == "<br>" || compact == "<br/>";
}

class InlineCollector {
 public:
  explicit InlineCollector(int first_line) : line_(first_line) {}

  void add_text(std::string_view text, int node_line) {
    if (current_.empty() && node_line >= line_) line_ = node_line;
    current_ += text;
  }
  // A soft or hard line break advances the line; <br> stays on the same line.
  void line_break(bool next_line) {
    flush();
    if (next_line) ++line_;
  }
  std::string& current() { return current_; }
  std::size_t breaks() const { return segments_.size(); }
  std::vector<Segment> finish() {
    flush();
    return std::move(segments_);
  }

 private:
  void flush() {
    segments_.push_back({collapse_spaces(current_), line_});
    current_.clear();
  }
  std::vector<Segment> segments_;
  std::string current_;
  int line_ = 0;
};

void collect_inlines(cmark_node* node, InlineCollector& out, int nest) {
  if (nest > kMaxNesting) return;
  for (cmark_node* child = first_child(node); child; child = next_sibling(child)) {
    switch (kind_of(child)) {
      case NodeKind::text:
      case NodeKind::code:
        out.add_text(literal(child), start_line(child));
        break;
      case NodeKind::softbreak:
      case NodeKind::linebreak:
        out.line_break(true);
        break;
      case NodeKind::html_inline:
        if (is_br_tag(literal(child))) out.line_break(false);
        break;
      case NodeKind::image:
        break;
      case NodeKind::link: {
        const std::size_t before_breaks = out.breaks();
        const std::size_t before = out.current().size();
        collect_inlines(child, out, nest + 1);
        if (out.breaks() == before_breaks && out.current().size() >= before) {
          const std::string inner = out.current().substr(before);
          if (is_catalog_id(trim(inner))) {
            out.current().resize(before);
            out.current() += "[" + std::string(trim(inner)) + "]";
          }
        }
        break;
      }
      default:
        collect_inlines(child, out, nest + 1);
        break;
    }
  }
}

void push_line(std::string_view text, int line, int depth, int heading, bool first, bool bullet,
               std::optional<bool> checked, std::vector<TextLine>& out) {
  std::string_view t = trim(text);
  TextLine tl;
  tl.glyph = heading > 0 ? 0 : strip_bullet_glyph(t);
  tl.text = std::string(t);
  tl.line = line;
  tl.depth = depth;
  tl.heading_level = heading;
  tl.block_start = first;
  tl.bullet = bullet && first;
  if (first) tl.checked = checked;
  out.push_back(std::move(tl));
}

void flatten_paragraph(cmark_node* para, int depth, bool item_first, std::optional<bool> checked,
                       std::vector<TextLine>& out) {
  std::vector<Segment> logical;
  for (auto& seg : inline_segments(para)) {
    if (seg.text.empty()) continue;
    if (logical.empty() || starts_logical_line(seg.text)) {
      logical.push_back(std::move(seg));
    } else {
      logical.back().text += ' ';
      logical.back().text += seg.text;
    }
  }
  bool first = true;
  for (const auto& l : logical) {
    push_line(l.text, l.line, depth, 0, first, item_first, checked, out);
    first = false;
  }
}

void flatten(cmark_node* block, int depth, int nest, std::vector<TextLine>& out);

void flatten_item(cmark_node* item, int depth, int nest, std::vector<TextLine>& out) {
  const std::optional<bool> checked = task_checked(item);
  bool first = true;
  for (cmark_node* child = first_child(item); child; child = next_sibling(child)) {
    if (first && kind_of(child) == NodeKind::paragraph) {
      flatten_paragraph(child, depth, true, checked, out);
    } else {
      flatten(child, depth, nest + 1, out);
    }
    first = false;
  }
}

void flatten(cmark_node* block, int depth, int nest, std::vector<TextLine>& out) {
  if (!block || nest > kMaxNesting) return;
  switch (kind_of(block)) {
    case NodeKind::paragraph:
      flatten_paragraph(block, depth, false, std::nullopt, out);
      break;
    case NodeKind::heading:
      push_line(inline_text(block), start_line(block), depth, heading_level(block), true, false,
                std::nullopt, out);
      break;
    case NodeKind::list:
      for (cmark_node* item = first_child(block); item; item = next_sibling(item))
        flatten_item(item, depth + 1, nest + 1, out);
      break;
    case NodeKind::item:
      flatten_item(block, depth, nest + 1, out);
      break;
    case NodeKind::block_quote:
      for (cmark_node* child = first_child(block); child; child = next_sibling(child))
        flatten(child, depth, nest + 1, out);
      break;
    default:
      break;
  }
}

}  // namespace

std::vector<Segment> inline_segments(cmark_node* container) {
  InlineCollector collector(start_line(container));
  collect_inlines(container, collector, 0);
  return collector.finish();
}

std::string inline_text(cmark_node* container) {
  std::string out;
  for (const auto& seg : inline_segments(container)) {
    if (seg.text.empty()) continue;
    if (!out.empty()) out += ' ';
    out += seg.text;
  }
  return out;
}

void flatten_block(cmark_node* block, int depth, std::vector<TextLine>& out) {
  flatten(block, depth, 0, out);
}

}  // namespace risksync::parse_detail
