#include "model/assessment.h"

#include <vector>

#include "model/residual.h"

namespace risksync {

StatusMap statuses_from_checkboxes(const Analysis& analysis) {
  StatusMap out;
  for (const auto& m : analysis.measures)
    out[m.key] = m.checked ? MeasureStatus::done : MeasureStatus::todo;
  return out;
}

const StoryAssessment* Assessment::find_story(std::string_view id) const {
  for (const auto& s : stories)
    if (s.id == id) return &s;
  return nullptr;
}

MeasureStatus Assessment::status_of(std::string_view key) const {
  for (const auto& m : measures)
    if (m.key == key) return m.status;
  return MeasureStatus::todo;
}

Assessment assess(const Analysis& analysis, const StatusMap& statuses, const ZoneGrid& grid) {
  auto status_of = [&](std::string_view key) {
    const auto it = statuses.find(key);
    return it == statuses.end() ? MeasureStatus::todo : it->second;
  };
  Assessment out;
  for (const auto& m : analysis.measures) out.measures.push_back({m.key, status_of(m.key)});
  for (const auto& story : analysis.stories) {
    std::vector<WeightedStatus> weighted;
    StoryAssessment sa;
    sa.id = story.id;
    sa.gravity = story.gravity;
    sa.current = story.current_likelihood;
    sa.target = story.target_likelihood;
    for (const auto& key : story.possible_measures) {
      const Measure* m = analysis.find_measure(key);
      const MeasureStatus st = status_of(key);
      weighted.push_back({m ? m->weight : 1, st});
      ++sa.measures_total;
      if (st == MeasureStatus::done) ++sa.measures_done;
    }
    sa.residual = residual_likelihood(sa.current, sa.target, weighted);
    sa.zone_current = grid.at(sa.gravity, sa.current);
    sa.zone_residual = grid.at(sa.gravity, sa.residual);
    sa.zone_target = grid.at(sa.gravity, sa.target);
    const Likelihood written = story.written_residual.value_or(story.current_likelihood);
    sa.needs_review = written != sa.residual;
    out.stories.push_back(std::move(sa));
  }
  return out;
}

RiskMap build_risk_map(const Assessment& assessment, MapKind kind, const ZoneGrid& grid) {
  RiskMap map;
  map.kind = kind;
  for (int g = kMinLevel; g <= kMaxLevel; ++g)
    for (int l = kMinLevel; l <= kMaxLevel; ++l)
      map.cells[static_cast<std::size_t>(g - 1)][static_cast<std::size_t>(l - 1)].zone =
          grid.at(static_cast<Gravity>(g), static_cast<Likelihood>(l));
  for (const auto& s : assessment.stories) {
    const Likelihood l = kind == MapKind::initial    ? s.current
                         : kind == MapKind::residual ? s.residual
                                                     : s.target;
    map.cells[static_cast<std::size_t>(to_int(s.gravity) - 1)]
             [static_cast<std::size_t>(to_int(l) - 1)]
                 .story_ids.push_back(s.id);
  }
  return map;
}

std::vector<std::string> stories_at_or_above(const Assessment& assessment, Zone threshold) {
  std::vector<std::string> out;
  for (const auto& s : assessment.stories)
    if (static_cast<int>(s.zone_residual) >= static_cast<int>(threshold)) out.push_back(s.id);
  return out;
}

}  // namespace risksync
