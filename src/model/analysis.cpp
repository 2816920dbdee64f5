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

const AbuserStory* Analysis::find_story(std::string_view id) const {
  for (const auto& s : stories)
    if (s.id == id) return &s;
  return nullptr;
}

const Measure* Analysis::find_measure(std::string_view key) const {
  for (const auto& m : measures)
    if (m.key == key) return &m;
  return nullptr;
}

}  // namespace risksync
