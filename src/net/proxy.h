// HTTPS proxy selection from the conventional environment strings, as a pure function.
//
// Contract:
//  - app/ reads HTTPS_PROXY/https_proxy and NO_PROXY/no_proxy and passes the strings; net/
//    never calls getenv.
//  - `proxy_from_env` returns nullopt (no proxy) when `https_proxy` is empty, when the target
//    host is a loopback host, or when NO_PROXY matches the target host; a ProxyConfig
//    otherwise; an Error (bad_input, no credentials quoted) for a proxy URL it cannot use.
//  - NO_PROXY: comma (or blank) separated entries, case-insensitive; `*` matches every host;
//    `example.com` and `.example.com` both match example.com and any subdomain; an IP address
//    matches itself; a CIDR block (10.0.0.0/8, fd00::/8) matches the addresses it contains; a
//    `:port` suffix on an entry is ignored.
//  - Proxy URL: `http://[user:password@]host[:port]` (scheme optional, port defaults to 80;
//    user and password are percent-decoded). `https://` proxies (TLS to the proxy) and SOCKS
//    are refused: cpp-httplib 0.11.4 cannot speak them.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace risksync::net {

struct ProxyConfig {
  std::string host;
  int port = 80;
  std::string username;  // empty: no proxy authentication
  std::string password;  // a secret: HttpClient registers it with its Redactor

  // "http://host:port", or "http://***@host:port" when there are credentials: safe to log.
  std::string display() const;
};

Result<std::optional<ProxyConfig>> proxy_from_env(std::string_view https_proxy,
                                                  std::string_view no_proxy,
                                                  std::string_view target_host);

// True when `no_proxy` (NO_PROXY syntax above) exempts `host` from the proxy.
bool no_proxy_matches(std::string_view no_proxy, std::string_view host);

}  // namespace risksync::net
