// emit_confluence_storage (render/emit.h): a doc::Document as Confluence storage format.
//
// Storage format is XHTML plus Confluence's `ac:` (macros, images, links) and `ri:` (resource
// identifiers: attachments) elements. Every text and attribute value goes through escape_html;
// colours are written only when they are "#rrggbb"; links only when safe_http_url accepts them.
// No HTML comment (Confluence does not keep them) and no CDATA section (a text containing
// "]]>" would end it).
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

std::string x(std::string_view text) {
  return escape_html(text);
}

bool is_hex_colour(std::string_view c) {
  if (c.size() != 7 || c[0] != '#') return false;
  for (std::size_t i = 1; i < c.size(); ++i) {
    const char d = c[i];
    if (!((d >= '0' && d <= '9') || (d >= 'a' && d <= 'f') || (d >= 'A' && d <= 'F'))) return false;
  }
  return true;
}

class Writer {
 public:
  explicit Writer(const ConfluenceResources& resources) : resources_(resources) {}

  std::string inlines(const Inlines& content) const {
    std::string out;
    for (const Inline& item : content) {
      out += std::visit(Overloaded{
                            [](const Text& t) { return x(t.text); },
                            [](const Strong& s) { return "<strong>" + x(s.text) + "</strong>"; },
                            [](const Code& c) { return "<code>" + x(c.text) + "</code>"; },
                            [](const Link& l) {
                              const auto url = safe_http_url(l.url);
                              if (!url) return x(l.text);
                              return "<a href=\"" + x(*url) + "\">" + x(l.text) + "</a>";
                            },
                            [this](const Swatch& s) {
                              const ConfluenceCellColours* c = colours(s.style);
                              if (c == nullptr || !is_hex_colour(c->background))
                                return std::string();
                              return "<span style=\"color: " + c->background + ";\">■</span> ";
                            },
                        },
                        item);
    }
    return out;
  }

  void blocks(std::string& out, const std::vector<Block>& list) const {
    for (const Block& block : list) {
      std::visit(Overloaded{
                     [&](const Heading& hd) { heading(out, hd); },
                     [&](const Paragraph& p) { out += "<p>" + inlines(p.content) + "</p>\n"; },
                     [&](const Note& n) {
                       out +=
                           "<ac:structured-macro ac:name=\"info\" ac:schema-version=\"1\">"
                           "<ac:rich-text-body><p>" +
                           inlines(n.content) + "</p></ac:rich-text-body></ac:structured-macro>\n";
                     },
                     [&](const BulletList& l) {
                       out += "<ul>\n";
                       for (const Inlines& item : l.items)
                         out += "<li>" + inlines(item) + "</li>\n";
                       out += "</ul>\n";
                     },
                     [&](const Table& t) { table(out, t); },
                     [&](const Image& i) { image(out, i); },
                     [&](const Preformatted& p) { out += "<pre>" + x(p.text) + "</pre>\n"; },
                     [&](const Collapsible& c) {
                       out += "<p><strong>" + x(c.summary) + "</strong></p>\n";
                       blocks(out, c.blocks);
                     },
                 },
                 block.node);
    }
  }

  static void heading(std::string& out, const Heading& hd) {
    const std::string tag = "h" + std::to_string(std::clamp(hd.level, 1, 6));
    out += "<" + tag + ">" + x(hd.text) + "</" + tag + ">\n";
  }

 private:
  const ConfluenceCellColours* colours(std::string_view style) const {
    if (style.empty()) return nullptr;
    const auto it = resources_.colours.find(style);
    return it == resources_.colours.end() ? nullptr : &it->second;
  }

  void cell(std::string& out, const Cell& c, Align align) const {
    const std::string tag = c.row_header ? "th" : "td";
    std::string attrs;
    std::string style;
    std::string content = inlines(c.content);
    if (const ConfluenceCellColours* colour = colours(c.style)) {
      if (is_hex_colour(colour->background)) {
        attrs += " data-highlight-colour=\"" + colour->background + "\"";
        style += "background-color: " + colour->background + ";";
      }
      if (is_hex_colour(colour->text) && !content.empty())
        content = "<span style=\"color: " + colour->text + ";\">" + content + "</span>";
    }
    if (align == Align::center)
      style += std::string(style.empty() ? "" : " ") + "text-align: center;";
    if (!style.empty()) attrs += " style=\"" + style + "\"";
    out += "<" + tag + attrs + ">" + content + "</" + tag + ">";
  }

  void table(std::string& out, const Table& t) const {
    out += "<table>\n<tbody>\n<tr>";
    for (const Column& column : t.columns) out += "<th>" + x(column.header) + "</th>";
    out += "</tr>\n";
    for (const Row& row : t.rows) {
      out += "<tr>";
      for (std::size_t c = 0; c < t.columns.size(); ++c) {
        if (c < row.cells.size()) {
          cell(out, row.cells[c], t.columns[c].align);
        } else {
          out += "<td></td>";
        }
      }
      out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n";
  }

  void image(std::string& out, const Image& i) const {
    const auto shown = resources_.shown_images.find(i.id);
    if (shown != resources_.shown_images.end() && !shown->second.empty()) {
      out += "<p><ac:image ac:alt=\"" + x(i.alt) + "\" ac:title=\"" + x(i.alt) +
             "\"><ri:attachment ri:filename=\"" + x(shown->second) + "\"/></ac:image></p>\n";
    }
    if (!i.file_name.empty()) {
      out += "<p><ac:link><ri:attachment ri:filename=\"" + x(i.file_name) + "\"/><ac:link-body>" +
             x(i.file_name) + "</ac:link-body></ac:link></p>\n";
    }
  }

  const ConfluenceResources& resources_;
};

}  // namespace

std::string emit_confluence_storage(const Document& document,
                                    const ConfluenceResources& resources) {
  const Writer w(resources);
  std::string out;
  out.reserve(32768);
  Writer::heading(out, Heading{1, "", document.title});
  if (!document.byline.empty()) out += "<p><em>" + w.inlines(document.byline) + "</em></p>\n";
  for (const Section& section : document.sections) {
    Writer::heading(out, section.heading);
    w.blocks(out, section.blocks);
  }
  if (!document.footer.empty())
    out += "<hr/>\n<p><em>" + w.inlines(document.footer) + "</em></p>\n";
  return out;
}

}  // namespace risksync
