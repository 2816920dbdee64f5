// The method's two 1–4 scales (gravité, vraisemblance) and the page language.
//
// Contract: a Gravity or Likelihood value is always within 1..4 once it left the parser; use
// `level_from_int` to build one from untrusted input. Labels are the method's words.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace risksync {

enum class Lang { fr, en };
std::optional<Lang> lang_from_string(std::string_view s);  // "fr" | "en"
std::string_view to_string(Lang lang);

// 1 Mineure, 2 Significative, 3 Importante, 4 Critique
enum class Gravity { minor = 1, significant = 2, important = 3, critical = 4 };
// 1 Peu probable, 2 Probable, 3 Très probable, 4 Quasi-certain
enum class Likelihood { unlikely = 1, likely = 2, very_likely = 3, near_certain = 4 };

constexpr int kMinLevel = 1;
constexpr int kMaxLevel = 4;

constexpr int to_int(Gravity g) {
  return static_cast<int>(g);
}
constexpr int to_int(Likelihood l) {
  return static_cast<int>(l);
}
std::optional<Gravity> gravity_from_int(int v);
std::optional<Likelihood> likelihood_from_int(int v);

// "Critique" / "Critical"; "Quasi-certain" / "Near certain".
std::string_view gravity_name(Gravity g, Lang lang);
std::string_view likelihood_name(Likelihood l, Lang lang);

// Parses a level name in either language, any case, with or without accents
// ("critique", "Très probable", "tres probable", "near-certain"). Returns nullopt if unknown.
std::optional<Gravity> gravity_from_name(std::string_view name);
std::optional<Likelihood> likelihood_from_name(std::string_view name);

}  // namespace risksync
