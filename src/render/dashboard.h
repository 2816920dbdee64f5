// The dashboard page as a document tree (render/document.h): the one description of the page
// that every format is written from (render/page.h: build, then emit).
//
// Contract:
//  - Pure function of its arguments (the date comes in ctx, never from the clock).
//  - Texts in the tree are plain: the document's and the tracker's words as they are, item
//    urls as given in ctx.item_urls (the emitters keep only http(s) ones).
//  - Sections, in order and with these heading ids: "summary", "legend", "maps" (the SVG image
//    with id kMapsImageId, a note per map, then the maps as tables in a Collapsible, headed
//    "map-initial", "map-residual", "map-target"), "stories", "measures", "in-place" (only
//    when some story has a measure in place), "rule".
//  - Style names are those of dashboard_stylesheet().
#pragma once

#include <string>
#include <string_view>

#include "model/analysis.h"
#include "model/assessment.h"
#include "model/zones.h"
#include "render/document.h"
#include "render/page.h"

namespace risksync {

// Id of the Image of the three maps (HtmlResources::inline_svg key).
inline constexpr std::string_view kMapsImageId = "risk-maps";

doc::Document build_dashboard_document(const Analysis& analysis, const Assessment& assessment,
                                       const ZoneGrid& grid, const PageContext& ctx);

// The CSS of the HTML page: the tree's style names (zones, "note", "num", …) and print rules.
std::string dashboard_stylesheet();

}  // namespace risksync
