#include "sync/marker.h"

#include <set>
#include <sstream>

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
  if (!m.parent.empty()) out += " parent=" + m.parent;
  if (m.removed) out += " removed";
  out += " -->";
  return out;
}

std::optional<Marker> parse_marker(std::string_view body) {
  const auto start = body.find(kMarkerOpen);
  if (start == std::string_view::npos) return std::nullopt;
  const auto attrs_begin = start + kMarkerOpen.size();
  const auto end = body.find(kMarkerClose, attrs_begin);
  if (end == std::string_view::npos) return std::nullopt;
  std::istringstream attrs{std::string(body.substr(attrs_begin, end - attrs_begin))};
  Marker m;
  bool has_kind = false;
  std::string word;
  while (attrs >> word) {
    const auto eq = word.find('=');
    const std::string name = word.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : word.substr(eq + 1);
    if (name == "key") {
      if (!valid_token(value)) return std::nullopt;
      m.key = value;
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
      m.fingerprint = value;
    } else if (name == "parent") {
      if (!valid_token(value)) return std::nullopt;
      m.parent = value;
    } else if (name == "removed") {
      m.removed = true;
    }
    // Unknown attributes are ignored: later versions may add some.
  }
  if (m.key.empty()) return std::nullopt;
  if (!has_kind)
    m.kind = m.key.starts_with("AS") && m.key.find('-') == std::string::npos ? ItemKind::story
                                                                             : ItemKind::measure;
  return m;
}

std::optional<std::string> managed_block(std::string_view body) {
  const auto start = body.find(kMarkerOpen);
  if (start == std::string_view::npos) return std::nullopt;
  const auto open_end = body.find(kMarkerClose, start);
  if (open_end == std::string_view::npos) return std::nullopt;
  const auto content_begin = open_end + kMarkerClose.size();
  const auto end = body.find(kBlockEnd, content_begin);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(body.substr(content_begin, end - content_begin));
}

std::string merge_managed_block(std::string_view body, const Marker& marker,
                                std::string_view block) {
  std::string fresh = format_marker(marker);
  fresh += "\n";
  fresh += block;
  if (!block.empty() && block.back() != '\n') fresh += "\n";
  fresh += kBlockEnd;

  const auto start = body.find(kMarkerOpen);
  const auto open_end =
      start == std::string_view::npos ? std::string_view::npos : body.find(kMarkerClose, start);
  const auto end = open_end == std::string_view::npos
                       ? std::string_view::npos
                       : body.find(kBlockEnd, open_end + kMarkerClose.size());
  if (end == std::string_view::npos) {
    // No (complete) block yet: ours first, people's text after it.
    if (body.empty()) return fresh;
    return fresh + "\n\n" + std::string(body);
  }
  std::string out(body.substr(0, start));
  out += fresh;
  out += body.substr(end + kBlockEnd.size());
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
