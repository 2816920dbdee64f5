#include "connectors/jira/markdown_subset.h"

#include <utility>

namespace risksync::jira {
namespace {

bool is_ascii_punctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::size_t backtick_run(std::string_view s, std::size_t i) {
  std::size_t n = 0;
  while (i + n < s.size() && s[i + n] == '`') ++n;
  return n;
}

// Offset of the backtick run of exactly `n` closing a code span opened before `from`.
std::size_t closing_backticks(std::string_view s, std::size_t from, std::size_t n) {
  for (std::size_t j = from; j < s.size();) {
    if (s[j] != '`') {
      ++j;
      continue;
    }
    const std::size_t run = backtick_run(s, j);
    if (run == n) return j;
    j += run;
  }
  return std::string_view::npos;
}

// The next unescaped `delim` at or after `from`, outside code spans; a one-character delimiter
// is not matched inside a run of that character ("**" is not a closing '*').
std::size_t find_closing(std::string_view s, std::size_t from, std::string_view delim) {
  for (std::size_t j = from; j < s.size();) {
    const char c = s[j];
    if (c == '\\') {
      j += 2;
      continue;
    }
    if (c == '`') {
      const std::size_t run = backtick_run(s, j);
      const std::size_t close = closing_backticks(s, j + run, run);
      j = close == std::string_view::npos ? j + run : close + run;
      continue;
    }
    if (s.compare(j, delim.size(), delim) == 0) {
      if (delim.size() == 1) {
        const bool doubled =
            (j + 1 < s.size() && s[j + 1] == delim[0]) || (j > from && s[j - 1] == delim[0]);
        if (doubled) {
          ++j;
          continue;
        }
      }
      return j;
    }
    ++j;
  }
  return std::string_view::npos;
}

// The ']' matching the '[' at `open`, nesting and escapes respected.
std::size_t matching_bracket(std::string_view s, std::size_t open) {
  int depth = 0;
  for (std::size_t j = open; j < s.size(); ++j) {
    if (s[j] == '\\') {
      ++j;
      continue;
    }
    if (s[j] == '[') ++depth;
    if (s[j] == ']' && --depth == 0) return j;
  }
  return std::string_view::npos;
}

struct Marks {
  bool strong = false;
  bool em = false;
  std::string href;
};

class InlineReader {
 public:
  explicit InlineReader(Inlines& out) : out_(out) {}

  void read(std::string_view s, const Marks& marks) {
    std::string text;
    auto flush = [&] {
      if (!text.empty())
        push(InlineRun{std::move(text), false, marks.strong, marks.em, false, marks.href});
      text.clear();
    };
    for (std::size_t i = 0; i < s.size();) {
      const char c = s[i];
      if (c == '\\' && i + 1 < s.size() && is_ascii_punctuation(s[i + 1])) {
        text += s[i + 1];
        i += 2;
        continue;
      }
      if (c == '\n' || c == '\r' || c == '\t') {
        text += ' ';
        ++i;
        continue;
      }
      if (c == '&') {
        static constexpr std::pair<std::string_view, char> kEntities[] = {
            {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
        bool decoded = false;
        for (const auto& [entity, ch] : kEntities) {
          if (s.compare(i, entity.size(), entity) == 0) {
            text += ch;
            i += entity.size();
            decoded = true;
            break;
          }
        }
        if (decoded) continue;
      }
      if (c == '`') {
        const std::size_t run = backtick_run(s, i);
        const std::size_t close = closing_backticks(s, i + run, run);
        if (close == std::string_view::npos) {
          text.append(run, '`');
          i += run;
          continue;
        }
        std::string code(s.substr(i + run, close - i - run));
        for (char& ch : code) {
          if (ch == '\n' || ch == '\r') ch = ' ';
        }
        if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ' &&
            code.find_first_not_of(' ') != std::string::npos)
          code = code.substr(1, code.size() - 2);
        flush();
        if (!code.empty()) push(InlineRun{std::move(code), false, false, false, true, marks.href});
        i = close + run;
        continue;
      }
      if (c == '*' || c == '_') {
        const bool two = i + 1 < s.size() && s[i + 1] == c;
        const std::string_view delim = s.substr(i, two ? 2 : 1);
        const std::size_t close = find_closing(s, i + delim.size(), delim);
        if (close != std::string_view::npos && close > i + delim.size()) {
          flush();
          Marks inner = marks;
          (two ? inner.strong : inner.em) = true;
          read(s.substr(i + delim.size(), close - i - delim.size()), inner);
          i = close + delim.size();
          continue;
        }
        text += s.substr(i, delim.size());
        i += delim.size();
        continue;
      }
      if (c == '[') {
        const std::size_t close = matching_bracket(s, i);
        if (close != std::string_view::npos && close + 1 < s.size() && s[close + 1] == '(') {
          const std::size_t paren = s.find(')', close + 2);
          const std::string_view url = paren == std::string_view::npos
                                           ? std::string_view{}
                                           : trim(s.substr(close + 2, paren - close - 2));
          if (!url.empty() && url.find(' ') == std::string_view::npos) {
            flush();
            Marks inner = marks;
            inner.href = std::string(url);
            read(s.substr(i + 1, close - i - 1), inner);
            i = paren + 1;
            continue;
          }
        }
        text += c;
        ++i;
        continue;
      }
      if (c == '<') {
        static constexpr std::string_view kDropped[] = {"<sub>", "</sub>", "<sup>", "</sup>"};
        static constexpr std::string_view kBreaks[] = {"<br>", "<br/>", "<br />"};
        bool tag = false;
        for (std::string_view t : kDropped) {
          if (s.compare(i, t.size(), t) == 0) {
            i += t.size();
            tag = true;
            break;
          }
        }
        for (std::size_t k = 0; !tag && k < std::size(kBreaks); ++k) {
          if (s.compare(i, kBreaks[k].size(), kBreaks[k]) == 0) {
            flush();
            push(InlineRun{{}, true, false, false, false, {}});
            i += kBreaks[k].size();
            tag = true;
          }
        }
        if (tag) continue;
      }
      text += c;
      ++i;
    }
    flush();
  }

 private:
  void push(InlineRun run) {
    if (!out_.empty() && !run.hard_break && !out_.back().hard_break &&
        out_.back().strong == run.strong && out_.back().em == run.em &&
        out_.back().code == run.code && out_.back().href == run.href) {
      out_.back().text += run.text;
      return;
    }
    out_.push_back(std::move(run));
  }
  Inlines& out_;
};

// "| a | b \| c |" -> {"a", "b | c"} (an escaped pipe belongs to its cell).
std::vector<std::string> table_cells(std::string_view line) {
  line = trim(line);
  if (!line.empty() && line.front() == '|') line.remove_prefix(1);
  if (!line.empty() && line.back() == '|' && (line.size() < 2 || line[line.size() - 2] != '\\'))
    line.remove_suffix(1);
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
      continue;
    }
    if (line[i] == '\\' && i + 1 < line.size()) {
      cell += line[i];
      cell += line[++i];
      continue;
    }
    if (line[i] == '|') {
      cells.emplace_back(trim(cell));
      cell.clear();
      continue;
    }
    cell += line[i];
  }
  cells.emplace_back(trim(cell));
  return cells;
}

bool is_delimiter_row(std::string_view line) {
  line = trim(line);
  if (line.empty() || line.find('-') == std::string_view::npos) return false;
  for (char c : line) {
    if (c != '|' && c != '-' && c != ':' && c != ' ' && c != '\t') return false;
  }
  return line.find('|') != std::string_view::npos;
}

bool is_thematic_break(std::string_view line) {
  line = trim(line);
  if (line.size() < 3) return false;
  const char c = line.front();
  if (c != '-' && c != '*' && c != '_') return false;
  int count = 0;
  for (char ch : line) {
    if (ch == c) {
      ++count;
    } else if (ch != ' ') {
      return false;
    }
  }
  return count >= 3;
}

}  // namespace

Inlines parse_markdown_inlines(std::string_view text) {
  Inlines out;
  InlineReader(out).read(text, Marks{});
  return out;
}

std::vector<MdBlock> parse_markdown_subset(std::string_view md) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= md.size();) {
    const std::size_t nl = md.find('\n', start);
    std::string_view line =
        md.substr(start, nl == std::string_view::npos ? md.size() - start : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }

  std::vector<MdBlock> blocks;
  std::string paragraph;
  bool in_paragraph = false;
  bool list_continues = false;
  auto close_paragraph = [&] {
    if (!in_paragraph) return;
    MdBlock b;
    b.kind = MdBlock::Kind::paragraph;
    b.text = parse_markdown_inlines(paragraph);
    blocks.push_back(std::move(b));
    paragraph.clear();
    in_paragraph = false;
  };

  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string_view raw = lines[n];
    const std::string_view line = trim(raw);
    if (line.empty()) {
      close_paragraph();
      continue;
    }
    // Items separated only by blank lines still make one list; any other block ends it.
    const bool after_list_item = list_continues;
    list_continues = false;
    if (line.starts_with("```") || line.starts_with("~~~")) {
      close_paragraph();
      const std::size_t fence_len = line.find_first_not_of(line.front());
      const std::string_view fence = line.substr(0, fence_len);
      MdBlock b;
      b.kind = MdBlock::Kind::code_block;
      b.language = std::string(trim(line.substr(fence.size())));
      std::string code;
      bool first = true;
      for (++n; n < lines.size() && !trim(lines[n]).starts_with(fence); ++n) {
        if (!first) code += '\n';
        code += lines[n];
        first = false;
      }
      b.code = std::move(code);
      blocks.push_back(std::move(b));
      continue;
    }
    if (line.front() == '#') {
      const std::size_t hashes = line.find_first_not_of('#');
      const std::size_t level = hashes == std::string_view::npos ? line.size() : hashes;
      if (level <= 6 && (hashes == std::string_view::npos || line[hashes] == ' ')) {
        close_paragraph();
        MdBlock b;
        b.kind = MdBlock::Kind::heading;
        b.level = static_cast<int>(level);
        b.text = parse_markdown_inlines(trim(line.substr(level)));
        blocks.push_back(std::move(b));
        continue;
      }
    }
    if (line.front() == '>') {
      close_paragraph();
      std::string quote;
      for (; n < lines.size() && trim(lines[n]).starts_with('>'); ++n) {
        std::string_view q = trim(lines[n]).substr(1);
        if (!q.empty() && q.front() == ' ') q.remove_prefix(1);
        if (!quote.empty()) quote += ' ';
        quote += q;
      }
      --n;
      MdBlock b;
      b.kind = MdBlock::Kind::quote;
      b.text = parse_markdown_inlines(quote);
      blocks.push_back(std::move(b));
      continue;
    }
    if (is_thematic_break(line)) {
      close_paragraph();
      MdBlock b;
      b.kind = MdBlock::Kind::rule;
      blocks.push_back(std::move(b));
      continue;
    }
    if ((line.front() == '-' || line.front() == '*' || line.front() == '+') && line.size() >= 2 &&
        line[1] == ' ') {
      close_paragraph();
      std::string_view item = trim(line.substr(2));
      ListEntry entry;
      if (item.size() >= 3 && item[0] == '[' && item[2] == ']' &&
          (item[1] == ' ' || item[1] == 'x' || item[1] == 'X') &&
          (item.size() == 3 || item[3] == ' ')) {
        entry.task = true;
        entry.done = item[1] != ' ';
        item = trim(item.substr(3));
      }
      entry.text = parse_markdown_inlines(item);
      const MdBlock::Kind kind = entry.task ? MdBlock::Kind::task_list : MdBlock::Kind::bullet_list;
      if (!after_list_item || blocks.empty() || blocks.back().kind != kind) {
        MdBlock b;
        b.kind = kind;
        blocks.push_back(std::move(b));
      }
      list_continues = true;
      blocks.back().items.push_back(std::move(entry));
      continue;
    }
    if (line.front() == '|' && n + 1 < lines.size() && is_delimiter_row(lines[n + 1]) &&
        !in_paragraph) {
      MdBlock b;
      b.kind = MdBlock::Kind::table;
      const std::vector<std::string> header = table_cells(line);
      const std::size_t width = header.size();
      std::vector<Inlines> row;
      for (const auto& cell : header) row.push_back(parse_markdown_inlines(cell));
      b.rows.push_back(std::move(row));
      for (n += 2; n < lines.size() && trim(lines[n]).starts_with('|'); ++n) {
        std::vector<std::string> cells = table_cells(lines[n]);
        cells.resize(width);  // GFM: missing cells are empty, extra cells are dropped
        std::vector<Inlines> r;
        for (const auto& cell : cells) r.push_back(parse_markdown_inlines(cell));
        b.rows.push_back(std::move(r));
      }
      --n;
      blocks.push_back(std::move(b));
      continue;
    }
    if (in_paragraph) paragraph += '\n';
    paragraph += line;
    in_paragraph = true;
  }
  close_paragraph();
  return blocks;
}

}  // namespace risksync::jira
