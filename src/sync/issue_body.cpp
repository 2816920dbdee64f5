#include "sync/issue_body.h"

#include <string_view>

#include "render/escape.h"

namespace risksync {
namespace {

constexpr std::size_t kTitleChars = 90;

std::string_view kind_tag(MeasureKind kind) {
  switch (kind) {
    case MeasureKind::tech:
      return "[Tech] ";
    case MeasureKind::orga:
      return "[Orga] ";
    case MeasureKind::unspecified:
      return "";
  }
  return "";
}

std::string level(int value, std::string_view name) {
  return std::to_string(value) + " – " + std::string(name);
}

// "[AS1](url)" or "AS1" when the item has no issue yet.
std::string linked(const ItemUrls& urls, const std::string& key, const std::string& label) {
  const auto it = urls.find(key);
  const std::string text = escape_markdown_inline(label);
  if (it == urls.end() || it->second.empty()) return text;
  return "[" + text + "](" + it->second + ")";
}

std::string catalog_line(const std::vector<std::string>& refs) {
  std::string out;
  for (const auto& r : refs) out += (out.empty() ? "" : ", ") + escape_markdown_inline(r);
  return out;
}

struct Words {
  std::string_view story, gravity, likelihood, initial, residual, target, zone, in_place, possible,
      none, managed, weight, serves, catalog, how_to_close, review, measure;
};

const Words& words(Lang lang) {
  static const Words fr{"Abuser story",
                        "Gravité",
                        "Vraisemblance",
                        "initiale",
                        "résiduelle (calculée)",
                        "cible",
                        "Zone du risque résiduel",
                        "Mesures en place",
                        "Mesures possibles",
                        "aucune",
                        "Bloc géré par risksync depuis",
                        "poids",
                        "Abuser stories concernées",
                        "Référentiel",
                        "Fermez ce ticket comme *terminé* quand la mesure est en place, comme "
                        "*non prévu* si elle est abandonnée.",
                        "à revoir en atelier : la valeur écrite dans l'analyse diffère",
                        "Mesure possible"};
  static const Words en{"Abuser story",
                        "Severity",
                        "Likelihood",
                        "initial",
                        "residual (computed)",
                        "target",
                        "Residual risk zone",
                        "Measures in place",
                        "Possible measures",
                        "none",
                        "Block managed by risksync from",
                        "weight",
                        "Abuser stories served",
                        "Catalog",
                        "Close this issue as *completed* once the measure is in place, as *not "
                        "planned* if it is dropped.",
                        "to review in a workshop: the value written in the analysis differs",
                        "Possible measure"};
  return lang == Lang::fr ? fr : en;
}

std::string footer(const Words& w, const std::string& source_file) {
  return "\n<sub>" + std::string(w.managed) + " `" + source_file +
         "`. ✍️ Écrivez / write below the end marker.</sub>\n";
}

}  // namespace

std::string story_title(const AbuserStory& story) {
  return story.id + " — " + shorten_text(story.text, kTitleChars);
}

std::string measure_title(const Measure& measure) {
  std::string title = std::string(kind_tag(measure.kind)) + shorten_text(measure.text, kTitleChars);
  if (measure.explicit_key) return measure.key + " — " + title;
  std::string stories;
  for (const auto& s : measure.stories) stories += (stories.empty() ? "" : ", ") + s;
  return title + " (" + stories + ")";
}

std::string story_block(const Analysis& analysis, const AbuserStory& story,
                        const Assessment& assessment, const ItemUrls& urls, Lang lang,
                        const std::string& source_file) {
  const Words& w = words(lang);
  const StoryAssessment* sa = assessment.find_story(story.id);
  std::string out;
  out += "### " + std::string(w.story) + " " + story.id + "\n\n";
  out += "> " + escape_markdown_inline(story.text) + "\n\n";
  out += "**" + std::string(w.gravity) +
         "** : " + level(to_int(story.gravity), gravity_name(story.gravity, lang)) + "\n\n";
  out += "| " + std::string(w.likelihood) + " | |\n|---|---|\n";
  out += "| " + std::string(w.initial) + " | " +
         level(to_int(story.current_likelihood), likelihood_name(story.current_likelihood, lang)) +
         " |\n";
  if (sa) {
    out += "| **" + std::string(w.residual) + "** | **" +
           level(to_int(sa->residual), likelihood_name(sa->residual, lang)) + "** |\n";
  }
  out += "| " + std::string(w.target) + " | " +
         level(to_int(story.target_likelihood), likelihood_name(story.target_likelihood, lang)) +
         " |\n\n";
  if (sa) {
    out += "**" + std::string(w.zone) + "** : " + std::string(zone_emoji(sa->zone_residual)) + " " +
           std::string(zone_name(sa->zone_residual, lang));
    out += " (" + std::to_string(sa->measures_done) + "/" + std::to_string(sa->measures_total) +
           ")\n\n";
    if (sa->needs_review) out += "⚠️ " + std::string(w.review) + "\n\n";
  }
  out += "#### " + std::string(w.in_place) + "\n\n";
  if (story.measures_in_place.empty()) out += "- " + std::string(w.none) + "\n";
  for (const auto& m : story.measures_in_place)
    out += "- " + std::string(kind_tag(m.kind)) + escape_markdown_inline(m.text) + "\n";
  out += "\n#### " + std::string(w.possible) + "\n\n";
  if (story.possible_measures.empty()) out += "- " + std::string(w.none) + "\n";
  for (const auto& key : story.possible_measures) {
    const Measure* m = analysis.find_measure(key);
    if (!m) continue;
    const MeasureStatus st = assessment.status_of(key);
    const bool done = st == MeasureStatus::done;
    std::string label = m->explicit_key ? m->key + " — " : std::string{};
    label += std::string(kind_tag(m->kind)) + m->text;
    out += std::string(done ? "- [x] " : "- [ ] ") + linked(urls, key, label);
    if (st == MeasureStatus::dropped) out += " ❌";
    if (st == MeasureStatus::closed_unverified) out += " ⏳✔";
    out += "\n";
  }
  out += footer(w, source_file);
  return out;
}

std::string measure_block(const Analysis&, const Measure& measure, const ItemUrls&, Lang lang,
                          const std::string& source_file) {
  const Words& w = words(lang);
  std::string out;
  out += "### " + std::string(w.measure);
  if (measure.explicit_key) out += " " + measure.key;
  out += "\n\n";
  out += std::string(kind_tag(measure.kind)) + escape_markdown_inline(measure.text) + "\n\n";
  if (measure.weight != 1)
    out += "**" + std::string(w.weight) + "** : " + std::to_string(measure.weight) + "\n\n";
  // Story ids as text, not links: the measure is created right after its stories, before their
  // URLs are known to the plan, and a link would cost one more write per measure on the first
  // sync. The platform shows the parent issue itself (GitHub sub-issues).
  out += "**" + std::string(w.serves) + "** : ";
  std::string served;
  for (const auto& id : measure.stories) served += (served.empty() ? "" : ", ") + id;
  out += served + "\n\n";
  if (!measure.catalog_refs.empty())
    out += "**" + std::string(w.catalog) + "** : " + catalog_line(measure.catalog_refs) + "\n\n";
  out += std::string(w.how_to_close) + "\n";
  out += footer(w, source_file);
  return out;
}

}  // namespace risksync
