// render_svg_maps (render/page.h): the three risk maps side by side as one SVG image.
//
// Fixed layout in integer user units (deterministic bytes): for each map a title, a subtitle,
// the "Gravité" axis (rows 4 → 1, top to bottom) and the "Vraisemblance" axis (columns 1 → 4),
// 4×4 cells filled with zone_color and the story ids of the cell; a legend of the zones below.
// No script, no external resource, no style sheet: presentation attributes only, every text
// through escape_html.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "render/escape.h"
#include "render/i18n.h"
#include "render/page.h"
#include "render/page_common.h"

namespace risksync {
namespace {

using namespace render_detail;

constexpr int kMargin = 20;
constexpr int kAxisWidth = 24;    // rotated "Gravité"
constexpr int kLabelWidth = 116;  // "2 – Significative"
constexpr int kCellWidth = 110;
constexpr int kCellHeight = 66;
constexpr int kGridWidth = 4 * kCellWidth;
constexpr int kGridHeight = 4 * kCellHeight;
constexpr int kPanelWidth = kAxisWidth + kLabelWidth + kGridWidth;
constexpr int kPanelGap = 40;
constexpr int kWidth = 2 * kMargin + 3 * kPanelWidth + 2 * kPanelGap;
constexpr int kTitleY = 34;
constexpr int kMapTitleY = 74;
constexpr int kMapSubtitleY = 94;
constexpr int kGridTop = 108;
constexpr int kGridBottom = kGridTop + kGridHeight;
constexpr int kLegendTop = kGridBottom + 88;
constexpr int kLegendRowHeight = 24;
constexpr int kLegendColumnWidth = kWidth / 2;
constexpr int kHeight = kLegendTop + 2 * kLegendRowHeight;

// Story ids in a cell: up to 3 per line and 3 lines; beyond 9 ids, 8 and "+N".
constexpr std::size_t kIdsPerLine = 3;
constexpr std::size_t kMaxLines = 3;
constexpr int kMaxIdFontSize = 14;
constexpr int kMinIdFontSize = 8;

constexpr std::string_view kFontFamily =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

std::string num(int v) {
  return std::to_string(v);
}

std::string h(std::string_view untrusted) {
  return escape_html(untrusted);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

// Black or white, whichever reads better on `background` ("#rrggbb"; YIQ brightness).
std::string_view text_color_on(std::string_view background) {
  if (background.size() != 7 || background[0] != '#') return "#000000";
  auto channel = [&](std::size_t at) {
    return hex_digit(background[at]) * 16 + hex_digit(background[at + 1]);
  };
  const int brightness = (channel(1) * 299 + channel(3) * 587 + channel(5) * 114) / 1000;
  return brightness >= 128 ? "#000000" : "#ffffff";
}

std::vector<std::string> id_lines(const std::vector<std::string>& ids) {
  std::vector<std::string> items;
  const std::size_t capacity = kIdsPerLine * kMaxLines;
  if (ids.size() <= capacity) {
    items = ids;
  } else {
    items.assign(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(capacity - 1));
    items.push_back("+" + std::to_string(ids.size() - (capacity - 1)));
  }
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < items.size(); i += kIdsPerLine) {
    std::string line;
    for (std::size_t k = i; k < items.size() && k < i + kIdsPerLine; ++k) {
      if (k > i) line += ", ";
      line += items[k];
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// Estimated: a character is about 0.6 em wide; keep 5 units of padding on each side.
int id_font_size(const std::vector<std::string>& lines) {
  std::size_t longest = 1;
  for (const auto& line : lines) longest = std::max(longest, line.size());
  const int fit = static_cast<int>((kCellWidth - 10) * 10 / (6 * static_cast<int>(longest)));
  return std::clamp(fit, kMinIdFontSize, kMaxIdFontSize);
}

void text(std::string& out, int x, int y, std::string_view attrs, std::string_view escaped) {
  out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"";
  if (!attrs.empty()) {
    out += ' ';
    out += attrs;
  }
  out += '>';
  out += escaped;
  out += "</text>\n";
}

void render_panel(std::string& out, const RiskMap& map, int panel_x, int id_size, Lang lang) {
  const int grid_x = panel_x + kAxisWidth + kLabelWidth;
  const int center_x = grid_x + kGridWidth / 2;
  out += "<g class=\"map map-" +
         std::string(map.kind == MapKind::initial    ? "initial"
                     : map.kind == MapKind::residual ? "residual"
                                                     : "target") +
         "\">\n";
  text(out, center_x, kMapTitleY, "text-anchor=\"middle\" font-size=\"16\" font-weight=\"700\"",
       h(map_title(map.kind, lang)));
  text(out, center_x, kMapSubtitleY, "text-anchor=\"middle\" font-size=\"12\" fill=\"#555555\"",
       h(map_short(map.kind, lang)));

  // Axis titles.
  const int axis_x = panel_x + 14;
  const int axis_y = kGridTop + kGridHeight / 2;
  text(out, axis_x, axis_y,
       "text-anchor=\"middle\" font-size=\"13\" font-weight=\"700\" transform=\"rotate(-90 " +
           num(axis_x) + " " + num(axis_y) + ")\"",
       h(tr(Text::axis_gravity, lang)) + " →");
  text(out, center_x, kGridBottom + 56,
       "text-anchor=\"middle\" font-size=\"13\" font-weight=\"700\"",
       h(tr(Text::axis_likelihood, lang)) + " →");

  for (int row = 0; row < 4; ++row) {
    const auto gravity = static_cast<Gravity>(kMaxLevel - row);
    const int y = kGridTop + row * kCellHeight;
    text(out, grid_x - 8, y + kCellHeight / 2 + 4, "text-anchor=\"end\" font-size=\"12\"",
         h(gravity_label(gravity, lang)));
    for (int col = 0; col < 4; ++col) {
      const auto likelihood = static_cast<Likelihood>(col + 1);
      const int x = grid_x + col * kCellWidth;
      const RiskMapCell& cell = map.at(gravity, likelihood);
      const std::string_view fill_color = zone_color(cell.zone);
      std::string tooltip = std::string(gravity_name(gravity, lang)) + " × " +
                            std::string(likelihood_name(likelihood, lang)) +
                            std::string(tr(Text::colon, lang)) +
                            std::string(zone_name(cell.zone, lang));
      if (!cell.story_ids.empty()) tooltip += " — " + join(cell.story_ids, ", ");
      out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(kCellWidth) +
             "\" height=\"" + num(kCellHeight) + "\" fill=\"" + std::string(fill_color) +
             "\" stroke=\"#ffffff\" stroke-width=\"2\"><title>" + h(tooltip) + "</title></rect>\n";
      if (cell.story_ids.empty()) continue;
      const std::vector<std::string> lines = id_lines(cell.story_ids);
      const int size = id_size;
      const int line_height = size + 4;
      const int block = static_cast<int>(lines.size()) * line_height - 4;
      int baseline = y + (kCellHeight - block) / 2 + size * 4 / 5;
      const std::string attrs = "text-anchor=\"middle\" font-size=\"" + num(size) +
                                "\" font-weight=\"700\" fill=\"" +
                                std::string(text_color_on(fill_color)) + "\"";
      for (const auto& line : lines) {
        text(out, x + kCellWidth / 2, baseline, attrs, h(line));
        baseline += line_height;
      }
    }
  }
  for (int col = 0; col < 4; ++col) {
    const auto likelihood = static_cast<Likelihood>(col + 1);
    const int x = grid_x + col * kCellWidth + kCellWidth / 2;
    text(out, x, kGridBottom + 18, "text-anchor=\"middle\" font-size=\"12\" font-weight=\"700\"",
         num(col + 1));
    text(out, x, kGridBottom + 33, "text-anchor=\"middle\" font-size=\"11\"",
         h(likelihood_name(likelihood, lang)));
  }
  out += "</g>\n";
}

void render_legend(std::string& out, const ZoneGrid& grid, Lang lang) {
  out += "<g class=\"legend\">\n";
  for (std::size_t k = 0; k < kZonesWorstFirst.size(); ++k) {
    const Zone zone = kZonesWorstFirst[k];
    const int x = kMargin + static_cast<int>(k % 2) * kLegendColumnWidth;
    const int y = kLegendTop + static_cast<int>(k / 2) * kLegendRowHeight;
    out += "<rect x=\"" + num(x) + "\" y=\"" + num(y - 13) +
           "\" width=\"16\" height=\"16\" fill=\"" + std::string(zone_color(zone)) +
           "\" stroke=\"#999999\" stroke-width=\"1\"/>\n";
    std::string label = "<tspan font-weight=\"700\">" + h(zone_name(zone, lang)) + "</tspan>" +
                        h(tr(Text::colon, lang)) + h(zone_meaning(zone, lang));
    if (grid.blocking().contains(zone)) label += " — " + h(tr(Text::blocking_zone, lang));
    text(out, x + 24, y, "font-size=\"13\"", label);
  }
  out += "</g>\n";
}

}  // namespace

namespace render_detail {

std::string svg_maps(const Assessment& assessment, const ZoneGrid& grid, Lang lang,
                     bool standalone) {
  std::string out;
  out.reserve(16384);
  if (standalone) out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<svg";
  if (standalone) out += " xmlns=\"http://www.w3.org/2000/svg\"";
  out += " width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) + "\" viewBox=\"0 0 " +
         num(kWidth) + " " + num(kHeight) + "\" role=\"img\" font-family=\"" +
         std::string(kFontFamily) + "\">\n";
  out += "<title>" + h(tr(Text::svg_alt, lang)) + "</title>\n";
  // Opaque background: readable in dark themes too.
  out += "<rect x=\"0\" y=\"0\" width=\"" + num(kWidth) + "\" height=\"" + num(kHeight) +
         "\" fill=\"#ffffff\"/>\n";
  text(out, kMargin, kTitleY, "font-size=\"20\" font-weight=\"700\"",
       h(tr(Text::page_title, lang)));
  std::vector<RiskMap> maps;
  for (const MapKind kind : kMapKinds) maps.push_back(build_risk_map(assessment, kind, grid));
  // One size for every id of the image: the largest that fits the most crowded cell.
  int id_size = kMaxIdFontSize;
  for (const RiskMap& map : maps)
    for (const auto& row : map.cells)
      for (const RiskMapCell& cell : row)
        if (!cell.story_ids.empty())
          id_size = std::min(id_size, id_font_size(id_lines(cell.story_ids)));
  for (std::size_t i = 0; i < maps.size(); ++i)
    render_panel(out, maps[i], kMargin + static_cast<int>(i) * (kPanelWidth + kPanelGap), id_size,
                 lang);
  render_legend(out, grid, lang);
  out += "</svg>\n";
  return out;
}

}  // namespace render_detail

std::string render_svg_maps(const Assessment& assessment, const ZoneGrid& grid, Lang lang) {
  return render_detail::svg_maps(assessment, grid, lang, /*standalone=*/true);
}

}  // namespace risksync
