// How risksync's managed block lives in a platform's item body (issue 6, "The seam").
//
// The core builds the block as ManagedContent (structured, platform-neutral); each connector
// brings a BodyCodec that writes it into the platform's body format and finds it again. The
// identity marker (sync/marker.h) travels with the block for markdown platforms; a codec for
// a platform whose bodies cannot keep an HTML comment (Jira ADF / wiki markup) keeps the marker
// elsewhere (an issue property, read back by the listing) and only delimits the block.
//
// Contract for implementations:
//  - Pure and deterministic; no I/O.
//  - write() keeps every byte of people's text outside the block.
//  - read(write(b, m, c)) gives back found = true, m (key, kind, fp, h) when the codec keeps
//    the marker in the body (nullopt otherwise), and a content for which
//    same_content(content, c) is true.
//  - same_content() ignores what the platform changes when it re-serialises a body (emphasis
//    markers, escaping, blank lines, list bullets) and sees every change of words, numbers or
//    links: it decides "the block shown differs from the block wanted".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sync/marker.h"

namespace risksync {

enum class BodyFormat { markdown, adf, jira_wiki };
std::string_view to_string(BodyFormat format);

// risksync's block as the core wants it. `markdown` is the canonical form (GitHub/GitLab
// flavoured, escaped by render/escape.h); other codecs translate it.
struct ManagedContent {
  std::string markdown;
  // Hash written into the marker (h=): 16 hex digits over the canonical form.
  std::string hash() const;
};

// What a codec found in a body.
struct ShownBlock {
  // The body holds risksync's block. Markdown codecs: the block with its marker (marker set).
  // Codecs whose platform keeps the marker elsewhere (Jira: an issue entity property) find the
  // block without a marker: found is true, marker stays nullopt, the tracker supplies it.
  bool found = false;
  std::optional<Marker> marker;  // risksync's marker, when the body carries it in the block
  std::string content;           // the block as shown, in the platform's format
  int stray_markers = 0;         // marker-looking text outside the block: ignored, warned about
};

class BodyCodec {
 public:
  virtual ~BodyCodec() = default;
  virtual BodyFormat format() const = 0;
  virtual ShownBlock read(std::string_view body) const = 0;
  virtual std::string write(std::string_view current_body, const Marker& marker,
                            const ManagedContent& content) const = 0;
  virtual bool same_content(std::string_view shown, const ManagedContent& content) const = 0;
};

// GitHub- and GitLab-flavoured markdown: the marker is an HTML comment opening the block.
class MarkdownBodyCodec final : public BodyCodec {
 public:
  BodyFormat format() const override { return BodyFormat::markdown; }
  ShownBlock read(std::string_view body) const override;
  std::string write(std::string_view current_body, const Marker& marker,
                    const ManagedContent& content) const override;
  bool same_content(std::string_view shown, const ManagedContent& content) const override;
};

// The comparison form of a markdown text: emphasis and code markers, backslash escapes, list
// bullets, `<br>` and the five XML entities removed or decoded, whitespace runs collapsed,
// trimmed. Two renderings of the same words and links give the same string.
std::string markdown_comparison_form(std::string_view markdown);

}  // namespace risksync
