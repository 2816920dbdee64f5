// Helpers shared by the page renderers (internal to src/render/; not a public contract).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.h"
#include "model/assessment.h"
#include "model/zones.h"
#include "render/page.h"

namespace risksync::render_detail {

// Lengths (code points) of shortened texts in tables.
inline constexpr std::size_t kStoryTextChars = 90;
inline constexpr std::size_t kMeasureTextChars = 80;

inline constexpr std::array<MapKind, 3> kMapKinds{MapKind::initial, MapKind::residual,
                                                  MapKind::target};
// Zones from the worst to the most acceptable (legend order).
inline constexpr std::array<Zone, 4> kZonesWorstFirst{Zone::unacceptable, Zone::important,
                                                      Zone::watch, Zone::acceptable};

// "4 – Critique", "2 – Probable" (trusted text, from model/scales.h).
std::string gravity_label(Gravity g, Lang lang);
std::string likelihood_label(Likelihood l, Lang lang);

// The likelihood the team wrote as residual: Vraisemblance résiduelle if written, else actuelle.
Likelihood written_likelihood(const AbuserStory& story);

// Zone of an assessed story on the residual map, read from `grid` so that tables and maps
// of one page always agree.
Zone residual_zone(const StoryAssessment& story, const ZoneGrid& grid);

struct PageSummary {
  std::vector<std::string> blocking_ids;  // residual zone is blocking in `grid`
  std::vector<std::string> review_ids;    // needs_review
  int measures_done = 0;
  int measures_total = 0;
  int measures_dropped = 0;
};
PageSummary summarize(const Analysis& analysis, const Assessment& assessment, const ZoneGrid& grid);

// ctx.item_urls[key] when present and an http(s) URL (see safe_http_url); nullopt otherwise.
std::optional<std::string> item_url(const PageContext& ctx, std::string_view key);

// Joins already-formatted items.
std::string join(const std::vector<std::string>& items, std::string_view separator);

// The SVG of the three maps. `standalone`: with the XML declaration and xmlns (a file of its
// own); otherwise ready to be inlined in an HTML5 page.
std::string svg_maps(const Assessment& assessment, const ZoneGrid& grid, Lang lang,
                     bool standalone);

}  // namespace risksync::render_detail
