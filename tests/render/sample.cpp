#include "render/sample.h"

namespace risksync::test {

const char* const kHostileStoryText =
    "En tant qu'initié | <script>alert(1)</script> <!-- x --> ](javascript:alert(1)) `code` "
    "je casse le **tableau de bord** de l'équipe AudioConf";

namespace {

InPlaceMeasure in_place(std::string text, MeasureKind kind, std::vector<std::string> refs = {}) {
  InPlaceMeasure m;
  m.text = std::move(text);
  m.kind = kind;
  m.catalog_refs = std::move(refs);
  return m;
}

Measure measure(std::string key, bool explicit_key, std::string text, MeasureKind kind, int weight,
                std::vector<std::string> refs, std::vector<std::string> stories) {
  Measure m;
  m.key = std::move(key);
  m.explicit_key = explicit_key;
  m.text = std::move(text);
  m.kind = kind;
  m.weight = weight;
  m.catalog_refs = std::move(refs);
  m.stories = std::move(stories);
  return m;
}

}  // namespace

RenderSample audioconf_sample(Lang lang) {
  RenderSample s;
  Analysis& a = s.analysis;
  a.source_file = "docs/analyse-de-risques.md";
  a.product = "AudioConf";
  a.description =
      "Le service AudioConf permet de réserver une conférence téléphonique en quelques clics.";

  const std::string ban_text = "Bannissement automatique des numéros qui saturent les appels";
  // A key without explicit id, as derive_measure_key("AS2", ban_text) gave when the golden
  // files were written; spelled out so that the pages do not depend on the hash.
  const std::string ban_key = "AS2-3cd9c97c";

  AbuserStory as1;
  as1.id = "AS1";
  as1.number = 1;
  as1.text =
      "En tant qu'attaquant étatique, lorsque le code source est vulnérable, je souhaite "
      "récupérer les codes de conférences pour espionner les conférences téléphoniques afin "
      "de récupérer des informations stratégiques";
  as1.attacker = "attaquant étatique";
  as1.component = "le code source";
  as1.gravity = Gravity::critical;
  as1.current_likelihood = Likelihood::likely;
  as1.target_likelihood = Likelihood::unlikely;
  as1.measures_in_place = {
      in_place("Analyse de code automatique par GitHub", MeasureKind::tech),
      in_place("Les utilisateurs sont sensibilisés au fait que le service ne peut accueillir que "
               "des informations non sensibles",
               MeasureKind::orga),
      in_place("Ne pas stocker les codes d'accès aux conférences en base de données",
               MeasureKind::tech, {"C-16"}),
  };
  as1.possible_measures = {"M1", "M3"};

  AbuserStory as2;
  as2.id = "AS2";
  as2.number = 2;
  as2.text =
      "En tant qu'hacktiviste, lorsque l'API OVH est vulnérable, je souhaite saturer les "
      "capacités d'appels afin de ridiculiser le gouvernement et perturber son fonctionnement";
  as2.attacker = "hacktiviste";
  as2.component = "l'API OVH";
  as2.gravity = Gravity::significant;
  as2.current_likelihood = Likelihood::unlikely;
  as2.target_likelihood = Likelihood::unlikely;
  as2.measures_in_place = {
      in_place("Analyse de code automatique par GitHub", MeasureKind::tech),
      in_place("Contractualisation avec OVH", MeasureKind::orga),
  };
  as2.possible_measures = {ban_key, "M4"};

  AbuserStory as3;
  as3.id = "AS3";
  as3.number = 3;
  as3.text = kHostileStoryText;
  as3.attacker = "initié";
  as3.gravity = Gravity::important;
  as3.current_likelihood = Likelihood::very_likely;
  as3.target_likelihood = Likelihood::unlikely;
  as3.written_residual = Likelihood::very_likely;
  as3.possible_measures = {"M3", "M5"};

  a.stories = {as1, as2, as3};
  a.measures = {
      measure("M1", true, "Lancer un programme de bug bounty", MeasureKind::tech, 1, {}, {"AS1"}),
      measure("M3", true,
              "Revue systématique du code par un second développeur, renforcée par l'outil de "
              "gestion de code (CodeQL, Secret scanning)",
              MeasureKind::tech, 2, {"W-13", "W-14"}, {"AS1", "AS3"}),
      measure(ban_key, false, ban_text, MeasureKind::tech, 1, {}, {"AS2"}),
      measure("M4", true, "Proposer des outils alternatifs pour les réunions à distance",
              MeasureKind::orga, 1, {}, {"AS2"}),
      measure("M5", true, "Neutraliser les sorties HTML <b> | <script> selon le contexte",
              MeasureKind::tech, 1, {"W-17"}, {"AS3"}),
  };

  s.statuses = {
      {"M1", MeasureStatus::in_progress},
      {ban_key, MeasureStatus::todo},
      {"M3", MeasureStatus::done},
      {"M4", MeasureStatus::dropped},
      {"M5", MeasureStatus::closed_unverified},
  };
  s.assessment = assess(a, s.statuses, s.grid);

  s.ctx.lang = lang;
  s.ctx.generated_at = "2026-11-23 14:05 UTC";
  s.ctx.source_file = a.source_file;
  s.ctx.svg_file_name = "cartographie.svg";
  s.ctx.item_urls = {
      {"AS1", "https://github.com/beta-gouv/audioconf/issues/1"},
      {"AS2", "javascript:alert(document.domain)"},  // dropped: not http(s)
      {"AS3", "https://github.com/beta-gouv/audioconf/issues/3"},
      {"M1", "https://github.com/beta-gouv/audioconf/issues/4"},
      {"M3", "https://github.com/beta-gouv/audioconf/issues/6?from=risk map&x=(2)"},
      {"M4", "data:text/html,<script>alert(1)</script>"},  // dropped: not http(s)
  };
  return s;
}

}  // namespace risksync::test
