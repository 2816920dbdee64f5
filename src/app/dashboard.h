// Builds the dashboard page to publish (markdown or Confluence storage + SVG map, and the
// printable HTML page for folder targets) from the computed model.
//
// Contract: pure; the date comes in through PageContext.
#pragma once

#include "model/analysis.h"
#include "model/assessment.h"
#include "render/page.h"
#include "sync/wiki.h"

namespace risksync {

struct DashboardOptions {
  std::string page_title = "Cartographie des risques";
  bool with_html = false;  // add the self-contained HTML page as an attachment
  // The wiki's page format (Wiki::page_format): markdown, or Confluence storage XHTML (the
  // maps as coloured tables, the SVG attached for download).
  PageFormat format = PageFormat::markdown;
};

WikiPage build_dashboard(const Analysis& analysis, const Assessment& assessment,
                         const ZoneGrid& grid, PageContext ctx, const DashboardOptions& options);

}  // namespace risksync
