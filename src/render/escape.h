// Escaping of untrusted text (document, tracker) for each output format.
//
// Contract: the result, inserted where the function's name says, renders as the literal text
// and cannot open or close any structure (table cell, link, tag, comment, attribute).
#pragma once

#include <string>
#include <string_view>

namespace risksync {

// Inline markdown text inside a GFM table cell or paragraph: escapes markdown punctuation,
// '|', HTML '<' '>' '&', and turns line breaks into spaces.
std::string escape_markdown_inline(std::string_view text);

// HTML/XML text content and double-quoted attribute values: & < > " '
std::string escape_html(std::string_view text);

// Shortens to at most `max_chars` code points on a word boundary, adding "…" when cut.
// Never cuts inside a UTF-8 sequence.
std::string shorten_text(std::string_view text, std::size_t max_chars);

}  // namespace risksync
