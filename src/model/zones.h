// Zones of the risk map (docs/DESIGN.md §4) and the grid that assigns one to each cell.
//
// Contract: Zone values are ordered by severity (acceptable < watch < important <
// unacceptable). A ZoneGrid always has a zone for each of the 16 cells.
#pragma once

#include <array>
#include <optional>
#include <set>
#include <string_view>

#include "model/scales.h"

namespace risksync {

enum class Zone { acceptable = 0, watch = 1, important = 2, unacceptable = 3 };

std::string_view to_string(Zone zone);  // "acceptable" | "watch" | "important" | "unacceptable"
// "acceptable", "watch", "important", "unacceptable", and the French words ("à surveiller",
// "a-surveiller", "inacceptable"), any case. nullopt when unknown.
std::optional<Zone> zone_from_string(std::string_view s);
std::string_view zone_name(Zone zone, Lang lang);     // "à surveiller" / "to watch"
std::string_view zone_meaning(Zone zone, Lang lang);  // "vous ne pouvez pas lancer" ...
std::string_view zone_emoji(Zone zone);               // ⬛ 🟥 🟧 🟩
std::string_view zone_color(Zone zone);               // CSS/SVG colour "#rrggbb"

class ZoneGrid {
 public:
  // The default grid of docs/DESIGN.md §4; blocking = {unacceptable}.
  static ZoneGrid default_grid();

  Zone at(Gravity g, Likelihood l) const;
  void set(Gravity g, Likelihood l, Zone z);

  // Zones the user marks as blocking for `risksync check` without --fail-on.
  const std::set<Zone>& blocking() const { return blocking_; }
  void set_blocking(std::set<Zone> zones) { blocking_ = std::move(zones); }

 private:
  std::array<std::array<Zone, 4>, 4> cells_{};  // [gravity-1][likelihood-1]
  std::set<Zone> blocking_{Zone::unacceptable};
};

}  // namespace risksync
