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

std::vector<Error> checkbox_disagreements(const Analysis& analysis, const StatusMap& statuses,
                                          std::string_view tracker) {
  std::vector<Error> out;
  for (const auto& m : analysis.measures) {
    const auto it = statuses.find(m.key);
    const MeasureStatus status = it == statuses.end() ? MeasureStatus::todo : it->second;
    const bool done = status == MeasureStatus::done;
    if (m.checked == done) continue;
    std::string message = "measure " + m.key + " (\"" + m.text + "\"): the checkbox is ";
    message += m.checked ? "ticked" : "not ticked";
    message += " but " + std::string(tracker) + " says " + std::string(to_string(status)) +
               "; the tracker's status counts (the checkbox is ignored while a tracker is "
               "configured; --offline uses the checkboxes)";
    out.push_back(bad_input(std::move(message), m.where));
  }
  return out;
}

namespace {
const std::string& story_id_of(const StoryAssessment& s) {
  return s.id;
}
const std::string& measure_key_of(const MeasureAssessment& m) {
  return m.key;
}
}  // namespace

const StoryAssessment* Assessment::find_story(std::string_view id) const {
  const auto at = story_index_.find(stories, id, story_id_of);
  return at ? &stories[*at] : nullptr;
}

MeasureStatus Assessment::status_of(std::string_view key) const {
  const auto at = measure_index_.find(measures, key, measure_key_of);
  return at ? measures[*at].status : MeasureStatus::todo;
}

void Assessment::reindex() {
  story_index_.rebuild(stories, story_id_of);
  measure_index_.rebuild(measures, measure_key_of);
}

bool Assessment::indexed() const {
  return story_index_.covers(stories, story_id_of) &&
         measure_index_.covers(measures, measure_key_of);
}

Assessment assess(const Analysis& analysis, const StatusMap& statuses, const ZoneGrid& grid) {
  auto status_of = [&](std::string_view key) {
    const auto it = statuses.find(key);
    return it == statuses.end() ? MeasureStatus::todo : it->second;
  };
  Assessment out;
  out.measures.reserve(analysis.measures.size());
  out.stories.reserve(analysis.stories.size());
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
  out.reindex();
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
