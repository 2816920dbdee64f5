#include "model/analysis.h"

namespace risksync {

std::string_view to_string(MeasureKind kind) {
  switch (kind) {
    case MeasureKind::tech:
      return "tech";
    case MeasureKind::orga:
      return "orga";
    case MeasureKind::unspecified:
      return "unspecified";
  }
  return "unspecified";
}

std::string_view to_string(MeasureStatus status) {
  switch (status) {
    case MeasureStatus::todo:
      return "todo";
    case MeasureStatus::in_progress:
      return "in_progress";
    case MeasureStatus::done:
      return "done";
    case MeasureStatus::dropped:
      return "dropped";
    case MeasureStatus::closed_unverified:
      return "closed_unverified";
  }
  return "todo";
}

std::optional<MeasureStatus> measure_status_from_string(std::string_view s) {
  for (const auto st : {MeasureStatus::todo, MeasureStatus::in_progress, MeasureStatus::done,
                        MeasureStatus::dropped, MeasureStatus::closed_unverified}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

namespace {
const std::string& story_id_of(const AbuserStory& s) {
  return s.id;
}
const std::string& measure_key_of(const Measure& m) {
  return m.key;
}
}  // namespace

const AbuserStory* Analysis::find_story(std::string_view id) const {
  const auto at = story_index_.find(stories, id, story_id_of);
  return at ? &stories[*at] : nullptr;
}

const Measure* Analysis::find_measure(std::string_view key) const {
  const auto at = measure_index_.find(measures, key, measure_key_of);
  return at ? &measures[*at] : nullptr;
}

void Analysis::reindex() {
  story_index_.rebuild(stories, story_id_of);
  measure_index_.rebuild(measures, measure_key_of);
}

bool Analysis::indexed() const {
  return story_index_.covers(stories, story_id_of) &&
         measure_index_.covers(measures, measure_key_of);
}

}  // namespace risksync
