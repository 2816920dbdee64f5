#include "app/dashboard.h"

#include "app/folder_wiki.h"

namespace risksync {

WikiPage build_dashboard(const Analysis& analysis, const Assessment& assessment,
                         const ZoneGrid& grid, PageContext ctx, const DashboardOptions& options) {
  const std::string stem = FolderWiki::file_stem(options.page_title);
  ctx.svg_file_name = stem + ".svg";
  WikiPage page;
  page.title = options.page_title;
  page.content = render_markdown_page(analysis, assessment, grid, ctx);
  page.attachments.push_back(
      {ctx.svg_file_name, render_svg_maps(assessment, grid, ctx.lang), "image/svg+xml"});
  if (options.with_html) {
    page.attachments.push_back(
        {stem + ".html", render_html_page(analysis, assessment, grid, ctx), "text/html"});
  }
  page.commit_message = "risksync: " + options.page_title + " (" + ctx.generated_at + ")";
  return page;
}

}  // namespace risksync
