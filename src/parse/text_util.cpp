#include "parse/text_util.h"

#include <array>

namespace risksync::parse_detail {
namespace {

unsigned char byte_at(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(s[i]);
}

bool in_range(std::string_view s, std::size_t i, unsigned char lo, unsigned char hi) {
  if (i >= s.size()) return false;
  const unsigned char b = byte_at(s, i);
  return b >= lo && b <= hi;
}

// Length of the Unicode space that starts at s[i] (see trim), 0 when none.
std::size_t unicode_space_at(std::string_view s, std::size_t i) {
  if (i + 1 < s.size() && byte_at(s, i) == 0xC2 && byte_at(s, i + 1) == 0xA0) return 2;
  if (i + 2 < s.size() && byte_at(s, i) == 0xE2 && byte_at(s, i + 1) == 0x80 &&
      (byte_at(s, i + 2) == 0xAF || byte_at(s, i + 2) == 0x89))
    return 3;
  return 0;
}

// Length of the Unicode space that ends just before s[end], 0 when none.
std::size_t unicode_space_before(std::string_view s, std::size_t end) {
  if (end >= 2 && unicode_space_at(s, end - 2) == 2) return 2;
  if (end >= 3 && unicode_space_at(s, end - 3) == 3) return 3;
  return 0;
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct Glyph {
  std::string_view text;
  int level;
};

constexpr std::array<Glyph, 17> kGlyphs{{
    {"\u25CF", 1},  // ●
    {"\u2022", 1},  // •
    {"\u25AA", 1},  // ▪
    {"\u25A0", 1},  // ■
    {"\u2794", 1},  // ➔
    {"\u2192", 1},  // →
    {"\u25BA", 1},  // ►
    {"\u25B6", 1},  // ▶
    {"\u2043", 1},  // ⁃
    {"\u25CB", 2},  // ○
    {"\u25E6", 2},  // ◦
    {"\u25AB", 2},  // ▫
    {"\u25A1", 2},  // □
    {"\u2023", 2},  // ‣
    {"- ", 1},
    {"* ", 1},
    {"+ ", 1},
}};

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = byte_at(s, i);
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    bool second_ok = false;
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
      second_ok = in_range(s, i + 1, 0x80, 0xBF);
    } else if (b == 0xE0) {
      len = 3;
      second_ok = in_range(s, i + 1, 0xA0, 0xBF);
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      len = 3;
      second_ok = in_range(s, i + 1, 0x80, 0xBF);
    } else if (b == 0xED) {
      len = 3;
      second_ok = in_range(s, i + 1, 0x80, 0x9F);
    } else if (b == 0xF0) {
      len = 4;
      second_ok = in_range(s, i + 1, 0x90, 0xBF);
    } else if (b >= 0xF1 && b <= 0xF3) {
      len = 4;
      second_ok = in_range(s, i + 1, 0x80, 0xBF);
    } else if (b == 0xF4) {
      len = 4;
      second_ok = in_range(s, i + 1, 0x80, 0x8F);
    } else {
      return i;
    }
    if (!second_ok) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (!in_range(s, i + k, 0x80, 0xBF)) return i;
    i += len;
  }
  return std::nullopt;
}

int line_of_offset(std::string_view text, std::size_t offset) {
  int line = 1;
  const std::size_t end = offset < text.size() ? offset : text.size();
  for (std::size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
    } else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')) {
      ++line;
    }
  }
  return line;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e) {
    if (is_ascii_space(s[b])) {
      ++b;
    } else if (const std::size_t n = unicode_space_at(s, b); n > 0 && b + n <= e) {
      b += n;
    } else {
      break;
    }
  }
  while (e > b) {
    if (is_ascii_space(s[e - 1])) {
      --e;
    } else if (const std::size_t n = unicode_space_before(s, e); n > 0 && e - n >= b) {
      e -= n;
    } else {
      break;
    }
  }
  return s.substr(b, e - b);
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (const char c : s) {
    if (is_ascii_space(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  // Trimmed in place (Unicode spaces at the ends too): no second string.
  const std::string_view kept = trim(out);
  if (kept.size() == out.size()) return out;
  const auto start = static_cast<std::size_t>(kept.data() - out.data());
  out.erase(start + kept.size());
  out.erase(0, start);
  return out;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::size_t ifind(std::string_view s, std::string_view needle, std::size_t from) {
  if (needle.empty()) return from <= s.size() ? from : std::string_view::npos;
  if (s.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= s.size(); ++i)
    if (iequals(s.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ascii_alnum(char c) {
  return is_ascii_digit(c) || is_ascii_alpha(c);
}

std::optional<int> parse_small_int(std::string_view s, std::size_t max_digits) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  int v = 0;
  for (const char c : s) {
    if (!is_ascii_digit(c)) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

int strip_bullet_glyph(std::string_view& s) {
  for (const auto& g : kGlyphs) {
    if (s.substr(0, g.text.size()) == g.text) {
      s = trim(s.substr(g.text.size()));
      return g.level;
    }
  }
  return 0;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace risksync::parse_detail
