#include "sync/page_stamp.h"

namespace risksync {
namespace {

constexpr std::string_view kOpen = "<!-- risksync:page ";
constexpr std::string_view kClose = " -->";
// Confluence storage: the name of an anchor macro (Confluence drops HTML comments).
constexpr std::string_view kMacroOpen =
    "<p><ac:structured-macro ac:name=\"anchor\" ac:schema-version=\"1\"><ac:parameter "
    "ac:name=\"\">";
constexpr std::string_view kMacroClose = "</ac:parameter></ac:structured-macro></p>";
constexpr std::string_view kMacroText = "risksync:page ";

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

// XML text as written by Confluence: &quot; &#34; &amp; &lt; &gt; &#39; &apos; decoded.
std::string xml_text(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size();) {
    bool decoded = false;
    for (const auto& [entity, c] : {std::pair<std::string_view, char>{"&quot;", '"'},
                                    {"&#34;", '"'},
                                    {"&amp;", '&'},
                                    {"&lt;", '<'},
                                    {"&gt;", '>'},
                                    {"&#39;", '\''},
                                    {"&apos;", '\''}}) {
      if (in.compare(i, entity.size(), entity) == 0) {
        out += c;
        i += entity.size();
        decoded = true;
        break;
      }
    }
    if (!decoded) out += in[i++];
  }
  return out;
}

void find_comments(std::string_view content, Found& found) {
  std::size_t pos = 0;
  while ((pos = content.find(kOpen, pos)) != std::string_view::npos) {
    const auto close = content.find(kClose, pos + kOpen.size());
    const auto eol = content.find('\n', pos);
    if (close == std::string_view::npos || (eol != std::string_view::npos && eol < close)) {
      pos += kOpen.size();
      continue;
    }
    auto parsed = parse_inside(content.substr(pos + kOpen.size(), close - pos - kOpen.size()));
    if (parsed && (found.begin == std::string_view::npos || pos > found.begin)) {
      found.begin = pos;
      found.end = close + kClose.size();
      found.stamp = std::move(parsed);
    }
    pos = close + kClose.size();
  }
}

// The anchor macro's text "risksync:page fp=… at=&quot;…&quot;" up to the next tag; the
// stamp's span is the whole <p> when it is risksync's macro as written, else the text alone.
void find_macros(std::string_view content, Found& found) {
  std::size_t pos = 0;
  while ((pos = content.find(kMacroText, pos)) != std::string_view::npos) {
    const std::size_t text_begin = pos + kMacroText.size();
    const auto tag = content.find('<', text_begin);
    if (tag == std::string_view::npos || (pos > 0 && content[pos - 1] != '>')) {
      pos = text_begin;
      continue;
    }
    auto parsed = parse_inside(xml_text(content.substr(text_begin, tag - text_begin)));
    if (parsed && (found.begin == std::string_view::npos || pos > found.begin)) {
      std::size_t begin = pos;
      std::size_t end = tag;
      if (pos >= kMacroOpen.size() &&
          content.substr(pos - kMacroOpen.size(), kMacroOpen.size()) == kMacroOpen &&
          content.substr(tag, kMacroClose.size()) == kMacroClose) {
        begin = pos - kMacroOpen.size();
        end = tag + kMacroClose.size();
      }
      found.begin = begin;
      found.end = end;
      found.stamp = std::move(parsed);
    }
    pos = tag;
  }
}

Found find_last(std::string_view content) {
  Found found;
  find_comments(content, found);
  find_macros(content, found);
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
                            PageFormat format) {
  std::string out(content);
  // Remove every stamp already there (last first, so offsets stay valid).
  for (Found f = find_last(out); f.stamp; f = find_last(out)) {
    std::size_t end = f.end;
    if (end < out.size() && out[end] == '\n') ++end;
    out.erase(f.begin, end - f.begin);
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  if (format == PageFormat::confluence_storage) {
    std::string line = page_stamp_line(stamp);
    line = line.substr(kOpen.size() - kMacroText.size(),
                       line.size() - kClose.size() - (kOpen.size() - kMacroText.size()));
    std::string escaped;
    for (const char c : line)
      escaped += c == '"'   ? std::string("&quot;")
                 : c == '&' ? std::string("&amp;")
                            : std::string(1, c);
    out += std::string(kMacroOpen) + escaped + std::string(kMacroClose);
  } else {
    out += page_stamp_line(stamp);
  }
  out += '\n';
  return out;
}

}  // namespace risksync
