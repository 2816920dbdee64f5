// SVG to PNG: the raster twin of the risk map, for wikis that show SVG poorly or not at all
// (Confluence, API-NOTES-2026.md §7). Rendered with librsvg + cairo (Debian librsvg2-dev), the
// one place that includes them (tests/architecture).
//
// Contract:
//  - Pure function of its arguments: no file, no environment, no global state (one librsvg
//    handle per call; safe from several threads). Fonts come from the system's fontconfig,
//    so the bytes may differ from one machine to another (never from one call to the next).
//  - The image has the SVG's intrinsic size (its width/height attributes) times `scale`
//    (clamped to 0.1..4), at most 8192 pixels a side.
//  - Errors are values: bad_input when the SVG cannot be read or has no size, local_io when
//    cairo cannot allocate or encode the image. Never throws.
#pragma once

#include <string>
#include <string_view>

#include "util/result.h"

namespace risksync::raster {

Result<std::string> svg_to_png(std::string_view svg, double scale = 1.0);

}  // namespace risksync::raster
