#include "parse/input_limits.h"

#include <vector>

#include "parse/text_util.h"

namespace risksync::parse_detail {
namespace {

// The document's lines ("\r\n", "\n" and a lone "\r" end a line, as in cmark), as views.
std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    out.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

bool is_blank(std::string_view line) {
  for (const char c : line)
    if (c != ' ' && c != '\t') return false;
  return true;
}

// Strips the leading spaces, tabs and blockquote markers.
std::string_view strip_quote_prefix(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '>')) ++i;
  return line.substr(i);
}

// Number of columns when `line` reads like a table delimiter row ("|---|:--:|"), else 0.
int delimiter_columns(std::string_view line) {
  const std::string_view s = strip_quote_prefix(line);
  bool dash = false;
  bool pipe = false;
  for (const char c : s) {
    if (c == '-') {
      dash = true;
    } else if (c == '|') {
      pipe = true;
    } else if (c != ':' && c != ' ' && c != '\t') {
      return 0;
    }
  }
  if (!dash || !pipe) return 0;
  int columns = 0;
  bool in_cell = false;
  for (const char c : s) {
    if (c == '|') {
      in_cell = false;
    } else if (c == '-' && !in_cell) {
      in_cell = true;
      ++columns;
    }
  }
  return columns;
}

// '>' markers and list markers at the start of the line (each list item opens two blocks)
// plus indentation / 2 (a nested list needs two more columns per level).
int nesting_score(std::string_view line) {
  int depth = 0;
  int indent = 0;
  bool content = false;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    const char next = i + 1 < line.size() ? line[i + 1] : '\0';
    if (c == ' ') {
      ++indent;
      ++i;
    } else if (c == '\t') {
      indent += 4;
      ++i;
    } else if (c == '>') {
      ++depth;
      ++i;
    } else if ((c == '-' || c == '*' || c == '+') && (next == ' ' || next == '\t')) {
      depth += 2;
      ++i;
    } else if (is_ascii_digit(c)) {
      std::size_t j = i;
      while (j < line.size() && j - i < 9 && is_ascii_digit(line[j])) ++j;
      if (j + 1 < line.size() && (line[j] == '.' || line[j] == ')') &&
          (line[j + 1] == ' ' || line[j + 1] == '\t')) {
        depth += 2;
        i = j + 1;
      } else {
        content = true;
        break;
      }
    } else {
      content = true;
      break;
    }
  }
  if (!content) return 0;  // "- - - -", "* * *": a thematic break, no nesting
  return depth + indent / 2;
}

std::optional<LimitViolation> check_lines(const std::vector<std::string_view>& lines) {
  long table_cells = 0;
  std::size_t table_end = 0;  // lines before it belong to a table already counted
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string_view line = lines[n];
    const int line_no = static_cast<int>(n) + 1;
    int pipes = 0;
    for (const char c : line) pipes += c == '|' ? 1 : 0;
    if (pipes > kMaxPipesPerLine)
      return LimitViolation{line_no, "more than " + std::to_string(kMaxPipesPerLine) +
                                         " '|' on one line: tables are limited to " +
                                         std::to_string(kMaxPipesPerLine) + " columns"};
    if (nesting_score(line) > kMaxBlockNesting)
      return LimitViolation{line_no, "blocks nested more than " + std::to_string(kMaxBlockNesting) +
                                         " levels deep (quotes, lists or indentation)"};
    if (n == 0 || n < table_end) continue;
    const int columns = delimiter_columns(line);
    if (columns == 0) continue;
    // A table runs until a blank line; cmark-gfm gives every row `columns` cells.
    std::size_t end = n + 1;
    while (end < lines.size() && !is_blank(lines[end])) ++end;
    const std::size_t rows = end - n - 1;
    table_cells += static_cast<long>(columns) * static_cast<long>(rows + 2);
    if (table_cells > kMaxTableCells)
      return LimitViolation{line_no - 1, "tables hold more than " + std::to_string(kMaxTableCells) +
                                             " cells (the table here: " + std::to_string(columns) +
                                             " columns, " + std::to_string(rows) + " rows)"};
    table_end = end;
  }
  return std::nullopt;
}

}  // namespace

std::optional<LimitViolation> check_input_limits(std::string_view text) {
  int images = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '!' && text[i + 1] == '[' && ++images > kMaxImages)
      return LimitViolation{line_of_offset(text, i),
                            "more than " + std::to_string(kMaxImages) + " images ('![')"};
  }
  return check_lines(lines_of(text));
}

}  // namespace risksync::parse_detail
