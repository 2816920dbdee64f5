#include "parse/analysis_parser.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <set>
#include <utility>

#include "parse/fields.h"
#include "parse/input_limits.h"
#include "parse/markdown_ast.h"
#include "parse/md_lines.h"
#include "parse/text_util.h"

namespace risksync {
namespace {

using namespace parse_detail;

constexpr std::string_view kExpectedShape =
    "expected headings like '### AS1 — En tant que …', list items '- AS1 — …' or a table "
    "with an 'AS' id column, each story with 'Gravité :', 'Vraisemblance actuelle :', "
    "'Mesures possibles :' and 'Vraisemblance cible :'; see examples/audioconf.md";

// ---- diagnostics ----

class Diagnostics {
 public:
  explicit Diagnostics(std::string file) : file_(std::move(file)) {}

  void error(int line, std::string_view field, std::string message) {
    errors_.push_back(bad_input(std::move(message), {file_, line}, std::string(field)));
  }
  void warn(int line, std::string_view field, std::string message) {
    warnings_.push_back(bad_input(std::move(message), {file_, line}, std::string(field)));
  }
  bool has_errors() const { return !errors_.empty(); }
  const std::string& file() const { return file_; }

  std::vector<Error> take_errors() { return sorted(std::move(errors_)); }
  std::vector<Error> take_warnings() { return sorted(std::move(warnings_)); }

 private:
  static std::vector<Error> sorted(std::vector<Error> v) {
    std::stable_sort(v.begin(), v.end(),
                     [](const Error& a, const Error& b) { return a.where.line < b.where.line; });
    return v;
  }
  std::string file_;
  std::vector<Error> errors_;
  std::vector<Error> warnings_;
};

// ---- stories as found in the document, before interpretation ----

struct TableCell {
  Field field = Field::none;
  std::vector<Segment> segments;
};

struct StoryDraft {
  int number = 0;
  int line = 0;
  std::string text;            // sentence found with the id
  int heading_level = 0;       // > 0: a heading story, closed by a heading of that level or less
  bool fields_before = false;  // the seed's layout: the fields precede the "AS1 - …" line
  bool from_table = false;
  std::vector<TextLine> body;    // lines that belong to the story
  std::vector<TableCell> cells;  // table layout
};

std::string story_id(int number) {
  return "AS" + std::to_string(number);
}

// One possible measure as written under one story.
struct Occurrence {
  std::size_t story_index = 0;
  ParsedMeasure measure;
  int line = 0;
};

struct LevelSlot {
  int value = 0;  // 0: not given
  int line = 0;
  bool invalid = false;  // given, but wrong (already reported)
};

// ---- interpretation of one story's lines ----

class StoryBuilder {
 public:
  StoryBuilder(const StoryDraft& draft, std::size_t index, const ParseOptions& options,
               Diagnostics& diag, std::vector<Occurrence>& occurrences)
      : draft_(draft),
        index_(index),
        options_(options),
        diag_(diag),
        occurrences_(occurrences),
        id_(story_id(draft.number)) {
    append_text(draft.text);
  }

  void consume_lines() {
    Field active = Field::none;
    int active_depth = 0;
    bool seen_field = false;
    for (const TextLine& line : draft_.body) {
      const bool heading = line.heading_level > 0;
      const LabelMatch label = match_label(line.text, heading);
      if (label.field != Field::none) {
        seen_field = true;
        apply_label(label, line);
        active = is_list_field(label.field) ? label.field : Field::none;
        active_depth = heading ? -1 : line.depth;
        continue;
      }
      if (heading) {
        active = Field::none;
        continue;
      }
      if (active != Field::none && is_item(line, active_depth)) {
        add_item(active, line.text, line.line, line.checked);
        continue;
      }
      if (label.labelish) {
        diag_.warn(line.line, label.label,
                   "unknown label '" + label.label + "' in " + id_ + " is ignored");
        active = Field::none;
        continue;
      }
      if (!seen_field && !draft_.fields_before) {
        append_text(line.text);
        continue;
      }
      active = Field::none;
    }
  }

  void consume_cells() {
    for (const TableCell& cell : draft_.cells) {
      if (cell.field == Field::none || cell.field == Field::story_id) continue;
      if (is_list_field(cell.field)) {
        for (const Segment& seg : cell.segments) {
          std::string_view t = trim(seg.text);
          strip_bullet_glyph(t);
          add_item(cell.field, t, draft_.line, std::nullopt);
        }
        continue;
      }
      std::string value;
      for (const Segment& seg : cell.segments) {
        if (seg.text.empty()) continue;
        if (!value.empty()) value += ' ';
        value += seg.text;
      }
      if (cell.field == Field::story_text) {
        append_text(value);
      } else if (!is_nothing_marker(value) || cell.field == Field::gravity ||
                 cell.field == Field::current) {
        apply_scalar(cell.field, value, draft_.line);
      }
    }
  }

  AbuserStory finish() {
    AbuserStory s;
    s.id = id_;
    s.number = draft_.number;
    s.text = collapse_spaces(text_);
    s.where = {diag_.file(), draft_.line};
    const SentenceParts parts = analyse_sentence(s.text);
    s.attacker = attacker_.empty() ? parts.attacker : attacker_;
    s.component = component_.empty() ? parts.component : component_;
    s.measures_in_place = std::move(in_place_);
    check_levels(s);
    if (s.text.empty())
      diag_.warn(draft_.line, field_name(Field::story_text),
                 id_ +
                     " has no story sentence (\"En tant que …, lorsque …, je souhaite … afin "
                     "de …\")");
    return s;
  }

 private:
  static bool is_item(const TextLine& line, int active_depth) {
    return line.bullet || line.glyph > 0 || line.depth > active_depth || !line.block_start ||
           starts_logical_line(line.text);
  }

  void append_text(std::string_view text) {
    const std::string_view t = trim(text);
    if (t.empty()) return;
    if (!text_.empty()) text_ += ' ';
    text_ += t;
  }

  void apply_label(const LabelMatch& label, const TextLine& line) {
    if (is_list_field(label.field)) {
      if (!label.value.empty()) add_item(label.field, label.value, line.line, std::nullopt);
      return;
    }
    apply_scalar(label.field, label.value, line.line);
  }

  void apply_scalar(Field field, std::string_view value, int line) {
    switch (field) {
      case Field::gravity:
      case Field::current:
      case Field::target:
      case Field::residual:
        set_level(field, value, line);
        break;
      case Field::attacker:
        attacker_ = std::string(trim(value));
        break;
      case Field::component:
        component_ = std::string(trim(value));
        break;
      case Field::story_text:
        append_text(value);
        break;
      default:
        break;
    }
  }

  LevelSlot& slot(Field field) {
    switch (field) {
      case Field::gravity:
        return gravity_;
      case Field::current:
        return current_;
      case Field::target:
        return target_;
      default:
        return residual_;
    }
  }

  void set_level(Field field, std::string_view value, int line) {
    const std::string_view name = field_name(field);
    const LevelParse r = field == Field::gravity ? parse_gravity(value) : parse_likelihood(value);
    LevelSlot& s = slot(field);
    if (!r.error.empty()) {
      diag_.error(line, name, r.error);
      s.invalid = true;
      return;
    }
    if (!r.warning.empty()) diag_.warn(line, name, r.warning);
    if (s.value != 0) {
      if (s.value != r.level) {
        diag_.error(line, name,
                    std::string(name) + " of " + id_ + " is given twice with different values (" +
                        std::to_string(s.value) + " at line " + std::to_string(s.line) + ", " +
                        std::to_string(r.level) + " here)");
        s.invalid = true;
      } else {
        diag_.warn(line, name,
                   std::string(name) + " of " + id_ + " is given twice (first at line " +
                       std::to_string(s.line) + ")");
      }
      return;
    }
    s.value = r.level;
    s.line = line;
  }

  void check_citations(const std::vector<std::string>& refs, Field field, int line) {
    if (!options_.catalog) return;
    for (const auto& ref : refs) {
      if (!options_.catalog->find(ref))
        diag_.warn(line, field_name(field),
                   "unknown catalog citation [" + ref + "] (not in catalog '" +
                       options_.catalog->name + "')");
    }
  }

  void add_item(Field field, std::string_view text, int line, std::optional<bool> checked) {
    if (is_nothing_marker(text)) return;
    ParsedMeasure m = parse_measure_item(text);
    if (checked) m.checked = checked;
    check_citations(m.refs, field, line);
    if (field == Field::in_place) {
      if (m.text.empty()) return;
      in_place_.push_back({std::move(m.text), m.kind, std::move(m.refs), {diag_.file(), line}});
      return;
    }
    if (!m.weight_error.empty()) {
      diag_.error(line, field_name(field), m.weight_error);
      return;
    }
    if (m.text.empty() && m.id.empty()) {
      diag_.warn(line, field_name(field), "empty measure in " + id_ + " is ignored");
      return;
    }
    occurrences_.push_back({index_, std::move(m), line});
  }

  void check_levels(AbuserStory& s) {
    if (gravity_.value == 0 && !gravity_.invalid)
      diag_.error(draft_.line, field_name(Field::gravity),
                  id_ + " has no gravity: add a line 'Gravité : 1 to 4'");
    if (current_.value == 0 && !current_.invalid)
      diag_.error(draft_.line, field_name(Field::current),
                  id_ +
                      " has no current likelihood: add a line 'Vraisemblance actuelle : 1 to "
                      "4'");
    if (target_.value == 0 && !target_.invalid && current_.value != 0) {
      diag_.warn(draft_.line, field_name(Field::target),
                 id_ + " has no target likelihood: the current likelihood (" +
                     std::to_string(current_.value) + ") is used");
      target_.value = current_.value;
    }
    if (target_.value != 0 && current_.value != 0 && target_.value > current_.value &&
        target_.line != 0) {
      diag_.error(target_.line, field_name(Field::target),
                  "target likelihood " + std::to_string(target_.value) + " of " + id_ +
                      " is above its current likelihood " + std::to_string(current_.value) +
                      ": measures cannot make a risk more likely");
    }
    if (gravity_.value != 0) s.gravity = static_cast<Gravity>(gravity_.value);
    if (current_.value != 0) s.current_likelihood = static_cast<Likelihood>(current_.value);
    if (target_.value != 0) s.target_likelihood = static_cast<Likelihood>(target_.value);
    if (residual_.value != 0) s.written_residual = static_cast<Likelihood>(residual_.value);
  }

  const StoryDraft& draft_;
  std::size_t index_;
  const ParseOptions& options_;
  Diagnostics& diag_;
  std::vector<Occurrence>& occurrences_;
  std::string id_;
  std::string text_;
  std::string attacker_;
  std::string component_;
  LevelSlot gravity_;
  LevelSlot current_;
  LevelSlot target_;
  LevelSlot residual_;
  std::vector<InPlaceMeasure> in_place_;
};

// ---- shared measures ----

class MeasureRegistry {
 public:
  MeasureRegistry(Analysis& analysis, Diagnostics& diag) : analysis_(analysis), diag_(diag) {}

  void add(const Occurrence& occ) {
    AbuserStory& story = analysis_.stories[occ.story_index];
    const ParsedMeasure& pm = occ.measure;
    const bool explicit_key = !pm.id.empty();
    const std::string key = explicit_key ? pm.id : derive_measure_key(story.id, pm.text);
    const auto it = index_.find(key);
    if (it == index_.end()) {
      create(key, explicit_key, occ, story);
      return;
    }
    Measure& m = analysis_.measures[it->second];
    if (!served_.emplace(key, story.id).second) {
      diag_.warn(occ.line, field_name(Field::possible),
                 "measure " + key + " is listed twice under " + story.id);
      return;
    }
    merge(m, occ);
    m.stories.push_back(story.id);
    story.possible_measures.push_back(key);
  }

  void check_texts() {
    for (const Measure& m : analysis_.measures) {
      if (m.text.empty())
        diag_.error(m.where.line, field_name(Field::possible),
                    "measure " + m.key + " has no text: write it in full at least once");
    }
  }

 private:
  void create(const std::string& key, bool explicit_key, const Occurrence& occ,
              AbuserStory& story) {
    const ParsedMeasure& pm = occ.measure;
    Measure m;
    m.key = key;
    m.explicit_key = explicit_key;
    m.text = pm.text;
    m.kind = pm.kind;
    m.weight = pm.weight.value_or(1);
    m.catalog_refs = pm.refs;
    m.checked = pm.checked.value_or(false);
    m.stories.push_back(story.id);
    m.where = {diag_.file(), occ.line};
    index_[key] = analysis_.measures.size();
    served_.emplace(key, story.id);
    has_weight_[key] = pm.weight.has_value();
    analysis_.measures.push_back(std::move(m));
    story.possible_measures.push_back(key);
  }

  void merge(Measure& m, const Occurrence& occ) {
    const ParsedMeasure& pm = occ.measure;
    const std::string first = " (first at line " + std::to_string(m.where.line) + ")";
    const std::string_view field = field_name(Field::possible);
    if (!pm.text.empty()) {
      if (m.text.empty()) {
        m.text = pm.text;
      } else if (normalize_text(pm.text) != normalize_text(m.text)) {
        diag_.warn(occ.line, field,
                   "measure " + m.key +
                       " is written with another text than its first "
                       "occurrence" +
                       first + "; the first text is kept");
      }
    }
    if (pm.kind != MeasureKind::unspecified) {
      if (m.kind == MeasureKind::unspecified) {
        m.kind = pm.kind;
      } else if (m.kind != pm.kind) {
        diag_.warn(occ.line, field,
                   "measure " + m.key + " is tagged " + std::string(to_string(pm.kind)) +
                       " here but " + std::string(to_string(m.kind)) + first);
      }
    }
    if (pm.weight) {
      if (!has_weight_[m.key]) {
        m.weight = *pm.weight;
        has_weight_[m.key] = true;
      } else if (*pm.weight != m.weight) {
        diag_.warn(occ.line, field,
                   "measure " + m.key + " has another weight here; weight " +
                       std::to_string(m.weight) + first + " is kept");
      }
    }
    if (pm.checked && *pm.checked != m.checked) {
      diag_.warn(occ.line, field,
                 "measure " + m.key + " is ticked in one story and not in another" + first +
                     "; it counts as ticked");
      m.checked = true;
    }
    for (const auto& ref : pm.refs)
      if (std::find(m.catalog_refs.begin(), m.catalog_refs.end(), ref) == m.catalog_refs.end())
        m.catalog_refs.push_back(ref);
  }

  Analysis& analysis_;
  Diagnostics& diag_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, bool> has_weight_;
  std::set<std::pair<std::string, std::string>> served_;  // (measure key, story id)
};

// ---- the document walk ----

bool has_field_line(const std::vector<TextLine>& lines) {
  return std::any_of(lines.begin(), lines.end(), [](const TextLine& l) {
    return match_label(l.text, l.heading_level > 0).field != Field::none;
  });
}

int item_level(const TextLine& line) {
  if (line.bullet) return line.depth;
  if (line.glyph > 0) return line.depth + line.glyph;
  return 0;
}

std::string join_lines(const std::vector<TextLine>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (l.text.empty()) continue;
    if (!out.empty()) out += '\n';
    out += l.text;
  }
  return out;
}

// Components and stakeholders: one entry per top-level item, sub-items appended to it.
std::vector<std::string> list_entries(const std::vector<TextLine>& lines) {
  std::vector<std::string> out;
  bool has_child = false;
  for (const auto& l : lines) {
    const int level = item_level(l);
    if (level == 0 || l.text.empty()) continue;
    if (level == 1 || out.empty()) {
      out.push_back(l.text);
      has_child = false;
      continue;
    }
    std::string& parent = out.back();
    if (has_child) {
      parent += ", ";
    } else {
      parent += parent.ends_with(':') ? " " : " : ";
    }
    parent += l.text;
    has_child = true;
  }
  return out;
}

class DocumentReader {
 public:
  DocumentReader(std::string_view file, const ParseOptions& options)
      : options_(options), diag_(std::string(file)) {}

  ParseOutcome read(std::string_view markdown);

 private:
  void walk(cmark_node* root);
  void on_heading(cmark_node* node);
  void on_block(cmark_node* node);
  void on_table(cmark_node* node);
  void stream_line(const TextLine& line);
  void close_stream();
  bool story_context() const;
  bool in_heading_story() const;
  void build(Analysis& analysis);
  void build_sections(Analysis& analysis) const;
  void check_found_stories();

  const ParseOptions& options_;
  Diagnostics diag_;

  bool product_set_ = false;
  std::string product_;
  bool has_abuser_section_ = false;
  Section section_ = Section::none;
  int section_level_ = 0;
  int abuser_section_line_ = 0;
  std::map<Section, std::vector<TextLine>> section_lines_;

  std::vector<StoryDraft> drafts_;
  std::optional<std::size_t> current_;  // draft receiving the lines that follow
  std::vector<TextLine> pending_;       // lines with no story yet
  bool fields_before_mode_ = false;
  int swallow_level_ = 0;  // > 0: inside a story heading without id (already reported)
  bool saw_story_candidate_ = false;

  int risk_table_line_ = 0;
  std::string risk_table_columns_;
};

bool DocumentReader::in_heading_story() const {
  return current_ && drafts_[*current_].heading_level > 0;
}

bool DocumentReader::story_context() const {
  if (section_ == Section::abuser_stories) return true;
  if (has_abuser_section_) return false;
  return section_ == Section::none || section_ == Section::other;
}

void DocumentReader::close_stream() {
  for (const auto& l : pending_) {
    if (match_label(l.text, l.heading_level > 0).field != Field::none) {
      diag_.warn(l.line, "",
                 "fields outside any abuser story are ignored: write '### AS<n> — …' before "
                 "them (or 'AS<n> - …' right after them)");
      break;
    }
  }
  pending_.clear();
  current_.reset();
  fields_before_mode_ = false;
  swallow_level_ = 0;
}

void DocumentReader::stream_line(const TextLine& line) {
  if (swallow_level_ > 0) return;
  if (line.heading_level == 0) {
    if (auto id = parse_story_header(line.text)) {
      saw_story_candidate_ = true;
      StoryDraft d;
      d.number = id->number;
      d.line = line.line;
      d.text = std::move(id->rest);
      if ((!current_ && has_field_line(pending_)) || fields_before_mode_) {
        d.fields_before = true;
        d.body = std::move(pending_);
        pending_.clear();
        fields_before_mode_ = true;
        drafts_.push_back(std::move(d));
        current_.reset();
      } else {
        pending_.clear();
        drafts_.push_back(std::move(d));
        current_ = drafts_.size() - 1;
      }
      return;
    }
  }
  if (current_) {
    drafts_[*current_].body.push_back(line);
  } else {
    pending_.push_back(line);
  }
}

void DocumentReader::on_heading(cmark_node* node) {
  const int level = heading_level(node);
  const std::string text = inline_text(node);
  const int line = start_line(node);
  if (level == 1 && !product_set_ && !parse_story_id(text) &&
      section_from_heading(text) == Section::other) {
    product_set_ = true;
    product_ = product_from_title(text);
    close_stream();
    return;
  }
  auto id = parse_story_id(text);
  if (!id && in_heading_story() && level > drafts_[*current_].heading_level) {
    TextLine tl;
    tl.text = text;
    tl.line = line;
    tl.heading_level = level;
    tl.block_start = true;
    drafts_[*current_].body.push_back(std::move(tl));
    return;
  }
  if (swallow_level_ > 0 && level > swallow_level_) return;
  close_stream();
  if (id) {
    saw_story_candidate_ = true;
    StoryDraft d;
    d.number = id->number;
    d.line = line;
    d.text = std::move(id->rest);
    d.heading_level = level;
    drafts_.push_back(std::move(d));
    current_ = drafts_.size() - 1;
    return;
  }
  const Section sec = section_from_heading(text);
  if (sec != Section::other) {
    section_ = sec;
    section_level_ = level;
    if (sec == Section::abuser_stories && abuser_section_line_ == 0) abuser_section_line_ = line;
    return;
  }
  const bool deeper = section_ == Section::none || level > section_level_;
  if (story_context() && deeper && looks_like_story_sentence(text)) {
    saw_story_candidate_ = true;
    diag_.error(line, field_name(Field::story_id),
                "abuser story heading without id: write it '" + std::string(level, '#') +
                    " AS<n> — " + text.substr(0, std::min<std::size_t>(text.size(), 40)) +
                    "…' with a number of its own");
    swallow_level_ = level;
    return;
  }
  if (!deeper) {
    section_ = Section::other;
    section_level_ = level;
    return;
  }
  TextLine tl;
  tl.text = text;
  tl.line = line;
  tl.heading_level = level;
  tl.block_start = true;
  section_lines_[section_].push_back(std::move(tl));
}

void DocumentReader::on_block(cmark_node* node) {
  if (kind_of(node) == NodeKind::table) {
    on_table(node);
    return;
  }
  std::vector<TextLine> lines;
  flatten_block(node, 0, lines);
  const bool to_stream = in_heading_story() || story_context();
  for (auto& l : lines) {
    if (to_stream) {
      stream_line(l);
    } else {
      section_lines_[section_].push_back(std::move(l));
    }
  }
}

void DocumentReader::on_table(cmark_node* node) {
  std::vector<Field> columns;
  std::string header_text;
  std::vector<cmark_node*> rows;
  for (cmark_node* row = first_child(node); row; row = next_sibling(row)) {
    const NodeKind k = kind_of(row);
    if (k == NodeKind::table_header) {
      for (cmark_node* cell = first_child(row); cell; cell = next_sibling(cell)) {
        const std::string h = inline_text(cell);
        columns.push_back(table_column_field(h));
        if (!header_text.empty()) header_text += " | ";
        header_text += h;
      }
    } else if (k == NodeKind::table_row) {
      rows.push_back(row);
    }
  }
  const auto id_column = std::find(columns.begin(), columns.end(), Field::story_id);
  const std::size_t id_col =
      id_column == columns.end() ? 0 : static_cast<std::size_t>(id_column - columns.begin());

  struct Row {
    cmark_node* node;
    std::vector<std::vector<Segment>> cells;
    std::optional<StoryId> id;
  };
  std::vector<Row> parsed;
  bool any_id = false;
  for (cmark_node* row : rows) {
    Row r{row, {}, std::nullopt};
    for (cmark_node* cell = first_child(row); cell; cell = next_sibling(cell))
      r.cells.push_back(inline_segments(cell));
    if (id_col < r.cells.size()) {
      std::string first;
      for (const auto& s : r.cells[id_col]) first += s.text + " ";
      r.id = parse_story_id(first);
    }
    any_id = any_id || r.id.has_value();
    parsed.push_back(std::move(r));
  }
  if (!any_id) {
    const bool risk_like =
        std::any_of(columns.begin(), columns.end(),
                    [](Field f) { return f != Field::none && f != Field::story_id; }) ||
        ifind(header_text, "impact") != std::string_view::npos ||
        ifind(header_text, "risque") != std::string_view::npos;
    if (risk_like && risk_table_line_ == 0) {
      risk_table_line_ = start_line(node);
      risk_table_columns_ = header_text;
    }
    return;
  }
  if (!(in_heading_story() || story_context())) return;
  close_stream();
  saw_story_candidate_ = true;
  for (auto& r : parsed) {
    const int line = start_line(r.node);
    if (!r.id) {
      const bool empty = std::all_of(r.cells.begin(), r.cells.end(), [](const auto& segs) {
        return std::all_of(segs.begin(), segs.end(),
                           [](const Segment& s) { return trim(s.text).empty(); });
      });
      if (!empty)
        diag_.error(line, field_name(Field::story_id),
                    "table row without an abuser story id: the '" +
                        (id_column == columns.end() ? std::string("first") : std::string("ID")) +
                        "' column must hold 'AS<n>'");
      continue;
    }
    StoryDraft d;
    d.number = r.id->number;
    d.line = line;
    d.text = r.id->rest;
    d.from_table = true;
    for (std::size_t c = 0; c < r.cells.size(); ++c) {
      const Field f = c < columns.size() ? columns[c] : Field::none;
      if (c == id_col) continue;
      d.cells.push_back({f, std::move(r.cells[c])});
    }
    drafts_.push_back(std::move(d));
  }
}

void DocumentReader::walk(cmark_node* root) {
  for (cmark_node* n = first_child(root); n; n = next_sibling(n)) {
    if (kind_of(n) == NodeKind::heading &&
        section_from_heading(inline_text(n)) == Section::abuser_stories)
      has_abuser_section_ = true;
  }
  for (cmark_node* n = first_child(root); n; n = next_sibling(n)) {
    if (kind_of(n) == NodeKind::heading) {
      on_heading(n);
    } else {
      on_block(n);
    }
  }
  close_stream();
}

void DocumentReader::check_found_stories() {
  if (!drafts_.empty() || saw_story_candidate_) return;
  if (risk_table_line_ > 0) {
    diag_.error(risk_table_line_, "Abuser stories",
                "no abuser story found: the table here (" + risk_table_columns_.substr(0, 120) +
                    ") has no 'AS<n>' id column; risksync does not read the scenario tables of "
                    "the 2018 ANSSI guide; " +
                    std::string(kExpectedShape));
    return;
  }
  diag_.error(abuser_section_line_, "Abuser stories",
              "no abuser story found: " + std::string(kExpectedShape));
}

void DocumentReader::build(Analysis& analysis) {
  std::vector<Occurrence> occurrences;
  std::map<int, int> first_line;
  for (const StoryDraft& d : drafts_) {
    const auto [it, inserted] = first_line.emplace(d.number, d.line);
    if (!inserted) {
      diag_.error(d.line, field_name(Field::story_id),
                  "duplicate id " + story_id(d.number) + ": defined at lines " +
                      std::to_string(it->second) + " and " + std::to_string(d.line));
      continue;
    }
    StoryBuilder b(d, analysis.stories.size(), options_, diag_, occurrences);
    if (d.from_table) {
      b.consume_cells();
    } else {
      b.consume_lines();
    }
    analysis.stories.push_back(b.finish());
  }
  MeasureRegistry registry(analysis, diag_);
  for (const Occurrence& occ : occurrences) registry.add(occ);
  registry.check_texts();
  for (const AbuserStory& s : analysis.stories) {
    if (s.possible_measures.empty())
      diag_.warn(s.where.line, field_name(Field::possible),
                 s.id +
                     " has no possible measure: its residual likelihood stays at the current "
                     "one");
  }
}

void DocumentReader::build_sections(Analysis& analysis) const {
  const auto lines_of = [&](Section s) -> const std::vector<TextLine>& {
    static const std::vector<TextLine> kNone;
    const auto it = section_lines_.find(s);
    return it == section_lines_.end() ? kNone : it->second;
  };
  analysis.description = join_lines(lines_of(Section::description));
  analysis.perimeter = join_lines(lines_of(Section::perimeter));
  analysis.components = list_entries(lines_of(Section::components));
  analysis.stakeholders = list_entries(lines_of(Section::stakeholders));

  for (const auto& l : lines_of(Section::headlines))
    if (item_level(l) > 0 && !l.text.empty()) analysis.headlines.push_back(l.text);
  if (analysis.headlines.empty())
    for (const auto& l : lines_of(Section::headlines))
      if (!l.text.empty() && l.heading_level == 0) analysis.headlines.push_back(l.text);

  for (const auto& l : lines_of(Section::user_stories)) {
    if (auto dicp = match_dicp(l.text)) {
      if (analysis.user_stories.empty()) continue;
      SecurityNeeds& n = analysis.user_stories.back().needs;
      std::string& slot = dicp->letter == 'D'   ? n.availability
                          : dicp->letter == 'I' ? n.integrity
                          : dicp->letter == 'C' ? n.confidentiality
                                                : n.proof;
      if (!slot.empty()) slot += ' ';
      slot += dicp->text;
      continue;
    }
    const bool starts_story = l.heading_level > 0 || (l.bullet && l.depth <= 1) || l.glyph == 1 ||
                              looks_like_story_sentence(l.text);
    if (starts_story && !l.text.empty())
      analysis.user_stories.push_back({l.text, {}, {diag_.file(), l.line}});
  }
}

ParseOutcome DocumentReader::read(std::string_view markdown) {
  ParseOutcome out;
  if (markdown.size() > options_.max_bytes) {
    diag_.error(0, "",
                "document is " + std::to_string(markdown.size()) + " bytes, more than the " +
                    std::to_string(options_.max_bytes) + "-byte limit");
    out.errors = diag_.take_errors();
    return out;
  }
  if (const auto bad = first_invalid_utf8(markdown)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(markdown[*bad]));
    diag_.error(line_of_offset(markdown, *bad), "",
                std::string("invalid UTF-8 (byte ") + hex + " at offset " + std::to_string(*bad) +
                    "): save the document as UTF-8");
    out.errors = diag_.take_errors();
    return out;
  }
  if (const auto limit = check_input_limits(markdown)) {
    diag_.error(limit->line, "", limit->message + " (a safety limit of the markdown reader)");
    out.errors = diag_.take_errors();
    return out;
  }
  auto doc = MarkdownDocument::parse(markdown);
  if (!doc) {
    out.errors.push_back(
        Error{ErrorKind::internal, "the markdown parser failed", {diag_.file(), 0}, {}});
    return out;
  }
  walk(doc->root());
  doc.reset();  // the walk copied what it needs (text lines): the AST's memory goes before
                // the Analysis is built, which lowers the peak
  check_found_stories();
  Analysis analysis;
  analysis.source_file = diag_.file();
  analysis.product = product_;
  build(analysis);
  build_sections(analysis);
  out.warnings = diag_.take_warnings();
  if (diag_.has_errors()) {
    out.errors = diag_.take_errors();
    return out;
  }
  analysis.reindex();
  out.analysis = std::move(analysis);
  return out;
}

}  // namespace

ParseOutcome parse_analysis(std::string_view markdown, std::string_view file_name,
                            const ParseOptions& options) {
  try {
    DocumentReader reader(file_name, options);
    return reader.read(markdown);
  } catch (const std::exception& e) {
    ParseOutcome out;
    out.errors.push_back(Error{ErrorKind::internal,
                               std::string("internal error while parsing: ") + e.what(),
                               {std::string(file_name), 0},
                               {}});
    return out;
  } catch (...) {
    ParseOutcome out;
    out.errors.push_back(Error{
        ErrorKind::internal, "internal error while parsing", {std::string(file_name), 0}, {}});
    return out;
  }
}

}  // namespace risksync
