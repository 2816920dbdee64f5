// render_markdown_page (render/page.h): the dashboard as GitHub/GitLab-flavoured markdown.
//
// Layout: title, generation line, summary, legend, optional SVG image, the three maps as 4×4
// tables, the abuser stories, the possible measures, the measures in place, the residual rule,
// a footer. Every text from the document or a tracker goes through escape_markdown_inline;
// every link target through safe_http_url. Strings from render/i18n.h are trusted.
#include <string>
#include <vector>

#include "render/escape.h"
#include "render/i18n.h"
#include "render/page.h"
#include "render/page_common.h"

namespace risksync {
namespace {

using namespace render_detail;

std::string md(std::string_view untrusted) {
  return escape_markdown_inline(untrusted);
}

// `cells` are already escaped or trusted.
void table_row(std::string& out, const std::vector<std::string>& cells) {
  out += '|';
  for (const auto& cell : cells) {
    out += ' ';
    out += cell;
    out += " |";
  }
  out += '\n';
}

// One character per column: 'l' left (default), 'c' centred.
void table_delimiter(std::string& out, std::string_view aligns) {
  out += '|';
  for (const char a : aligns) out += a == 'c' ? ":-:|" : "---|";
  out += '\n';
}

std::string link(std::string escaped_text, const std::optional<std::string>& url) {
  if (!url) return escaped_text;
  return "[" + escaped_text + "](" + *url + ")";
}

// A file name published beside the page, as a relative link destination: every byte outside
// [A-Za-z0-9._~/-] is percent-encoded (':' included, so it can never carry a scheme).
std::string relative_link_target(std::string_view name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : name) {
    const auto b = static_cast<unsigned char>(c);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '~' || c == '/' || c == '-';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

std::string ids_list(const std::vector<std::string>& ids) {
  std::vector<std::string> escaped;
  escaped.reserve(ids.size());
  for (const auto& id : ids) escaped.push_back(md(id));
  return join(escaped, ", ");
}

void render_summary(std::string& out, const Analysis& analysis, const Assessment& assessment,
                    const ZoneGrid& grid, Lang lang) {
  const PageSummary s = summarize(analysis, assessment, grid);
  out += "## " + std::string(tr(Text::summary, lang)) + "\n\n";
  const std::string blocking = s.blocking_ids.empty() ? std::string(tr(Text::none_risk, lang))
                                                      : "⚠️ " + ids_list(s.blocking_ids);
  out += "- " + fill(tr(Text::summary_blocking, lang), {blocking}) + "\n";
  const std::string review = s.review_ids.empty() ? std::string(tr(Text::none_story, lang))
                                                  : "⚠️ " + ids_list(s.review_ids);
  out += "- " + fill(tr(Text::summary_review, lang), {review}) + "\n";
  out += "- " + fill(tr(Text::summary_measures, lang),
                     {std::to_string(s.measures_done), std::to_string(s.measures_total)});
  if (s.measures_dropped > 0)
    out += fill(tr(Text::summary_dropped, lang), {std::to_string(s.measures_dropped)});
  out += "\n\n";
}

void render_legend(std::string& out, const ZoneGrid& grid, Lang lang) {
  out += "## " + std::string(tr(Text::legend, lang)) + "\n\n";
  for (const Zone z : kZonesWorstFirst) {
    out += "- ";
    out += zone_emoji(z);
    out += " **";
    out += zone_name(z, lang);
    out += "**";
    out += tr(Text::colon, lang);
    out += zone_meaning(z, lang);
    if (grid.blocking().contains(z)) {
      out += " — ";
      out += tr(Text::blocking_zone, lang);
    }
    out += '\n';
  }
  out += '\n';
  if (!grid.blocking().empty()) out += std::string(tr(Text::blocking_note, lang)) + "\n\n";
}

void render_map(std::string& out, const Assessment& assessment, const ZoneGrid& grid, MapKind kind,
                Lang lang) {
  const RiskMap map = build_risk_map(assessment, kind, grid);
  out += "## " + std::string(map_title(kind, lang)) + "\n\n";
  out += std::string(map_note(kind, lang)) + "\n\n";
  std::vector<std::string> header{std::string(tr(Text::map_corner, lang))};
  for (int l = kMinLevel; l <= kMaxLevel; ++l)
    header.push_back(likelihood_label(static_cast<Likelihood>(l), lang));
  table_row(out, header);
  table_delimiter(out, "lcccc");
  for (int g = kMaxLevel; g >= kMinLevel; --g) {
    const auto gravity = static_cast<Gravity>(g);
    std::vector<std::string> row{"**" + gravity_label(gravity, lang) + "**"};
    for (int l = kMinLevel; l <= kMaxLevel; ++l) {
      const RiskMapCell& cell = map.at(gravity, static_cast<Likelihood>(l));
      std::string text(zone_emoji(cell.zone));
      if (!cell.story_ids.empty()) text += " " + ids_list(cell.story_ids);
      row.push_back(std::move(text));
    }
    table_row(out, row);
  }
  out += '\n';
}

void render_stories(std::string& out, const Analysis& analysis, const Assessment& assessment,
                    const ZoneGrid& grid, const PageContext& ctx) {
  const Lang lang = ctx.lang;
  out += "## " + std::string(tr(Text::stories_heading, lang)) + "\n\n";
  if (assessment.stories.empty()) {
    out += std::string(tr(Text::no_stories, lang)) + "\n\n";
    return;
  }
  table_row(out, {std::string(tr(Text::col_id, lang)), std::string(tr(Text::col_story, lang)),
                  std::string(tr(Text::col_gravity, lang)),
                  std::string(tr(Text::col_likelihood_initial, lang)),
                  std::string(tr(Text::col_likelihood_residual, lang)),
                  std::string(tr(Text::col_likelihood_target, lang)),
                  std::string(tr(Text::col_measures_done, lang)),
                  std::string(tr(Text::col_zone_residual, lang)),
                  std::string(tr(Text::col_review, lang))});
  table_delimiter(out, "llllllcll");
  for (const auto& sa : assessment.stories) {
    const AbuserStory* story = analysis.find_story(sa.id);
    const Zone zone = residual_zone(sa, grid);
    std::string review;
    if (sa.needs_review) {
      review = "⚠️ " + std::string(tr(Text::review_flag, lang));
      if (story) {
        review += " (" +
                  fill(tr(Text::review_written, lang),
                       {likelihood_label(written_likelihood(*story), lang)}) +
                  ")";
      }
    }
    table_row(out,
              {link(md(sa.id), item_url(ctx, sa.id)),
               story ? md(shorten_text(story->text, kStoryTextChars)) : std::string(),
               gravity_label(sa.gravity, lang), likelihood_label(sa.current, lang),
               likelihood_label(sa.residual, lang), likelihood_label(sa.target, lang),
               std::to_string(sa.measures_done) + " / " + std::to_string(sa.measures_total),
               std::string(zone_emoji(zone)) + " " + std::string(zone_name(zone, lang)), review});
  }
  out += '\n';
}

void render_measures(std::string& out, const Analysis& analysis, const Assessment& assessment,
                     const PageContext& ctx) {
  const Lang lang = ctx.lang;
  out += "## " + std::string(tr(Text::measures_heading, lang)) + "\n\n";
  if (analysis.measures.empty()) {
    out += std::string(tr(Text::no_measures, lang)) + "\n\n";
    return;
  }
  table_row(out, {std::string(tr(Text::col_key, lang)), std::string(tr(Text::col_measure, lang)),
                  std::string(tr(Text::col_kind, lang)), std::string(tr(Text::col_weight, lang)),
                  std::string(tr(Text::col_stories, lang)), std::string(tr(Text::col_status, lang)),
                  std::string(tr(Text::col_catalog, lang))});
  table_delimiter(out, "lllclll");
  for (const auto& m : analysis.measures) {
    const MeasureStatus st = assessment.status_of(m.key);
    std::vector<std::string> refs;
    for (const auto& r : m.catalog_refs) refs.push_back(md(r));
    table_row(out,
              {link(md(m.key), item_url(ctx, m.key)), md(shorten_text(m.text, kMeasureTextChars)),
               std::string(kind_name(m.kind, lang)), std::to_string(m.weight), ids_list(m.stories),
               std::string(status_symbol(st)) + " " + std::string(status_name(st, lang)),
               join(refs, ", ")});
  }
  out += '\n';
}

void render_in_place(std::string& out, const Analysis& analysis, Lang lang) {
  bool any = false;
  for (const auto& s : analysis.stories) any = any || !s.measures_in_place.empty();
  if (!any) return;
  out += "## " + std::string(tr(Text::in_place_heading, lang)) + "\n\n";
  table_row(out, {std::string(tr(Text::col_id, lang)), std::string(tr(Text::col_in_place, lang)),
                  std::string(tr(Text::col_kind, lang)), std::string(tr(Text::col_catalog, lang))});
  table_delimiter(out, "llll");
  for (const auto& s : analysis.stories) {
    for (const auto& m : s.measures_in_place) {
      std::vector<std::string> refs;
      for (const auto& r : m.catalog_refs) refs.push_back(md(r));
      table_row(out, {md(s.id), md(shorten_text(m.text, kStoryTextChars)),
                      std::string(kind_name(m.kind, lang)), join(refs, ", ")});
    }
  }
  out += '\n';
}

void render_rule(std::string& out, Lang lang) {
  out += "## " + std::string(tr(Text::rule_heading, lang)) + "\n\n";
  out += std::string(tr(Text::rule_text, lang)) + "\n\n";
  out += "```\n" + std::string(tr(Text::rule_formula, lang)) + "\n```\n\n";
  out += std::string(tr(Text::rule_proposal, lang)) + "\n\n";
}

}  // namespace

std::string render_markdown_page(const Analysis& analysis, const Assessment& assessment,
                                 const ZoneGrid& grid, const PageContext& ctx) {
  const Lang lang = ctx.lang;
  const std::string date = md(ctx.generated_at);
  const std::string source = md(ctx.source_file);
  std::string out;
  out.reserve(8192);
  out += "# " + std::string(tr(Text::page_title, lang));
  if (!analysis.product.empty()) out += " — " + md(analysis.product);
  out += "\n\n";
  out += fill(tr(Text::generated, lang), {date, source}) + " " +
         std::string(tr(Text::do_not_edit, lang)) + "\n\n";
  render_summary(out, analysis, assessment, grid, lang);
  render_legend(out, grid, lang);
  if (!ctx.svg_file_name.empty()) {
    out += "![" + std::string(tr(Text::svg_alt, lang)) + "](" +
           relative_link_target(ctx.svg_file_name) + ")\n\n";
  }
  for (const MapKind kind : kMapKinds) render_map(out, assessment, grid, kind, lang);
  render_stories(out, analysis, assessment, grid, ctx);
  render_measures(out, analysis, assessment, ctx);
  render_in_place(out, analysis, lang);
  render_rule(out, lang);
  out += "---\n\n";
  out += fill(tr(Text::footer, lang), {source, date}) + "\n";
  return out;
}

}  // namespace risksync
