// Paginated listings: one driver, net::fetch_pages, and one small strategy per way platforms
// announce their next page. The driver sends the requests, guards against loops and endless
// listings, runs the conditional-request cache (net/listing_cache.h) and hands each page to
// the caller; the strategy only says, from the request sent and the page received, which
// request comes next.
//
// Which strategy for which API:
//   LinkHeaderPages      RFC 8288 `Link: <…>; rel="next"`: GitHub REST, GitLab REST (offset
//                        and keyset pagination alike). Never builds a page URL itself.
//   NextPageTokenPages   Jira Cloud `/rest/api/3/search/jql`: the answer's `nextPageToken` goes
//                        into the next request (JSON body of a POST, or the query of a GET);
//                        stops on `isLast: true` or when no token comes back.
//   StartAtPages         Jira DC `/rest/api/2/search`, Confluence DC (`start`/`limit`): the
//                        next `startAt` is the page's start + the number of items it really
//                        held (never the maxResults asked for: servers cap it silently); stops
//                        on an empty page or when that reaches `total`.
//   GraphQlCursorPages   GraphQL connections: `pageInfo { hasNextPage endCursor }` at a JSON
//                        pointer the caller gives; endCursor goes into `variables.after`.
//
// Contract of fetch_pages(transport, first, strategy, on_page, options):
//  - Sends `first`, then each request the strategy derives from the previous page, in order,
//    one at a time. Every header of `first` is repeated on later pages EXCEPT the conditional
//    ones (If-None-Match, If-Modified-Since), which belong to one URL.
//  - Each page answered 2xx is parsed as JSON of `options.shape` (unless it is nullopt: then
//    only LinkHeaderPages can be used) and handed to `on_page`; then, unless on_page
//    returned an Error, the strategy is asked for the next request.
//  - Conditional requests (options.cache set, GET requests only): a page whose path_and_query
//    has a cached entry with an ETag is sent with If-None-Match: <etag>. A 304 answer hands
//    on_page the CACHED body (Page::from_cache) and the next page is the cached `next_url`
//    (the strategy is not asked: a 304 need not repeat the Link header). A cached body that
//    is not of the expected shape (a cache file cut by a crash) is reported through
//    options.warn and the same page is asked again without If-None-Match. A fresh 2xx page
//    that carries an ETag is put into the cache — key: its path_and_query as sent; next_url:
//    the next request's path_and_query, "" on the last page — only AFTER on_page accepted it.
//  - Stops with success after the last page (strategy says done), handing back the counts.
//  - Stops with success, too, on the first answer that is neither 2xx nor a 304 to a
//    conditional request (4xx, 5xx the transport gave back, 3xx, a 304 nobody asked for):
//    that answer and its request are returned in PagesRead::refused, on_page never sees it,
//    and the caller turns it into its platform's error (only it knows what a 404 means).
//  - Returns an Error (kind remote unless said otherwise) on:
//      * a transport Error: returned AS IS (its message names the method and URL, its scope
//        says whether the run stops);
//      * an Error from on_page: returned as is, nothing more is fetched or cached;
//      * a page that is not JSON of the expected shape, or whose pagination fields the
//        strategy cannot read ("GET <path>: the page is not a JSON array of issues but …");
//      * a loop: the next request (method, path_and_query and body) was already sent;
//      * more than options.max_pages pages announced.
//    The driver's own messages start with "<METHOD> <path_and_query>: " and are not
//    redacted: prefix them with what was being done and pass them through your Redactor.
//  - Nothing here logs; nothing throws.
// Ownership: references are used only during the call. Thread safety: one call per transport
// at a time (like the transport); the strategies are immutable and may be shared.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "net/http.h"
#include "net/json_body.h"
#include "net/listing_cache.h"
#include "util/result.h"

namespace risksync::net {

// One page as the caller and the strategy see it.
struct Page {
  int number = 0;                // 1 for the first page
  const HttpRequest& request;    // as sent, conditional header included
  const HttpResponse& response;  // a 2xx, or the 304 that confirmed the cached copy
  std::string_view body;         // the page's body: the response's, or the cached copy's
  const nlohmann::json& json;    // `body` parsed (discarded when the shape is raw)
  bool from_cache = false;       // answered 304: `body` is the cached copy
};

class PageStrategy {
 public:
  virtual ~PageStrategy();
  // The request for the page after `page`, or nullopt when `page` is the last one. Build it
  // from page.request (a copy, changed where the strategy says: the driver removes the
  // conditional headers). An Error (remote, message without the request: the driver prefixes
  // it) when the page does not say where the listing goes on.
  virtual Result<std::optional<HttpRequest>> next(const Page& page) const = 0;
};

// Link header (RFC 8288): the next request is `rel="next"`'s URL (absolute, which the
// transport follows only on its own origin), method and body unchanged. Needs no JSON.
class LinkHeaderPages final : public PageStrategy {
 public:
  Result<std::optional<HttpRequest>> next(const Page& page) const override;
};

// Where a strategy writes its parameter in the next request.
enum class ParamPlace {
  query,      // a query parameter of path_and_query (set or replaced)
  json_body,  // a top-level member of the request's JSON object body (set or replaced)
};

struct NextPageTokenOptions {
  ParamPlace place = ParamPlace::json_body;   // Jira Cloud search/jql: POST body
  std::string token_param = "nextPageToken";  // in the request (query or body)
  std::string token_field = "nextPageToken";  // top-level string of the answer
  std::string is_last_field = "isLast";       // top-level boolean of the answer; "" to ignore
};

// Next-page token: done when the answer says `isLast: true`, or carries no (or an empty)
// token while not saying `isLast: false`; an Error when it says `isLast: false` without a
// token. The answer must be a JSON object.
class NextPageTokenPages final : public PageStrategy {
 public:
  explicit NextPageTokenPages(NextPageTokenOptions options = {});
  Result<std::optional<HttpRequest>> next(const Page& page) const override;

 private:
  NextPageTokenOptions options_;
};

struct StartAtOptions {
  ParamPlace place = ParamPlace::query;   // Jira DC GET /rest/api/2/search; json_body for POST
  std::string start_param = "startAt";    // request parameter and, when echoed, answer member
                                          // (Confluence DC: "start")
  std::string items_pointer = "/issues";  // JSON pointer of the page's items (Confluence:
                                          // "/results"); must be an array
  std::string total_field = "total";      // top-level integer of the answer; "" (or absent from the
                                          // answer): go on until an empty page
};

// startAt/maxResults/total: the next start is the answer's start (the request's when the
// answer does not echo it) + the number of items on the page. Done on an empty page, or when
// the next start reaches `total`. The request's own count parameter (maxResults, limit) is
// left as the caller set it.
class StartAtPages final : public PageStrategy {
 public:
  explicit StartAtPages(StartAtOptions options = {});
  Result<std::optional<HttpRequest>> next(const Page& page) const override;

 private:
  StartAtOptions options_;
};

struct GraphQlCursorOptions {
  // JSON pointer of the connection's pageInfo, e.g. "/data/repository/issues/pageInfo".
  std::string page_info_pointer;
  // The query variable that takes endCursor (`issues(first: 100, after: $after)`).
  std::string cursor_variable = "after";
};

// GraphQL cursor: the request body is {"query": …, "variables": {…}}; the next request sets
// variables[cursor_variable] = pageInfo.endCursor. Done when hasNextPage is false. An Error
// when pageInfo is missing (the message quotes the answer's `errors[]`) or hasNextPage is true
// without an endCursor. GraphQL queries are POSTs: set HttpRequest::idempotent = true on
// `first` so the transport retries them like a GET (it is copied to every page).
class GraphQlCursorPages final : public PageStrategy {
 public:
  explicit GraphQlCursorPages(GraphQlCursorOptions options);
  Result<std::optional<HttpRequest>> next(const Page& page) const override;

 private:
  GraphQlCursorOptions options_;
};

struct FetchPagesOptions {
  // The top-level shape every page must have. nullopt: the body is not parsed (Page::json is
  // discarded), which only LinkHeaderPages accepts.
  std::optional<JsonShape> shape = JsonShape::array;
  // Plural noun for messages: "the page is not a JSON array of <items> but …". May be empty.
  std::string items = "items";
  // Appended to the description of an HTML page in those messages (net/json_body.h).
  std::string html_hint;
  // Optional: nlohmann's parser callback for each page (net/json_body.h): what the handler
  // never reads need not be built (Page::json then lacks it).
  nlohmann::json::parser_callback_t filter;
  int max_pages = 1000;
  // Optional: enables conditional requests (GET only). Must outlive the call.
  ListingCache* cache = nullptr;
  // Optional: told, in one sentence, about a cached copy found unreadable (then asked again).
  std::function<void(const std::string&)> warn;
};

struct PageRefusal {
  HttpRequest request;    // as sent
  HttpResponse response;  // neither 2xx nor a 304 to a conditional request
};

struct PagesRead {
  int pages = 0;              // pages handed to on_page
  int requests = 0;           // requests answered, whatever the status (asked-again pages included)
  int not_modified = 0;       // pages handed from the cache after a 304
  int unreadable_cached = 0;  // cached copies found unreadable and asked again
  std::optional<PageRefusal> refused;  // the answer that stopped the listing, if one did
};

using PageHandler = std::function<Status(const Page&)>;

Result<PagesRead> fetch_pages(HttpTransport& transport, const HttpRequest& first,
                              const PageStrategy& strategy, const PageHandler& on_page,
                              const FetchPagesOptions& options = {});

// ---- query parameters of a path_and_query ----

// The decoded value of the first parameter `key` of `path_and_query`'s query, or nullopt.
std::optional<std::string> query_parameter(std::string_view path_and_query, std::string_view key);
// `path_and_query` with parameter `key` set to `value` (percent-encoded): the first occurrence
// is replaced (later ones dropped), or the parameter is appended. A fragment is kept off.
std::string with_query_parameter(std::string_view path_and_query, std::string_view key,
                                 std::string_view value);

}  // namespace risksync::net
