// Every word the dashboard pages print, in French (default, the method's words) and English.
//
// Contract: `tr` returns a non-empty string for every Text and Lang (static storage, plain
// text without any markup: it goes into the document tree like any other text and the
// emitters escape it, render/document.h). Strings with "{}" placeholders are filled with `fill`, in
// order; French and English have the same number of placeholders. Labels of levels and zones come
// from model/scales.h and model/zones.h, not from here.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "model/analysis.h"
#include "model/assessment.h"
#include "model/scales.h"

namespace risksync {

enum class Text {
  page_title,        // "Cartographie des risques"
  generated,         // "Page générée par risksync le {date} à partir de {source}."
  do_not_edit,       // "Pour la modifier, modifiez l'analyse de risques : …"
  statuses_remote,   // "Statuts lus dans {tracker} le {date}."
  statuses_boxes,    // "Statuts lus dans les cases à cocher de l'analyse."
  statuses_offline,  // "… cases à cocher de l'analyse, pas dans {tracker} (--offline)."
  summary,           // "Synthèse"
  summary_blocking,  // "Risques résiduels en zone bloquante : {}"
  summary_review,    // "Abuser stories à revoir en atelier : {}"
  summary_measures,  // "Mesures possibles faites : {} sur {}"
  summary_dropped,   // " (abandonnées : {})"
  none_risk,         // "aucun" (risque)
  none_story,        // "aucune" (abuser story)
  legend,            // "Légende"
  colon,             // " : " (French typography) / ": "
  blocking_zone,     // "zone bloquante"
  blocking_note,     // "Une zone bloquante fait échouer {} : …" ({}: the command)
  svg_alt,           // "Cartographie des risques : initiale, résiduelle et cible"
  maps_heading,      // "Cartographies initiale, résiduelle et cible" (HTML section)
  maps_as_tables,    // "Cartographies sous forme de tableaux"
  map_initial,       // "Cartographie initiale"
  map_residual,      // "Cartographie résiduelle"
  map_target,        // "Cartographie cible"
  map_initial_note,
  map_residual_note,
  map_target_note,
  map_initial_short,   // SVG subtitle: "vraisemblance actuelle"
  map_residual_short,  // "vraisemblance résiduelle calculée"
  map_target_short,    // "vraisemblance cible"
  map_corner,          // "Gravité ↓ · Vraisemblance →"
  axis_gravity,        // "Gravité"
  axis_likelihood,     // "Vraisemblance"
  stories_heading,     // "Abuser stories"
  col_id,
  col_story,
  col_gravity,
  col_likelihood_initial,   // "Vraisemblance initiale"
  col_likelihood_residual,  // "Vraisemblance résiduelle"
  col_likelihood_target,    // "Vraisemblance cible"
  col_measures_done,        // "Mesures faites"
  col_zone_residual,        // "Zone résiduelle"
  col_review,               // "À revoir"
  review_flag,              // "à revoir en atelier"
  review_written,           // "valeur écrite dans l'analyse : {}"
  no_stories,
  measures_heading,  // "Mesures possibles"
  col_key,
  col_measure,
  col_kind,
  col_weight,
  col_stories,
  col_status,
  col_catalog,
  no_measures,
  in_place_heading,  // "Mesures en place"
  col_in_place,
  rule_heading,   // "Règle de calcul de la vraisemblance résiduelle"
  rule_text,      // the rule in words
  rule_formula,   // the formula (inside a code block / <pre>)
  rule_proposal,  // "La valeur calculée est une proposition …"
  footer,         // "Source : {} · générée le {} par risksync"
  count_          // number of entries, not a text
};

std::string_view tr(Text text, Lang lang);

// "à faire", "en cours", "faite", "abandonnée", "fermée non vérifiée" / "to do", ...
std::string_view status_name(MeasureStatus status, Lang lang);
// ⬜ ⏳ ✅ ❌ 🔍
std::string_view status_symbol(MeasureStatus status);
// "Technique", "Organisationnelle", "non précisé" / "Technical", "Organisational", ...
std::string_view kind_name(MeasureKind kind, Lang lang);
// Text::map_initial / map_residual / map_target
std::string_view map_title(MapKind kind, Lang lang);
std::string_view map_note(MapKind kind, Lang lang);
std::string_view map_short(MapKind kind, Lang lang);

// Replaces each "{}" of `pattern` by the next argument (missing arguments: empty).
std::string fill(std::string_view pattern, std::initializer_list<std::string_view> args);

}  // namespace risksync
