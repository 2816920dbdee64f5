// Dashboard pages: the risk maps, the table of abuser stories, the table of measures, the
// residual rule, the date and the source file. Each page is one document tree
// (build_dashboard_document, render/dashboard.h) written by the emitter of its format
// (render/emit.h), so the markdown and the HTML page always say the same things.
//
// Contract:
//  - Pure functions of their arguments (the date is passed in, never read from the clock).
//  - Every text coming from the document or a tracker is escaped for the output format
//    (render/escape.h): no input can change the page's structure.
//  - Output is deterministic: same arguments, same bytes (golden-file tested).
//  - French by default (the method's words), English with Lang::en.
#pragma once

#include <map>
#include <string>

#include "model/analysis.h"
#include "model/assessment.h"
#include "model/zones.h"

namespace risksync {

struct PageContext {
  Lang lang = Lang::fr;
  std::string generated_at;  // e.g. "2026-11-23 14:05 UTC", supplied by app/
  std::string source_file;   // path shown on the page
  // Where the statuses came from and when, said under the title (default: the checkboxes).
  StatusSource status_source;
  // Optional: measure key or story id -> URL of its tracker issue (links on the page).
  std::map<std::string, std::string, std::less<>> item_urls;
  // Optional: file name of the SVG map published beside the page ("cartographie.svg").
  std::string svg_file_name;
  // Optional: file name of the PNG twin of the SVG map published beside the page
  // ("cartographie.png"), shown as the map's image by the Confluence page.
  std::string png_file_name;
};

// GitHub/GitLab-flavoured markdown page (wiki page, folder output).
std::string render_markdown_page(const Analysis& analysis, const Assessment& assessment,
                                 const ZoneGrid& grid, const PageContext& ctx);

// One self-contained HTML page (inline CSS and SVG, no external resource), printable.
std::string render_html_page(const Analysis& analysis, const Assessment& assessment,
                             const ZoneGrid& grid, const PageContext& ctx);

// Confluence storage-format page (render/emit.h emit_confluence_storage): the three maps as
// tables whose cells carry their zone's colour (the primary map on Confluence), the PNG twin
// (ctx.png_file_name) shown as an image, the SVG (ctx.svg_file_name) linked for download.
std::string render_confluence_page(const Analysis& analysis, const Assessment& assessment,
                                   const ZoneGrid& grid, const PageContext& ctx);

// Both pages from ONE document tree, built once: `markdown` is what render_markdown_page gives
// and `html` (empty unless `with_html`) what render_html_page gives, byte for byte.
struct DashboardPages {
  std::string markdown;
  std::string html;
};
DashboardPages render_dashboard_pages(const Analysis& analysis, const Assessment& assessment,
                                      const ZoneGrid& grid, const PageContext& ctx, bool with_html);

// The risk map as a standalone SVG image: the three maps (initial, residual, target) side by
// side, each a 4×4 grid coloured by zone with the story ids in their cells.
std::string render_svg_maps(const Assessment& assessment, const ZoneGrid& grid, Lang lang);

}  // namespace risksync
