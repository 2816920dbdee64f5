// The ADF codec (Jira Cloud). The wiki-markup codec is jira_wiki_markup.cpp, the ADF validator
// adf_validator.cpp.
#include "connectors/jira/jira_body_codec.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "connectors/jira/markdown_subset.h"

namespace risksync::jira {
namespace {

using ojson = nlohmann::ordered_json;

std::string dump(const ojson& j) {
  return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

std::optional<ojson> parse_json(std::string_view text) {
  ojson j = ojson::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// ---- markdown -> ADF ----

ojson text_node(const InlineRun& run) {
  ojson node = {{"type", "text"}, {"text", run.text}};
  ojson marks = ojson::array();
  if (run.code) {
    marks.push_back({{"type", "code"}});  // ADF: code combines with link only
  } else {
    if (run.strong) marks.push_back({{"type", "strong"}});
    if (run.em) marks.push_back({{"type", "em"}});
  }
  if (!run.href.empty()) marks.push_back({{"type", "link"}, {"attrs", {{"href", run.href}}}});
  if (!marks.empty()) node["marks"] = std::move(marks);
  return node;
}

ojson inline_content(const Inlines& runs) {
  ojson content = ojson::array();
  for (const auto& run : runs) {
    if (run.hard_break) {
      content.push_back({{"type", "hardBreak"}});
    } else if (!run.text.empty()) {
      content.push_back(text_node(run));
    }
  }
  return content;
}

ojson paragraph(const Inlines& runs) {
  return {{"type", "paragraph"}, {"content", inline_content(runs)}};
}

ojson plain_paragraph(std::string_view text) {
  ojson content = ojson::array();
  if (!text.empty()) content.push_back({{"type", "text"}, {"text", std::string(text)}});
  return {{"type", "paragraph"}, {"content", std::move(content)}};
}

ojson adf_nodes_from_markdown(std::string_view md) {
  ojson nodes = ojson::array();
  int task_lists = 0;
  for (const MdBlock& b : parse_markdown_subset(md)) {
    switch (b.kind) {
      case MdBlock::Kind::paragraph:
        nodes.push_back(paragraph(b.text));
        break;
      case MdBlock::Kind::heading:
        nodes.push_back({{"type", "heading"},
                         {"attrs", {{"level", std::clamp(b.level, 1, 6)}}},
                         {"content", inline_content(b.text)}});
        break;
      case MdBlock::Kind::quote:
        nodes.push_back({{"type", "blockquote"}, {"content", ojson::array({paragraph(b.text)})}});
        break;
      case MdBlock::Kind::bullet_list: {
        ojson items = ojson::array();
        for (const auto& item : b.items)
          items.push_back(
              {{"type", "listItem"}, {"content", ojson::array({paragraph(item.text)})}});
        nodes.push_back({{"type", "bulletList"}, {"content", std::move(items)}});
        break;
      }
      case MdBlock::Kind::task_list: {
        const std::string list_id = "risksync-task-" + std::to_string(++task_lists);
        ojson items = ojson::array();
        int n = 0;
        for (const auto& item : b.items) {
          items.push_back({{"type", "taskItem"},
                           {"attrs",
                            {{"localId", list_id + "." + std::to_string(++n)},
                             {"state", item.done ? "DONE" : "TODO"}}},
                           {"content", inline_content(item.text)}});
        }
        nodes.push_back({{"type", "taskList"},
                         {"attrs", {{"localId", list_id}}},
                         {"content", std::move(items)}});
        break;
      }
      case MdBlock::Kind::table: {
        ojson rows = ojson::array();
        for (std::size_t r = 0; r < b.rows.size(); ++r) {
          ojson cells = ojson::array();
          for (const auto& cell : b.rows[r]) {
            cells.push_back({{"type", r == 0 ? "tableHeader" : "tableCell"},
                             {"attrs", ojson::object()},
                             {"content", ojson::array({paragraph(cell)})}});
          }
          rows.push_back({{"type", "tableRow"}, {"content", std::move(cells)}});
        }
        nodes.push_back({{"type", "table"},
                         {"attrs", {{"isNumberColumnEnabled", false}, {"layout", "default"}}},
                         {"content", std::move(rows)}});
        break;
      }
      case MdBlock::Kind::code_block: {
        ojson node = {{"type", "codeBlock"}};
        if (!b.language.empty()) node["attrs"] = {{"language", b.language}};
        ojson content = ojson::array();
        if (!b.code.empty()) content.push_back({{"type", "text"}, {"text", b.code}});
        node["content"] = std::move(content);
        nodes.push_back(std::move(node));
        break;
      }
      case MdBlock::Kind::rule:
        nodes.push_back({{"type", "rule"}});
        break;
    }
  }
  return nodes;
}

ojson document(ojson content) {
  return {{"type", "doc"}, {"version", 1}, {"content", std::move(content)}};
}

// ---- reading a body ----

const ojson* member(const ojson& j, const char* key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string string_member(const ojson& j, const char* key) {
  const ojson* m = member(j, key);
  return m && m->is_string() ? m->get<std::string>() : std::string{};
}

bool is_space_at(std::string_view s, std::size_t i, std::size_t& len) {
  const char c = s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
    len = 1;
    return true;
  }
  if (s.compare(i, 2, "\xC2\xA0") == 0) {  // no-break space, which editors insert
    len = 2;
    return true;
  }
  return false;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool pending = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 0;
    if (is_space_at(s, i, len)) {
      pending = true;
      i += len;
      continue;
    }
    if (pending && !out.empty()) out += ' ';
    pending = false;
    out += s[i++];
  }
  return out;
}

// The text of a delimiter candidate: a paragraph's text nodes joined, spaces collapsed.
std::optional<std::string> paragraph_text(const ojson& node) {
  if (string_member(node, "type") != "paragraph") return std::nullopt;
  std::string text;
  const ojson* content = member(node, "content");
  if (content && content->is_array()) {
    for (const auto& child : *content) text += string_member(child, "text");
  }
  return collapse_spaces(text);
}

enum class Delimiter { none, begin, end };
Delimiter delimiter_of(const ojson& node) {
  const auto text = paragraph_text(node);
  if (!text) return Delimiter::none;
  if (*text == kAdfBlockBegin) return Delimiter::begin;
  if (*text == kAdfBlockEnd) return Delimiter::end;
  return Delimiter::none;
}

struct AdfScan {
  std::optional<std::pair<std::size_t, std::size_t>> block;  // begin, end node indexes
  int stray = 0;
};

AdfScan scan_nodes(const ojson& content) {
  AdfScan scan;
  std::vector<std::pair<std::size_t, Delimiter>> delimiters;
  for (std::size_t i = 0; i < content.size(); ++i) {
    const Delimiter d = delimiter_of(content[i]);
    if (d != Delimiter::none) delimiters.emplace_back(i, d);
  }
  for (std::size_t k = 0; k + 1 < delimiters.size(); ++k) {
    if (delimiters[k].second == Delimiter::begin && delimiters[k + 1].second == Delimiter::end) {
      scan.block = std::make_pair(delimiters[k].first, delimiters[k + 1].first);
      break;
    }
  }
  scan.stray = static_cast<int>(delimiters.size()) - (scan.block ? 2 : 0);
  return scan;
}

// The body as an ADF document, or nullopt when it is not one.
std::optional<ojson> as_document(std::string_view body) {
  auto j = parse_json(body);
  if (!j || !j->is_object() || string_member(*j, "type") != "doc") return std::nullopt;
  const ojson* content = member(*j, "content");
  if (!content || !content->is_array()) return std::nullopt;
  return j;
}

// People's text from a body that is not an ADF document (plain text, a JSON string): one
// paragraph per block of lines, line breaks as hardBreak nodes.
ojson paragraphs_of_text(std::string_view text) {
  ojson nodes = ojson::array();
  ojson content = ojson::array();
  std::string line;
  auto end_line = [&] {
    if (!line.empty()) content.push_back({{"type", "text"}, {"text", line}});
    line.clear();
  };
  auto end_paragraph = [&] {
    while (!content.empty() && content.back()["type"] == "hardBreak")
      content.erase(content.size() - 1);
    if (!content.empty()) nodes.push_back({{"type", "paragraph"}, {"content", std::move(content)}});
    content = ojson::array();
  };
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size()) {
      end_line();
      end_paragraph();
      break;
    }
    const char c = text[i];
    if (c == '\r') continue;
    if (c != '\n') {
      line += c;
      continue;
    }
    const bool blank = line.find_first_not_of(" \t") == std::string::npos;
    if (blank) {
      line.clear();
      end_paragraph();
    } else {
      end_line();
      content.push_back({{"type", "hardBreak"}});
    }
  }
  return nodes;
}

// ---- comparison form ----

struct Piece {
  std::string text;
  std::string href;
};

void inline_pieces(const ojson& node, std::vector<Piece>& out) {
  const std::string type = string_member(node, "type");
  const ojson* attrs = member(node, "attrs");
  std::string text;
  if (type == "text") {
    text = string_member(node, "text");
  } else if (type == "hardBreak") {
    text = " ";
  } else if (type == "emoji") {
    text = attrs ? string_member(*attrs, "text") : std::string{};
    if (text.empty() && attrs) text = string_member(*attrs, "shortName");
  } else if (type == "mention" || type == "status") {
    text = attrs ? string_member(*attrs, "text") : std::string{};
  } else if (type == "inlineCard") {
    text = attrs ? string_member(*attrs, "url") : std::string{};
  } else if (type == "date") {
    text = attrs ? string_member(*attrs, "timestamp") : std::string{};
  }
  std::string href;
  if (const ojson* marks = member(node, "marks"); marks && marks->is_array()) {
    for (const auto& mark : *marks) {
      if (string_member(mark, "type") == "link") {
        if (const ojson* a = member(mark, "attrs")) href = string_member(*a, "href");
      }
    }
  }
  if (!text.empty()) {
    if (!out.empty() && out.back().href == href) {
      out.back().text += text;
    } else {
      out.push_back(Piece{std::move(text), std::move(href)});
    }
  }
  if (const ojson* content = member(node, "content"); content && content->is_array()) {
    for (const auto& child : *content) inline_pieces(child, out);
  }
}

bool is_text_block(std::string_view type) {
  return type == "paragraph" || type == "heading" || type == "taskItem" || type == "codeBlock" ||
         type == "decisionItem";
}

void comparison_lines(const ojson& node, std::string& out) {
  const std::string type = string_member(node, "type");
  const ojson* content = member(node, "content");
  if (is_text_block(type)) {
    std::vector<Piece> pieces;
    if (content && content->is_array()) {
      for (const auto& child : *content) inline_pieces(child, pieces);
    }
    std::string line;
    for (const auto& p : pieces) {
      const std::string text = collapse_spaces(p.text);
      line += p.text;
      // A link shows its target unless its text already is the target (an autolinked URL).
      if (!p.href.empty() && text != p.href) line += "<" + p.href + ">";
    }
    line = collapse_spaces(line);
    if (line.empty()) return;
    if (type == "taskItem") {
      const ojson* attrs = member(node, "attrs");
      line =
          std::string(attrs && string_member(*attrs, "state") == "DONE" ? "[x] " : "[ ] ") + line;
    }
    out += line;
    out += '\n';
    return;
  }
  if (content && content->is_array()) {
    for (const auto& child : *content) comparison_lines(child, out);
  }
}

std::string comparison_form_of(const ojson& doc) {
  std::string out;
  comparison_lines(doc, out);
  return out;
}

}  // namespace

std::string adf_document_from_markdown(std::string_view md) {
  return dump(document(adf_nodes_from_markdown(md)));
}

std::string adf_comparison_form(std::string_view adf_json) {
  const auto j = parse_json(adf_json);
  if (!j) return "\x01not JSON\x01" + std::string(adf_json);  // equal to no valid form
  return comparison_form_of(*j);
}

ShownBlock JiraAdfCodec::read(std::string_view body) const {
  ShownBlock out;
  const auto doc = as_document(body);
  if (!doc) return out;
  const ojson& content = (*doc)["content"];
  const AdfScan scan = scan_nodes(content);
  out.stray_markers = scan.stray;
  if (!scan.block) return out;
  out.found = true;
  ojson nodes = ojson::array();
  for (std::size_t i = scan.block->first + 1; i < scan.block->second; ++i)
    nodes.push_back(content[i]);
  out.content = dump(document(std::move(nodes)));
  return out;
}

std::string JiraAdfCodec::write(std::string_view current_body, const Marker&,
                                const ManagedContent& content) const {
  ojson block = ojson::array();
  block.push_back(plain_paragraph(kAdfBlockBegin));
  for (auto& node : adf_nodes_from_markdown(content.markdown)) block.push_back(std::move(node));
  block.push_back(plain_paragraph(kAdfBlockEnd));

  std::optional<ojson> doc = as_document(current_body);
  if (!doc) {
    // Not an ADF document: nothing (empty, null) or people's text in another shape.
    ojson people = ojson::array();
    const auto j = parse_json(current_body);
    if (j && j->is_string()) {
      people = paragraphs_of_text(j->get<std::string>());
    } else if (!j) {
      people = paragraphs_of_text(current_body);
    }
    doc = document(std::move(people));
  }
  if (!member(*doc, "version")) (*doc)["version"] = 1;
  ojson& nodes = (*doc)["content"];
  const AdfScan scan = scan_nodes(nodes);
  ojson merged = ojson::array();
  if (scan.block) {
    for (std::size_t i = 0; i < scan.block->first; ++i) merged.push_back(nodes[i]);
    for (auto& node : block) merged.push_back(std::move(node));
    for (std::size_t i = scan.block->second + 1; i < nodes.size(); ++i) merged.push_back(nodes[i]);
  } else {
    merged = std::move(block);
    for (auto& node : nodes) merged.push_back(std::move(node));
  }
  nodes = std::move(merged);
  return dump(*doc);
}

bool JiraAdfCodec::same_content(std::string_view shown, const ManagedContent& content) const {
  const std::string wanted = adf_document_from_markdown(content.markdown);
  if (shown == wanted) return true;  // the usual case: the block as written
  return adf_comparison_form(shown) == adf_comparison_form(wanted);
}

}  // namespace risksync::jira
