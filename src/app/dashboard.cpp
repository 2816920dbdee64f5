#include "app/dashboard.h"

#include <utility>

#include "app/folder_wiki.h"

namespace risksync {

WikiPage build_dashboard(const Analysis& analysis, const Assessment& assessment,
                         const ZoneGrid& grid, PageContext ctx, const DashboardOptions& options) {
  const std::string stem = FolderWiki::file_stem(options.page_title);
  ctx.svg_file_name = stem + ".svg";
  WikiPage page;
  page.title = options.page_title;
  if (options.format == PageFormat::confluence_storage) {
    page.content = render_confluence_page(analysis, assessment, grid, ctx);
    page.attachments.push_back(
        {ctx.svg_file_name, render_svg_maps(assessment, grid, ctx.lang), "image/svg+xml"});
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
