#include "model/zones.h"

#include "model/analysis.h"

namespace risksync {

std::string_view to_string(Zone zone) {
  switch (zone) {
    case Zone::acceptable:
      return "acceptable";
    case Zone::watch:
      return "watch";
    case Zone::important:
      return "important";
    case Zone::unacceptable:
      return "unacceptable";
  }
  return "acceptable";
}

std::optional<Zone> zone_from_string(std::string_view s) {
  const std::string n = normalize_text(s);
  if (n == "acceptable" || n == "faible" || n == "green" || n == "vert") return Zone::acceptable;
  if (n == "watch" || n == "a surveiller" || n == "surveiller" || n == "moyen" ||
      n == "tolerable" || n == "orange")
    return Zone::watch;
  if (n == "important" || n == "red" || n == "rouge") return Zone::important;
  if (n == "unacceptable" || n == "inacceptable" || n == "eleve" || n == "black" || n == "noir")
    return Zone::unacceptable;
  return std::nullopt;
}

std::string_view zone_name(Zone zone, Lang lang) {
  const bool fr = lang == Lang::fr;
  switch (zone) {
    case Zone::acceptable:
      return fr ? "acceptable" : "acceptable";
    case Zone::watch:
      return fr ? "à surveiller" : "to watch";
    case Zone::important:
      return fr ? "important" : "important";
    case Zone::unacceptable:
      return fr ? "inacceptable" : "unacceptable";
  }
  return "";
}

std::string_view zone_meaning(Zone zone, Lang lang) {
  const bool fr = lang == Lang::fr;
  switch (zone) {
    case Zone::acceptable:
      return fr ? "acceptable en l'état" : "acceptable as is";
    case Zone::watch:
      return fr ? "tolérable sous contrôle" : "tolerable under control";
    case Zone::important:
      return fr ? "vous devez prendre des mesures rapidement" : "measures must be taken quickly";
    case Zone::unacceptable:
      return fr ? "vous ne pouvez pas lancer" : "you cannot go live";
  }
  return "";
}

std::string_view zone_emoji(Zone zone) {
  switch (zone) {
    case Zone::acceptable:
      return "🟩";
    case Zone::watch:
      return "🟧";
    case Zone::important:
      return "🟥";
    case Zone::unacceptable:
      return "⬛";
  }
  return "";
}

std::string_view zone_color(Zone zone) {
  switch (zone) {
    case Zone::acceptable:
      return "#4caf50";
    case Zone::watch:
      return "#ff9800";
    case Zone::important:
      return "#e53935";
    case Zone::unacceptable:
      return "#212121";
  }
  return "#ffffff";
}

ZoneGrid ZoneGrid::default_grid() {
  using enum Zone;
  ZoneGrid g;
  // rows: gravity 1..4; columns: likelihood 1..4 (docs/DESIGN.md §4)
  g.cells_[0] = {acceptable, acceptable, watch, watch};
  g.cells_[1] = {acceptable, acceptable, watch, important};
  g.cells_[2] = {acceptable, watch, important, unacceptable};
  g.cells_[3] = {watch, watch, unacceptable, unacceptable};
  g.blocking_ = {unacceptable};
  return g;
}

Zone ZoneGrid::at(Gravity g, Likelihood l) const {
  return cells_[static_cast<std::size_t>(to_int(g) - 1)][static_cast<std::size_t>(to_int(l) - 1)];
}

void ZoneGrid::set(Gravity g, Likelihood l, Zone z) {
  cells_[static_cast<std::size_t>(to_int(g) - 1)][static_cast<std::size_t>(to_int(l) - 1)] = z;
}

}  // namespace risksync
