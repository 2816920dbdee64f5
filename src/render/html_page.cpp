// render_html_page (render/page.h): one self-contained, printable HTML5 page.
//
// Same content as the markdown page, with the SVG maps inlined and the map tables folded in a
// <details> element. No script (a Content-Security-Policy forbids any), no external resource;
// the only URLs are the tracker links of ctx.item_urls, kept only when http(s) (safe_http_url).
// Every untrusted text goes through escape_html; trusted strings too, for uniformity.
#include <string>
#include <vector>

#include "render/escape.h"
#include "render/i18n.h"
#include "render/page.h"
#include "render/page_common.h"

namespace risksync {
namespace {

using namespace render_detail;

std::string h(std::string_view text) {
  return escape_html(text);
}

std::string tag(std::string_view name, std::string_view escaped, std::string_view attrs = {}) {
  std::string out = "<" + std::string(name);
  if (!attrs.empty()) out += " " + std::string(attrs);
  out += ">" + std::string(escaped) + "</" + std::string(name) + ">";
  return out;
}

std::string link(std::string escaped_text, const std::optional<std::string>& url) {
  if (!url) return escaped_text;
  return "<a href=\"" + h(*url) + "\" rel=\"noopener noreferrer\">" + escaped_text + "</a>";
}

// A table cell with `text` shortened to `max_chars`; the whole text as a tooltip when cut.
std::string shortened_cell(std::string_view text, std::size_t max_chars) {
  const std::string shown = shorten_text(text, max_chars);
  if (shown.size() == text.size()) return tag("td", h(shown));
  return tag("td", h(shown), "title=\"" + h(text) + "\"");
}

std::string zone_class(Zone z) {
  return "z-" + std::string(to_string(z));
}

std::string ids_list(const std::vector<std::string>& ids) {
  std::vector<std::string> escaped;
  for (const auto& id : ids) escaped.push_back(h(id));
  return join(escaped, ", ");
}

// The text colour that reads on a zone's background (same rule as the SVG).
std::string_view text_color_on(Zone z) {
  return z == Zone::acceptable || z == Zone::watch ? "#000000" : "#ffffff";
}

std::string style() {
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
    css += "." + zone_class(z) + "{background:" + std::string(zone_color(z)) +
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

void table_head(std::string& out, const std::vector<std::string_view>& headers) {
  out += "<thead><tr>";
  for (const auto& header : headers) out += tag("th", h(header), "scope=\"col\"");
  out += "</tr></thead>\n<tbody>\n";
}

void render_summary(std::string& out, const Analysis& analysis, const Assessment& assessment,
                    const ZoneGrid& grid, Lang lang) {
  const PageSummary s = summarize(analysis, assessment, grid);
  out += "<section>\n" + tag("h2", h(tr(Text::summary, lang))) + "\n<ul>\n";
  const std::string blocking =
      s.blocking_ids.empty() ? h(tr(Text::none_risk, lang)) : "⚠️ " + ids_list(s.blocking_ids);
  out += tag("li", fill(h(tr(Text::summary_blocking, lang)), {blocking})) + "\n";
  const std::string review =
      s.review_ids.empty() ? h(tr(Text::none_story, lang)) : "⚠️ " + ids_list(s.review_ids);
  out += tag("li", fill(h(tr(Text::summary_review, lang)), {review})) + "\n";
  std::string measures = fill(h(tr(Text::summary_measures, lang)),
                              {std::to_string(s.measures_done), std::to_string(s.measures_total)});
  if (s.measures_dropped > 0)
    measures += fill(h(tr(Text::summary_dropped, lang)), {std::to_string(s.measures_dropped)});
  out += tag("li", measures) + "\n</ul>\n</section>\n";
}

void render_legend(std::string& out, const ZoneGrid& grid, Lang lang) {
  out += "<section>\n" + tag("h2", h(tr(Text::legend, lang))) + "\n<ul class=\"legend\">\n";
  for (const Zone z : kZonesWorstFirst) {
    std::string item = "<span class=\"swatch " + zone_class(z) + "\"></span>" + h(zone_emoji(z)) +
                       " " + tag("strong", h(zone_name(z, lang))) + h(tr(Text::colon, lang)) +
                       h(zone_meaning(z, lang));
    if (grid.blocking().contains(z)) item += " — " + h(tr(Text::blocking_zone, lang));
    out += tag("li", item) + "\n";
  }
  out += "</ul>\n";
  if (!grid.blocking().empty())
    out += tag("p", h(tr(Text::blocking_note_html, lang)), "class=\"note\"") + "\n";
  out += "</section>\n";
}

void render_map_table(std::string& out, const Assessment& assessment, const ZoneGrid& grid,
                      MapKind kind, Lang lang) {
  const RiskMap map = build_risk_map(assessment, kind, grid);
  out += tag("h3", h(map_title(kind, lang))) + "\n";
  out += tag("p", h(map_note(kind, lang)), "class=\"note\"") + "\n";
  out += "<table class=\"map\">\n";
  std::vector<std::string> labels;
  for (int l = kMinLevel; l <= kMaxLevel; ++l)
    labels.push_back(likelihood_label(static_cast<Likelihood>(l), lang));
  table_head(out, {tr(Text::map_corner, lang), labels[0], labels[1], labels[2], labels[3]});
  for (int g = kMaxLevel; g >= kMinLevel; --g) {
    const auto gravity = static_cast<Gravity>(g);
    out += "<tr>" + tag("th", h(gravity_label(gravity, lang)), "scope=\"row\"");
    for (int l = kMinLevel; l <= kMaxLevel; ++l) {
      const RiskMapCell& cell = map.at(gravity, static_cast<Likelihood>(l));
      std::string content = h(zone_emoji(cell.zone));
      if (!cell.story_ids.empty()) content += " " + ids_list(cell.story_ids);
      out += tag("td", content,
                 "class=\"" + zone_class(cell.zone) + "\" title=\"" +
                     h(zone_name(cell.zone, lang)) + "\"");
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
}

void render_maps(std::string& out, const Assessment& assessment, const ZoneGrid& grid, Lang lang) {
  out += "<section>\n" + tag("h2", h(tr(Text::maps_heading, lang))) + "\n";
  out += "<figure class=\"maps\">\n" + svg_maps(assessment, grid, lang, /*standalone=*/false) +
         "</figure>\n";
  for (const MapKind kind : kMapKinds)
    out += tag("p",
               tag("strong", h(map_title(kind, lang))) + h(tr(Text::colon, lang)) +
                   h(map_note(kind, lang)),
               "class=\"note\"") +
           "\n";
  out += "<details>\n" + tag("summary", h(tr(Text::maps_as_tables, lang))) + "\n";
  for (const MapKind kind : kMapKinds) render_map_table(out, assessment, grid, kind, lang);
  out += "</details>\n</section>\n";
}

void render_stories(std::string& out, const Analysis& analysis, const Assessment& assessment,
                    const ZoneGrid& grid, const PageContext& ctx) {
  const Lang lang = ctx.lang;
  out += "<section>\n" + tag("h2", h(tr(Text::stories_heading, lang))) + "\n";
  if (assessment.stories.empty()) {
    out += tag("p", h(tr(Text::no_stories, lang))) + "\n</section>\n";
    return;
  }
  out += "<table class=\"stories\">\n";
  table_head(out, {tr(Text::col_id, lang), tr(Text::col_story, lang), tr(Text::col_gravity, lang),
                   tr(Text::col_likelihood_initial, lang), tr(Text::col_likelihood_residual, lang),
                   tr(Text::col_likelihood_target, lang), tr(Text::col_measures_done, lang),
                   tr(Text::col_zone_residual, lang), tr(Text::col_review, lang)});
  for (const auto& sa : assessment.stories) {
    const AbuserStory* story = analysis.find_story(sa.id);
    const Zone zone = residual_zone(sa, grid);
    std::string review;
    if (sa.needs_review) {
      review = "⚠️ " + h(tr(Text::review_flag, lang));
      if (story) {
        review += " (" +
                  h(fill(tr(Text::review_written, lang),
                         {likelihood_label(written_likelihood(*story), lang)})) +
                  ")";
      }
    }
    out += "<tr>";
    out += tag("td", link(h(sa.id), item_url(ctx, sa.id)));
    out += story ? shortened_cell(story->text, kStoryTextChars) : "<td></td>";
    out += tag("td", h(gravity_label(sa.gravity, lang)));
    out += tag("td", h(likelihood_label(sa.current, lang)));
    out += tag("td", h(likelihood_label(sa.residual, lang)));
    out += tag("td", h(likelihood_label(sa.target, lang)));
    out += tag("td", std::to_string(sa.measures_done) + " / " + std::to_string(sa.measures_total),
               "class=\"num\"");
    out += tag("td", h(zone_emoji(zone)) + " " + h(zone_name(zone, lang)),
               "class=\"" + zone_class(zone) + "\"");
    out += sa.needs_review ? tag("td", review, "class=\"review\"") : "<td></td>";
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void render_measures(std::string& out, const Analysis& analysis, const Assessment& assessment,
                     const PageContext& ctx) {
  const Lang lang = ctx.lang;
  out += "<section>\n" + tag("h2", h(tr(Text::measures_heading, lang))) + "\n";
  if (analysis.measures.empty()) {
    out += tag("p", h(tr(Text::no_measures, lang))) + "\n</section>\n";
    return;
  }
  out += "<table class=\"measures\">\n";
  table_head(out, {tr(Text::col_key, lang), tr(Text::col_measure, lang), tr(Text::col_kind, lang),
                   tr(Text::col_weight, lang), tr(Text::col_stories, lang),
                   tr(Text::col_status, lang), tr(Text::col_catalog, lang)});
  for (const auto& m : analysis.measures) {
    const MeasureStatus st = assessment.status_of(m.key);
    std::vector<std::string> refs;
    for (const auto& r : m.catalog_refs) refs.push_back(h(r));
    out += st == MeasureStatus::dropped ? "<tr class=\"dropped\">" : "<tr>";
    out += tag("td", link(h(m.key), item_url(ctx, m.key)));
    out += shortened_cell(m.text, kMeasureTextChars);
    out += tag("td", h(kind_name(m.kind, lang)));
    out += tag("td", std::to_string(m.weight), "class=\"num\"");
    out += tag("td", ids_list(m.stories));
    out += tag("td", h(status_symbol(st)) + " " + h(status_name(st, lang)),
               "class=\"status-" + std::string(to_string(st)) + "\"");
    out += tag("td", join(refs, ", "));
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void render_in_place(std::string& out, const Analysis& analysis, Lang lang) {
  bool any = false;
  for (const auto& s : analysis.stories) any = any || !s.measures_in_place.empty();
  if (!any) return;
  out += "<section>\n" + tag("h2", h(tr(Text::in_place_heading, lang))) + "\n";
  out += "<table class=\"in-place\">\n";
  table_head(out, {tr(Text::col_id, lang), tr(Text::col_in_place, lang), tr(Text::col_kind, lang),
                   tr(Text::col_catalog, lang)});
  for (const auto& s : analysis.stories) {
    for (const auto& m : s.measures_in_place) {
      std::vector<std::string> refs;
      for (const auto& r : m.catalog_refs) refs.push_back(h(r));
      out += "<tr>" + tag("td", h(s.id)) + shortened_cell(m.text, kStoryTextChars) +
             tag("td", h(kind_name(m.kind, lang))) + tag("td", join(refs, ", ")) + "</tr>\n";
    }
  }
  out += "</tbody>\n</table>\n</section>\n";
}

void render_rule(std::string& out, Lang lang) {
  out += "<section>\n" + tag("h2", h(tr(Text::rule_heading, lang))) + "\n";
  out += tag("p", h(tr(Text::rule_text, lang))) + "\n";
  out += tag("pre", h(tr(Text::rule_formula, lang)), "class=\"rule\"") + "\n";
  out += tag("p", h(tr(Text::rule_proposal, lang))) + "\n</section>\n";
}

}  // namespace

std::string render_html_page(const Analysis& analysis, const Assessment& assessment,
                             const ZoneGrid& grid, const PageContext& ctx) {
  const Lang lang = ctx.lang;
  std::string title(tr(Text::page_title, lang));
  if (!analysis.product.empty()) title += " — " + analysis.product;
  const std::string date = h(ctx.generated_at);
  const std::string source = h(ctx.source_file);

  std::string out;
  out.reserve(32768);
  out += "<!DOCTYPE html>\n<html lang=\"" + std::string(to_string(lang)) + "\">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Defence in depth: even if some text escaped the escaping, nothing could run or load.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
      "'unsafe-inline'\">\n";
  out += "<meta name=\"referrer\" content=\"no-referrer\">\n";
  out += "<meta name=\"generator\" content=\"risksync\">\n";
  out += tag("title", h(title)) + "\n";
  out += "<style>\n" + style() + "</style>\n</head>\n<body>\n";
  out += "<header>\n" + tag("h1", h(title)) + "\n";
  out +=
      tag("p",
          fill(h(tr(Text::generated, lang)), {date, source}) + " " + h(tr(Text::do_not_edit, lang)),
          "class=\"meta\"") +
      "\n</header>\n<main>\n";
  render_summary(out, analysis, assessment, grid, lang);
  render_legend(out, grid, lang);
  render_maps(out, assessment, grid, lang);
  render_stories(out, analysis, assessment, grid, ctx);
  render_measures(out, analysis, assessment, ctx);
  render_in_place(out, analysis, lang);
  render_rule(out, lang);
  out += "</main>\n";
  out += tag("footer", fill(h(tr(Text::footer, lang)), {source, date})) + "\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace risksync
