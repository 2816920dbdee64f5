#include "app/dashboard.h"

#include <utility>

#include "app/folder_wiki.h"

#include <spdlog/spdlog.h>

#include "raster/svg_png.h"

namespace risksync {

WikiPage build_dashboard(const Analysis& analysis, const Assessment& assessment,
                         const ZoneGrid& grid, PageContext ctx, const DashboardOptions& options) {
  const std::string stem = FolderWiki::file_stem(options.page_title);
  ctx.svg_file_name = stem + ".svg";
  WikiPage page;
  page.title = options.page_title;
  if (options.format == PageFormat::confluence_storage) {
    // Confluence shows SVG poorly or not at all: the PNG twin is the image, the SVG a download
    // (API-NOTES-2026.md §7). A map that cannot be rasterised leaves the tables, with a warning.
    std::string svg = render_svg_maps(assessment, grid, ctx.lang);
    auto png = raster::svg_to_png(svg);
    if (png) {
      ctx.png_file_name = stem + ".png";
    } else {
      spdlog::warn("no PNG map on the page: {}", png.error().message);
    }
    page.content = render_confluence_page(analysis, assessment, grid, ctx);
    page.attachments.push_back({ctx.svg_file_name, std::move(svg), "image/svg+xml"});
    if (png) page.attachments.push_back({ctx.png_file_name, std::move(*png), "image/png", true});
    page.commit_message = "risksync: " + options.page_title + " (" + ctx.generated_at + ")";
    return page;
  }
  // One document tree for the markdown and the HTML page (built once, not once per format).
  DashboardPages pages = render_dashboard_pages(analysis, assessment, grid, ctx, options.with_html);
  page.content = std::move(pages.markdown);
  page.attachments.push_back(
      {ctx.svg_file_name, render_svg_maps(assessment, grid, ctx.lang), "image/svg+xml"});
  if (options.with_html) {
    page.attachments.push_back({stem + ".html", std::move(pages.html), "text/html"});
  }
  page.commit_message = "risksync: " + options.page_title + " (" + ctx.generated_at + ")";
  return page;
}

}  // namespace risksync
