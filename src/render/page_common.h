// Helpers shared by the dashboard builder and the SVG map (internal to src/render/; not a
// public contract).
#pragma once

#include <array>
#include <cstddef>
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

// Joins items with `separator`.
std::string join(const std::vector<std::string>& items, std::string_view separator);

// The SVG of the three maps. `standalone`: with the XML declaration and xmlns (a file of its
// own); otherwise ready to be inlined in an HTML5 page.
std::string svg_maps(const Assessment& assessment, const ZoneGrid& grid, Lang lang,
                     bool standalone);

}  // namespace risksync::render_detail
