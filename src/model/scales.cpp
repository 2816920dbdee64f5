#include "model/scales.h"

#include <array>

#include "model/analysis.h"

namespace risksync {
namespace {

struct LevelNames {
  std::string_view fr;
  std::string_view en;
};

constexpr std::array<LevelNames, 4> kGravityNames{{
    {"Mineure", "Minor"},
    {"Significative", "Significant"},
    {"Importante", "Important"},
    {"Critique", "Critical"},
}};

constexpr std::array<LevelNames, 4> kLikelihoodNames{{
    {"Peu probable", "Unlikely"},
    {"Probable", "Likely"},
    {"Très probable", "Very likely"},
    {"Quasi-certain", "Near certain"},
}};

std::optional<int> level_from_name(std::string_view name, const std::array<LevelNames, 4>& names) {
  const std::string wanted = normalize_text(name);
  if (wanted.empty()) return std::nullopt;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (normalize_text(names[i].fr) == wanted || normalize_text(names[i].en) == wanted) {
      return static_cast<int>(i) + 1;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Lang> lang_from_string(std::string_view s) {
  if (s == "fr") return Lang::fr;
  if (s == "en") return Lang::en;
  return std::nullopt;
}

std::string_view to_string(Lang lang) {
  return lang == Lang::fr ? "fr" : "en";
}

std::optional<Gravity> gravity_from_int(int v) {
  if (v < kMinLevel || v > kMaxLevel) return std::nullopt;
  return static_cast<Gravity>(v);
}

std::optional<Likelihood> likelihood_from_int(int v) {
  if (v < kMinLevel || v > kMaxLevel) return std::nullopt;
  return static_cast<Likelihood>(v);
}

std::string_view gravity_name(Gravity g, Lang lang) {
  const auto& n = kGravityNames[static_cast<std::size_t>(to_int(g) - 1)];
  return lang == Lang::fr ? n.fr : n.en;
}

std::string_view likelihood_name(Likelihood l, Lang lang) {
  const auto& n = kLikelihoodNames[static_cast<std::size_t>(to_int(l) - 1)];
  return lang == Lang::fr ? n.fr : n.en;
}

std::optional<Gravity> gravity_from_name(std::string_view name) {
  if (const auto v = level_from_name(name, kGravityNames)) return static_cast<Gravity>(*v);
  // Common synonyms teams write.
  const std::string n = normalize_text(name);
  if (n == "grave" || n == "severe") return Gravity::critical;
  if (n == "mineur" || n == "faible" || n == "low") return Gravity::minor;
  if (n == "significatif" || n == "moderee" || n == "moderate" || n == "medium")
    return Gravity::significant;
  if (n == "important" || n == "high") return Gravity::important;
  if (n == "critical" || n == "critique") return Gravity::critical;
  return std::nullopt;
}

std::optional<Likelihood> likelihood_from_name(std::string_view name) {
  if (const auto v = level_from_name(name, kLikelihoodNames)) return static_cast<Likelihood>(*v);
  const std::string n = normalize_text(name);
  if (n == "quasi certaine" || n == "quasi certain" || n == "almost certain")
    return Likelihood::near_certain;
  if (n == "peu probable" || n == "improbable") return Likelihood::unlikely;
  return std::nullopt;
}

}  // namespace risksync
