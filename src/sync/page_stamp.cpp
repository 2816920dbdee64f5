#include "sync/page_stamp.h"

namespace risksync {
namespace {

constexpr std::string_view kOpen = "<!-- risksync:page ";
constexpr std::string_view kClose = " -->";

bool representable(std::string_view date) {
  for (const char c : date)
    if (c == '"' || c == '<' || c == '>' || c == '\n' || c == '\r') return false;
  return true;
}

bool is_hex(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Parses the inside of one stamp: `fp=HEX at="DATE"`.
std::optional<PublicationStamp> parse_inside(std::string_view in) {
  if (!in.starts_with("fp=")) return std::nullopt;
  in.remove_prefix(3);
  const auto space = in.find(' ');
  PublicationStamp s;
  s.fingerprint = std::string(in.substr(0, space));
  if (!is_hex(s.fingerprint)) return std::nullopt;
  if (space == std::string_view::npos) return s;
  in.remove_prefix(space + 1);
  if (!in.starts_with("at=\"") || !in.ends_with("\"") || in.size() < 5) return std::nullopt;
  s.generated_at = std::string(in.substr(4, in.size() - 5));
  if (!representable(s.generated_at)) return std::nullopt;
  return s;
}

// Start and end (one past) of each stamp line, the last one found.
struct Found {
  std::size_t begin = std::string_view::npos;
  std::size_t end = 0;
  std::optional<PublicationStamp> stamp;
};

Found find_last(std::string_view content) {
  Found found;
  std::size_t pos = 0;
  while ((pos = content.find(kOpen, pos)) != std::string_view::npos) {
    const auto close = content.find(kClose, pos + kOpen.size());
    const auto eol = content.find('\n', pos);
    if (close == std::string_view::npos || (eol != std::string_view::npos && eol < close)) {
      pos += kOpen.size();
      continue;
    }
    auto parsed = parse_inside(content.substr(pos + kOpen.size(), close - pos - kOpen.size()));
    if (parsed) {
      found.begin = pos;
      found.end = close + kClose.size();
      found.stamp = std::move(parsed);
    }
    pos = close + kClose.size();
  }
  return found;
}

}  // namespace

std::string page_stamp_line(const PublicationStamp& stamp) {
  std::string out(kOpen);
  out += "fp=" + stamp.fingerprint;
  if (!stamp.generated_at.empty() && representable(stamp.generated_at))
    out += " at=\"" + stamp.generated_at + "\"";
  out += kClose;
  return out;
}

std::optional<PublicationStamp> read_page_stamp(std::string_view content) {
  return find_last(content).stamp;
}

std::string with_page_stamp(std::string_view content, const PublicationStamp& stamp,
                            PageFormat /*format: both formats take an HTML comment*/) {
  std::string out(content);
  // Remove every stamp already there (last first, so offsets stay valid).
  for (Found f = find_last(out); f.stamp; f = find_last(out)) {
    std::size_t end = f.end;
    if (end < out.size() && out[end] == '\n') ++end;
    out.erase(f.begin, end - f.begin);
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += page_stamp_line(stamp);
  out += '\n';
  return out;
}

}  // namespace risksync
