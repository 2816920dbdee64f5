// Identity markers and risksync's own block in a markdown issue body (docs/DESIGN.md §5).
//
// A managed body looks like:
//
//   <!-- risksync:key=AS1 kind=story fp=1a2b3c4d h=9f8e7d6c5b4a3210 -->
//   …risksync's block, rewritten when the analysis changes…
//   <!-- risksync:end -->
//
//   Text people write after (or before) the block is theirs and is never changed.
//
// The marker says WHO an item is, never how it stands: key (AS1, M7, AS1-3fa2b1c0), kind
// (story|measure), fp (fingerprint of the story/measure text, to recognise a renumbered story
// or an edited measure) and h (hash of the block risksync last wrote, so that a platform's
// re-serialisation of that block is not mistaken for a change). Open/closed, parent and labels
// are read from the platform at every sync. Older versions wrote `parent=` and `removed`:
// `parent` is ignored, `removed` is read as `legacy_removed` (the item was closed by risksync)
// and dropped at the next write.
//
// Only risksync's block counts: the marker directly followed (with no other marker in between)
// by the end line. Marker-looking text elsewhere in the body (pasted by a person) is never
// acted upon: find_block() reports how many such stray markers it saw, so the sync can warn.
//
// Contract: pure string functions; a body with no block or a malformed marker yields nullopt.
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
  std::string fingerprint;      // fp: of the story/measure text
  std::string block_hash;       // h: of the block risksync last wrote; empty when unknown
  bool legacy_removed = false;  // read only: `removed` written by risksync < 0.2
};

std::string format_marker(const Marker& marker);  // "<!-- risksync:key=… … -->"
inline constexpr std::string_view kBlockEnd = "<!-- risksync:end -->";

// Parses the attributes of ONE marker comment ("<!-- risksync:key=… -->", leading text
// allowed before it); nullopt when malformed. Does not look for the block: see find_block.
std::optional<Marker> parse_marker(std::string_view text);

// risksync's block in a body: its marker, the text between the marker line and the end line
// (the line break ending the marker line is framing: what merge_managed_block writes is what
// find_block reads back), and
// where the whole block (marker … end line) lies in the body.
struct FoundBlock {
  Marker marker;
  std::string content;
  std::size_t begin = 0;  // offset of "<!-- risksync:"
  std::size_t end = 0;    // offset just after kBlockEnd
};
struct BlockScan {
  std::optional<FoundBlock> block;
  int stray_markers = 0;  // risksync markers outside the block (people's text): ignored
};
BlockScan find_block(std::string_view body);

// Returns `body` with risksync's block replaced by `marker` + `block`; text outside the block
// is kept byte for byte. A body without a block gets it prepended, followed by a blank line
// and the former text.
std::string merge_managed_block(std::string_view body, const Marker& marker,
                                std::string_view block);

// Word-set similarity of two texts in [0, 1] (Jaccard over normalised words).
double text_similarity(std::string_view a, std::string_view b);

}  // namespace risksync
