// Recognisers for the words of the method inside ONE line of text (private to src/parse/):
// field labels ("Gravité :", "Mesures possible(s) :", "Current likelihood:"), level values
// ("4/4 🟥", "4 – Critique", "Quasi-certain"), measure items ("[Tech] … (M7) (poids 2)
// [C-4]"), story ids ("AS1 —"), the story sentence (attacker, component), document sections and
// DICP.
//
// Contract: pure functions over the text of a single AST node or logical line; they never see
// the raw file, never throw (except std::bad_alloc) and do no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.h"

namespace risksync::parse_detail {

enum class Field {
  none,
  story_id,    // a table column holding AS ids
  story_text,  // a table column holding the story sentence
  gravity,
  current,
  target,
  residual,
  in_place,
  possible,
  attacker,
  component,
};

// Canonical (French) name of a field, used as Error::field: "Gravité", "Vraisemblance
// actuelle", "Vraisemblance cible", "Vraisemblance résiduelle", "Mesures en place",
// "Mesures possibles", "Attaquant", "Composant", "id", "Abuser story".
std::string_view field_name(Field field);
bool is_list_field(Field field);

struct LabelMatch {
  Field field = Field::none;  // known label
  bool labelish = false;      // unknown, but shaped like "Label : value"
  std::string label;          // as written, trimmed
  std::string value;          // after the colon, trimmed
};

// "Label : value" with ':' or '：', any spacing, label in French or English, with or without
// accents, any case, singular or plural, "(s)" and other parentheses ignored. When
// `colon_optional` (headings, table headers) the whole text may be the label. A list label
// alone ("Mesures possibles") is recognised without colon anyway.
LabelMatch match_label(std::string_view text, bool colon_optional);

// Header cell of a table: the field it holds (Field::story_id for "ID", "AS", "#", "N°"...).
Field table_column_field(std::string_view header);

struct LevelParse {
  int level = 0;        // 1..4 when ok
  std::string error;    // non-empty: hard error, message
  std::string warning;  // non-empty: soft problem (text ignored after the level)
};

// "4", "4/4 🟥", "4 - Critique", "4 – Critique", "Critique", "Critique (4)", "2/4 🟨".
LevelParse parse_gravity(std::string_view value);
LevelParse parse_likelihood(std::string_view value);

struct ParsedMeasure {
  std::string text;  // tags, id, weight, citations and checkbox removed
  MeasureKind kind = MeasureKind::unspecified;
  std::string id;                 // "(M7)" or "{#M7}"
  std::optional<int> weight;      // "(poids 2)" / "(weight 2)"
  std::string weight_error;       // non-empty when the weight is not 1..1000
  std::vector<std::string> refs;  // "[C-4]" -> "C-4", upper case, document order
  std::optional<bool> checked;    // textual "[ ]" / "[x]" at the start (tables, paragraphs)
};

ParsedMeasure parse_measure_item(std::string_view text);

// "C-4", "W-27": one to four letters, a dash, one to four digits.
bool is_catalog_id(std::string_view text);

// True for "aucune", "néant", "none", "-", "—", "n/a": an explicitly empty list.
bool is_nothing_marker(std::string_view text);

struct StoryId {
  int number = 0;
  std::string rest;        // the text after the id and its separator
  bool separated = false;  // a separator (—, –, -, :, ., ), |) followed the id, or nothing did
};

// "AS1 — …", "AS1 - …", "AS1 : …", "AS 1 …", "as1", "AS-1"; nullopt when the text does not
// start with a story id.
std::optional<StoryId> parse_story_id(std::string_view text);

// A story header in running text (paragraph, list item, softbreak line): the id must be
// followed by a separator, by nothing, or by a story sentence, so that "AS2 et AS3 partagent
// ce socle" is not read as the start of AS2. Headings use parse_story_id directly.
std::optional<StoryId> parse_story_header(std::string_view text);

// Heuristic: the text reads like a story sentence without id ("En tant que …", "As a …",
// "Afin de …", "In order to …").
bool looks_like_story_sentence(std::string_view text);

struct SentenceParts {
  std::string attacker;   // "attaquant étatique"
  std::string component;  // "le code source"
};
SentenceParts analyse_sentence(std::string_view sentence);

enum class Section {
  none,  // before the first section heading
  other,
  description,
  perimeter,
  components,
  stakeholders,
  user_stories,
  headlines,
  abuser_stories,
};
Section section_from_heading(std::string_view heading);

// "Analyse de risques — AudioConf" -> "AudioConf"; any other title unchanged.
std::string product_from_title(std::string_view title);

struct DicpLine {
  char letter = 0;  // 'D', 'I', 'C' or 'P' ([T] Traçabilité is stored as 'P')
  std::string text;
};
// "[D] …", "[C] …", "Disponibilité : …", "Preuve : …".
std::optional<DicpLine> match_dicp(std::string_view text);

// True when a line that follows a soft line break inside a paragraph starts a new logical
// line (bullet glyph, checkbox, kind tag, DICP tag, story id or known label) instead of
// continuing the previous one.
bool starts_logical_line(std::string_view text);

}  // namespace risksync::parse_detail
