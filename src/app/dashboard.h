// Builds the dashboard page to publish (markdown + SVG map, and the printable HTML page for
// folder targets) from the computed model.
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
};

WikiPage build_dashboard(const Analysis& analysis, const Assessment& assessment,
                         const ZoneGrid& grid, PageContext ctx, const DashboardOptions& options);

}  // namespace risksync
