#include "render/gfm.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>

namespace risksync::test {
namespace {

std::string type_of(cmark_node* node) {
  const char* t = cmark_node_get_type_string(node);
  return t ? t : "";
}

std::string plain_text(cmark_node* node) {
  std::string out;
  for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
    const std::string t = type_of(child);
    if (t == "text" || t == "code" || t == "html_inline") {
      const char* lit = cmark_node_get_literal(child);
      out += lit ? lit : "";
    } else if (t == "softbreak") {
      out += ' ';
    } else if (t == "linebreak") {
      out += '\n';
    } else {
      out += plain_text(child);
    }
  }
  return out;
}

void collect_types(cmark_node* node, std::vector<std::string>& out) {
  for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
    out.push_back(type_of(child));
    collect_types(child, out);
  }
}

}  // namespace

GfmDocument parse_gfm(std::string_view markdown, bool autolink) {
  cmark_gfm_core_extensions_ensure_registered();
  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(
      cmark_parser_new(CMARK_OPT_DEFAULT), &cmark_parser_free);
  for (const char* name : {"table", "strikethrough", "tasklist", "autolink"}) {
    if (!autolink && std::string_view(name) == "autolink") continue;
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name))
      cmark_parser_attach_syntax_extension(parser.get(), ext);
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> doc(cmark_parser_finish(parser.get()),
                                                              &cmark_node_free);
  GfmDocument out;
  out.node_types.push_back(type_of(doc.get()));
  collect_types(doc.get(), out.node_types);

  cmark_iter* iter = cmark_iter_new(doc.get());
  cmark_event_type ev;
  while ((ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter);
    const std::string t = type_of(node);
    if (t == "heading") {
      out.headings.push_back(plain_text(node));
    } else if (t == "link" || t == "image") {
      const char* url = cmark_node_get_url(node);
      out.urls.push_back(url ? url : "");
    } else if (t == "table") {
      GfmTable table;
      for (cmark_node* row = cmark_node_first_child(node); row; row = cmark_node_next(row)) {
        std::vector<GfmCell> cells;
        for (cmark_node* cell = cmark_node_first_child(row); cell; cell = cmark_node_next(cell)) {
          GfmCell c;
          c.text = plain_text(cell);
          collect_types(cell, c.inline_types);
          cells.push_back(std::move(c));
        }
        table.rows.push_back(std::move(cells));
      }
      out.tables.push_back(std::move(table));
    }
  }
  cmark_iter_free(iter);

  char* html = cmark_render_html(doc.get(), CMARK_OPT_UNSAFE,
                                 cmark_parser_get_syntax_extensions(parser.get()));
  out.html = html ? html : "";
  std::free(html);
  return out;
}

}  // namespace risksync::test
