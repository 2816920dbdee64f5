#include "render/markup_check.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace risksync::test {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == ':' || c == '_';
}

bool entity_at(std::string_view s, std::size_t i) {
  // s[i] == '&'
  std::size_t k = i + 1;
  if (k < s.size() && s[k] == '#') {
    ++k;
    const bool hex = k < s.size() && (s[k] == 'x' || s[k] == 'X');
    if (hex) ++k;
    const std::size_t start = k;
    while (k < s.size() && std::isxdigit(static_cast<unsigned char>(s[k]))) ++k;
    return k > start && k < s.size() && s[k] == ';';
  }
  const std::size_t start = k;
  while (k < s.size() && std::isalnum(static_cast<unsigned char>(s[k]))) ++k;
  return k > start && k < s.size() && s[k] == ';';
}

}  // namespace

std::string check_markup(std::string_view s, bool html) {
  static const std::set<std::string, std::less<>> kVoid{"meta", "br", "img", "link", "hr", "input"};
  std::vector<std::string> stack;
  std::size_t i = 0;
  auto fail = [&](const std::string& what) {
    return what + " at byte " + std::to_string(i) + ": \"" +
           std::string(s.substr(i, std::min<std::size_t>(40, s.size() - i))) + "\"";
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '&') {
      if (!entity_at(s, i)) return fail("bare '&'");
      ++i;
      continue;
    }
    if (c == '>') return fail("raw '>' in text");
    if (c != '<') {
      ++i;
      continue;
    }
    if (s.substr(i, 4) == "<!--") return fail("comment");
    if (s.substr(i, 2) == "<?") {  // XML declaration
      const std::size_t end = s.find("?>", i);
      if (end == std::string_view::npos || i != 0) return fail("bad declaration");
      i = end + 2;
      continue;
    }
    if (s.substr(i, 9) == "<!DOCTYPE") {
      const std::size_t end = s.find('>', i);
      if (end == std::string_view::npos || !html) return fail("bad doctype");
      i = end + 1;
      continue;
    }
    std::size_t k = i + 1;
    const bool closing = k < s.size() && s[k] == '/';
    if (closing) ++k;
    const std::size_t name_start = k;
    while (k < s.size() && is_name_char(s[k])) ++k;
    const std::string name(s.substr(name_start, k - name_start));
    if (name.empty()) return fail("raw '<'");
    bool self_closing = false;
    // attributes
    while (true) {
      while (k < s.size() && s[k] == ' ') ++k;
      if (k >= s.size()) return fail("unterminated tag");
      if (s[k] == '>') {
        ++k;
        break;
      }
      if (s[k] == '/' && k + 1 < s.size() && s[k + 1] == '>') {
        self_closing = true;
        k += 2;
        break;
      }
      if (closing) return fail("attribute in end tag");
      const std::size_t attr_start = k;
      while (k < s.size() && is_name_char(s[k])) ++k;
      if (k == attr_start) return fail("bad attribute");
      if (k < s.size() && s[k] == '=') {
        ++k;
        if (k >= s.size() || s[k] != '"') return fail("unquoted attribute");
        ++k;
        while (k < s.size() && s[k] != '"') {
          if (s[k] == '<') return fail("'<' in attribute");
          if (s[k] == '&' && !entity_at(s, k)) return fail("bare '&' in attribute");
          ++k;
        }
        if (k >= s.size()) return fail("unterminated attribute");
        ++k;
      }
    }
    if (closing) {
      if (stack.empty() || stack.back() != name) return fail("unbalanced </" + name + ">");
      stack.pop_back();
    } else if (!self_closing && !(html && kVoid.contains(name))) {
      stack.push_back(name);
      if (name == "style") {  // raw text
        const std::size_t end = s.find("</style>", k);
        if (end == std::string_view::npos) return fail("unterminated style");
        k = end;
      }
    }
    i = k;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return {};
}

std::vector<std::string> attribute_values(std::string_view s, std::string_view name) {
  std::vector<std::string> out;
  const std::string needle = " " + std::string(name) + "=\"";
  for (std::size_t pos = s.find(needle); pos != std::string_view::npos;
       pos = s.find(needle, pos + 1)) {
    const std::size_t start = pos + needle.size();
    const std::size_t end = s.find('"', start);
    if (end == std::string_view::npos) break;
    out.emplace_back(s.substr(start, end - start));
  }
  return out;
}

bool has_event_handler(std::string_view s) {
  // Only inside tags: escaped text may well read "onerror=".
  for (std::size_t open = s.find('<'); open != std::string_view::npos;
       open = s.find('<', open + 1)) {
    const std::size_t close = s.find('>', open);
    if (close == std::string_view::npos) break;
    const std::string_view tag = s.substr(open, close - open);
    for (std::size_t i = 0; i + 3 < tag.size(); ++i) {
      const auto at = [&](std::size_t k) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(tag[k])));
      };
      if (!std::isspace(static_cast<unsigned char>(tag[i])) || at(i + 1) != 'o' || at(i + 2) != 'n')
        continue;
      std::size_t k = i + 3;
      while (k < tag.size() && std::isalpha(static_cast<unsigned char>(tag[k]))) ++k;
      if (k > i + 3 && k < tag.size() && tag[k] == '=') return true;
    }
  }
  return false;
}

std::size_t count_of(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size()))
    ++n;
  return n;
}

}  // namespace risksync::test
