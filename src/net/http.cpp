#include "net/http.h"
#include "util/ascii.h"

#include <arpa/inet.h>
#include <algorithm>
#include <cctype>

namespace risksync::net {

namespace {

using ascii::iequals;
using ascii::lower;
using ascii::to_lower;
using ascii::trim;

bool is_unreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return lower(x) < lower(y); });
}

std::optional<std::string> find_header(const Headers& headers, std::string_view name) {
  const auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

void set_header(Headers& headers, std::string_view name, std::string value) {
  const auto range = headers.equal_range(name);
  headers.erase(range.first, range.second);
  headers.emplace(std::string(name), std::move(value));
}

HttpTransport::~HttpTransport() = default;

// ---- Link header ----

std::map<std::string, std::string> parse_link_header(std::string_view value) {
  // Splits `text` on `sep` outside double-quoted strings.
  const auto split_unquoted = [](std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && text[i] == '"') quoted = !quoted;
      if (i == text.size() || (text[i] == sep && !quoted)) {
        parts.push_back(text.substr(start, i - start));
        start = i + 1;
      }
    }
    return parts;
  };

  std::map<std::string, std::string> links;
  std::size_t i = 0;
  while (i < value.size()) {
    const auto open = value.find('<', i);
    if (open == std::string_view::npos) break;
    const auto close = value.find('>', open + 1);
    if (close == std::string_view::npos) break;
    const std::string url(trim(value.substr(open + 1, close - open - 1)));
    // The link's parameters run until the next ',' outside a quoted string.
    std::size_t end = close + 1;
    for (bool quoted = false; end < value.size() && (quoted || value[end] != ','); ++end)
      if (value[end] == '"') quoted = !quoted;
    const auto params = split_unquoted(value.substr(close + 1, end - close - 1), ';');
    i = end + 1;
    if (url.empty()) continue;
    for (const std::string_view raw : params) {
      const std::string_view param = trim(raw);
      const auto eq = param.find('=');
      if (eq == std::string_view::npos || !iequals(trim(param.substr(0, eq)), "rel")) continue;
      std::string_view rels = trim(param.substr(eq + 1));
      if (rels.size() >= 2 && rels.front() == '"' && rels.back() == '"')
        rels = rels.substr(1, rels.size() - 2);
      for (const std::string_view rel : split_unquoted(rels, ' ')) {
        if (!trim(rel).empty()) links.emplace(to_lower(trim(rel)), url);
      }
    }
  }
  return links;
}

// ---- URLs ----

bool Url::default_port() const {
  return (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
}

std::string Url::origin() const {
  std::string out = scheme + "://";
  if (host.find(':') != std::string::npos)
    out += "[" + host + "]";
  else
    out += host;
  if (!default_port()) out += ":" + std::to_string(port);
  return out;
}

std::string Url::to_string() const {
  std::string out = origin() + path;
  if (!query.empty()) out += "?" + query;
  return out;
}

Result<Url> parse_url(std::string_view text) {
  const auto redacted_for_error = [&] {
    // Quote the URL without its userinfo.
    std::string shown(text);
    const auto scheme_end = shown.find("://");
    if (scheme_end != std::string::npos) {
      const auto authority_end = shown.find_first_of("/?#", scheme_end + 3);
      const auto at = shown.rfind('@', authority_end);
      if (at != std::string::npos && at > scheme_end)
        shown.replace(scheme_end + 3, at - scheme_end - 3, "***");
    }
    return "'" + shown + "'";
  };
  const auto fail = [&](const std::string& why) {
    return bad_input("invalid URL " + redacted_for_error() + ": " + why);
  };

  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) return fail("expected scheme://host");
  url.scheme = to_lower(text.substr(0, scheme_end));
  if (url.scheme != "https" && url.scheme != "http")
    return fail("only http and https are supported");
  std::string_view rest = text.substr(scheme_end + 3);
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const auto authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_query =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);

  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("unterminated IPv6 address");
    url.host = to_lower(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail("unexpected text after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = to_lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return fail("missing host");
  for (char c : url.host) {
    const auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '-' || c == '.' || c == ':' || c == '_'))
      return fail("invalid character in host");
  }
  if (!port_text.empty()) {
    int port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9' || port > 65535) return fail("invalid port");
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return fail("invalid port");
    url.port = port;
  } else {
    url.port = url.scheme == "https" ? 443 : 80;
  }

  const auto q = path_query.find('?');
  std::string_view path = path_query.substr(0, q);
  if (q != std::string_view::npos) url.query = std::string(path_query.substr(q + 1));
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.path = std::string(path);
  return url;
}

std::string join_path(std::string_view base_path, std::string_view relative) {
  while (!base_path.empty() && base_path.back() == '/') base_path.remove_suffix(1);
  if (relative.empty()) return base_path.empty() ? std::string("/") : std::string(base_path);
  std::string out(base_path);
  if (relative.front() == '?') {
    if (out.empty()) out = "/";
  } else if (relative.front() != '/') {
    out += '/';
  }
  out += relative;
  return out;
}

bool is_loopback_host(std::string_view host) {
  if (!host.empty() && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string h = to_lower(host);
  if (h == "localhost" || h == "localhost.") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;  // 127.0.0.0/8
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

Result<Url> parse_service_url(std::string_view text) {
  auto url = parse_url(text);
  if (!url.ok()) return url.error();
  if (!url->userinfo.empty()) {
    return bad_input(url->to_string() +
                     ": credentials in the URL (user:password@host) are refused; give the "
                     "token through the configuration (its environment variable) instead");
  }
  if (url->scheme == "http" && !is_loopback_host(url->host)) {
    return bad_input(url->to_string() +
                     ": plain http:// is refused for a non-loopback host (only localhost, "
                     "127.0.0.0/8 and ::1); use https://");
  }
  return url;
}

// ---- percent-encoding ----

std::string encode_path_segment(std::string_view segment) {
  return percent_encode(segment);
}

std::string encode_query_value(std::string_view value) {
  return percent_encode(value);
}

std::string build_query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out += '&';
    out += encode_query_value(key);
    out += '=';
    out += encode_query_value(value);
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

}  // namespace risksync::net
