// Emitters: one function per output format, each writing a whole doc::Document
// (render/document.h). They hold every rule of their format (syntax, escaping, link safety) and
// nothing of any page: what a page says is in its tree.
//
// Contract:
//  - Pure and deterministic: same tree (and resources), same bytes.
//  - Every text and url of the tree is treated as untrusted: text is escaped for the format
//    (render/escape.h) and a Link keeps its url only when safe_http_url accepts it, otherwise
//    its text is shown without a link. No tree can change the output's structure.
//  - Never throws on any tree; out-of-range values are clamped (heading level to 1..6) and a
//    table row is cut or padded to the number of columns.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "render/document.h"

namespace risksync {

// GitHub/GitLab-flavoured markdown. Title as "# ", sections as "## ", the footer after a
// thematic break; a Collapsible shows its summary as a bold paragraph, then its blocks (markdown
// has no folding); a Note is a paragraph; a row header cell is bold; an Image is "![alt](file)"
// with the file name percent-encoded as a relative link (nothing when it has no file name);
// styles, tooltips and swatches are dropped (the tree says nothing only there).
std::string emit_markdown(const doc::Document& document);

// What the HTML page embeds, supplied by the page's builder: trusted markup, not escaped.
struct HtmlResources {
  // Content of the page's <style> element (its class names are the tree's styles). Must not
  // contain "</style".
  std::string stylesheet;
  // Image id -> SVG markup inlined in a <figure> (no XML declaration, no xmlns).
  std::map<std::string, std::string, std::less<>> inline_svg;
};

// One self-contained, printable HTML5 page: <head> with a Content-Security-Policy that forbids
// every script and external resource, `resources.stylesheet` inline; <header> (title, byline),
// <main> with one <section> per Section, <footer>. Styles become class attributes (a Swatch is
// <span class="swatch STYLE">), tooltips title attributes, heading ids id attributes; column
// alignment is left to the stylesheet (cells carry their style). An Image whose id has no
// inline SVG is left out (the CSP would block loading it).
std::string emit_html(const doc::Document& document, const HtmlResources& resources);

// What the Confluence page needs beyond the tree, supplied by the page's builder.
struct ConfluenceCellColours {
  std::string background;  // "#rrggbb"
  std::string text;        // "#rrggbb"; empty: Confluence's default
};
struct ConfluenceResources {
  // Style name -> colours of a table cell (and of a Swatch: its background) with that style.
  // Only "#rrggbb" values are written; any other value is ignored.
  std::map<std::string, ConfluenceCellColours, std::less<>> colours;
  // Image id -> file name of a raster twin attached beside the page (the PNG of the maps),
  // shown with ac:image; absent: the Image is only linked for download.
  std::map<std::string, std::string, std::less<>> shown_images;
};

// Confluence storage format (XHTML, body.storage of a page): a well-formed fragment without a
// root element, no comment and no CDATA. Title as <h1>, byline as a paragraph, sections as
// <h2>, the footer after <hr/>; a Note is an "info" panel macro (ac:structured-macro); a
// Collapsible is shown unfolded (its summary as a bold paragraph), because on Confluence the
// tables are the primary map; a table cell whose style has colours carries them as
// data-highlight-colour (Cloud) and a background-color style (Data Center), its text in a
// coloured span; centred columns are text-align: center; a row header cell is <th>. An Image
// shows its raster twin (ac:image of ri:attachment) when resources name one, and links to its
// file (ac:link of ri:attachment) for download when it has a file name. Tooltips and heading
// ids are dropped (storage has no place for them: the tree says nothing only there).
std::string emit_confluence_storage(const doc::Document& document,
                                    const ConfluenceResources& resources);

}  // namespace risksync
