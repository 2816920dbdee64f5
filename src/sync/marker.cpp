#include "sync/marker.h"

#include <set>
#include <sstream>
#include <vector>

#include "model/analysis.h"

namespace risksync {
namespace {

constexpr std::string_view kMarkerOpen = "<!-- risksync:";
constexpr std::string_view kMarkerClose = "-->";

bool valid_token(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(ItemKind kind) {
  return kind == ItemKind::story ? "story" : "measure";
}

std::string format_marker(const Marker& m) {
  std::string out = "<!-- risksync:key=" + m.key + " kind=" + std::string(to_string(m.kind));
  if (!m.fingerprint.empty()) out += " fp=" + m.fingerprint;
  if (!m.block_hash.empty()) out += " h=" + m.block_hash;
  out += " -->";
  return out;
}

std::optional<Marker> parse_marker(std::string_view text) {
  const auto start = text.find(kMarkerOpen);
  if (start == std::string_view::npos) return std::nullopt;
  const auto attrs_begin = start + kMarkerOpen.size();
  const auto end = text.find(kMarkerClose, attrs_begin);
  if (end == std::string_view::npos) return std::nullopt;
  const std::string_view attrs = text.substr(attrs_begin, end - attrs_begin);
  Marker m;
  bool has_kind = false;
  // Whitespace-separated words (the C locale's spaces, as `istream >> word` splits them).
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  for (std::size_t i = 0; i < attrs.size();) {
    if (is_space(attrs[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < attrs.size() && !is_space(attrs[j])) ++j;
    const std::string_view word = attrs.substr(i, j - i);
    i = j;
    const auto eq = word.find('=');
    const std::string_view name = word.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : word.substr(eq + 1);
    if (name == "key") {
      if (!valid_token(value)) return std::nullopt;
      m.key = std::string(value);
    } else if (name == "kind") {
      if (value == "story") {
        m.kind = ItemKind::story;
      } else if (value == "measure") {
        m.kind = ItemKind::measure;
      } else {
        return std::nullopt;
      }
      has_kind = true;
    } else if (name == "fp") {
      if (!valid_token(value)) return std::nullopt;
      m.fingerprint = std::string(value);
    } else if (name == "h") {
      if (!valid_token(value)) return std::nullopt;
      m.block_hash = std::string(value);
    } else if (name == "removed") {
      m.legacy_removed = true;
    }
    // Unknown attributes (and the former `parent=`) are ignored.
  }
  if (m.key.empty()) return std::nullopt;
  if (!has_kind)
    m.kind = m.key.starts_with("AS") && m.key.find('-') == std::string::npos ? ItemKind::story
                                                                             : ItemKind::measure;
  return m;
}

BlockScan find_block(std::string_view body) {
  BlockScan scan;
  const auto first_end = body.find(kBlockEnd);
  // Every marker opening that is not an end line.
  std::vector<std::size_t> opens;
  for (auto at = body.find(kMarkerOpen); at != std::string_view::npos;
       at = body.find(kMarkerOpen, at + 1)) {
    if (body.compare(at, kBlockEnd.size(), kBlockEnd) == 0) continue;
    opens.push_back(at);
  }
  // The block's marker: the last opening before the first end line.
  std::optional<std::size_t> chosen;
  if (first_end != std::string_view::npos)
    for (const std::size_t at : opens)
      if (at < first_end) chosen = at;
  scan.stray_markers = static_cast<int>(opens.size()) - (chosen ? 1 : 0);
  if (!chosen) return scan;
  const auto close = body.find(kMarkerClose, *chosen + kMarkerOpen.size());
  if (close == std::string_view::npos || close > first_end) {
    ++scan.stray_markers;
    return scan;
  }
  auto marker = parse_marker(body.substr(*chosen, close + kMarkerClose.size() - *chosen));
  if (!marker) {
    ++scan.stray_markers;
    return scan;
  }
  // The line break that ends the marker line is framing, not content.
  auto content_begin = close + kMarkerClose.size();
  if (body.compare(content_begin, 2, "\r\n") == 0)
    content_begin += 2;
  else if (content_begin < body.size() && body[content_begin] == '\n')
    ++content_begin;
  scan.block = FoundBlock{std::move(*marker),
                          std::string(body.substr(content_begin, first_end - content_begin)),
                          *chosen, first_end + kBlockEnd.size()};
  return scan;
}

std::string merge_managed_block(std::string_view body, const Marker& marker,
                                std::string_view block) {
  std::string fresh = format_marker(marker);
  fresh += "\n";
  fresh += block;
  if (!block.empty() && block.back() != '\n') fresh += "\n";
  fresh += kBlockEnd;

  const BlockScan scan = find_block(body);
  if (!scan.block) {
    // No (complete) block yet: ours first, people's text after it.
    if (body.empty()) return fresh;
    return fresh + "\n\n" + std::string(body);
  }
  std::string out(body.substr(0, scan.block->begin));
  out += fresh;
  out += body.substr(scan.block->end);
  return out;
}

double text_similarity(std::string_view a, std::string_view b) {
  auto words = [](std::string_view t) {
    std::set<std::string> out;
    std::istringstream in(normalize_text(t));
    std::string w;
    while (in >> w) out.insert(w);
    return out;
  };
  const auto wa = words(a);
  const auto wb = words(b);
  if (wa.empty() && wb.empty()) return 1.0;
  std::size_t common = 0;
  for (const auto& w : wa) common += wb.count(w);
  const std::size_t uni = wa.size() + wb.size() - common;
  return uni == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(uni);
}

}  // namespace risksync
