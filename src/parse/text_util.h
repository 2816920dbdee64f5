// Small byte-level text helpers shared by the parsers of src/parse/ (private to that folder).
//
// Contract: pure functions on UTF-8 byte strings; none allocates more than its output, none
// throws except std::bad_alloc. Case-insensitive helpers fold ASCII letters only, so byte
// offsets found in a folded copy are valid in the original.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace risksync::parse_detail {

// Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or nullopt when all is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// 1-based line of a byte offset; "\r\n", "\n" and a lone "\r" each end a line (as in cmark).
int line_of_offset(std::string_view text, std::size_t offset);

// Trims ASCII whitespace and the Unicode spaces French typography uses (U+00A0, U+202F,
// U+2009) at both ends.
std::string_view trim(std::string_view s);

// Runs of ASCII whitespace become one space; the result is trimmed.
std::string collapse_spaces(std::string_view s);

char ascii_lower(char c);
std::string ascii_lower(std::string_view s);
std::string ascii_upper(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
// Position of `needle` in `s` (ASCII case-insensitive) at or after `from`, or npos.
std::size_t ifind(std::string_view s, std::string_view needle, std::size_t from = 0);

bool is_ascii_digit(char c);
bool is_ascii_alpha(char c);
bool is_ascii_alnum(char c);

// Parses a run of at most `max_digits` ASCII digits that makes up all of `s`.
std::optional<int> parse_small_int(std::string_view s, std::size_t max_digits = 6);

// Removes a leading bullet glyph of slides and pasted documents ("●", "•", "▪", "➔" give 1;
// "○", "◦", "▫" give 2; "- ", "* ", "+ " give 1) and the spaces after it. Returns the level,
// 0 when there was none.
int strip_bullet_glyph(std::string_view& s);

// Splits on `sep`, without trimming.
std::vector<std::string_view> split(std::string_view s, char sep);

}  // namespace risksync::parse_detail
