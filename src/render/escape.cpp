#include "render/escape.h"

#include <vector>

#include "util/utf8.h"

namespace risksync {
namespace {

using utf8::append_utf8;
using utf8::kReplacementChar;
using utf8::next_code_point;

// Escaped wherever they appear: they open or close inline structures (code span, emphasis,
// link, strikethrough, table cell, math, image) anywhere in a line.
bool is_inline_punctuation(char c) {
  switch (c) {
    case '\\':
    case '`':
    case '*':
    case '_':
    case '[':
    case ']':
    case '|':
    case '~':
    case '$':
    case '!':
      return true;
    default:
      return false;
  }
}

// Escaped only as the first non-space character: they start a block (heading, list, setext
// underline) only at the start of a line. Elsewhere they stay readable ("2026-11-23", "(x)").
bool is_block_start_punctuation(char c) {
  return c == '#' || c == '+' || c == '-' || c == '=';
}

bool is_ascii_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
}

// Code points that attach to the previous one: never cut just before them.
bool is_extending(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) ||    // combining diacritical marks
         cp == 0x200D ||                      // zero-width joiner
         (cp >= 0xFE00 && cp <= 0xFE0F) ||    // variation selectors
         (cp >= 0x1F3FB && cp <= 0x1F3FF) ||  // skin tone modifiers
         (cp >= 0xE0020 && cp <= 0xE007F);    // tag characters (flags)
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Copies the UTF-8 sequence that starts at text[i] (a byte >= 0x80) to `out`, or U+FFFD when
// it is not valid, and advances i past it.
void copy_non_ascii(std::string_view text, std::size_t& i, std::string& out) {
  bool valid = true;
  const std::size_t start = i;
  const char32_t cp = next_code_point(text, i, &valid);
  if (valid) {
    out.append(text.substr(start, i - start));
  } else {
    append_utf8(out, cp);
  }
}

}  // namespace

std::string escape_markdown_inline(std::string_view text) {
  return escape_markdown_piece(text, /*starts_line=*/true, /*ends_line=*/true);
}

std::string escape_markdown_piece(std::string_view text, bool starts_line, bool ends_line) {
  std::string out;
  out.reserve(text.size() + text.size() / 4 + 4);
  bool only_spaces = starts_line;  // nothing but spaces emitted so far on the line
  bool after_digits = false;       // output so far is spaces then one or more digits ("1." / "1)")
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      copy_non_ascii(text, i, out);
      only_spaces = false;
      after_digits = false;
      continue;
    }
    ++i;
    char c = static_cast<char>(byte);
    if (c == '\r' && i < text.size() && text[i] == '\n') ++i;  // CRLF: one space
    if (byte < 0x20 || byte == 0x7F) c = ' ';                  // line breaks, tabs, controls
    if (c == ' ' && out.empty() && starts_line) continue;      // never render, could indent
    const bool digit = c >= '0' && c <= '9';
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (is_inline_punctuation(c) || (only_spaces && is_block_start_punctuation(c)) ||
               (after_digits && (c == '.' || c == ')'))) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
    after_digits = digit && (only_spaces || after_digits);
    only_spaces = only_spaces && c == ' ';
  }
  if (ends_line) {
    while (!out.empty() && out.back() == ' ') out.pop_back();  // trailing spaces never render
  }
  return out;
}

std::string markdown_code_span(std::string_view text, bool in_table_cell) {
  std::string content;
  content.reserve(text.size() + 4);
  std::size_t longest_run = 0;
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      copy_non_ascii(text, i, content);
      run = 0;
      continue;
    }
    ++i;
    char c = static_cast<char>(byte);
    if (c == '\r' && i < text.size() && text[i] == '\n') ++i;  // CRLF: one space
    if (byte < 0x20 || byte == 0x7F) c = ' ';
    run = c == '`' ? run + 1 : 0;
    if (run > longest_run) longest_run = run;
    if (c == '|' && in_table_cell) content += '\\';
    content += c;
  }
  if (content.empty()) return {};
  const std::string fence(longest_run + 1, '`');
  const bool pad = content.front() == '`' || content.back() == '`' ||
                   (content.front() == ' ' && content.back() == ' ');
  const std::string space = pad ? " " : "";
  return fence + space + content + space + fence;
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8 + 4);
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x80) {
      bool valid = true;
      const std::size_t start = i;
      const char32_t cp = next_code_point(text, i, &valid);
      // U+FFFE and U+FFFF are not XML characters either.
      if (valid && cp != 0xFFFE && cp != 0xFFFF) {
        out.append(text.substr(start, i - start));
      } else {
        append_utf8(out, kReplacementChar);
      }
      continue;
    }
    ++i;
    switch (byte) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += static_cast<char>(byte);
        break;
      default:
        if (byte < 0x20 || byte == 0x7F) {
          append_utf8(out, kReplacementChar);
        } else {
          out += static_cast<char>(byte);
        }
    }
  }
  return out;
}

std::string shorten_text(std::string_view text, std::size_t max_chars) {
  // No more bytes than allowed code points: short enough, whatever the encoding.
  if (text.size() <= max_chars) return std::string(text);
  // Byte offset of each code point, plus the end.
  std::vector<std::size_t> offsets;
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < text.size();) {
    offsets.push_back(i);
    cps.push_back(next_code_point(text, i));
  }
  offsets.push_back(text.size());
  if (cps.size() <= max_chars) return std::string(text);
  if (max_chars == 0) return {};

  const std::size_t keep = max_chars - 1;  // code points kept before the "…"
  // Last word boundary: a space at index j <= keep (cut before it).
  std::size_t cut = 0;
  for (std::size_t j = keep + 1; j-- > 1;) {
    if (is_ascii_space(cps[j])) {
      cut = j;
      break;
    }
  }
  auto is_trailing_junk = [](char32_t cp) {
    return is_ascii_space(cp) || cp == ',' || cp == ';' || cp == ':' || cp == '(' || cp == '-' ||
           cp == 0x2013 || cp == 0x2014;  // – —
  };
  if (cut > 0) {
    while (cut > 1 && is_trailing_junk(cps[cut - 1])) --cut;
  }
  if (cut == 0 || cut * 2 < keep) {  // no usable boundary: cut inside the word
    cut = keep;
    while (cut > 1 && (is_extending(cps[cut]) || cps[cut - 1] == 0x200D)) --cut;
    if (cut == 1 && is_extending(cps[1])) cut = 0;
  }
  std::string out(text.substr(0, offsets[cut]));
  out += "…";
  return out;
}

std::optional<std::string> safe_http_url(std::string_view url) {
  auto is_space = [](char c) { return c == ' '; };
  while (!url.empty() && is_space(url.front())) url.remove_prefix(1);
  while (!url.empty() && is_space(url.back())) url.remove_suffix(1);
  auto lower_prefix = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t k = 0; k < prefix.size(); ++k) {
      char c = url[k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[k]) return false;
    }
    return true;
  };
  std::size_t scheme_len = 0;
  if (lower_prefix("https://")) {
    scheme_len = 8;
  } else if (lower_prefix("http://")) {
    scheme_len = 7;
  } else {
    return std::nullopt;
  }
  if (url.size() == scheme_len) return std::nullopt;
  const char first = url[scheme_len];
  if (first == '/' || first == '?' || first == '#' || first == '\\' || first == ' ')
    return std::nullopt;  // no host
  for (const char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) return std::nullopt;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(url.size() + 8);
  for (std::size_t k = 0; k < url.size(); ++k) {
    const char c = url[k];
    const auto b = static_cast<unsigned char>(c);
    bool encode = b >= 0x80;
    switch (c) {
      case ' ':
      case '"':
      case '\'':
      case '<':
      case '>':
      case '(':
      case ')':
      case '|':
      case '\\':
      case '`':
      case '{':
      case '}':
      case '^':
        encode = true;
        break;
      case '%':
        encode = !(k + 2 < url.size() && is_hex(url[k + 1]) && is_hex(url[k + 2]));
        break;
      default:
        break;
    }
    // The scheme is copied lower-case.
    if (k < scheme_len) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (encode) {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace risksync
