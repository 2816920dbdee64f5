// Small analyses shared by the sync tests (engine, convergence, contract, property).
#pragma once

#include <string>
#include <vector>

#include "model/analysis.h"

namespace risksync::testing {

inline Measure measure(std::string key, bool explicit_key, std::string text,
                       std::vector<std::string> stories, MeasureKind kind = MeasureKind::tech) {
  Measure m;
  m.key = std::move(key);
  m.explicit_key = explicit_key;
  m.text = std::move(text);
  m.kind = kind;
  m.stories = std::move(stories);
  return m;
}

inline AbuserStory story(int n, std::string text, Gravity g, Likelihood cur, Likelihood tgt,
                         std::vector<std::string> measures) {
  AbuserStory s;
  s.id = "AS" + std::to_string(n);
  s.number = n;
  s.text = std::move(text);
  s.gravity = g;
  s.current_likelihood = cur;
  s.target_likelihood = tgt;
  s.possible_measures = std::move(measures);
  return s;
}

// AS1 (4, 3→1) with M1 (shared) and a derived measure; AS2 (2, 2→1) with M1.
inline Analysis sample() {
  Analysis a;
  a.source_file = "analyse.md";
  const std::string derived = derive_measure_key("AS1", "Lancer un programme de bug bounty");
  a.stories = {
      story(1,
            "En tant qu'attaquant étatique, je souhaite récupérer les codes de "
            "conférence afin d'espionner",
            Gravity::critical, Likelihood::very_likely, Likelihood::unlikely, {"M1", derived}),
      story(2,
            "En tant qu'hacktiviste, je souhaite saturer les capacités d'appels afin "
            "de ridiculiser le gouvernement",
            Gravity::significant, Likelihood::likely, Likelihood::unlikely, {"M1"})};
  a.measures = {
      measure("M1", true, "Revue de code systématique", {"AS1", "AS2"}),
      measure(derived, false, "Lancer un programme de bug bounty", {"AS1"}, MeasureKind::orga)};
  return a;
}

}  // namespace risksync::testing
