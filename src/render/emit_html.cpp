// emit_html (render/emit.h): a doc::Document as one self-contained, printable HTML5 page.
//
// No script (the Content-Security-Policy forbids any), no external resource; the only URLs are
// the tree's links that safe_http_url accepts. Every text and attribute value goes through
// escape_html; only `HtmlResources` (the builder's stylesheet and SVG) is inserted as is.
#include <algorithm>
#include <string>
#include <variant>

#include "render/emit.h"
#include "render/escape.h"
#include "render/visit.h"

namespace risksync {
namespace {

using namespace doc;
using render_detail::Overloaded;

std::string h(std::string_view text) {
  return escape_html(text);
}

// ` class="…"` when `style` is not empty.
std::string class_attr(std::string_view style) {
  return style.empty() ? std::string() : " class=\"" + h(style) + "\"";
}

std::string inlines(const Inlines& content) {
  std::string out;
  for (const Inline& item : content) {
    out += std::visit(Overloaded{
                          [](const Text& t) { return h(t.text); },
                          [](const Strong& s) { return "<strong>" + h(s.text) + "</strong>"; },
                          [](const Code& c) { return "<code>" + h(c.text) + "</code>"; },
                          [](const Link& l) {
                            const auto url = safe_http_url(l.url);
                            if (!url) return h(l.text);
                            return "<a href=\"" + h(*url) + "\" rel=\"noopener noreferrer\">" +
                                   h(l.text) + "</a>";
                          },
                          [](const Swatch& s) {
                            return "<span class=\"swatch" +
                                   (s.style.empty() ? "" : " " + h(s.style)) + "\"></span>";
                          },
                      },
                      item);
  }
  return out;
}

void heading(std::string& out, const Heading& hd) {
  const std::string tag = "h" + std::to_string(std::clamp(hd.level, 1, 6));
  out += "<" + tag;
  if (!hd.id.empty()) out += " id=\"" + h(hd.id) + "\"";
  out += ">" + h(hd.text) + "</" + tag + ">\n";
}

void cell(std::string& out, const Cell& c) {
  std::string attrs = class_attr(c.style);
  if (!c.tooltip.empty()) attrs += " title=\"" + h(c.tooltip) + "\"";
  if (c.row_header) {
    out += "<th scope=\"row\"" + attrs + ">" + inlines(c.content) + "</th>";
  } else {
    out += "<td" + attrs + ">" + inlines(c.content) + "</td>";
  }
}

void table(std::string& out, const Table& t) {
  out += "<table" + class_attr(t.style) + ">\n<thead><tr>";
  for (const Column& column : t.columns) out += "<th scope=\"col\">" + h(column.header) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (const Row& row : t.rows) {
    out += "<tr" + class_attr(row.style) + ">";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      if (c < row.cells.size()) {
        cell(out, row.cells[c]);
      } else {
        out += "<td></td>";
      }
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void blocks(std::string& out, const std::vector<Block>& list, const HtmlResources& resources) {
  for (const Block& block : list) {
    std::visit(
        Overloaded{
            [&](const Heading& hd) { heading(out, hd); },
            [&](const Paragraph& p) { out += "<p>" + inlines(p.content) + "</p>\n"; },
            [&](const Note& n) { out += "<p class=\"note\">" + inlines(n.content) + "</p>\n"; },
            [&](const BulletList& l) {
              out += "<ul" + class_attr(l.style) + ">\n";
              for (const Inlines& item : l.items) out += "<li>" + inlines(item) + "</li>\n";
              out += "</ul>\n";
            },
            [&](const Table& t) { table(out, t); },
            [&](const Image& i) {
              const auto svg = resources.inline_svg.find(i.id);
              if (svg == resources.inline_svg.end()) return;
              out += "<figure" + class_attr(i.style) + ">\n" + svg->second + "</figure>\n";
            },
            [&](const Preformatted& p) {
              out += "<pre" + class_attr(p.style) + ">" + h(p.text) + "</pre>\n";
            },
            [&](const Collapsible& c) {
              out += "<details>\n<summary>" + h(c.summary) + "</summary>\n";
              blocks(out, c.blocks, resources);
              out += "</details>\n";
            },
        },
        block.node);
  }
}

}  // namespace

std::string emit_html(const Document& document, const HtmlResources& resources) {
  std::string out;
  out.reserve(32768);
  out += "<!DOCTYPE html>\n<html lang=\"" + h(document.lang) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Defence in depth: even if some text escaped the escaping, nothing could run or load.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<meta name=\"generator\" content=\"risksync\">\n";
  out += "<title>" + h(document.title) + "</title>\n";
  out += "<style>\n" + resources.stylesheet + "</style>\n</head>\n<body>\n";
  out += "<header>\n<h1>" + h(document.title) + "</h1>\n";
  if (!document.byline.empty()) out += "<p class=\"meta\">" + inlines(document.byline) + "</p>\n";
  out += "</header>\n<main>\n";
  for (const Section& section : document.sections) {
    out += "<section>\n";
    heading(out, section.heading);
    blocks(out, section.blocks, resources);
    out += "</section>\n";
  }
  out += "</main>\n";
  if (!document.footer.empty()) out += "<footer>" + inlines(document.footer) + "</footer>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace risksync
