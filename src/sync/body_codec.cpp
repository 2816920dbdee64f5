#include "sync/body_codec.h"

#include "util/hash.h"

namespace risksync {

std::string_view to_string(BodyFormat format) {
  switch (format) {
    case BodyFormat::markdown:
      return "markdown";
    case BodyFormat::adf:
      return "adf";
    case BodyFormat::jira_wiki:
      return "jira-wiki";
  }
  return "markdown";
}

std::string ManagedContent::hash() const {
  return fnv1a64_hex(markdown);
}

ShownBlock MarkdownBodyCodec::read(std::string_view body) const {
  BlockScan scan = find_block(body);
  ShownBlock out;
  out.stray_markers = scan.stray_markers;
  if (scan.block) {
    out.found = true;
    out.marker = std::move(scan.block->marker);
    out.content = std::move(scan.block->content);
  }
  return out;
}

std::string MarkdownBodyCodec::write(std::string_view current_body, const Marker& marker,
                                     const ManagedContent& content) const {
  return merge_managed_block(current_body, marker, content.markdown);
}

bool MarkdownBodyCodec::same_content(std::string_view shown, const ManagedContent& content) const {
  if (shown == content.markdown) return true;  // the usual case: the block as written
  return markdown_comparison_form(shown) == markdown_comparison_form(content.markdown);
}

std::string markdown_comparison_form(std::string_view md) {
  std::string out;
  out.reserve(md.size());
  bool pending_space = false;
  bool line_start = true;
  auto put = [&](char c) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += c;
    line_start = false;
  };
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
  for (std::size_t i = 0; i < md.size(); ++i) {
    const char c = md[i];
    if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
      pending_space = true;
      if (c == '\n') line_start = true;
      continue;
    }
    if (line_start && (c == '-' || c == '+' || c == '*') && i + 1 < md.size() &&
        (md[i + 1] == ' ' || md[i + 1] == '\t')) {
      pending_space = true;  // a list bullet, whatever its character
      continue;
    }
    if (c == '*' || c == '_' || c == '`') continue;  // emphasis and code spans
    if (c == '\\' && i + 1 < md.size() && md[i + 1] != '\n') {
      put(md[++i]);  // an escaped character stands for itself
      continue;
    }
    if (c == '<' && (md.compare(i, 4, "<br>") == 0 || md.compare(i, 5, "<br/>") == 0 ||
                     md.compare(i, 6, "<br />") == 0)) {
      i = md.find('>', i);
      pending_space = true;
      continue;
    }
    if (c == '&') {
      bool decoded = false;
      for (const auto& [entity, ch] : kEntities) {
        if (md.compare(i, entity.size(), entity) == 0) {
          put(ch);
          i += entity.size() - 1;
          decoded = true;
          break;
        }
      }
      if (decoded) continue;
    }
    put(c);
  }
  return out;
}

}  // namespace risksync
