#include "net/proxy.h"
#include "util/ascii.h"

#include <arpa/inet.h>
#include <array>
#include <cctype>
#include <cstring>

#include "net/http.h"

namespace risksync::net {

namespace {

using ascii::to_lower;
using ascii::trim;

std::string strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return to_lower(host);
}

// An address as 16 bytes (IPv4 mapped into the first 4) and its family, for CIDR matching.
struct Address {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
};

std::optional<Address> parse_address(const std::string& text) {
  Address a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

bool cidr_contains(const Address& net, int prefix, const Address& addr) {
  if (net.family != addr.family) return false;
  const int max_bits = net.family == AF_INET ? 32 : 128;
  if (prefix < 0 || prefix > max_bits) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    const auto byte = static_cast<std::size_t>(bit / 8);
    const int mask = 0x80 >> (bit % 8);
    if ((net.bytes[byte] & mask) != (addr.bytes[byte] & mask)) return false;
  }
  return true;
}

// Removes a ":port" suffix from a NO_PROXY entry ("host:8080", "[::1]:8080"); a bare IPv6
// address keeps its colons.
std::string entry_host(std::string_view entry) {
  if (!entry.empty() && entry.front() == '[') {
    const auto close = entry.find(']');
    return strip_brackets(
        entry.substr(0, close == std::string_view::npos ? entry.size() : close + 1));
  }
  const auto first = entry.find(':');
  if (first != std::string_view::npos && entry.find(':', first + 1) == std::string_view::npos)
    entry = entry.substr(0, first);
  return to_lower(entry);
}

}  // namespace

std::string ProxyConfig::display() const {
  std::string out = "http://";
  if (!username.empty() || !password.empty()) out += "***@";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out += ":" + std::to_string(port);
  return out;
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view target_host) {
  const std::string host = strip_brackets(trim(target_host));
  if (host.empty()) return false;
  const auto host_address = parse_address(host);
  std::size_t i = 0;
  while (i <= no_proxy.size()) {
    std::size_t end = i;
    while (end < no_proxy.size() && no_proxy[end] != ',' &&
           !std::isspace(static_cast<unsigned char>(no_proxy[end])))
      ++end;
    const std::string_view raw = trim(no_proxy.substr(i, end - i));
    i = end + 1;
    if (raw.empty()) continue;
    if (raw == "*") return true;
    if (const auto slash = raw.find('/'); slash != std::string_view::npos) {
      if (!host_address) continue;
      const auto net = parse_address(strip_brackets(raw.substr(0, slash)));
      int prefix = 0;
      const std::string_view bits = raw.substr(slash + 1);
      bool digits = !bits.empty() && bits.size() <= 3;
      for (char c : bits) {
        if (c < '0' || c > '9') digits = false;
      }
      if (!net || !digits) continue;
      for (char c : bits) prefix = prefix * 10 + (c - '0');
      if (cidr_contains(*net, prefix, *host_address)) return true;
      continue;
    }
    std::string entry = entry_host(raw);
    if (entry.empty()) continue;
    if (parse_address(entry)) {
      if (host_address && parse_address(entry)->bytes == host_address->bytes &&
          parse_address(entry)->family == host_address->family)
        return true;
      continue;
    }
    while (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (!entry.empty() && entry.front() == '*') {  // "*.example.com"
      entry.erase(0, 1);
      while (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    }
    if (entry.empty()) continue;
    if (host == entry) return true;
    if (host.size() > entry.size() &&
        host.compare(host.size() - entry.size(), entry.size(), entry) == 0 &&
        host[host.size() - entry.size() - 1] == '.')
      return true;
  }
  return false;
}

Result<std::optional<ProxyConfig>> proxy_from_env(std::string_view https_proxy,
                                                  std::string_view no_proxy,
                                                  std::string_view target_host) {
  const std::string_view value = trim(https_proxy);
  if (value.empty()) return std::optional<ProxyConfig>{};
  if (is_loopback_host(strip_brackets(trim(target_host)))) return std::optional<ProxyConfig>{};
  if (no_proxy_matches(no_proxy, target_host)) return std::optional<ProxyConfig>{};

  std::string text(value);
  if (text.find("://") == std::string::npos) text = "http://" + text;
  const std::string scheme = to_lower(text.substr(0, text.find("://")));
  if (scheme != "http") {
    return bad_input("unsupported HTTPS proxy scheme '" + scheme +
                     "://' (only http:// proxies, reached with CONNECT, are supported)");
  }
  auto url = parse_url(text);
  if (!url.ok()) return url.error();
  if (!url->path.empty() || !url->query.empty()) {
    return bad_input("invalid HTTPS proxy " + url->origin() + ": a proxy URL has no path");
  }
  ProxyConfig config;
  config.host = url->host;
  config.port = url->port;
  if (!url->userinfo.empty()) {
    const auto colon = url->userinfo.find(':');
    config.username = percent_decode(url->userinfo.substr(0, colon));
    if (colon != std::string::npos)
      config.password = percent_decode(url->userinfo.substr(colon + 1));
  }
  return std::optional<ProxyConfig>{std::move(config)};
}

}  // namespace risksync::net
