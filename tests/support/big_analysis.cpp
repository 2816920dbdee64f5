#include "support/big_analysis.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace risksync::testing {
namespace {

constexpr std::array<std::string_view, 6> kAttackers{
    "cybercriminel",       "attaquant étatique",     "hacktiviste",
    "salarié malveillant", "attaquant opportuniste", "groupe de rançongiciel"};
constexpr std::array<std::string_view, 8> kComponents{
    "l'API de partage",  "la base de données", "le stockage des documents",
    "l'application web", "le service de SMS",  "la console d'administration",
    "la sauvegarde",     "le code source"};
constexpr std::array<std::string_view, 5> kWeaknesses{
    "est mal protégée", "n'est pas journalisée", "expose des identifiants prédictibles",
    "reste accessible depuis Internet", "dépend d'un composant vulnérable"};
constexpr std::array<std::string_view, 5> kGoals{"voler des dossiers", "chiffrer les données",
                                                 "modifier des ordonnances",
                                                 "saturer la plateforme", "usurper un compte"};
constexpr std::array<std::string_view, 4> kGravity{"Mineure", "Significative", "Importante",
                                                   "Critique"};
constexpr std::array<std::string_view, 4> kLikelihood{"Peu probable", "Probable", "Très probable",
                                                      "Quasi-certain"};

std::size_t socle_size(int stories) {
  return static_cast<std::size_t>(std::max(1, stories / 10));
}

template <std::size_t N>
std::string_view pick(const std::array<std::string_view, N>& words, int i) {
  return words[static_cast<std::size_t>(i) % N];
}

// A Ségur control id that exists in config/catalogs/segur.tsv: C-1..C-22 or W-1..W-27.
std::string control(int i) {
  return i % 3 == 0 ? "W-" + std::to_string(1 + i % 27) : "C-" + std::to_string(1 + i % 22);
}

std::string level(int value, const std::array<std::string_view, 4>& names) {
  return std::to_string(value) + " - " + std::string(names[static_cast<std::size_t>(value - 1)]);
}

void append_story(std::string& out, int s, std::size_t socle) {
  const std::string n = std::to_string(s);
  const int gravity = 1 + s % 4;
  const int current = 3 + s % 2;
  const int target = 1 + s % 2;
  out += "### AS" + n + " — En tant que " + std::string(pick(kAttackers, s)) + ", lorsque " +
         std::string(pick(kComponents, s)) + " " + std::string(pick(kWeaknesses, s)) +
         ", je souhaite " + std::string(pick(kGoals, s)) + " (scénario " + n + ")\n\n";
  out += "- Gravité : " + level(gravity, kGravity) + "\n";
  out += "- Mesures en place :\n";
  out += "  - [Tech] Pare-feu applicatif devant " + std::string(pick(kComponents, s)) + " [" +
         control(s) + "]\n";
  out += "  - [Orga] Charte signée par l'équipe du scénario " + n + "\n";
  out += "- Vraisemblance actuelle : " + level(current, kLikelihood) + "\n";
  out += "- Mesures possibles :\n";
  const int first_id = 3 * (s - 1) + 1;
  out += "  - [ ] [Tech] Contrôle des droits sur " + std::string(pick(kComponents, s)) +
         ", scénario " + n + " (M" + std::to_string(first_id) + ") [" + control(s + 1) + "]\n";
  out += "  - [x] [Orga] Revue trimestrielle des accès du scénario " + n + " (M" +
         std::to_string(first_id + 1) + ") (poids 2)\n";
  out += "  - [ ] [Tech] Journalisation des actions du scénario " + n + " (M" +
         std::to_string(first_id + 2) + ") [" + control(s + 2) + "] [" + control(s + 5) + "]\n";
  const std::size_t k = 1 + static_cast<std::size_t>(s - 1) % socle;
  out += "  - [" + std::string(k % 4 == 0 ? "x" : " ") + "] [Tech] Mesure commune numéro " +
         std::to_string(k) + " du socle {#socle-" + std::to_string(k) + "} [" +
         control(static_cast<int>(k)) + "]\n";
  out += "  - [ ] [Orga] Sensibilisation des équipes au scénario " + n + "\n";
  out += "- Vraisemblance cible : " + level(target, kLikelihood) + "\n";
  if (s % 7 == 0) out += "- Vraisemblance résiduelle : " + level(current, kLikelihood) + "\n";
  out += "\n";
}

}  // namespace

BigAnalysisShape big_analysis_shape(int stories) {
  BigAnalysisShape shape;
  shape.stories = static_cast<std::size_t>(stories);
  shape.socle_size = std::min(socle_size(stories), shape.stories);
  shape.measures = 4 * shape.stories + shape.socle_size;
  // Socle measure k serves the stories s with (s - 1) % socle == k - 1.
  shape.shared_measures = shape.stories > shape.socle_size ? shape.socle_size : 0;
  return shape;
}

std::string big_analysis_markdown(int stories) {
  const std::size_t socle = socle_size(stories);
  std::string out;
  out.reserve(static_cast<std::size_t>(stories) * 900 + 2048);
  out += "# Analyse de risques — Plateforme de test à grande échelle\n\n";
  out += "Document produit pour mesurer le coût de risksync sur " + std::to_string(stories) +
         " abuser stories.\n\n";
  out += "## Description\n\nUne plateforme de partage de documents entre professionnels.\n\n";
  out += "## Périmètre\n\nL'application web, l'API et la base de données.\n\n";
  out += "## Composants\n\n";
  for (const auto c : kComponents) out += "- " + std::string(c) + "\n";
  out += "\n## Parties prenantes\n\n- Patients\n- Professionnels de santé\n\n";
  out += "## User stories\n\n";
  out += "- En tant que médecin, je souhaite déposer un compte rendu\n";
  out += "  - [D] Disponible dans l'heure\n  - [I] Non modifiable\n";
  out += "  - [C] Lisible par les seuls soignants autorisés\n  - [P] Dépôt tracé\n\n";
  out += "## Titres de journaux\n\n- Des dossiers médicaux en vente sur un forum\n\n";
  out += "## Abuser stories\n\n";
  for (int s = 1; s <= stories; ++s) append_story(out, s, socle);
  return out;
}

}  // namespace risksync::testing
