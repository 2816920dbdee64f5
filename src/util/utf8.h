// UTF-8 helpers shared by the core (model, render).
//
// Contract: strict decoding (RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF). Pure functions, no state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace risksync::utf8 {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point starting at s[i] and advances i past it. On an invalid or truncated
// sequence returns kReplacementChar, sets *valid to false (when given) and advances one byte.
// Precondition: i < s.size().
char32_t next_code_point(std::string_view s, std::size_t& i, bool* valid = nullptr);

void append_utf8(std::string& out, char32_t cp);

// Number of code points (an invalid byte counts as one).
std::size_t code_point_count(std::string_view s);

}  // namespace risksync::utf8
