// The wiki-markup codec (Jira Data Center): writing risksync's markdown as wiki markup, escaping,
// finding the {panel:title=risksync} block, and the comparison form.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "connectors/jira/jira_body_codec.h"
#include "connectors/jira/markdown_subset.h"

namespace risksync::jira {
namespace {

// Letters, digits and every non-ASCII byte count as word characters (é, ü, CJK…).
bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A literal backslash: "\\" is wiki markup's forced line break, and one backslash escapes
// what follows it.
constexpr std::string_view kWikiBackslash = "&#92;";

bool is_effect_char(char c) {
  return c == '*' || c == '_' || c == '-' || c == '+' || c == '^' || c == '~' || c == '#';
}

bool is_always_escaped(char c) {
  return c == '{' || c == '}' || c == '[' || c == ']' || c == '|' || c == '!';
}

bool at_word_boundary(std::string_view s, std::size_t i) {
  const bool word_before = i > 0 && is_word_char(s[i - 1]);
  const bool word_after = i + 1 < s.size() && is_word_char(s[i + 1]);
  return !(word_before && word_after);
}

bool starts_emoticon(std::string_view s, std::size_t i) {
  static constexpr std::string_view kParenthesised[] = {
      "(y)",  "(n)",   "(i)", "(/)",  "(x)",  "(!)",  "(+)",  "(-)",    "(?)",
      "(on)", "(off)", "(*)", "(*r)", "(*g)", "(*b)", "(*y)", "(flag)", "(flagoff)"};
  static constexpr std::string_view kFaces[] = {":)", ":(", ":P", ":p", ":D", ";)"};
  for (std::string_view e : kParenthesised) {
    if (s.compare(i, e.size(), e) == 0) return true;
  }
  for (std::string_view e : kFaces) {
    if (s.compare(i, e.size(), e) == 0) return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// A link target inside [text|url]: characters that would end the link or split a table cell
// are percent-encoded.
std::string wiki_link_target(std::string_view url) {
  std::string out;
  for (char c : url) {
    if (c == '|' || c == '[' || c == ']' || c == '{' || c == '}' || c == ' ' || c == '!') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      out += kHex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

// Wraps `inner` in an effect marker, leaving spaces outside (Jira ignores "* bold*").
std::string with_effect(const std::string& inner, std::string_view open, std::string_view close) {
  const std::size_t first = inner.find_first_not_of(' ');
  if (first == std::string::npos) return inner;
  const std::size_t last = inner.find_last_not_of(' ');
  return inner.substr(0, first) + std::string(open) + inner.substr(first, last - first + 1) +
         std::string(close) + inner.substr(last + 1);
}

std::string run_markup(const InlineRun& run) {
  if (run.hard_break) return "\\\\ ";
  std::string text = escape_wiki_text(run.text);
  if (run.code) text = with_effect(text, "{{", "}}");
  if (run.em) text = with_effect(text, "_", "_");
  if (run.strong) text = with_effect(text, "*", "*");
  return text;
}

std::string inline_markup(const Inlines& runs) {
  std::string out;
  for (std::size_t i = 0; i < runs.size();) {
    if (runs[i].href.empty() || runs[i].hard_break) {
      out += run_markup(runs[i++]);
      continue;
    }
    const std::string& href = runs[i].href;
    std::string alias;
    for (; i < runs.size() && runs[i].href == href && !runs[i].hard_break; ++i)
      alias += run_markup(runs[i]);
    out += "[" + alias + "|" + wiki_link_target(href) + "]";
  }
  return out;
}

std::string cell_markup(const Inlines& runs) {
  const std::string text = inline_markup(runs);
  return text.empty() ? std::string(" ") : text;
}

// ---- finding the block ----

struct WikiBlock {
  std::size_t begin = 0;          // offset of the opening "{panel"
  std::size_t content_begin = 0;  // just after the opening token (and its line break)
  std::size_t content_end = 0;    // the line break before the closing token (or the token)
  std::size_t end = 0;            // just after the closing "{panel}"
};

bool escaped_at(std::string_view s, std::size_t i) {
  std::size_t backslashes = 0;
  while (i > backslashes && s[i - backslashes - 1] == '\\') ++backslashes;
  return backslashes % 2 == 1;
}

// An unescaped "{panel:…}" whose parameters include title=risksync; returns its end.
std::optional<std::size_t> risksync_panel_open(std::string_view s, std::size_t i) {
  if (s.compare(i, 7, "{panel:") != 0 || escaped_at(s, i)) return std::nullopt;
  const std::size_t close = s.find('}', i);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view params = s.substr(i + 7, close - i - 7);
  while (!params.empty()) {
    const std::size_t bar = params.find('|');
    if (trim(params.substr(0, bar)) == "title=risksync") return close + 1;
    if (bar == std::string_view::npos) break;
    params.remove_prefix(bar + 1);
  }
  return std::nullopt;
}

struct WikiScan {
  std::optional<WikiBlock> block;
  int stray = 0;
};

WikiScan scan_wiki(std::string_view s) {
  WikiScan scan;
  for (std::size_t i = s.find("{panel:"); i != std::string_view::npos;
       i = s.find("{panel:", i + 1)) {
    const auto open_end = risksync_panel_open(s, i);
    if (!open_end) continue;
    if (scan.block) {
      if (i >= scan.block->end) ++scan.stray;
      continue;
    }
    std::size_t close = s.find(kWikiPanelClose, *open_end);
    while (close != std::string_view::npos && escaped_at(s, close))
      close = s.find(kWikiPanelClose, close + 1);
    if (close == std::string_view::npos) {
      ++scan.stray;
      continue;
    }
    WikiBlock b;
    b.begin = i;
    b.content_begin = *open_end;
    if (s.compare(b.content_begin, 2, "\r\n") == 0) {
      b.content_begin += 2;
    } else if (b.content_begin < s.size() && s[b.content_begin] == '\n') {
      ++b.content_begin;
    }
    b.content_end = close;
    if (b.content_end > b.content_begin && s[b.content_end - 1] == '\n') --b.content_end;
    if (b.content_end > b.content_begin && s[b.content_end - 1] == '\r') --b.content_end;
    b.end = close + kWikiPanelClose.size();
    scan.block = b;
  }
  return scan;
}

// ---- comparison form ----

std::string collapse(std::string_view s) {
  std::string out;
  bool pending = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      pending = true;
      continue;
    }
    if (s.compare(i, 2, "\xC2\xA0") == 0) {
      pending = true;
      ++i;
      continue;
    }
    if (pending && !out.empty()) out += ' ';
    pending = false;
    out += c;
  }
  return out;
}

std::string inline_meaning(std::string_view s);

// "[alias|url]" or "[url]" at `i`; appends its meaning and returns the offset after it.
std::optional<std::size_t> link_meaning(std::string_view s, std::size_t i, std::string& out) {
  std::size_t bar = std::string_view::npos;
  for (std::size_t j = i + 1; j < s.size(); ++j) {
    if (s[j] == '\\') {
      ++j;
      continue;
    }
    if (s[j] == '|' && bar == std::string_view::npos) bar = j;
    if (s[j] == ']') {
      const std::string_view alias =
          s.substr(i + 1, (bar == std::string_view::npos ? j : bar) - i - 1);
      std::string_view url = bar == std::string_view::npos ? alias : s.substr(bar + 1, j - bar - 1);
      if (const std::size_t tip = url.find('|'); tip != std::string_view::npos)
        url = url.substr(0, tip);
      const std::string text = collapse(inline_meaning(alias));
      out += text;
      if (collapse(url) != text) out += "<" + std::string(trim(url)) + ">";
      return j + 1;
    }
  }
  return std::nullopt;
}

std::string inline_meaning(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      if (s[i + 1] == '\\') {
        out += ' ';  // a forced line break
      } else {
        out += s[i + 1];
      }
      ++i;
      continue;
    }
    if (s.compare(i, kWikiBackslash.size(), kWikiBackslash) == 0) {
      out += '\\';
      i += kWikiBackslash.size() - 1;
      continue;
    }
    if (c == '[') {
      if (const auto after = link_meaning(s, i, out)) {
        i = *after - 1;
        continue;
      }
    }
    if (s.compare(i, 2, "{{") == 0 || s.compare(i, 2, "}}") == 0) {
      ++i;
      continue;
    }
    if (c == '{') {  // a macro ({color:red}, {quote}…) says nothing about the words
      const std::size_t close = s.find('}', i);
      if (close != std::string_view::npos) {
        i = close;
        continue;
      }
    }
    if (s.compare(i, 2, "??") == 0) {
      ++i;
      continue;
    }
    if (is_effect_char(c) && at_word_boundary(s, i)) continue;
    out += c;
  }
  return out;
}

// "|| a || b ||" or "| a | b |": the cells, links kept whole.
std::vector<std::string_view> table_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  int depth = 0;
  for (std::size_t i = 0; i <= line.size(); ++i) {
    if (i < line.size() && line[i] == '\\') {
      ++i;
      continue;
    }
    if (i < line.size() && line[i] == '[') ++depth;
    if (i < line.size() && line[i] == ']' && depth > 0) --depth;
    if (i == line.size() || (line[i] == '|' && depth == 0)) {
      cells.push_back(line.substr(start, i - start));
      start = i + 1;
    }
  }
  return cells;
}

std::string_view strip_line_prefix(std::string_view line) {
  if (line.size() >= 4 && line[0] == 'h' && line[1] >= '1' && line[1] <= '6' && line[2] == '.' &&
      line[3] == ' ')
    return line.substr(4);
  if (line.starts_with("bq. ")) return line.substr(4);
  std::size_t bullets = 0;
  while (bullets < line.size() &&
         (line[bullets] == '*' || line[bullets] == '#' || line[bullets] == '-'))
    ++bullets;
  if (bullets > 0 && bullets < line.size() && line[bullets] == ' ') return line.substr(bullets + 1);
  return line;
}

}  // namespace

std::string escape_wiki_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == '\\') {
      out += kWikiBackslash;  // "\\" would be a forced line break
      continue;
    }
    if ((c == ':' || c == ';') && starts_emoticon(text, i)) {
      out += c;  // ":)" -> ":\)": the backslash goes before the character the renderer escapes
      out += '\\';
      out += text[++i];
      continue;
    }
    const bool escape = is_always_escaped(c) || (is_effect_char(c) && at_word_boundary(text, i)) ||
                        (c == '?' && i + 1 < text.size() && text[i + 1] == '?') ||
                        (c == '(' && starts_emoticon(text, i));
    if (escape) out += '\\';
    out += c;
  }
  return out;
}

std::string wiki_markup_from_markdown(std::string_view md) {
  std::string out;
  auto block = [&](const std::string& text) {
    if (!out.empty()) out += "\n\n";
    out += text;
  };
  for (const MdBlock& b : parse_markdown_subset(md)) {
    switch (b.kind) {
      case MdBlock::Kind::paragraph:
        block(inline_markup(b.text));
        break;
      case MdBlock::Kind::heading:
        block("h" + std::to_string(std::clamp(b.level, 1, 6)) + ". " + inline_markup(b.text));
        break;
      case MdBlock::Kind::quote:
        block("bq. " + inline_markup(b.text));
        break;
      case MdBlock::Kind::bullet_list:
      case MdBlock::Kind::task_list: {
        std::string lines;
        for (const auto& item : b.items) {
          if (!lines.empty()) lines += '\n';
          lines += "* ";
          if (item.task) lines += item.done ? "☑ " : "☐ ";
          lines += inline_markup(item.text);
        }
        block(lines);
        break;
      }
      case MdBlock::Kind::table: {
        std::string lines;
        for (std::size_t r = 0; r < b.rows.size(); ++r) {
          const std::string_view bar = r == 0 ? "||" : "|";
          if (r > 0) lines += '\n';
          lines += bar;
          for (const auto& cell : b.rows[r]) lines += cell_markup(cell) + std::string(bar);
        }
        block(lines);
        break;
      }
      case MdBlock::Kind::code_block: {
        std::string code = b.code;
        // {noformat} cannot be escaped inside itself: keep the text, break the token.
        for (std::size_t at = code.find("{noformat}"); at != std::string::npos;
             at = code.find("{noformat}", at + 2))
          code.insert(at + 1, " ");
        block("{noformat}\n" + code + "\n{noformat}");
        break;
      }
      case MdBlock::Kind::rule:
        block("----");
        break;
    }
  }
  return out;
}

std::string wiki_comparison_form(std::string_view wiki) {
  std::string out;
  bool in_noformat = false;
  for (std::size_t start = 0; start <= wiki.size();) {
    const std::size_t nl = wiki.find('\n', start);
    const std::string_view raw =
        wiki.substr(start, nl == std::string_view::npos ? wiki.size() - start : nl - start);
    start = nl == std::string_view::npos ? wiki.size() + 1 : nl + 1;
    const std::string_view line = trim(raw);
    if (line.starts_with("{noformat") || line.starts_with("{code")) {
      const std::size_t close = line.find('}');
      const std::string_view rest =
          close == std::string_view::npos ? std::string_view{} : trim(line.substr(close + 1));
      in_noformat = !in_noformat;
      if (!rest.empty()) out += collapse(rest) + "\n";
      continue;
    }
    if (in_noformat) {
      const std::string text = collapse(line);
      if (!text.empty()) out += text + "\n";
      continue;
    }
    if (line == "----") continue;
    std::vector<std::string_view> parts;
    if (line.starts_with('|')) {
      parts = table_cells(line);
    } else {
      parts.push_back(strip_line_prefix(line));
    }
    for (std::string_view part : parts) {
      const std::string text = collapse(inline_meaning(part));
      if (!text.empty()) out += text + "\n";
    }
  }
  return out;
}

ShownBlock JiraWikiMarkupCodec::read(std::string_view body) const {
  ShownBlock out;
  const WikiScan scan = scan_wiki(body);
  out.stray_markers = scan.stray;
  if (!scan.block) return out;
  out.found = true;
  out.content = std::string(
      body.substr(scan.block->content_begin, scan.block->content_end - scan.block->content_begin));
  return out;
}

std::string JiraWikiMarkupCodec::write(std::string_view current_body, const Marker&,
                                       const ManagedContent& content) const {
  const std::string block = std::string(kWikiPanelOpen) + "\n" +
                            wiki_markup_from_markdown(content.markdown) + "\n" +
                            std::string(kWikiPanelClose);
  const WikiScan scan = scan_wiki(current_body);
  if (scan.block) {
    return std::string(current_body.substr(0, scan.block->begin)) + block +
           std::string(current_body.substr(scan.block->end));
  }
  if (trim(current_body).empty()) return block + "\n";
  return block + "\n\n" + std::string(current_body);
}

bool JiraWikiMarkupCodec::same_content(std::string_view shown,
                                       const ManagedContent& content) const {
  const std::string wanted = wiki_markup_from_markdown(content.markdown);
  if (shown == wanted) return true;
  return wiki_comparison_form(shown) == wiki_comparison_form(wanted);
}

}  // namespace risksync::jira
