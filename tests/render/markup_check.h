// Test helper: a strict well-formedness check for the HTML and SVG that risksync writes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace risksync::test {

// Empty when `markup` is well formed: every element closed in order (HTML void elements
// excepted when `html`), attribute values double-quoted without '<' or '"', no comment, no raw
// '<' or '>' in text, every '&' starts an entity. <style> content is skipped. Otherwise the
// first problem found, with its byte offset.
std::string check_markup(std::string_view markup, bool html);

// Values of every `name="…"` attribute (entities not decoded), document order.
std::vector<std::string> attribute_values(std::string_view markup, std::string_view name);

// True when some tag carries an event handler attribute (on…="…"), in any case.
bool has_event_handler(std::string_view markup);

// Number of non-overlapping occurrences.
std::size_t count_of(std::string_view haystack, std::string_view needle);

}  // namespace risksync::test
