#include "net/pagination.h"

#include <set>
#include <utility>
#include <vector>

#include "util/ascii.h"

namespace risksync::net {

using nlohmann::json;

namespace {

void drop_conditional_headers(Headers& headers) {
  for (const std::string_view conditional : {"If-None-Match", "If-Modified-Since"}) {
    const auto range = headers.equal_range(conditional);
    headers.erase(range.first, range.second);
  }
}

std::string upper_method(const HttpRequest& request) {
  std::string method = request.method;
  for (char& c : method)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return method;
}

// What makes two requests the same page: method, path+query and body.
std::string page_key(const HttpRequest& request) {
  return upper_method(request) + ' ' + request.path_and_query + '\n' + request.body;
}

std::string where(const HttpRequest& request) {
  return upper_method(request) + " " + request.path_and_query;
}

Error about(const HttpRequest& request, Error error) {
  error.message = where(request) + ": " + error.message;
  return error;
}

bool is_get(const HttpRequest& request) {
  return ascii::iequals(request.method, "GET");
}

Error needs_json_object(const Page& page, std::string_view strategy) {
  if (page.json.is_discarded())
    return Error{
        ErrorKind::internal,
        std::string(strategy) + " needs the page parsed as JSON (FetchPagesOptions::shape)",
        {},
        {}};
  return remote_error("the page is not a JSON object but a JSON " + json_type_name(page.json));
}

// The value at JSON pointer `pointer` of `document`, nullptr when there is none; an Error
// (internal) when `pointer` is not a JSON pointer.
Result<const json*> at_pointer(const json& document, const std::string& pointer) {
  try {
    const json::json_pointer ptr(pointer);
    if (!document.contains(ptr)) return static_cast<const json*>(nullptr);
    return &document.at(ptr);
  } catch (const json::exception&) {
    return Error{ErrorKind::internal, "'" + pointer + "' is not a JSON pointer", {}, {}};
  }
}

std::optional<std::int64_t> non_negative_integer(const json* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_number_unsigned()) return static_cast<std::int64_t>(value->get<std::uint64_t>());
  if (value->is_number_integer() && value->get<std::int64_t>() >= 0)
    return value->get<std::int64_t>();
  return std::nullopt;
}

Result<json> body_object(const HttpRequest& request) {
  if (request.body.empty()) return json::object();
  json body = json::parse(request.body, nullptr, false);
  if (!body.is_object())
    return Error{ErrorKind::internal, "the request body is not a JSON object", {}, {}};
  return body;
}

// `request` with parameter `name` set to `value`, where `place` says.
Result<HttpRequest> with_parameter(HttpRequest request, ParamPlace place, const std::string& name,
                                   const json& value) {
  if (place == ParamPlace::query) {
    request.path_and_query = with_query_parameter(
        request.path_and_query, name, value.is_string() ? value.get<std::string>() : value.dump());
    return request;
  }
  auto body = body_object(request);
  if (!body.ok()) return body.error();
  (*body)[name] = value;
  request.body = body->dump();
  return request;
}

}  // namespace

PageStrategy::~PageStrategy() = default;

// ---- Link header ----

Result<std::optional<HttpRequest>> LinkHeaderPages::next(const Page& page) const {
  const auto link = page.response.header("Link");
  if (!link) return std::optional<HttpRequest>();
  const auto links = parse_link_header(*link);
  const auto it = links.find("next");
  if (it == links.end()) return std::optional<HttpRequest>();
  HttpRequest request = page.request;
  request.path_and_query = it->second;
  return std::optional<HttpRequest>(std::move(request));
}

// ---- next-page token ----

NextPageTokenPages::NextPageTokenPages(NextPageTokenOptions options)
    : options_(std::move(options)) {}

Result<std::optional<HttpRequest>> NextPageTokenPages::next(const Page& page) const {
  if (!page.json.is_object()) return needs_json_object(page, "NextPageTokenPages");
  std::optional<bool> is_last;
  if (!options_.is_last_field.empty()) {
    const json* v = json_member(page.json, options_.is_last_field);
    if (v && v->is_boolean()) is_last = v->get<bool>();
  }
  std::string token;
  if (const json* v = json_member(page.json, options_.token_field); v && v->is_string())
    token = v->get<std::string>();
  if (is_last == true) return std::optional<HttpRequest>();
  if (token.empty()) {
    if (is_last == false)
      return remote_error("the page says " + options_.is_last_field + ": false but gives no " +
                          options_.token_field);
    return std::optional<HttpRequest>();
  }
  auto request = with_parameter(page.request, options_.place, options_.token_param, json(token));
  if (!request.ok()) return request.error();
  return std::optional<HttpRequest>(std::move(request).value());
}

// ---- startAt / total ----

StartAtPages::StartAtPages(StartAtOptions options) : options_(std::move(options)) {}

Result<std::optional<HttpRequest>> StartAtPages::next(const Page& page) const {
  if (!page.json.is_object()) return needs_json_object(page, "StartAtPages");
  auto items = at_pointer(page.json, options_.items_pointer);
  if (!items.ok()) return items.error();
  if (*items == nullptr || !(*items)->is_array())
    return remote_error(
        "no array of items at " + options_.items_pointer + " (" +
        (*items == nullptr ? std::string("nothing") : "a JSON " + json_type_name(**items)) + ")");
  const auto count = static_cast<std::int64_t>((*items)->size());
  if (count == 0) return std::optional<HttpRequest>();  // an empty page ends every listing

  // Where this page started: as the answer says, else as the request asked, else 0.
  std::optional<std::int64_t> start =
      non_negative_integer(json_member(page.json, options_.start_param));
  if (!start) {
    if (options_.place == ParamPlace::query) {
      if (const auto asked = query_parameter(page.request.path_and_query, options_.start_param)) {
        const json parsed = json::parse(*asked, nullptr, false);
        start = non_negative_integer(&parsed);
      }
    } else {
      const json body = json::parse(page.request.body, nullptr, false);
      start = non_negative_integer(json_member(body, options_.start_param));
    }
  }
  // The count really received, never the count asked for: a server may cap maxResults.
  const std::int64_t next_start = start.value_or(0) + count;
  if (!options_.total_field.empty()) {
    const auto total = non_negative_integer(json_member(page.json, options_.total_field));
    if (total && next_start >= *total) return std::optional<HttpRequest>();
  }
  auto request =
      with_parameter(page.request, options_.place, options_.start_param, json(next_start));
  if (!request.ok()) return request.error();
  return std::optional<HttpRequest>(std::move(request).value());
}

// ---- GraphQL cursor ----

GraphQlCursorPages::GraphQlCursorPages(GraphQlCursorOptions options)
    : options_(std::move(options)) {}

Result<std::optional<HttpRequest>> GraphQlCursorPages::next(const Page& page) const {
  if (!page.json.is_object()) return needs_json_object(page, "GraphQlCursorPages");
  auto info = at_pointer(page.json, options_.page_info_pointer);
  if (!info.ok()) return info.error();
  if (*info == nullptr || !(*info)->is_object())
    return remote_error("no GraphQL pageInfo at " + options_.page_info_pointer + " (" +
                        describe_body(page.body) + ")");
  const json* has_next = json_member(**info, "hasNextPage");
  if (has_next == nullptr || !has_next->is_boolean())
    return remote_error("pageInfo.hasNextPage at " + options_.page_info_pointer +
                        " is not a boolean");
  if (!has_next->get<bool>()) return std::optional<HttpRequest>();
  const json* cursor = json_member(**info, "endCursor");
  if (cursor == nullptr || !cursor->is_string() || cursor->get<std::string>().empty())
    return remote_error("pageInfo says hasNextPage: true but gives no endCursor");

  HttpRequest request = page.request;
  auto body = body_object(request);
  if (!body.ok()) return body.error();
  json& variables = (*body)["variables"];
  if (!variables.is_object()) variables = json::object();
  variables[options_.cursor_variable] = *cursor;
  request.body = body->dump();
  return std::optional<HttpRequest>(std::move(request));
}

// ---- the driver ----

Result<PagesRead> fetch_pages(HttpTransport& transport, const HttpRequest& first,
                              const PageStrategy& strategy, const PageHandler& on_page,
                              const FetchPagesOptions& options) {
  PagesRead read;
  HttpRequest request = first;
  std::set<std::string> visited{page_key(request)};
  bool unconditional = false;  // the cached copy of this page was unreadable: ask again
  for (;;) {
    std::optional<CachedPage> cached;
    if (options.cache != nullptr && is_get(request) && !unconditional) {
      cached = options.cache->get(request.path_and_query);
      if (cached && cached->etag.empty()) cached.reset();
    }
    HttpRequest sent = request;
    if (unconditional) drop_conditional_headers(sent.headers);
    if (cached) set_header(sent.headers, "If-None-Match", cached->etag);

    auto response = transport.send(sent);
    if (!response.ok()) return response.error();
    ++read.requests;
    const bool not_modified = response->status == 304 && cached.has_value();
    if (!not_modified && !response->is_success()) {
      read.refused = PageRefusal{std::move(sent), std::move(response).value()};
      return read;
    }

    const std::string_view body =
        not_modified ? std::string_view(cached->body) : std::string_view(response->body);
    json parsed(json::value_t::discarded);
    if (options.shape) {
      auto page_json = parse_json_body(body, *options.shape, options.items,
                                       BodyHints{{}, options.html_hint}, options.filter);
      if (!page_json.ok()) {
        if (not_modified) {
          ++read.unreadable_cached;
          if (options.warn)
            options.warn("the cached copy of " + sent.path_and_query +
                         " is unreadable; asking again without the cache");
          unconditional = true;
          continue;
        }
        Error e = page_json.error();
        e.message = "the page is " + e.message;
        return about(sent, std::move(e));
      }
      parsed = std::move(page_json).value();
    }
    unconditional = false;

    const Page page{read.pages + 1, sent, *response, body, parsed, not_modified};
    if (Status handled = on_page(page); !handled.ok()) return handled.error();
    ++read.pages;

    std::optional<HttpRequest> next;
    if (not_modified) {
      ++read.not_modified;
      if (!cached->next_url.empty()) {
        next = request;
        next->path_and_query = cached->next_url;
      }
    } else {
      auto decided = strategy.next(page);
      if (!decided.ok()) return about(sent, decided.error());
      next = std::move(decided).value();
      if (options.cache != nullptr && is_get(sent)) {
        if (const auto etag = response->header("ETag"); etag && !etag->empty())
          options.cache->put(
              sent.path_and_query,
              CachedPage{*etag, std::string(body), next ? next->path_and_query : std::string()});
      }
    }
    if (!next) return read;
    if (read.pages >= options.max_pages)
      return about(sent,
                   remote_error("pagination stopped after " + std::to_string(options.max_pages) +
                                " pages of " + options.items + " (more were announced)"));
    drop_conditional_headers(next->headers);
    if (!visited.insert(page_key(*next)).second)
      return about(sent, remote_error("pagination loops: the next page (" + where(*next) +
                                      ") is one already read"));
    request = std::move(*next);
  }
}

// ---- the Link-only loop of net/http.h ----

Status for_each_page(HttpTransport& transport, const HttpRequest& first,
                     const std::function<Status(const HttpResponse&)>& on_page, int max_pages) {
  FetchPagesOptions options;
  options.shape = std::nullopt;
  options.items = "items";
  options.max_pages = max_pages;
  auto read = fetch_pages(
      transport, first, LinkHeaderPages{}, [&](const Page& page) { return on_page(page.response); },
      options);
  if (!read.ok()) return read.error();
  if (read->refused) return on_page(read->refused->response);
  return ok_status();
}

// ---- query parameters ----

namespace {

struct SplitTarget {
  std::string_view path;
  std::vector<std::string_view> params;  // raw "k=v" or "k"
};

SplitTarget split_target(std::string_view path_and_query) {
  if (const auto hash = path_and_query.find('#'); hash != std::string_view::npos)
    path_and_query = path_and_query.substr(0, hash);
  SplitTarget out;
  const auto q = path_and_query.find('?');
  out.path = path_and_query.substr(0, q);
  if (q == std::string_view::npos) return out;
  std::string_view query = path_and_query.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    if (!part.empty()) out.params.push_back(part);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string param_key(std::string_view param) {
  return percent_decode(param.substr(0, param.find('=')));
}

}  // namespace

std::optional<std::string> query_parameter(std::string_view path_and_query, std::string_view key) {
  for (const std::string_view param : split_target(path_and_query).params) {
    if (param_key(param) != key) continue;
    const auto eq = param.find('=');
    return eq == std::string_view::npos ? std::string() : percent_decode(param.substr(eq + 1));
  }
  return std::nullopt;
}

std::string with_query_parameter(std::string_view path_and_query, std::string_view key,
                                 std::string_view value) {
  const SplitTarget target = split_target(path_and_query);
  const std::string replacement = encode_query_value(key) + "=" + encode_query_value(value);
  std::string query;
  bool replaced = false;
  for (const std::string_view param : target.params) {
    std::string part(param);
    if (param_key(param) == key) {
      if (replaced) continue;
      part = replacement;
      replaced = true;
    }
    query += (query.empty() ? "" : "&") + part;
  }
  if (!replaced) query += (query.empty() ? "" : "&") + replacement;
  return std::string(target.path) + "?" + query;
}

}  // namespace risksync::net
