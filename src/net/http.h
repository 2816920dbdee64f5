// Platform-neutral HTTP value types and the one small interface connectors use to talk HTTP.
//
// Contract:
//  - `HttpTransport::send` returns an `HttpResponse` for ANY HTTP status (2xx, 3xx, 304, 4xx, and
//    5xx a transport decided not to retry or was not allowed to retry): the caller interprets it.
//    It returns an Error (kind `remote`) only for a transport failure that survived the retries,
//    or when the transport gives up waiting for a rate limit; its scope (Error::stops_run) says
//    whether the whole run must stop. See net/http_client.h for the retry, rate-limit, pacing
//    and error-scope rules of the real transport.
//  - `HttpRequest::path_and_query` is relative to the transport's base URL ("/repos/o/r/issues",
//    the base path such as GHES "/api/v3" is prefixed by the transport), or an absolute URL taken
//    from a Link header, which the transport follows only on the base URL's own scheme/host/port.
//  - Nothing here includes <httplib.h>: connectors and tests may include this header freely.
// Thread safety: plain values and pure functions; an HttpTransport states its own rules.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/result.h"

namespace risksync::net {

// ASCII case-insensitive ordering, transparent so that lookups take a string_view.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};

// Header names compare case-insensitively; a name may repeat (multimap).
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

// First value of header `name` (any case), or nullopt.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);
// Replaces every value of `name` by `value`.
void set_header(Headers& headers, std::string_view name, std::string value);

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT, PATCH, DELETE, HEAD (any case, sent upper-case)
  std::string path_and_query;  // relative to the base URL, or an absolute URL (Link header)
  Headers headers;             // added to (and overriding) the transport's default headers
  std::string body;
  std::string content_type;  // sent as Content-Type when non-empty; "application/json" when
                             // empty and the body is not
  // Whether repeating the request is harmless. Unset: every method but POST is idempotent.
  // Set it to true for read-only POSTs (Jira search/jql, GraphQL queries) or keyed upserts
  // (Jira remotelink with a globalId) so they are retried like a GET.
  std::optional<bool> idempotent;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // case-insensitive lookup
  std::string body;

  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
  bool is_success() const { return status >= 200 && status < 300; }
};

class HttpTransport {
 public:
  virtual ~HttpTransport();
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;
};

// ---- Link header (RFC 8288), as GitHub and GitLab send it ----

// `<https://h/x?page=2>; rel="next", <https://h/x?page=5>; rel="last"` -> {next: ..., last: ...}.
// A link with several relation types (`rel="next last"`) appears under each. Malformed parts
// are skipped; the first link wins for a repeated rel.
std::map<std::string, std::string> parse_link_header(std::string_view value);

// The Link-only loop kept for simple listings; it runs on net::fetch_pages (net/pagination.h,
// defined in pagination.cpp), which new code should use directly.
// Calls `on_page` for the response to `first` and then for each page reached through the
// `rel="next"` link of the previous one. Stops without error when a page has no next link, is
// not a 2xx (on_page has seen it and decides), or when `on_page` returns an Error (returned as
// is). Headers of `first` are repeated on every page except the conditional ones
// (If-None-Match, If-Modified-Since), which belong to one URL. A transport Error, a link that
// loops back to a visited URL, or more than `max_pages` pages returns a remote Error.
Status for_each_page(HttpTransport& transport, const HttpRequest& first,
                     const std::function<Status(const HttpResponse&)>& on_page,
                     int max_pages = 1000);

// ---- URLs ----

struct Url {
  std::string scheme;    // lower-case: "https" or "http"
  std::string userinfo;  // raw "user:password" (a secret: never log it), empty if none
  std::string host;      // lower-case; an IPv6 literal without brackets
  int port = 0;          // explicit port, else 443 (https) or 80 (http)
  std::string path;      // base path without trailing slash: "" or "/api/v3"
  std::string query;     // without '?', empty if none

  bool default_port() const;
  // "https://host[:port]" (brackets around IPv6, port omitted when it is the default).
  std::string origin() const;
  // origin() + path + ("?" + query), without userinfo: safe to log.
  std::string to_string() const;
};

// Parses an absolute http(s) URL. A fragment is dropped. Errors (bad_input) never quote the
// userinfo.
Result<Url> parse_url(std::string_view text);

// Joins a base path ("" or "/api/v3") and a relative path+query ("/repos/x?y=1" or "repos/x"):
// exactly one '/' between them; an empty relative part gives the base path, or "/".
std::string join_path(std::string_view base_path, std::string_view relative);

// THE loopback rule of risksync, used by every check of where plain http:// is allowed (the
// HTTP client, the configuration, the git wiki): true for "localhost" (any case, with or
// without a trailing dot), 127.0.0.0/8 and ::1 (bracketed or not). Nothing else: not
// 0.0.0.0, not ::ffff:127.0.0.1, not a name that merely resolves to 127.0.0.1.
bool is_loopback_host(std::string_view host);

// The address of a service risksync talks to (tracker API, wiki): parse_url() plus the rules
// every such address follows, as bad_input Errors that never quote the userinfo:
//  - no credentials in the URL ("https://user:pass@host"): a token is configured, never
//    written into an address;
//  - plain http:// only to a loopback host (is_loopback_host); anything else is https.
Result<Url> parse_service_url(std::string_view text);

// ---- percent-encoding (RFC 3986) ----

// Keeps unreserved characters (ALPHA DIGIT - . _ ~), encodes every other byte as %XX,
// '/' included: "group/proj" -> "group%2Fproj" (GitLab ids, wiki slugs).
std::string encode_path_segment(std::string_view segment);
// Same set for query keys and values: space -> %20, '+' -> %2B, '&' '=' ',' encoded.
std::string encode_query_value(std::string_view value);
// "a=1&b=x%20y" from key/value pairs, in order.
std::string build_query(const std::vector<std::pair<std::string, std::string>>& params);
// Decodes %XX (invalid escapes are kept as is); '+' is left alone.
std::string percent_decode(std::string_view text);

}  // namespace risksync::net
