// The computed model: an Analysis plus measure statuses gives, per story, the residual
// likelihood and zones, and the three risk maps (initial, residual, target).
//
// Contract: pure functions of their arguments; no I/O, no clock.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.h"
#include "model/zones.h"
#include "util/result.h"

namespace risksync {

// Measure key -> status. A key absent from the map counts as `todo`.
using StatusMap = std::map<std::string, MeasureStatus, std::less<>>;

// Local mode (no tracker): a ticked checkbox means done, anything else todo.
StatusMap statuses_from_checkboxes(const Analysis& analysis);

// Where the statuses of an assessment came from, said on every page and in the JSON export.
struct StatusSource {
  std::string tracker;   // Tracker::describe(), e.g. "github (octo/risks)"; empty: none
  std::string read_at;   // when the tracker was read, e.g. "2026-12-03 10:00 UTC"
  bool offline = false;  // the checkboxes although `tracker` is configured (--offline)
  bool from_tracker() const { return !tracker.empty() && !offline; }
};

// With a tracker, the checkboxes do not count: one warning (kind bad_input, at the measure's
// line) per measure whose checkbox disagrees with the tracker's status — ticked while the
// tracker does not say done, or not ticked while it does. `tracker` names it in the message.
std::vector<Error> checkbox_disagreements(const Analysis& analysis, const StatusMap& statuses,
                                          std::string_view tracker);

struct StoryAssessment {
  std::string id;
  Gravity gravity = Gravity::minor;
  Likelihood current = Likelihood::unlikely;
  Likelihood residual = Likelihood::unlikely;
  Likelihood target = Likelihood::unlikely;
  Zone zone_current = Zone::acceptable;
  Zone zone_residual = Zone::acceptable;
  Zone zone_target = Zone::acceptable;
  int measures_done = 0;
  int measures_total = 0;
  // The value written in the analysis (résiduelle if written, else actuelle) differs from the
  // computed residual: "à revoir en atelier".
  bool needs_review = false;
};

struct MeasureAssessment {
  std::string key;
  MeasureStatus status = MeasureStatus::todo;
};

// Lookups go through an index of positions like Analysis's (model/key_index.h): assess()
// returns an indexed Assessment; code that edits one calls reindex() afterwards (lookups stay
// correct without it, only linear). Copies stay indexed.
struct Assessment {
  std::vector<StoryAssessment> stories;     // same order as Analysis::stories
  std::vector<MeasureAssessment> measures;  // same order as Analysis::measures
  // nullptr when absent. O(log n) with an up-to-date index; a miss costs O(n).
  const StoryAssessment* find_story(std::string_view id) const;
  // `todo` for a key absent from `measures`.
  MeasureStatus status_of(std::string_view key) const;

  void reindex();        // O(n log n)
  bool indexed() const;  // whether the index is up to date (O(n log n), for tests)

 private:
  KeyIndex story_index_;
  KeyIndex measure_index_;
};

// Contract: the Assessment returned is indexed.
Assessment assess(const Analysis& analysis, const StatusMap& statuses, const ZoneGrid& grid);

enum class MapKind { initial, residual, target };

struct RiskMapCell {
  Zone zone = Zone::acceptable;
  std::vector<std::string> story_ids;  // document order
};

// cartographie des risques: cells[gravity-1][likelihood-1].
struct RiskMap {
  MapKind kind = MapKind::residual;
  std::array<std::array<RiskMapCell, 4>, 4> cells;
  const RiskMapCell& at(Gravity g, Likelihood l) const {
    return cells[static_cast<size_t>(to_int(g) - 1)][static_cast<size_t>(to_int(l) - 1)];
  }
};

RiskMap build_risk_map(const Assessment& assessment, MapKind kind, const ZoneGrid& grid);

// Stories whose residual zone is `threshold` or worse (the homologation gate).
std::vector<std::string> stories_at_or_above(const Assessment& assessment, Zone threshold);

}  // namespace risksync
