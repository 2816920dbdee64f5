// The analysis document as a value: what the DINUM/ANSSI workshop produced (docs/DESIGN.md §2).
//
// Contract: an Analysis returned by the parser is valid: ids unique, levels within 1..4,
// target ≤ current, every key in AbuserStory::possible_measures names an entry of
// Analysis::measures, and every Measure::stories entry names a story. It holds no status read
// from a tracker: status lives in a StatusMap beside it (model/assessment.h).
//
// Lookups (find_story, find_measure) go through an index of positions (model/key_index.h):
// O(log n) once reindex() has run after the last change of `stories` or `measures`, and
// always correct, only linear, when it has not. parse_analysis returns an indexed Analysis;
// code that builds or edits one calls reindex() when it is done. A copy carries the index
// and stays indexed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/key_index.h"
#include "model/scales.h"
#include "util/result.h"

namespace risksync {

enum class MeasureKind { tech, orga, unspecified };
std::string_view to_string(MeasureKind kind);  // "tech" | "orga" | "unspecified"

// Status of a possible measure, read back from a tracker or from the document's checkbox.
// Only `done` lowers a likelihood; `dropped` is shown, never hidden, and stays in the
// denominator of the residual rule. `closed_unverified`: closed as completed, but the team
// requires a verification label it does not carry yet: shown as such, counts as not done.
enum class MeasureStatus { todo, in_progress, done, dropped, closed_unverified };
std::string_view to_string(MeasureStatus status);  // "todo" | "in_progress" | "done" | ...
std::optional<MeasureStatus> measure_status_from_string(std::string_view s);

// A measure already in place (mesure en place). Not tracked, only shown.
struct InPlaceMeasure {
  std::string text;
  MeasureKind kind = MeasureKind::unspecified;
  std::vector<std::string> catalog_refs;  // e.g. "C-4", "W-7"
  SourceLocation where;
};

// A possible measure (mesure possible). One value per key: a measure shared by several
// stories (the *socle*) appears once here and is listed by each story that cites it.
struct Measure {
  // Explicit id written in the document ("M7") or, without one, derived from the story and the
  // text (see derive_measure_key). The key is the measure's identity in trackers.
  std::string key;
  bool explicit_key = false;
  std::string text;
  MeasureKind kind = MeasureKind::unspecified;
  int weight = 1;                         // (poids 2) / (weight 2); always ≥ 1
  std::vector<std::string> catalog_refs;  // e.g. "C-4", "W-7"
  bool checked = false;                   // "- [x]" in the document: done in local mode
  std::vector<std::string> stories;       // ids of the stories it serves, document order
  SourceLocation where;                   // first occurrence
};

// A security need of a user story on the DICP grid (free text as written by the team).
struct SecurityNeeds {
  std::string availability;     // [D] Disponibilité
  std::string integrity;        // [I] Intégrité
  std::string confidentiality;  // [C] Confidentialité
  std::string proof;            // [P] Preuve / [T] Traçabilité
};

struct UserStory {
  std::string text;
  SecurityNeeds needs;
  SourceLocation where;
};

struct AbuserStory {
  std::string id;         // "AS1"
  int number = 0;         // 1
  std::string text;       // the whole story sentence, whitespace collapsed
  std::string attacker;   // "attaquant étatique", when the sentence names one
  std::string component;  // "le code source", from "lorsque …", when present
  Gravity gravity = Gravity::minor;
  Likelihood current_likelihood = Likelihood::unlikely;
  Likelihood target_likelihood = Likelihood::unlikely;
  // "Vraisemblance résiduelle" when the team wrote one; compared with the computed value.
  std::optional<Likelihood> written_residual;
  std::vector<InPlaceMeasure> measures_in_place;
  std::vector<std::string> possible_measures;  // keys into Analysis::measures
  SourceLocation where;
};

struct Analysis {
  std::string source_file;  // as given by the user, for pages and messages
  std::string product;      // title of the document / product name
  std::string description;
  std::string perimeter;
  std::vector<std::string> components;
  std::vector<std::string> stakeholders;
  std::vector<UserStory> user_stories;
  std::vector<std::string> headlines;  // the journalists' headlines
  std::vector<AbuserStory> stories;    // document order
  std::vector<Measure> measures;       // first-appearance order

  // nullptr when absent. O(log n) with an up-to-date index; a miss costs O(n).
  const AbuserStory* find_story(std::string_view id) const;
  const Measure* find_measure(std::string_view key) const;

  // Rebuilds the lookup index from `stories` and `measures`: O(n log n).
  void reindex();
  // Whether the index is up to date with `stories` and `measures` (O(n log n), for tests).
  bool indexed() const;

 private:
  KeyIndex story_index_;
  KeyIndex measure_index_;
};

// Key of a measure without explicit id: "<story id>-<8 hex digits>" where the digits hash the
// measure's normalised text (case, accents, punctuation and spacing ignored). Stable across
// runs and platforms.
std::string derive_measure_key(std::string_view story_id, std::string_view text);

// Fingerprint of a text: 8 hex digits of FNV-1a over normalize_text(text). Cosmetic edits
// (case, accents, punctuation, spacing) keep it; any word change alters it.
std::string text_fingerprint(std::string_view text);

// Lower-case, accent-free, single-spaced, punctuation-free form of a French or English text,
// used for keys, label matching and similarity.
std::string normalize_text(std::string_view text);

}  // namespace risksync
