// emit_markdown (render/emit.h): a doc::Document as GitHub/GitLab-flavoured markdown.
//
// Every text goes through render/escape.h (escape_markdown_inline / _piece, markdown_code_span),
// every link target through safe_http_url, every attachment name through
// relative_link_target. Each block ends with a blank line.
#include <algorithm>
#include <string>
#include <type_traits>
#include <variant>

#include "render/emit.h"
#include "render/escape.h"
#include "render/visit.h"

namespace risksync {
namespace {

using namespace doc;
using render_detail::Overloaded;

// A file name published beside the page, as a relative link destination: every byte outside
// [A-Za-z0-9._~/-] is percent-encoded (':' included, so it can never carry a scheme).
std::string relative_link_target(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : name) {
    const auto b = static_cast<unsigned char>(c);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '~' || c == '/' || c == '-';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

std::string strong(std::string_view text) {
  const std::string escaped = escape_markdown_inline(text);
  return escaped.empty() ? std::string() : "**" + escaped + "**";
}

// One line of inlines. `in_table_cell`: code spans escape '|'. `bold`: text is strong (row
// headers).
std::string inlines(const Inlines& content, bool in_table_cell, bool bold = false) {
  // The last inline that writes something (a Swatch writes nothing in markdown).
  std::size_t end = content.size();
  while (end > 0 && std::holds_alternative<Swatch>(content[end - 1])) --end;
  std::string out;
  for (std::size_t i = 0; i < end; ++i) {
    const bool last = i + 1 == end;
    out += std::visit(Overloaded{
                          [&](const Text& t) {
                            return bold ? strong(t.text)
                                        : escape_markdown_piece(t.text, out.empty(), last);
                          },
                          [](const Strong& s) { return strong(s.text); },
                          [&](const Code& c) { return markdown_code_span(c.text, in_table_cell); },
                          [](const Link& l) {
                            const std::string text = escape_markdown_inline(l.text);
                            const auto url = safe_http_url(l.url);
                            if (!url || text.empty()) return text;
                            return "[" + text + "](" + *url + ")";
                          },
                          [](const Swatch&) { return std::string(); },
                      },
                      content[i]);
  }
  return out;
}

void table(std::string& out, const Table& t) {
  if (t.columns.empty()) return;
  out += '|';
  for (const Column& column : t.columns) out += " " + escape_markdown_inline(column.header) + " |";
  out += "\n|";
  for (const Column& column : t.columns) out += column.align == Align::center ? ":-:|" : "---|";
  out += '\n';
  for (const Row& row : t.rows) {
    out += '|';
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      std::string cell;
      if (c < row.cells.size()) {
        cell = inlines(row.cells[c].content, /*in_table_cell=*/true, row.cells[c].row_header);
      }
      out += " " + cell + " |";
    }
    out += '\n';
  }
  out += '\n';
}

void paragraph(std::string& out, const Inlines& content) {
  const std::string line = inlines(content, /*in_table_cell=*/false);
  if (!line.empty()) out += line + "\n\n";
}

void preformatted(std::string& out, const Preformatted& p) {
  // A fence longer than any run of backticks at the start of a line of the text.
  std::size_t longest = 0;
  std::size_t run = 0;
  bool line_start = true;
  for (const char c : p.text) {
    if (c == '`' && (line_start || run > 0)) {
      ++run;
      longest = std::max(longest, run);
    } else {
      run = 0;
    }
    line_start = c == '\n' || (line_start && c == ' ');
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  out += fence + "\n" + p.text;
  if (p.text.empty() || p.text.back() != '\n') out += '\n';
  out += fence + "\n\n";
}

void heading(std::string& out, const Heading& h) {
  const int level = std::clamp(h.level, 1, 6);
  out += std::string(static_cast<std::size_t>(level), '#') + " " + escape_markdown_inline(h.text) +
         "\n\n";
}

void blocks(std::string& out, const std::vector<Block>& list) {
  for (const Block& block : list) {
    std::visit(Overloaded{
                   [&](const Heading& h) { heading(out, h); },
                   [&](const Paragraph& p) { paragraph(out, p.content); },
                   [&](const Note& n) { paragraph(out, n.content); },
                   [&](const BulletList& l) {
                     if (l.items.empty()) return;
                     for (const Inlines& item : l.items)
                       out += "- " + inlines(item, /*in_table_cell=*/false) + "\n";
                     out += '\n';
                   },
                   [&](const Table& t) { table(out, t); },
                   [&](const Image& i) {
                     if (i.file_name.empty()) return;
                     out += "![" + escape_markdown_inline(i.alt) + "](" +
                            relative_link_target(i.file_name) + ")\n\n";
                   },
                   [&](const Preformatted& p) { preformatted(out, p); },
                   [&](const Collapsible& c) {
                     paragraph(out, {Strong{c.summary}});
                     blocks(out, c.blocks);
                   },
               },
               block.node);
  }
}

}  // namespace

std::string emit_markdown(const Document& document) {
  std::string out;
  out.reserve(8192);
  out += "# " + escape_markdown_inline(document.title) + "\n\n";
  paragraph(out, document.byline);
  for (const Section& section : document.sections) {
    heading(out, section.heading);
    blocks(out, section.blocks);
  }
  const std::string footer = inlines(document.footer, /*in_table_cell=*/false);
  if (!footer.empty()) out += "---\n\n" + footer + "\n";
  return out;
}

}  // namespace risksync
