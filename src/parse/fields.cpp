#include "parse/fields.h"

#include <array>
#include <cstring>
#include <utility>

#include "model/scales.h"
#include "parse/text_util.h"

namespace risksync::parse_detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// ---- label keys: parentheses dropped, normalised, each word singular ----

std::string drop_parentheses(std::string_view s) {
  std::string out;
  int depth = 0;
  for (const char c : s) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

// Each word of a normalised text made singular, in place (a word never grows): "s" alone is
// dropped, a final 's' removed from words of more than three letters, words joined by one
// space.
void singularize_in_place(std::string& text) {
  std::size_t out = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == npos) end = text.size();
    std::size_t len = end - start;
    const bool drop = len == 0 || (len == 1 && text[start] == 's');
    if (!drop) {
      if (len > 3 && text[end - 1] == 's') --len;
      if (out > 0) text[out++] = ' ';
      if (out != start) std::memmove(text.data() + out, text.data() + start, len);
      out += len;
    }
    start = end + 1;
  }
  text.resize(out);
}

std::string singularize(std::string_view normalized) {
  std::string out(normalized);
  singularize_in_place(out);
  return out;
}

// One normalised string, made singular in place; parentheses are dropped first only when the
// label has some (drop_parentheses also drops an unbalanced ')').
std::string label_key(std::string_view label) {
  std::string key = label.find_first_of("()") == npos ? normalize_text(label)
                                                      : normalize_text(drop_parentheses(label));
  singularize_in_place(key);
  return key;
}

struct LabelEntry {
  std::string_view text;
  Field field;
};

constexpr std::array<LabelEntry, 46> kLabels{{
    {"Gravité", Field::gravity},
    {"Niveau de gravité", Field::gravity},
    {"Gravity", Field::gravity},
    {"Severity", Field::gravity},
    {"Sévérité", Field::gravity},
    {"Vraisemblance actuelle", Field::current},
    {"Vraisemblance initiale", Field::current},
    {"Vraisemblance courante", Field::current},
    {"Vraisemblance", Field::current},
    {"Current likelihood", Field::current},
    {"Initial likelihood", Field::current},
    {"Likelihood", Field::current},
    {"Vraisemblance cible", Field::target},
    {"Vraisemblance visée", Field::target},
    {"Target likelihood", Field::target},
    {"Vraisemblance résiduelle", Field::residual},
    {"Residual likelihood", Field::residual},
    {"Mesures en place", Field::in_place},
    {"Mesures déjà en place", Field::in_place},
    {"Mesures existantes", Field::in_place},
    {"Mesures actuelles", Field::in_place},
    {"Existing measures", Field::in_place},
    {"Measures in place", Field::in_place},
    {"In-place measures", Field::in_place},
    {"Current measures", Field::in_place},
    {"Mesures possibles", Field::possible},
    {"Mesures à mettre en place", Field::possible},
    {"Mesures proposées", Field::possible},
    {"Mesures envisagées", Field::possible},
    {"Mesures à prendre", Field::possible},
    {"Possible measures", Field::possible},
    {"Proposed measures", Field::possible},
    {"Planned measures", Field::possible},
    {"Measures to take", Field::possible},
    {"Attaquant", Field::attacker},
    {"Attacker", Field::attacker},
    {"Source de risque", Field::attacker},
    {"Abuser", Field::attacker},
    {"Composant", Field::component},
    {"Composant visé", Field::component},
    {"Component", Field::component},
    {"Target component", Field::component},
    {"Abuser story", Field::story_text},
    {"Scénario", Field::story_text},
    {"Story", Field::story_text},
    {"Récit", Field::story_text},
}};

struct KeyedLabel {
  std::string key;
  Field field;
};

const std::vector<KeyedLabel>& keyed_labels() {
  static const std::vector<KeyedLabel> labels = [] {
    std::vector<KeyedLabel> out;
    for (const auto& e : kLabels) out.push_back({label_key(e.text), e.field});
    return out;
  }();
  return labels;
}

Field field_from_key(std::string_view key) {
  if (key.empty()) return Field::none;
  for (const auto& l : keyed_labels())
    if (l.key == key) return l.field;
  return Field::none;
}

bool is_kind_word(std::string_view normalized) {
  static constexpr std::array<std::string_view, 11> kWords{
      "tech",           "technique",       "technical",
      "orga",           "organisationnel", "organisationnelle",
      "organizational", "organisational",  "organisation",
      "organization",   "techniques"};
  for (const auto w : kWords)
    if (normalized == w) return true;
  return false;
}

std::optional<MeasureKind> kind_from_word(std::string_view word) {
  const std::string n = normalize_text(word);
  if (!is_kind_word(n)) return std::nullopt;
  return n.starts_with("tech") ? MeasureKind::tech : MeasureKind::orga;
}

bool starts_like_sentence(std::string_view normalized) {
  static constexpr std::array<std::string_view, 9> kStarts{
      "en tant qu", "as a ", "as an ", "afin d", "in order to", "lorsqu", "when ", "je ", "i "};
  for (const auto s : kStarts)
    if (normalized.starts_with(s)) return true;
  return false;
}

std::size_t count_words(std::string_view normalized) {
  if (normalized.empty()) return 0;
  std::size_t n = 1;
  for (const char c : normalized)
    if (c == ' ') ++n;
  return n;
}

// Position of the first ':' or full-width '：'; `len` receives its byte length.
std::size_t find_colon(std::string_view s, std::size_t& len) {
  const std::size_t ascii = s.find(':');
  const std::size_t wide = s.find("\xEF\xBC\x9A");
  if (wide != npos && (ascii == npos || wide < ascii)) {
    len = 3;
    return wide;
  }
  len = 1;
  return ascii;
}

// ---- levels ----

std::string gravity_names() {
  return "Mineure, Significative, Importante, Critique";
}
std::string likelihood_names() {
  return "Peu probable, Probable, Très probable, Quasi-certain";
}

std::optional<int> level_by_name(std::string_view name, bool gravity) {
  if (gravity) {
    if (const auto g = gravity_from_name(name)) return to_int(*g);
  } else if (const auto l = likelihood_from_name(name)) {
    return to_int(*l);
  }
  return std::nullopt;
}

std::string_view level_name(int level, bool gravity) {
  if (gravity) return gravity_name(static_cast<Gravity>(level), Lang::fr);
  return likelihood_name(static_cast<Likelihood>(level), Lang::fr);
}

std::size_t skip_digits(std::string_view s, std::size_t i) {
  while (i < s.size() && is_ascii_digit(s[i])) ++i;
  return i;
}

std::size_t skip_spaces(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

LevelParse parse_level(std::string_view value, bool gravity) {
  LevelParse out;
  const std::string_view v = trim(value);
  const std::string names = gravity ? gravity_names() : likelihood_names();
  if (v.empty()) {
    out.error = "no value: expected a level from 1 to 4 or a name (" + names + ")";
    return out;
  }
  std::optional<int> number;
  std::string name_text(v);
  std::size_t d = 0;
  while (d < v.size() && !is_ascii_digit(v[d])) ++d;
  if (d < v.size()) {
    const std::string_view before = trim(v.substr(0, d));
    const std::size_t e = skip_digits(v, d);
    if (!before.empty() && before.back() == '-' && normalize_text(before).empty()) {
      out.error = "level '" + std::string(v) + "' is out of range: expected 1 to 4";
      return out;
    }
    if (e + 1 < v.size() && (v[e] == '.' || v[e] == ',') && is_ascii_digit(v[e + 1])) {
      out.error = "unrecognised level '" + std::string(v) + "': expected a whole number 1 to 4";
      return out;
    }
    number = parse_small_int(v.substr(d, e - d), 3).value_or(1000);
    std::size_t a = skip_spaces(v, e);
    if (a < v.size() && v[a] == '/') {
      const std::size_t ds = skip_spaces(v, a + 1);
      const std::size_t de = skip_digits(v, ds);
      if (de > ds) {
        if (parse_small_int(v.substr(ds, de - ds), 3).value_or(0) != 4) {
          out.error = "level '" + std::string(v) + "' is not on the 1 to 4 scale (write e.g. 3/4)";
          return out;
        }
        a = de;
      }
    }
    name_text = std::string(before) + " " + std::string(v.substr(a));
  }
  if (number && (*number < kMinLevel || *number > kMaxLevel)) {
    out.error = "level " + std::to_string(*number) + " is out of range: expected 1 to 4";
    return out;
  }
  const std::string norm = normalize_text(name_text);
  const std::optional<int> named = norm.empty() ? std::nullopt : level_by_name(name_text, gravity);
  if (number && named && *number != *named) {
    out.error = "level '" + std::string(v) + "': " + std::to_string(*number) + " is " +
                std::string(level_name(*number, gravity)) + " but the name given is level " +
                std::to_string(*named);
    return out;
  }
  if (!number && !named) {
    out.error =
        "unrecognised level '" + std::string(v) + "': expected 1 to 4 or a name (" + names + ")";
    return out;
  }
  if (number && !named && !norm.empty())
    out.warning = "text '" + std::string(trim(name_text)) + "' after the level is ignored";
  out.level = number ? *number : *named;
  return out;
}

// ---- measures ----

bool is_citation(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_ascii_alpha(s[i])) ++i;
  if (i == 0 || i > 4 || i >= s.size() || s[i] != '-') return false;
  const std::size_t d = i + 1;
  const std::size_t e = skip_digits(s, d);
  return e == s.size() && e > d && e - d <= 4;
}

// "C-4", "C-4, W-7", "C-4; W-7" -> refs; nullopt if any part is not a citation.
std::optional<std::vector<std::string>> citations_in(std::string_view inner) {
  std::vector<std::string> refs;
  std::string buf(inner);
  for (char& c : buf)
    if (c == ';') c = ',';
  for (std::string_view part : split(buf, ',')) {
    part = trim(part);
    if (!is_citation(part)) return std::nullopt;
    refs.push_back(ascii_upper(part));
  }
  if (refs.empty()) return std::nullopt;
  return refs;
}

bool is_paren_id(std::string_view s) {
  return s.size() >= 2 && s.size() <= 7 && s[0] == 'M' && skip_digits(s, 1) == s.size();
}

bool is_brace_id(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (const char c : s)
    if (!is_ascii_alnum(c) && c != '_' && c != '-' && c != '.') return false;
  return true;
}

// "(poids 2)", "(weight: 2)": true when the parentheses hold a weight (valid or not).
bool parse_weight(std::string_view inner, ParsedMeasure& out) {
  const std::string n = normalize_text(inner);
  std::string_view rest;
  if (n.starts_with("poids")) {
    rest = std::string_view(n).substr(5);
  } else if (n.starts_with("weight")) {
    rest = std::string_view(n).substr(6);
  } else {
    return false;
  }
  if (!rest.empty() && rest[0] != ' ') return false;  // "poidsxyz" is not a weight
  rest = trim(rest);
  const auto w = parse_small_int(rest, 4);
  if (!w || *w < 1 || *w > 1000) {
    out.weight_error =
        "weight '" + std::string(trim(inner)) + "' must be a whole number from 1 to 1000";
  } else {
    out.weight = *w;
  }
  return true;
}

// Handles one bracketed group [inner]; true when it was consumed.
bool take_bracket(std::string_view inner, ParsedMeasure& out) {
  if (const auto kind = kind_from_word(inner)) {
    out.kind = *kind;
    return true;
  }
  if (auto refs = citations_in(inner)) {
    for (auto& r : *refs) out.refs.push_back(std::move(r));
    return true;
  }
  return false;
}

// Handles one parenthesised group (inner); true when it was consumed.
bool take_paren(std::string_view inner, ParsedMeasure& out) {
  const std::string_view t = trim(inner);
  if (const auto kind = kind_from_word(t)) {
    out.kind = *kind;
    return true;
  }
  if (is_paren_id(t)) {
    if (out.id.empty()) out.id = std::string(t);
    return true;
  }
  return parse_weight(t, out);
}

std::string strip_kind_prefix(std::string_view text, ParsedMeasure& out) {
  std::size_t len = 0;
  const std::size_t colon = find_colon(text, len);
  if (colon == npos || colon > 24) return std::string(text);
  if (const auto kind = kind_from_word(trim(text.substr(0, colon)))) {
    out.kind = *kind;
    return std::string(text.substr(colon + len));
  }
  return std::string(text);
}

constexpr std::size_t kMaxGroup = 200;

std::string tidy(std::string_view text) {
  std::string s = collapse_spaces(text);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' && i + 1 < s.size() && (s[i + 1] == '.' || s[i + 1] == ',')) continue;
    out += s[i];
  }
  while (!out.empty()) {
    const std::string_view t = trim(out);
    if (t.size() != out.size()) {
      out = std::string(t);
    } else if (out.back() == '-' || out.back() == ':' || out.back() == ',') {
      out.pop_back();
    } else if (out.size() >= 3 && (out.ends_with("\u2014") || out.ends_with("\u2013"))) {
      out.resize(out.size() - 3);
    } else {
      break;
    }
  }
  return out;
}

// ---- story sentence ----

bool word_start(std::string_view lower, std::size_t pos) {
  return pos == 0 || lower[pos - 1] == ' ' || lower[pos - 1] == ',' || lower[pos - 1] == ';' ||
         lower[pos - 1] == '(';
}

std::size_t find_word(std::string_view lower, std::string_view word, std::size_t from = 0) {
  std::size_t pos = lower.find(word, from);
  while (pos != npos && !word_start(lower, pos)) pos = lower.find(word, pos + 1);
  return pos;
}

// Skips "e " / "'" / "’" after "qu" or "lorsqu".
std::size_t skip_elision(std::string_view lower, std::size_t pos) {
  if (lower.substr(pos, 2) == "e ") return pos + 2;
  if (lower.substr(pos, 1) == "'") return pos + 1;
  if (lower.substr(pos, 3) == "\u2019") return pos + 3;
  return npos;
}

std::size_t clause_end(std::string_view lower, std::size_t from) {
  static constexpr std::array<std::string_view, 12> kStops{",",       ";",      ".",   " lorsqu",
                                                           " quand ", " je ",   " j'", " j\u2019",
                                                           " afin ",  " when ", " i ", " so that"};
  std::size_t end = lower.size();
  for (const auto stop : kStops) {
    const std::size_t p = lower.find(stop, from);
    if (p != npos && p < end) end = p;
  }
  return end;
}

std::string strip_article(std::string_view s, bool english) {
  static constexpr std::array<std::string_view, 2> kFr{"un ", "une "};
  static constexpr std::array<std::string_view, 3> kEn{"a ", "an ", "the "};
  if (english) {
    for (const auto a : kEn)
      if (istarts_with(s, a)) return std::string(trim(s.substr(a.size())));
  } else {
    for (const auto a : kFr)
      if (istarts_with(s, a)) return std::string(trim(s.substr(a.size())));
  }
  return std::string(trim(s));
}

std::string extract_attacker(std::string_view text, std::string_view lower) {
  std::size_t pos = find_word(lower, "en tant qu");
  bool english = false;
  std::size_t start = npos;
  if (pos != npos) {
    start = skip_elision(lower, pos + 10);
  } else if ((pos = find_word(lower, "as an ")) != npos) {
    start = pos + 6;
    english = true;
  } else if ((pos = find_word(lower, "as a ")) != npos) {
    start = pos + 5;
    english = true;
  }
  if (start == npos || start >= text.size()) return {};
  const std::size_t end = clause_end(lower, start);
  return strip_article(text.substr(start, end - start), english);
}

std::string extract_component(std::string_view text, std::string_view lower) {
  std::size_t start = npos;
  std::size_t pos = find_word(lower, "lorsqu");
  if (pos != npos) {
    start = skip_elision(lower, pos + 6);
  } else if ((pos = find_word(lower, "quand ")) != npos) {
    start = pos + 6;
  } else if ((pos = find_word(lower, "when ")) != npos) {
    start = pos + 5;
  }
  if (start == npos || start >= text.size()) return {};
  std::size_t end = clause_end(lower, start);
  // The component is the subject of the clause: cut at its verb or at a negation.
  static constexpr std::array<std::string_view, 18> kVerbs{
      " est ",   " sont ",    " is ",     " are ",   " devient ", " deviennent ",
      " reste ", " restent ", " a ",      " ont ",   " peut ",    " peuvent ",
      " ne ",    " n'",       " n\u2019", " isn't ", " has ",     " can "};
  for (const auto verb : kVerbs) {
    const std::size_t p = lower.find(verb, start);
    if (p != npos && p < end) end = p;
  }
  return std::string(trim(text.substr(start, end - start)));
}

// ---- sections ----

bool contains(std::string_view s, std::string_view needle) {
  return s.find(needle) != npos;
}

std::string strip_numbering(std::string_view normalized) {
  std::size_t i = 0;
  while (i < normalized.size() && (is_ascii_digit(normalized[i]) || normalized[i] == ' ')) ++i;
  return std::string(normalized.substr(i));
}

}  // namespace

std::string_view field_name(Field field) {
  switch (field) {
    case Field::none:
      return "";
    case Field::story_id:
      return "id";
    case Field::story_text:
      return "Abuser story";
    case Field::gravity:
      return "Gravité";
    case Field::current:
      return "Vraisemblance actuelle";
    case Field::target:
      return "Vraisemblance cible";
    case Field::residual:
      return "Vraisemblance résiduelle";
    case Field::in_place:
      return "Mesures en place";
    case Field::possible:
      return "Mesures possibles";
    case Field::attacker:
      return "Attaquant";
    case Field::component:
      return "Composant";
  }
  return "";
}

bool is_list_field(Field field) {
  return field == Field::in_place || field == Field::possible;
}

LabelMatch match_label(std::string_view text, bool colon_optional) {
  LabelMatch out;
  const std::string_view t = trim(text);
  std::size_t len = 0;
  const std::size_t colon = find_colon(t, len);
  const std::string_view label = trim(colon == npos ? t : t.substr(0, colon));
  if (label.empty() || label.size() > 60) return out;
  const std::string key = label_key(label);
  const Field field = field_from_key(key);
  if (colon == npos) {
    if (field != Field::none && (colon_optional || is_list_field(field))) {
      out.field = field;
      out.label = std::string(label);
    }
    return out;
  }
  out.label = std::string(label);
  out.value = std::string(trim(t.substr(colon + len)));
  if (field != Field::none) {
    out.field = field;
    return out;
  }
  const std::string norm = normalize_text(label);
  out.labelish = !norm.empty() && is_ascii_alpha(norm[0]) && count_words(norm) <= 4 &&
                 label.size() <= 40 && label.find('[') == npos && label.find('(') == npos &&
                 !is_kind_word(norm) && !starts_like_sentence(norm + " ") &&
                 !parse_story_id(label).has_value();
  return out;
}

Field table_column_field(std::string_view header) {
  const std::string_view h = trim(header);
  const std::string key = label_key(h);
  if (h == "#" || h == "N°" || h == "n°") return Field::story_id;
  static constexpr std::array<std::string_view, 8> kIdKeys{
      "id", "as", "n", "no", "numero", "identifiant", "ref", "reference"};
  for (const auto k : kIdKeys)
    if (key == k) return Field::story_id;
  static constexpr std::array<std::string_view, 4> kStoryKeys{"description", "histoire",
                                                              "abuser storie", "scenario"};
  for (const auto k : kStoryKeys)
    if (key == k) return Field::story_text;
  return field_from_key(key);
}

LevelParse parse_gravity(std::string_view value) {
  return parse_level(value, true);
}

LevelParse parse_likelihood(std::string_view value) {
  return parse_level(value, false);
}

ParsedMeasure parse_measure_item(std::string_view text) {
  ParsedMeasure out;
  std::string_view t = trim(text);
  if (t.size() >= 3 && t[0] == '[' && t[2] == ']' && (t[1] == ' ' || t[1] == 'x' || t[1] == 'X') &&
      (t.size() == 3 || t[3] == ' ')) {
    out.checked = t[1] != ' ';
    t = trim(t.substr(3));
  }
  std::string kept;
  // Next position of ']', ')' and '}' at or after the scan point, cached so that a run of
  // unclosed openers stays linear.
  std::array<std::size_t, 3> next_close{0, 0, 0};
  std::array<bool, 3> searched{false, false, false};
  std::size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    const int k = c == '[' ? 0 : c == '(' ? 1 : c == '{' ? 2 : -1;
    if (k >= 0) {
      const auto kk = static_cast<std::size_t>(k);
      if (!searched[kk] || (next_close[kk] != npos && next_close[kk] <= i)) {
        next_close[kk] = t.find("])}"[kk], i + 1);
        searched[kk] = true;
      }
      const std::size_t j = next_close[kk];
      // Tags, ids, weights and citation lists are short: longer groups are plain text.
      if (j != npos && j - i <= kMaxGroup) {
        const std::string_view inner = t.substr(i + 1, j - i - 1);
        bool taken = false;
        if (c == '[') {
          taken = take_bracket(inner, out);
        } else if (c == '(') {
          taken = take_paren(inner, out);
        } else if (inner.size() > 1 && inner[0] == '#' && is_brace_id(inner.substr(1))) {
          if (out.id.empty()) out.id = std::string(inner.substr(1));
          taken = true;
        }
        if (taken) {
          kept += ' ';
          i = j + 1;
          continue;
        }
      }
    }
    kept += c;
    ++i;
  }
  out.text = tidy(strip_kind_prefix(trim(kept), out));
  return out;
}

bool is_catalog_id(std::string_view text) {
  return is_citation(text);
}

bool is_nothing_marker(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty() || t == "-" || t == "\u2014" || t == "\u2013") return true;
  const std::string n = normalize_text(t);
  return n == "aucune" || n == "aucun" || n == "neant" || n == "none" || n == "n a" || n == "na" ||
         n == "rien";
}

std::optional<StoryId> parse_story_id(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.size() < 3 || (t[0] != 'A' && t[0] != 'a') || (t[1] != 'S' && t[1] != 's'))
    return std::nullopt;
  std::size_t i = 2;
  if (t[i] == ' ' && t[0] == 'A' && t[1] == 'S') {
    ++i;
  } else if (t[i] == '-' || t[i] == '_') {
    ++i;
  }
  const std::size_t e = skip_digits(t, i);
  if (e == i || e - i > 4) return std::nullopt;
  const int number = parse_small_int(t.substr(i, e - i), 4).value_or(0);
  if (number < 1) return std::nullopt;
  if (e < t.size()) {
    const auto b = static_cast<unsigned char>(t[e]);
    const bool ok = t[e] == ' ' || t[e] == '\t' || t[e] == '.' || t[e] == ':' || t[e] == '-' ||
                    t[e] == ')' || t[e] == '|' || b == 0xE2 || b == 0xC2 || b == 0xEF;
    if (!ok) return std::nullopt;
  }
  std::string_view rest = t.substr(e);
  bool separated = trim(rest).empty();
  for (bool changed = true; changed;) {
    changed = false;
    rest = trim(rest);
    for (const std::string_view sep :
         {"\u2014", "\u2013", "-", ":", ".", ")", "|", "\xEF\xBC\x9A"}) {
      if (rest.starts_with(sep)) {
        rest.remove_prefix(sep.size());
        changed = true;
        separated = true;
      }
    }
  }
  return StoryId{number, std::string(rest), separated};
}

std::optional<StoryId> parse_story_header(std::string_view text) {
  auto id = parse_story_id(text);
  if (id && !id->separated && !looks_like_story_sentence(id->rest)) return std::nullopt;
  return id;
}

bool looks_like_story_sentence(std::string_view text) {
  const std::string n = normalize_text(text) + " ";
  return n.starts_with("en tant qu") || n.starts_with("as a ") || n.starts_with("as an ") ||
         n.starts_with("afin d") || n.starts_with("in order to ");
}

SentenceParts analyse_sentence(std::string_view sentence) {
  const std::string lower = ascii_lower(sentence);
  SentenceParts out;
  out.attacker = extract_attacker(sentence, lower);
  out.component = extract_component(sentence, lower);
  return out;
}

Section section_from_heading(std::string_view heading) {
  const std::string n = strip_numbering(singularize(normalize_text(heading)));
  if (contains(n, "abuser")) return Section::abuser_stories;
  if (contains(n, "user storie") || contains(n, "user story") ||
      contains(n, "histoire utilisateur") || n.starts_with("dicp") || n.starts_with("dict") ||
      n.starts_with("besoin de securite"))
    return Section::user_stories;
  if (n.starts_with("description") || n.starts_with("presentation")) return Section::description;
  if (n.starts_with("perimetre") || n.starts_with("scope") || n.starts_with("perimeter") ||
      n.starts_with("rappel du perimetre"))
    return Section::perimeter;
  if (n.starts_with("composant") || n.starts_with("component") ||
      n.starts_with("lister les composant"))
    return Section::components;
  if (contains(n, "partie prenante") || contains(n, "stakeholder")) return Section::stakeholders;
  if ((contains(n, "titre") && (contains(n, "journ") || contains(n, "presse"))) ||
      contains(n, "headline"))
    return Section::headlines;
  return Section::other;
}

std::string product_from_title(std::string_view title) {
  const std::string_view t = trim(title);
  const std::string lead = normalize_text(t.substr(0, 40));
  if (!lead.starts_with("analyse") && !lead.starts_with("risk analysis") &&
      !lead.starts_with("security risk analysis"))
    return std::string(t);
  static constexpr std::array<std::string_view, 18> kDrop{
      "analyse", "analyses", "analysis", "de",       "des", "du",   "d",   "risque", "risques",
      "risk",    "risks",    "securite", "security", "la",  "pour", "for", "of",     "cyber"};
  std::size_t pos = 0;
  while (pos < t.size()) {
    std::size_t end = t.find(' ', pos);
    if (end == npos) end = t.size();
    const std::string word = normalize_text(t.substr(pos, end - pos));
    bool drop = word.empty();
    for (const auto d : kDrop) drop = drop || word == d;
    if (!drop) break;
    pos = end + 1;
  }
  if (pos >= t.size()) return std::string(t);
  return std::string(trim(t.substr(pos)));
}

std::optional<DicpLine> match_dicp(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.size() >= 3 && t[0] == '[' && t[2] == ']') {
    const char c = static_cast<char>(ascii_upper(t.substr(1, 1))[0]);
    if (c == 'D' || c == 'I' || c == 'C' || c == 'P' || c == 'T')
      return DicpLine{c == 'T' ? 'P' : c, std::string(trim(t.substr(3)))};
  }
  std::size_t len = 0;
  const std::size_t colon = find_colon(t, len);
  if (colon == npos) return std::nullopt;
  const std::string key = normalize_text(t.substr(0, colon));
  const std::string value(trim(t.substr(colon + len)));
  if (key == "disponibilite" || key == "availability") return DicpLine{'D', value};
  if (key == "integrite" || key == "integrity") return DicpLine{'I', value};
  if (key == "confidentialite" || key == "confidentiality") return DicpLine{'C', value};
  if (key == "preuve" || key == "tracabilite" || key == "proof" || key == "traceability")
    return DicpLine{'P', value};
  return std::nullopt;
}

bool starts_logical_line(std::string_view text) {
  std::string_view t = trim(text);
  if (t.empty()) return false;
  if (strip_bullet_glyph(t) > 0) return true;
  if (t.size() >= 3 && t[0] == '[' && t[2] == ']') return true;  // [ ], [x], [D], [C]...
  if (t[0] == '[') {
    const std::size_t close = t.find(']');
    if (close != npos && kind_from_word(t.substr(1, close - 1))) return true;
  }
  std::size_t len = 0;
  const std::size_t colon = find_colon(t, len);
  if (colon != npos && colon <= 24 && kind_from_word(trim(t.substr(0, colon)))) return true;
  if (parse_story_header(t)) return true;
  return match_label(t, false).field != Field::none;
}

}  // namespace risksync::parse_detail
