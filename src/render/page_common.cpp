#include "render/page_common.h"

#include "render/escape.h"

namespace risksync::render_detail {

namespace {
std::string level_label(int level, std::string_view name) {
  std::string out = std::to_string(level);
  out += " – ";
  out += name;
  return out;
}
}  // namespace

std::string gravity_label(Gravity g, Lang lang) {
  return level_label(to_int(g), gravity_name(g, lang));
}

std::string likelihood_label(Likelihood l, Lang lang) {
  return level_label(to_int(l), likelihood_name(l, lang));
}

Likelihood written_likelihood(const AbuserStory& story) {
  return story.written_residual.value_or(story.current_likelihood);
}

Zone residual_zone(const StoryAssessment& story, const ZoneGrid& grid) {
  return grid.at(story.gravity, story.residual);
}

PageSummary summarize(const Analysis& analysis, const Assessment& assessment,
                      const ZoneGrid& grid) {
  PageSummary out;
  for (const auto& s : assessment.stories) {
    if (grid.blocking().contains(residual_zone(s, grid))) out.blocking_ids.push_back(s.id);
    if (s.needs_review) out.review_ids.push_back(s.id);
  }
  for (const auto& m : analysis.measures) {
    ++out.measures_total;
    const MeasureStatus st = assessment.status_of(m.key);
    if (st == MeasureStatus::done) ++out.measures_done;
    if (st == MeasureStatus::dropped) ++out.measures_dropped;
  }
  return out;
}

std::optional<std::string> item_url(const PageContext& ctx, std::string_view key) {
  const auto it = ctx.item_urls.find(key);
  if (it == ctx.item_urls.end()) return std::nullopt;
  return safe_http_url(it->second);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

}  // namespace risksync::render_detail
