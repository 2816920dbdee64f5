// Escaping of untrusted text (document, tracker) for each output format.
//
// Contract: the result, inserted where the function's name says, renders as the literal text
// and cannot open or close any structure (table cell, link, tag, comment, attribute).
// All functions are pure and never throw on any byte sequence; invalid UTF-8 comes out as
// U+FFFD (except in shorten_text, which only cuts and leaves escaping to the caller).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace risksync {

// Inline markdown text inside a GFM table cell or paragraph: escapes markdown punctuation,
// '|', HTML '<' '>' '&', and turns line breaks into spaces.
//
// Details: `\ ` * _ [ ] | ~ $ !` always get a backslash ('|' as "\|", which GFM tables keep
// inside the cell; '$' so that GitHub/GitLab math cannot start); '<' '>' '&' become entities,
// so no raw HTML, comment, autolink or entity can form; line breaks, tabs and other control
// characters become one space each, so the result is always one line; leading and trailing
// spaces are dropped (they never render, and could indent). '#' '+' '-' '=' as the first
// character, and '.' or ')' right after leading digits, are escaped too, so the text cannot
// start a heading, a list or a setext underline when placed at the start of a line; elsewhere
// they need no escape and stay readable ("2026-11-23", "(poids 2)"). With '[' ']' escaped,
// '(' ')' can never form a link. Not escaped: a written "https://…", which GFM may autolink
// (a link showing that same text; GFM autolinks only http, https, www. and e-mail addresses).
std::string escape_markdown_inline(std::string_view text);

// escape_markdown_inline for one piece of a line whose other pieces are emphasis, links or code
// spans: the same escapes, but leading spaces are kept (and block-start characters left alone)
// unless `starts_line`, trailing spaces kept unless `ends_line`. The pieces of a line, each
// escaped with the right flags and joined, are as safe as escape_markdown_inline of one text.
// escape_markdown_inline(t) == escape_markdown_piece(t, true, true).
std::string escape_markdown_piece(std::string_view text, bool starts_line, bool ends_line);

// A whole GFM code span (backticks included) showing `text` literally: a fence longer than any
// run of backticks in it, a space inside each fence when the text begins or ends with a
// backtick or a space, line breaks and control characters as spaces (one line), invalid UTF-8
// as U+FFFD. `in_table_cell`: '|' becomes "\|", which GFM reads as '|' inside a code span in
// a table (and would otherwise end the cell). Empty text gives an empty string.
std::string markdown_code_span(std::string_view text, bool in_table_cell);

// HTML/XML text content and double-quoted attribute values: & < > " '
// Control characters other than tab, LF and CR (not allowed in XML 1.0) become U+FFFD.
std::string escape_html(std::string_view text);

// Shortens to at most `max_chars` code points on a word boundary, adding "…" when cut.
// Never cuts inside a UTF-8 sequence. Text that fits is returned unchanged. When the last
// word boundary would lose more than half of the allowed length, cuts inside the word
// instead (never before a combining mark or a zero-width joiner).
std::string shorten_text(std::string_view text, std::size_t max_chars);

// A link target taken from a tracker or a configuration: returns it ready for a markdown link
// destination and (after escape_html) an HTML href when it is an absolute http:// or https://
// URL with a host; nullopt for any other scheme (javascript:, data:, file:, …), relative
// references, or any control character. Leading/trailing spaces are trimmed; spaces, quotes,
// '<' '>' '(' ')' '|' '\' '`' '{' '}' '^', a '%' not followed by two hex digits, and non-ASCII
// bytes are percent-encoded, so the result cannot end a link or split a table cell.
std::optional<std::string> safe_http_url(std::string_view url);

}  // namespace risksync
