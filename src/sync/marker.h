// Identity markers and risksync's own block in an issue body (docs/DESIGN.md §5).
//
// A managed body looks like:
//
//   <!-- risksync:key=AS1 kind=story fp=1a2b3c4d -->
//   …risksync's block, rewritten at every sync…
//   <!-- risksync:end -->
//
//   Text people write after (or before) the block is theirs and is never changed.
//
// Attributes: key (AS1, M7, AS1-3fa2b1c0), kind (story|measure), fp (fingerprint of the
// story/measure text, for renumbering and edits), parent (key of the parent story, measures
// only), removed (present when risksync closed the item because it left the document).
//
// Contract: pure string functions; a body with no marker or a malformed one yields nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/analysis.h"  // text_fingerprint, normalize_text

namespace risksync {

enum class ItemKind { story, measure };
std::string_view to_string(ItemKind kind);

struct Marker {
  std::string key;
  ItemKind kind = ItemKind::story;
  std::string fingerprint;
  std::string parent;  // measures: key of the parent story
  bool removed = false;
};

std::string format_marker(const Marker& marker);  // "<!-- risksync:key=… … -->"
inline constexpr std::string_view kBlockEnd = "<!-- risksync:end -->";

// Finds the first marker in `body`.
std::optional<Marker> parse_marker(std::string_view body);

// The text between the marker and the end marker (exclusive), or nullopt.
std::optional<std::string> managed_block(std::string_view body);

// Returns `body` with risksync's block (marker … end) replaced by `marker` + `block`; text
// outside the block is kept byte for byte. A body without a block gets it prepended, followed
// by a blank line and the former text.
std::string merge_managed_block(std::string_view body, const Marker& marker,
                                std::string_view block);

// Word-set similarity of two texts in [0, 1] (Jaccard over normalised words).
double text_similarity(std::string_view a, std::string_view b);

}  // namespace risksync
