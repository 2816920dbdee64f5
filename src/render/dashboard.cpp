// build_dashboard_document (render/dashboard.h) and the page functions of render/page.h:
// each format is the one tree, written by its emitter (render/emit.h).
//
// Layout: title, byline, summary, legend, the maps (image, a note per map, the maps as 4×4
// tables), the abuser stories, the possible measures, the measures in place, the residual rule,
// a footer. Strings from render/i18n.h and the model go into the tree as plain text.
#include "render/dashboard.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/emit.h"
#include "render/escape.h"
#include "render/i18n.h"
#include "render/page_common.h"

namespace risksync {
namespace {

using namespace render_detail;
using doc::Align;
using doc::Block;
using doc::Cell;
using doc::Inlines;

std::string zone_style(Zone z) {
  return "z-" + std::string(to_string(z));
}

// The likelihood the team wrote as residual: Vraisemblance résiduelle if written, else actuelle.
Likelihood written_likelihood(const AbuserStory& story) {
  return story.written_residual.value_or(story.current_likelihood);
}

// Zone of an assessed story on the residual map, read from `grid` so that tables and maps of
// one page always agree.
Zone residual_zone(const StoryAssessment& story, const ZoneGrid& grid) {
  return grid.at(story.gravity, story.residual);
}

Cell text_cell(std::string text, std::string style = {}) {
  Cell cell;
  if (!text.empty()) cell.content.push_back(doc::Text{std::move(text)});
  cell.style = std::move(style);
  return cell;
}

// `text` shortened to `max_chars`, the whole text as the tooltip when cut.
Cell shortened_cell(std::string_view text, std::size_t max_chars) {
  std::string shown = shorten_text(text, max_chars);
  const bool cut = shown.size() != text.size();
  Cell cell = text_cell(std::move(shown));
  if (cut) cell.tooltip = std::string(text);
  return cell;
}

// The key of a story or measure, linked to its tracker item when ctx knows it.
Cell item_cell(const std::string& key, const PageContext& ctx) {
  const auto it = ctx.item_urls.find(key);
  if (it == ctx.item_urls.end()) return text_cell(key);
  Cell cell;
  cell.content.push_back(doc::Link{key, it->second});
  return cell;
}

// `pattern` with its "{}" as a code span showing `code`.
Inlines with_code(std::string_view pattern, std::string code) {
  Inlines out;
  const std::size_t at = pattern.find("{}");
  if (at == std::string_view::npos) return {doc::Text{std::string(pattern)}};
  if (at > 0) out.push_back(doc::Text{std::string(pattern.substr(0, at))});
  out.push_back(doc::Code{std::move(code)});
  if (at + 2 < pattern.size()) out.push_back(doc::Text{std::string(pattern.substr(at + 2))});
  return out;
}

doc::Section section(std::string id, std::string_view title) {
  return {doc::Heading{2, std::move(id), std::string(title)}, {}};
}

doc::Section summary_section(const Analysis& analysis, const Assessment& assessment,
                             const ZoneGrid& grid, Lang lang) {
  std::vector<std::string> blocking;
  std::vector<std::string> review;
  for (const auto& s : assessment.stories) {
    if (grid.blocking().contains(residual_zone(s, grid))) blocking.push_back(s.id);
    if (s.needs_review) review.push_back(s.id);
  }
  int done = 0;
  int dropped = 0;
  for (const auto& m : analysis.measures) {
    const MeasureStatus st = assessment.status_of(m.key);
    if (st == MeasureStatus::done) ++done;
    if (st == MeasureStatus::dropped) ++dropped;
  }
  const int total = static_cast<int>(analysis.measures.size());

  const std::string blocking_text =
      blocking.empty() ? std::string(tr(Text::none_risk, lang)) : "⚠️ " + join(blocking, ", ");
  const std::string review_text =
      review.empty() ? std::string(tr(Text::none_story, lang)) : "⚠️ " + join(review, ", ");
  std::string measures_text =
      fill(tr(Text::summary_measures, lang), {std::to_string(done), std::to_string(total)});
  if (dropped > 0)
    measures_text += fill(tr(Text::summary_dropped, lang), {std::to_string(dropped)});

  doc::BulletList list;
  list.items.push_back({doc::Text{fill(tr(Text::summary_blocking, lang), {blocking_text})}});
  list.items.push_back({doc::Text{fill(tr(Text::summary_review, lang), {review_text})}});
  list.items.push_back({doc::Text{std::move(measures_text)}});
  doc::Section out = section("summary", tr(Text::summary, lang));
  out.blocks.push_back({std::move(list)});
  return out;
}

doc::Section legend_section(const ZoneGrid& grid, Lang lang) {
  doc::BulletList list;
  list.style = "legend";
  for (const Zone z : kZonesWorstFirst) {
    std::string meaning = std::string(tr(Text::colon, lang)) + std::string(zone_meaning(z, lang));
    if (grid.blocking().contains(z)) meaning += " — " + std::string(tr(Text::blocking_zone, lang));
    list.items.push_back({doc::Swatch{zone_style(z)}, doc::Text{std::string(zone_emoji(z)) + " "},
                          doc::Strong{std::string(zone_name(z, lang))},
                          doc::Text{std::move(meaning)}});
  }
  doc::Section out = section("legend", tr(Text::legend, lang));
  out.blocks.push_back({std::move(list)});
  if (!grid.blocking().empty())
    out.blocks.push_back({doc::Note{with_code(tr(Text::blocking_note, lang), "risksync check")}});
  return out;
}

std::string map_id(MapKind kind) {
  switch (kind) {
    case MapKind::initial:
      return "map-initial";
    case MapKind::residual:
      return "map-residual";
    case MapKind::target:
      return "map-target";
  }
  return "map";
}

doc::Table map_table(const Assessment& assessment, const ZoneGrid& grid, MapKind kind, Lang lang) {
  const RiskMap map = build_risk_map(assessment, kind, grid);
  doc::Table table;
  table.style = "map";
  table.columns.push_back({std::string(tr(Text::map_corner, lang)), Align::left});
  for (int l = kMinLevel; l <= kMaxLevel; ++l)
    table.columns.push_back({likelihood_label(static_cast<Likelihood>(l), lang), Align::center});
  for (int g = kMaxLevel; g >= kMinLevel; --g) {
    const auto gravity = static_cast<Gravity>(g);
    doc::Row row;
    Cell label = text_cell(gravity_label(gravity, lang));
    label.row_header = true;
    row.cells.push_back(std::move(label));
    for (int l = kMinLevel; l <= kMaxLevel; ++l) {
      const RiskMapCell& cell = map.at(gravity, static_cast<Likelihood>(l));
      std::string text(zone_emoji(cell.zone));
      if (!cell.story_ids.empty()) text += " " + join(cell.story_ids, ", ");
      Cell out = text_cell(std::move(text), zone_style(cell.zone));
      out.tooltip = std::string(zone_name(cell.zone, lang));
      row.cells.push_back(std::move(out));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

doc::Section maps_section(const Assessment& assessment, const ZoneGrid& grid,
                          const PageContext& ctx) {
  const Lang lang = ctx.lang;
  doc::Section out = section("maps", tr(Text::maps_heading, lang));
  out.blocks.push_back({doc::Image{std::string(kMapsImageId), std::string(tr(Text::svg_alt, lang)),
                                   ctx.svg_file_name, "maps"}});
  for (const MapKind kind : kMapKinds) {
    out.blocks.push_back({doc::Note{
        {doc::Strong{std::string(map_title(kind, lang))},
         doc::Text{std::string(tr(Text::colon, lang)) + std::string(map_note(kind, lang))}}}});
  }
  doc::Collapsible tables{std::string(tr(Text::maps_as_tables, lang)), {}};
  for (const MapKind kind : kMapKinds) {
    tables.blocks.push_back({doc::Heading{3, map_id(kind), std::string(map_title(kind, lang))}});
    tables.blocks.push_back({doc::Note{{doc::Text{std::string(map_note(kind, lang))}}}});
    tables.blocks.push_back({map_table(assessment, grid, kind, lang)});
  }
  out.blocks.push_back({std::move(tables)});
  return out;
}

doc::Section stories_section(const Analysis& analysis, const Assessment& assessment,
                             const ZoneGrid& grid, const PageContext& ctx) {
  const Lang lang = ctx.lang;
  doc::Section out = section("stories", tr(Text::stories_heading, lang));
  if (assessment.stories.empty()) {
    out.blocks.push_back({doc::Paragraph{{doc::Text{std::string(tr(Text::no_stories, lang))}}}});
    return out;
  }
  doc::Table table;
  table.style = "stories";
  for (const Text t :
       {Text::col_id, Text::col_story, Text::col_gravity, Text::col_likelihood_initial,
        Text::col_likelihood_residual, Text::col_likelihood_target, Text::col_measures_done,
        Text::col_zone_residual, Text::col_review}) {
    table.columns.push_back(
        {std::string(tr(t, lang)), t == Text::col_measures_done ? Align::center : Align::left});
  }
  for (const auto& sa : assessment.stories) {
    const AbuserStory* story = analysis.find_story(sa.id);
    const Zone zone = residual_zone(sa, grid);
    doc::Row row;
    row.cells.push_back(item_cell(sa.id, ctx));
    row.cells.push_back(story ? shortened_cell(story->text, kStoryTextChars) : Cell{});
    row.cells.push_back(text_cell(gravity_label(sa.gravity, lang)));
    row.cells.push_back(text_cell(likelihood_label(sa.current, lang)));
    row.cells.push_back(text_cell(likelihood_label(sa.residual, lang)));
    row.cells.push_back(text_cell(likelihood_label(sa.target, lang)));
    row.cells.push_back(text_cell(
        std::to_string(sa.measures_done) + " / " + std::to_string(sa.measures_total), "num"));
    row.cells.push_back(
        text_cell(std::string(zone_emoji(zone)) + " " + std::string(zone_name(zone, lang)),
                  zone_style(zone)));
    if (sa.needs_review) {
      std::string review = "⚠️ " + std::string(tr(Text::review_flag, lang));
      if (story) {
        review += " (" +
                  fill(tr(Text::review_written, lang),
                       {likelihood_label(written_likelihood(*story), lang)}) +
                  ")";
      }
      row.cells.push_back(text_cell(std::move(review), "review"));
    } else {
      row.cells.emplace_back();
    }
    table.rows.push_back(std::move(row));
  }
  out.blocks.push_back({std::move(table)});
  return out;
}

doc::Section measures_section(const Analysis& analysis, const Assessment& assessment,
                              const PageContext& ctx) {
  const Lang lang = ctx.lang;
  doc::Section out = section("measures", tr(Text::measures_heading, lang));
  if (analysis.measures.empty()) {
    out.blocks.push_back({doc::Paragraph{{doc::Text{std::string(tr(Text::no_measures, lang))}}}});
    return out;
  }
  doc::Table table;
  table.style = "measures";
  for (const Text t : {Text::col_key, Text::col_measure, Text::col_kind, Text::col_weight,
                       Text::col_stories, Text::col_status, Text::col_catalog}) {
    table.columns.push_back(
        {std::string(tr(t, lang)), t == Text::col_weight ? Align::center : Align::left});
  }
  for (const auto& m : analysis.measures) {
    const MeasureStatus st = assessment.status_of(m.key);
    doc::Row row;
    if (st == MeasureStatus::dropped) row.style = "dropped";
    row.cells.push_back(item_cell(m.key, ctx));
    row.cells.push_back(shortened_cell(m.text, kMeasureTextChars));
    row.cells.push_back(text_cell(std::string(kind_name(m.kind, lang))));
    row.cells.push_back(text_cell(std::to_string(m.weight), "num"));
    row.cells.push_back(text_cell(join(m.stories, ", ")));
    row.cells.push_back(
        text_cell(std::string(status_symbol(st)) + " " + std::string(status_name(st, lang)),
                  "status-" + std::string(to_string(st))));
    row.cells.push_back(text_cell(join(m.catalog_refs, ", ")));
    table.rows.push_back(std::move(row));
  }
  out.blocks.push_back({std::move(table)});
  return out;
}

std::optional<doc::Section> in_place_section(const Analysis& analysis, Lang lang) {
  bool any = false;
  for (const auto& s : analysis.stories) any = any || !s.measures_in_place.empty();
  if (!any) return std::nullopt;
  doc::Table table;
  table.style = "in-place";
  for (const Text t : {Text::col_id, Text::col_in_place, Text::col_kind, Text::col_catalog})
    table.columns.push_back({std::string(tr(t, lang)), Align::left});
  for (const auto& s : analysis.stories) {
    for (const auto& m : s.measures_in_place) {
      table.rows.push_back(
          {{text_cell(s.id), shortened_cell(m.text, kStoryTextChars),
            text_cell(std::string(kind_name(m.kind, lang))), text_cell(join(m.catalog_refs, ", "))},
           {}});
    }
  }
  doc::Section out = section("in-place", tr(Text::in_place_heading, lang));
  out.blocks.push_back({std::move(table)});
  return out;
}

doc::Section rule_section(Lang lang) {
  doc::Section out = section("rule", tr(Text::rule_heading, lang));
  out.blocks.push_back({doc::Paragraph{{doc::Text{std::string(tr(Text::rule_text, lang))}}}});
  out.blocks.push_back({doc::Preformatted{std::string(tr(Text::rule_formula, lang)), "rule"}});
  out.blocks.push_back({doc::Paragraph{{doc::Text{std::string(tr(Text::rule_proposal, lang))}}}});
  return out;
}

// "Statuts lus dans github (octo/risks) le 2026-12-03 10:00 UTC." or the checkboxes.
std::string status_source_sentence(const StatusSource& source, Lang lang) {
  if (source.from_tracker()) {
    return fill(tr(Text::statuses_remote, lang), {source.tracker, source.read_at});
  }
  if (source.offline && !source.tracker.empty())
    return fill(tr(Text::statuses_offline, lang), {source.tracker});
  return std::string(tr(Text::statuses_boxes, lang));
}

// The text colour that reads on a zone's background (same rule as the SVG).
std::string_view text_color_on(Zone z) {
  return z == Zone::acceptable || z == Zone::watch ? "#000000" : "#ffffff";
}

}  // namespace

doc::Document build_dashboard_document(const Analysis& analysis, const Assessment& assessment,
                                       const ZoneGrid& grid, const PageContext& ctx) {
  const Lang lang = ctx.lang;
  doc::Document out;
  out.lang = std::string(to_string(lang));
  out.title = std::string(tr(Text::page_title, lang));
  if (!analysis.product.empty()) out.title += " — " + analysis.product;
  out.byline.push_back(
      doc::Text{fill(tr(Text::generated, lang), {ctx.generated_at, ctx.source_file}) + " " +
                status_source_sentence(ctx.status_source, lang) + " " +
                std::string(tr(Text::do_not_edit, lang))});
  out.sections.push_back(summary_section(analysis, assessment, grid, lang));
  out.sections.push_back(legend_section(grid, lang));
  out.sections.push_back(maps_section(assessment, grid, ctx));
  out.sections.push_back(stories_section(analysis, assessment, grid, ctx));
  out.sections.push_back(measures_section(analysis, assessment, ctx));
  if (auto in_place = in_place_section(analysis, lang))
    out.sections.push_back(std::move(*in_place));
  out.sections.push_back(rule_section(lang));
  out.footer.push_back(
      doc::Text{fill(tr(Text::footer, lang), {ctx.source_file, ctx.generated_at})});
  return out;
}

std::string dashboard_stylesheet() {
  std::string css =
      "body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"DejaVu Sans\",Arial,"
      "sans-serif;color:#1a1a1a;line-height:1.45;max-width:1240px;margin:2rem auto;padding:0 "
      "1rem}\n"
      "h1{font-size:1.7rem;margin-bottom:.3rem}\n"
      "h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}\n"
      ".meta,.note,footer{color:#555}\n"
      "table{border-collapse:collapse;margin:.8rem 0;width:100%}\n"
      "th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}\n"
      "thead th{background:#f0f0f0}\n"
      "table.map{width:auto}\n"
      "table.map td{text-align:center;font-weight:600;min-width:7rem;height:2.6rem}\n"
      "table.map th[scope=row]{white-space:nowrap}\n"
      "td.num{text-align:center;white-space:nowrap}\n"
      "td.review{color:#b00020;font-weight:600}\n"
      "tr.dropped td{color:#666}\n"
      "ul.legend{list-style:none;padding-left:0}\n"
      "ul.legend li{margin:.2rem 0}\n"
      ".swatch{display:inline-block;width:1em;height:1em;vertical-align:-.15em;margin-right:.4em;"
      "border:1px solid #999}\n"
      "figure.maps{margin:1rem 0;overflow-x:auto}\n"
      "figure.maps svg{max-width:100%;height:auto}\n"
      "pre.rule{background:#f6f6f6;padding:.6rem .8rem;overflow-x:auto}\n"
      "footer{margin-top:2rem;border-top:1px solid #ddd;padding-top:.5rem;font-size:.9rem}\n";
  for (const Zone z : kZonesWorstFirst) {
    css += "." + zone_style(z) + "{background:" + std::string(zone_color(z)) +
           ";color:" + std::string(text_color_on(z)) + "}\n";
  }
  css +=
      "@media print{\n"
      "body{max-width:none;margin:0;padding:0;font-size:10pt}\n"
      "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
      "a{color:inherit;text-decoration:none}\n"
      "details{display:none}\n"
      "h2{break-after:avoid}\n"
      "tr,figure{break-inside:avoid}\n"
      "}\n";
  return css;
}

namespace {

// Zone colours for the map cells and the legend's swatches; the PNG twin as the maps' image.
ConfluenceResources dashboard_confluence_resources(const PageContext& ctx) {
  ConfluenceResources resources;
  for (const Zone z : kZonesWorstFirst) {
    resources.colours.emplace(zone_style(z), ConfluenceCellColours{std::string(zone_color(z)),
                                                                   std::string(text_color_on(z))});
  }
  if (!ctx.png_file_name.empty())
    resources.shown_images.emplace(std::string(kMapsImageId), ctx.png_file_name);
  return resources;
}

}  // namespace

std::string render_confluence_page(const Analysis& analysis, const Assessment& assessment,
                                   const ZoneGrid& grid, const PageContext& ctx) {
  return emit_confluence_storage(build_dashboard_document(analysis, assessment, grid, ctx),
                                 dashboard_confluence_resources(ctx));
}

std::string render_markdown_page(const Analysis& analysis, const Assessment& assessment,
                                 const ZoneGrid& grid, const PageContext& ctx) {
  return emit_markdown(build_dashboard_document(analysis, assessment, grid, ctx));
}

namespace {

std::string emit_html_page(const doc::Document& document, const Assessment& assessment,
                           const ZoneGrid& grid, const PageContext& ctx) {
  HtmlResources resources;
  resources.stylesheet = dashboard_stylesheet();
  resources.inline_svg.emplace(std::string(kMapsImageId),
                               svg_maps(assessment, grid, ctx.lang, /*standalone=*/false));
  return emit_html(document, resources);
}

}  // namespace

std::string render_html_page(const Analysis& analysis, const Assessment& assessment,
                             const ZoneGrid& grid, const PageContext& ctx) {
  return emit_html_page(build_dashboard_document(analysis, assessment, grid, ctx), assessment, grid,
                        ctx);
}

DashboardPages render_dashboard_pages(const Analysis& analysis, const Assessment& assessment,
                                      const ZoneGrid& grid, const PageContext& ctx,
                                      bool with_html) {
  const doc::Document document = build_dashboard_document(analysis, assessment, grid, ctx);
  DashboardPages pages;
  pages.markdown = emit_markdown(document);
  if (with_html) pages.html = emit_html_page(document, assessment, grid, ctx);
  return pages;
}

}  // namespace risksync
