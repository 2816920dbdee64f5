#include "connectors/github/github_tracker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "net/json_body.h"
#include "net/pagination.h"
#include "net/retry.h"

namespace risksync::github {
namespace {

using nlohmann::json;

using net::json_member;
using net::json_positive_integer;
using net::json_type_name;
using net::shorten_for_message;

// Said of an HTML page where GitHub's JSON was expected (a proxy's or a login page).
constexpr std::string_view kHtmlHint =
    ": is api_url the REST API (https://api.github.com, GHES https://host/api/v3)?";

// What a response body says, for an error message (net/json_body.h): GitHub's `message` and
// `errors[]`, or a description of a body that is not GitHub's JSON. `omit` drops a `message`
// that only repeats what the status says ("Validation Failed").
std::string describe_body(std::string_view body, std::string_view omit = {}) {
  return net::describe_body(body, net::BodyHints{omit, kHtmlHint});
}

std::optional<std::uint64_t> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v > 0 ? std::optional<std::uint64_t>(v) : std::nullopt;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool has_error_code(std::string_view body, std::string_view code) {
  const json j = json::parse(body, nullptr, false);
  const json* errors = json_member(j, "errors");
  if (errors == nullptr || !errors->is_array()) return false;
  for (const json& e : *errors) {
    const json* c = json_member(e, "code");
    if (c && c->is_string() && c->get<std::string>() == code) return true;
  }
  return false;
}

// ---- issues ----

struct ParsedIssue {
  RemoteItem item;  // marker not set
  bool pull_request = false;
  std::string parent_api_url;
  std::string node_id;  // GraphQL's id of the issue (createIssue's parentIssueId)
};

// Reads one issue object. Returns nullopt with `why` set when the item has the wrong shape.
std::optional<ParsedIssue> parse_issue(const json& j, std::string& why) {
  if (!j.is_object()) {
    why = "a " + json_type_name(j) + " instead of an issue object";
    return std::nullopt;
  }
  ParsedIssue out;
  out.pull_request = json_member(j, "pull_request") != nullptr;
  const auto id = json_positive_integer(json_member(j, "id"));
  const auto number = json_positive_integer(json_member(j, "number"));
  if (!id || !number) {
    why = !number ? "no positive integer `number`" : "no positive integer `id`";
    return std::nullopt;
  }
  RemoteItem& item = out.item;
  item.id = std::to_string(*id);
  item.number = std::to_string(*number);
  const auto where = " (issue #" + item.number + ")";
  const json* title = json_member(j, "title");
  if (title == nullptr || !title->is_string()) {
    why = "`title` is not a string" + where;
    return std::nullopt;
  }
  item.title = title->get<std::string>();
  if (const json* body = json_member(j, "body"); body && !body->is_null()) {
    if (!body->is_string()) {
      why = "`body` is neither a string nor null" + where;
      return std::nullopt;
    }
    item.body = body->get<std::string>();
  }
  if (const json* url = json_member(j, "html_url"); url && url->is_string())
    item.url = url->get<std::string>();
  if (const json* node = json_member(j, "node_id"); node && node->is_string())
    out.node_id = node->get<std::string>();
  if (const json* labels = json_member(j, "labels"); labels && !labels->is_null()) {
    if (!labels->is_array()) {
      why = "`labels` is not an array" + where;
      return std::nullopt;
    }
    for (const json& label : *labels) {
      const json* name = label.is_string() ? &label : json_member(label, "name");
      if (name == nullptr || !name->is_string()) {
        why = "a label without a name" + where;
        return std::nullopt;
      }
      item.labels.push_back(name->get<std::string>());
    }
  }
  if (const json* assignees = json_member(j, "assignees"); assignees && assignees->is_array())
    item.assigned = !assignees->empty();
  if (const json* assignee = json_member(j, "assignee"); assignee && assignee->is_object())
    item.assigned = true;

  const json* state = json_member(j, "state");
  if (state == nullptr || !state->is_string()) {
    why = "`state` is not a string" + where;
    return std::nullopt;
  }
  const std::string s = state->get<std::string>();
  std::string reason;
  if (const json* r = json_member(j, "state_reason"); r && r->is_string())
    reason = r->get<std::string>();
  if (s == "open") {
    item.state = RemoteState::open;  // "in progress" is the core's rule (sync/plan.h)
  } else if (s == "closed") {
    if (reason == "not_planned")
      item.state = RemoteState::closed_not_planned;
    else if (reason == "duplicate")
      item.state = RemoteState::closed_duplicate;
    else
      item.state = RemoteState::closed_completed;  // completed, null, or a reason unknown today
  } else {
    why = "unknown `state` '" + shorten_for_message(s, 20) + "'" + where;
    return std::nullopt;
  }
  if (const json* parent = json_member(j, "parent_issue_url"); parent && parent->is_string())
    out.parent_api_url = parent->get<std::string>();
  if (const json* created = json_member(j, "created_at"); created && created->is_string())
    item.created_at = created->get<std::string>();
  return out;
}

// The members of an issue parse_issue reads; a listing page keeps only these (and the `name`
// of each label object), so that users, reactions and the many URLs of each issue are checked
// as JSON but never built.
bool read_by_parse_issue(std::string_view member) {
  static constexpr std::array<std::string_view, 14> kRead{
      "id",           "number",           "title",      "body",        "html_url",
      "node_id",      "labels",           "assignees",  "assignee",    "state",
      "state_reason", "parent_issue_url", "created_at", "pull_request"};
  return std::find(kRead.begin(), kRead.end(), member) != kRead.end();
}

// The parser callback of a listing page `[issue, ...]`: keys of an issue are at depth 2, keys
// of the objects inside one at depth 3 (assignee, pull_request: only their presence is read),
// keys of a label object at depth 4.
json::parser_callback_t listing_filter() {
  auto member = std::make_shared<std::string>();
  return [member](int depth, json::parse_event_t event, json& parsed) {
    if (event != json::parse_event_t::key) return true;
    const auto& key = parsed.get_ref<const std::string&>();
    if (depth == 2) {
      *member = key;
      return read_by_parse_issue(key);
    }
    return depth == 4 && *member == "labels" && key == "name";
  };
}

// "https://api.github.com/repos/O/R/issues/12" -> {"/repos/o/r", "12"} (lower-cased repo).
std::optional<std::pair<std::string, std::string>> split_issue_api_url(std::string_view url) {
  const auto repos = url.find("/repos/");
  const auto issues = url.rfind("/issues/");
  if (repos == std::string_view::npos || issues == std::string_view::npos || issues < repos)
    return std::nullopt;
  const std::string number(url.substr(issues + 8));
  if (!parse_id(number)) return std::nullopt;
  return std::pair{lower(net::percent_decode(url.substr(repos, issues - repos))), number};
}

// GitHub label names are case-insensitive: "Risksync" and "risksync" are one label.
bool same_label_set(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto folded = [](const std::vector<std::string>& v) {
    std::set<std::string> out;
    for (const auto& l : v) out.insert(lower(l));
    return out;
  };
  return folded(a) == folded(b);
}

bool has_label(const std::vector<std::string>& labels, std::string_view name) {
  return std::any_of(labels.begin(), labels.end(),
                     [&](const std::string& l) { return lower(l) == lower(name); });
}

}  // namespace

// ---- free functions ----

net::Headers github_default_headers(std::string_view token) {
  net::Headers headers;
  headers.emplace("Authorization", "Bearer " + std::string(token));
  headers.emplace("Accept", std::string(kMediaType));
  headers.emplace("X-GitHub-Api-Version", std::string(kApiVersion));
  return headers;
}

std::string github_api_base(std::string_view api_url) {
  std::string url(api_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty()) return std::string(kDefaultApiUrl);
  const std::string l = lower(url);
  if (l == "https://github.com" || l == "https://www.github.com")
    return std::string(kDefaultApiUrl);
  return url;
}

// ---- GitHubTracker ----

GitHubTracker::GitHubTracker(GitHubTrackerOptions options, net::HttpTransport& transport,
                             net::ListingCache* cache, const net::Redactor* redactor)
    : options_(std::move(options)),
      transport_(transport),
      cache_(cache),
      redactor_(redactor),
      repo_path_("/repos/" + net::encode_path_segment(options_.owner) + "/" +
                 net::encode_path_segment(options_.repo)) {}

std::string GitHubTracker::describe() const {
  return "github (" + options_.owner + "/" + options_.repo + ")";
}

std::string GitHubTracker::issue_path(const std::string& number) const {
  return repo_path_ + "/issues/" + net::encode_path_segment(number);
}

std::string GitHubTracker::redacted(std::string_view text) const {
  if (redactor_ != nullptr) return redactor_->redact(text);
  return net::Redactor{}.redact(text);
}

Error GitHubTracker::prefixed(const Context& ctx, const Error& error, bool with_target) const {
  Error out = error;
  out.message = redacted(describe() + ": " + ctx.action +
                         (with_target ? " (" + ctx.method + " " + ctx.target + ")" : "") + ": " +
                         error.message);
  return out;
}

Result<net::HttpResponse> GitHubTracker::send(const Context& ctx, net::HttpRequest request) {
  request.method = ctx.method;
  request.path_and_query = ctx.target;
  auto response = transport_.send(request);
  // The transport's messages already name the method and the URL.
  if (!response.ok()) return prefixed(ctx, response.error(), false);
  return std::move(response).value();
}

Error GitHubTracker::error_from(const Context& ctx, const net::HttpResponse& r) const {
  const std::string said = describe_body(r.body);
  const std::string repo = options_.owner + "/" + options_.repo;
  const std::string status = std::to_string(r.status);
  Error e = remote_error("");
  switch (r.status) {
    case 401:
      e.field = "tracker.token_env";
      e.message = "GitHub rejected the token (401, " + said +
                  "): check that the variable named by tracker.token_env (GITHUB_TOKEN by "
                  "default) holds a valid, unexpired token";
      break;
    case 403:
      if (net::is_rate_limited(r)) {
        e.message = "GitHub's rate limit is still exceeded (403, " + said + "); try again later";
      } else {
        e.message = "GitHub refused the request (403, " + said + "): the token lacks a " +
                    "permission on " + repo +
                    " (a fine-grained token needs Issues: read and write; a classic token the "
                    "repo or public_repo scope; an organisation with SAML SSO must authorise "
                    "the token)";
      }
      break;
    case 404:
      if (ctx.repository_level) {
        e.field = "tracker.repository";
        e.message = "GitHub answered 404 Not Found: the repository " + repo +
                    " does not exist or the token cannot see it (a private repository needs a "
                    "token that has access to it)";
      } else {
        e.message = "GitHub answered 404 Not Found for issue #" + ctx.issue_number + " of " + repo +
                    ": it was deleted or transferred, or the token cannot see it";
      }
      break;
    case 410:
      e.message =
          "GitHub answered 410 Gone (" + said + "): " +
          (ctx.repository_level ? "issues are disabled on " + repo +
                                      " (enable them in the repository's settings), or GitHub no "
                                      "longer supports the API version risksync pins (" +
                                      std::string(kApiVersion) + ")"
                                : "issue #" + ctx.issue_number + " was deleted");
      break;
    case 422:
      e.message = "GitHub rejected the request (422 Validation Failed: " +
                  describe_body(r.body, "Validation Failed") + ")";
      break;
    case 429:
      e.message = "GitHub's rate limit is still exceeded (429, " + said + "); try again later";
      break;
    case 301:
    case 302:
    case 307:
    case 308: {
      const auto location = r.header("Location");
      e.message = "GitHub answered " + status + " (moved: " +
                  (ctx.repository_level ? "the repository was renamed or transferred"
                                        : "the issue was transferred") +
                  (location ? ", now at " + shorten_for_message(*location, 200) : std::string()) +
                  "); update tracker.repository";
      break;
    }
    case 304:
      e.message = "GitHub answered 304 Not Modified to a request that was not conditional";
      break;
    default:
      if (r.status >= 500) {
        e.scope = ErrorScope::run;  // the platform is failing: stop, the next run resumes
        e.message = "GitHub failed (HTTP " + status + ", " + said + ")";
        if (ctx.method == "POST")
          e.message +=
              "; the request may have been applied all the same: the next sync lists "
              "the issues first and finds what was created by its marker";
      } else {
        e.message = "GitHub answered an unexpected HTTP " + status + " (" + said + ")";
      }
  }
  // Errors about the token, the permissions, the repository or the rate limit concern every
  // request of the run: they stop it.
  const bool run_level = r.status == 401 || r.status == 403 || r.status == 429 ||
                         (ctx.repository_level && (r.status == 404 || r.status == 410 ||
                                                   (r.status >= 300 && r.status < 400)));
  if (run_level) e.scope = ErrorScope::run;
  return prefixed(ctx, e);
}

bool GitHubTracker::read_block(RemoteItem& item) const {
  ShownBlock shown = codec_.read(item.body);
  item.stray_markers = shown.stray_markers;
  if (!shown.marker) return false;
  item.marker = std::move(*shown.marker);
  item.shown_block = std::move(shown.content);
  return true;
}

TrackerCapabilities GitHubTracker::capabilities() const {
  TrackerCapabilities caps;
  caps.max_batch = 1;
  // GraphQL createIssue(parentIssueId) sets the parent; REST creates, then POST …/sub_issues.
  caps.create_with_parent = options_.create_api == CreateApi::graphql && !graphql_parent_refused_;
  caps.reports_parents = true;  // parent_issue_url in the listing
  caps.related_links = false;   // no "relates to" links on GitHub: task lists name them
  caps.assignment_means_started = true;
  caps.max_children = kMaxSubIssues;
  return caps;
}

Result<RemoteItem> GitHubTracker::item_from_response(const Context& ctx,
                                                     const net::HttpResponse& response,
                                                     const Marker* fallback) const {
  const json j = json::parse(response.body, nullptr, false);
  if (!j.is_object())
    return prefixed(ctx,
                    remote_error("GitHub answered " + std::to_string(response.status) +
                                 " but not with an issue object: " + describe_body(response.body)));
  std::string why;
  auto parsed = parse_issue(j, why);
  if (!parsed)
    return prefixed(ctx, remote_error("GitHub answered " + std::to_string(response.status) +
                                      " with an issue of an unexpected shape: " + why));
  RemoteItem item = std::move(parsed->item);
  if (!parsed->node_id.empty()) issue_node_ids_[item.id] = parsed->node_id;
  if (!read_block(item) && fallback != nullptr) item.marker = *fallback;
  return item;
}

// ---- list_managed ----

Result<std::vector<RemoteItem>> GitHubTracker::list_managed() {
  last_listing_ = ListingStats{};
  net::HttpRequest first;
  first.path_and_query =
      repo_path_ + "/issues?" +
      net::build_query({{"labels", options_.managed_label}, {"state", "all"}, {"per_page", "100"}});
  const Context ctx{"listing managed issues", "GET", first.path_and_query, true, {}};
  std::vector<ParsedIssue> managed;
  std::set<std::string> seen_ids;
  std::map<std::string, std::string> id_of_number;  // every issue listed, marked or not

  const auto on_page = [&](const net::Page& page) -> Status {
    const json& issues = page.json;
    for (std::size_t i = 0; i < issues.size(); ++i) {
      std::string why;
      auto issue = parse_issue(issues[i], why);
      if (!issue) {
        ++last_listing_.malformed;
        spdlog::warn("{}", redacted(describe() + ": skipped item " + std::to_string(i) + " of " +
                                    page.request.path_and_query + ": " + why));
        continue;
      }
      if (issue->pull_request) {
        ++last_listing_.pull_requests;
        continue;
      }
      id_of_number[issue->item.number] = issue->item.id;
      if (!seen_ids.insert(issue->item.id).second) continue;  // moved to the next page meanwhile
      if (!read_block(issue->item)) {
        ++last_listing_.unmarked;
        spdlog::debug("{}: issue #{} has the '{}' label but no risksync block: ignored", describe(),
                      issue->item.number, options_.managed_label);
        continue;
      }
      if (!issue->node_id.empty()) issue_node_ids_[issue->item.id] = issue->node_id;
      managed.push_back(std::move(*issue));
    }
    return ok_status();
  };
  net::FetchPagesOptions fetch;
  fetch.shape = net::JsonShape::array;
  fetch.items = "issues";
  fetch.html_hint = std::string(kHtmlHint);
  fetch.filter = listing_filter();
  fetch.max_pages = kMaxListingPages;
  fetch.cache = cache_;
  fetch.warn = [this](const std::string& what) {
    spdlog::warn("{}", redacted(describe() + ": " + what));
  };
  auto read = net::fetch_pages(transport_, first, net::LinkHeaderPages{}, on_page, fetch);
  // The driver's messages name the method and the page's URL.
  if (!read.ok()) return prefixed(ctx, read.error(), false);
  last_listing_.pages = read->requests;
  last_listing_.not_modified_pages = read->not_modified;
  if (read->refused) {
    Context at = ctx;
    at.target = read->refused->request.path_and_query;
    return error_from(at, read->refused->response);
  }

  const std::string own_repo = lower(net::percent_decode(repo_path_));
  std::vector<RemoteItem> items;
  items.reserve(managed.size());
  for (auto& issue : managed) {
    // The parent GitHub shows: none, a listed (managed) issue by its `id`, or an issue risksync
    // does not manage (another repository, an unlabelled issue) — which is not the wanted one.
    issue.item.parent = ParentRef::none();
    if (!issue.parent_api_url.empty()) {
      issue.item.parent = ParentRef::of("unlisted:" + issue.parent_api_url);
      const auto parent = split_issue_api_url(issue.parent_api_url);
      if (parent && parent->first == own_repo) {
        if (const auto it = id_of_number.find(parent->second); it != id_of_number.end())
          issue.item.parent = ParentRef::of(it->second);
      }
    }
    items.push_back(std::move(issue.item));
  }
  spdlog::debug(
      "{}: {} managed issue(s) in {} page(s) ({} not modified), {} pull request(s) "
      "and {} unmarked issue(s) skipped",
      describe(), items.size(), last_listing_.pages, last_listing_.not_modified_pages,
      last_listing_.pull_requests, last_listing_.unmarked);
  return items;
}

// ---- create / update ----

Result<RemoteItem> GitHubTracker::create(const ItemSpec& spec) {
  Context ctx{"creating issue '" + shorten_for_message(spec.title, 60) + "'",
              "POST",
              repo_path_ + "/issues",
              true,
              {}};
  if (!labels_dropped_on.empty())
    return prefixed(ctx, run_stopping_error("not created: GitHub dropped the labels of the issue "
                                            "risksync created before (" +
                                                labels_dropped_on +
                                                "); the token needs push (write) access to the "
                                                "repository",
                                            "tracker.token_env"));
  if (!has_label(spec.labels, options_.managed_label))
    return prefixed(ctx,
                    Error{ErrorKind::internal,
                          "refusing to create an issue without the '" + options_.managed_label +
                              "' label: risksync could never find it again",
                          {},
                          {}});
  if (options_.create_api == CreateApi::graphql && !graphql_parent_refused_) {
    bool via_rest = false;
    auto item = create_graphql(spec, via_rest);
    if (!via_rest) return item;
  }
  return create_rest(spec);
}

Error GitHubTracker::labels_dropped(const Context& ctx, const RemoteItem& item) {
  labels_dropped_on = item.url.empty() ? "#" + item.number : item.url;
  Error e = run_stopping_error(
      "created " + labels_dropped_on +
          " but GitHub dropped its labels (it does so silently when the token lacks push "
          "access): without the '" +
          options_.managed_label +
          "' label risksync cannot find it again; give the token write access to the "
          "repository's issues, then delete or label that issue by hand",
      "tracker.token_env");
  return prefixed(ctx, e);
}

Result<RemoteItem> GitHubTracker::create_rest(const ItemSpec& spec) {
  // GitHub's REST create has no parent field (official OpenAPI description): the engine links
  // the new issue under its story afterwards (POST …/sub_issues), from what the listing shows.
  Context ctx{"creating issue '" + shorten_for_message(spec.title, 60) + "'",
              "POST",
              repo_path_ + "/issues",
              true,
              {}};
  const json payload = {{"title", spec.title}, {"body", spec.body}, {"labels", spec.labels}};
  net::HttpRequest request;
  request.body = payload.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status == 201 || response->status == 200) {
    const ShownBlock spec_block = codec_.read(spec.body);
    auto item =
        item_from_response(ctx, *response, spec_block.marker ? &*spec_block.marker : nullptr);
    if (!item.ok()) return item;
    item->parent = ParentRef::none();
    if (!has_label(item->labels, options_.managed_label)) return labels_dropped(ctx, *item);
    return item;
  }
  return error_from(ctx, *response);
}

// ---- GraphQL create ----

const std::string_view GraphQLDocuments::kRepositoryQuery =
    "query RisksyncRepository($owner: String!, $name: String!, $labelsAfter: String) {\n"
    "  repository(owner: $owner, name: $name) {\n"
    "    id\n"
    "    labels(first: 100, after: $labelsAfter) {\n"
    "      nodes { id name }\n"
    "      pageInfo { hasNextPage endCursor }\n"
    "    }\n"
    "  }\n"
    "}\n";

const std::string_view GraphQLDocuments::kIssueIdQuery =
    "query RisksyncIssueId($owner: String!, $name: String!, $number: Int!) {\n"
    "  repository(owner: $owner, name: $name) {\n"
    "    issue(number: $number) { id databaseId }\n"
    "  }\n"
    "}\n";

const std::string_view GraphQLDocuments::kCreateIssue =
    "mutation RisksyncCreateIssue($input: CreateIssueInput!) {\n"
    "  createIssue(input: $input) {\n"
    "    issue {\n"
    "      id databaseId number url title body state stateReason createdAt\n"
    "      labels(first: 100) { nodes { name } }\n"
    "      parent { id databaseId }\n"
    "    }\n"
    "  }\n"
    "}\n";

std::string github_graphql_url(std::string_view api_base) {
  const std::string base = github_api_base(api_base);
  auto url = net::parse_url(base);
  if (!url) return "/graphql";
  std::string path = url->path;
  if (path.size() >= 7 && lower(path.substr(path.size() - 7)) == "/api/v3")
    return url->origin() + path.substr(0, path.size() - 3) + "/graphql";
  return "/graphql";
}

namespace {

// The `errors[]` of a GraphQL answer, read for a message, a scope and the parentIssueId
// refusal. GitHub: {"type": "NOT_FOUND"|"FORBIDDEN"|"RATE_LIMITED"|..., "path": [...],
// "message": "..."}; a document or variable GitHub's schema refuses has no `type` and names
// the field in its message (and in extensions.problems[].path).
struct GraphQLErrors {
  std::vector<std::string> messages;
  std::set<std::string> types;
  bool repository_not_found = false;  // NOT_FOUND at path ["repository"]
  bool parent_refused = false;        // parentIssueId itself refused (not an unknown node)
};

GraphQLErrors read_graphql_errors(const json& errors) {
  GraphQLErrors out;
  for (const json& e : errors) {
    std::string message;
    if (const json* m = json_member(e, "message"); m && m->is_string())
      message = m->get<std::string>();
    std::string type;
    if (const json* t = json_member(e, "type"); t && t->is_string()) type = t->get<std::string>();
    if (!type.empty()) out.types.insert(type);
    const json* path = json_member(e, "path");
    const bool at_repository = path && path->is_array() && path->size() == 1 &&
                               (*path)[0].is_string() && (*path)[0] == "repository";
    if (type == "NOT_FOUND" && at_repository) out.repository_not_found = true;
    bool names_parent = message.find("parentIssueId") != std::string::npos;
    if (const json* ext = json_member(e, "extensions"); ext != nullptr) {
      if (const json* problems = json_member(*ext, "problems"); problems && problems->is_array())
        for (const json& p : *problems)
          if (const json* pp = json_member(p, "path"); pp && pp->is_array())
            for (const json& part : *pp)
              names_parent = names_parent || (part.is_string() && part == "parentIssueId");
    }
    if (names_parent && type != "NOT_FOUND") out.parent_refused = true;
    out.messages.push_back(message.empty() ? (type.empty() ? "an error without a message" : type)
                                           : message);
  }
  return out;
}

std::optional<std::chrono::system_clock::time_point> reset_time(const net::HttpResponse& r) {
  const auto reset = r.header("x-ratelimit-reset");
  if (!reset) return std::nullopt;
  const auto seconds = parse_id(*reset);
  if (!seconds) return std::nullopt;
  return std::chrono::system_clock::time_point(std::chrono::seconds(*seconds));
}

}  // namespace

Result<std::string> GitHubTracker::graphql(const Context& ctx, std::string_view document,
                                           const std::string& variables_json, bool mutation,
                                           bool* parent_refused) {
  net::HttpRequest request;
  request.body =
      "{\"query\":" + json(std::string(document)).dump() + ",\"variables\":" + variables_json + "}";
  // A query may be repeated; a mutation never blindly (it may have created the issue).
  request.idempotent = !mutation;
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status == 404) {
    Error e = run_stopping_error("GitHub has no GraphQL endpoint at " + options_.graphql_url +
                                     " (404): check tracker.api_url, or set tracker.create_api "
                                     "= \"rest\"",
                                 "tracker.create_api");
    return prefixed(ctx, e);
  }
  if (response->status != 200) return error_from(ctx, *response);
  const json answer = json::parse(response->body, nullptr, false);
  if (!answer.is_object())
    return prefixed(ctx, remote_error("GitHub answered 200 but not with a GraphQL answer: " +
                                      describe_body(response->body)));
  const json* errors = json_member(answer, "errors");
  if (errors == nullptr || !errors->is_array() || errors->empty()) return std::move(response->body);

  const GraphQLErrors read = read_graphql_errors(*errors);
  if (parent_refused != nullptr) *parent_refused = read.parent_refused;
  std::string said;
  for (const auto& m : read.messages)
    said += (said.empty() ? "'" : "; '") + shorten_for_message(m, 200) + "'";
  const std::string repo = options_.owner + "/" + options_.repo;
  Error e = remote_error("GitHub's GraphQL API refused it (" + said + ")");
  if (read.types.contains("RATE_LIMITED")) {
    e = run_stopping_error("GitHub's GraphQL rate limit is exceeded (" + said +
                           "); try again later");
    e.retry_at = reset_time(*response);
  } else if (read.types.contains("FORBIDDEN")) {
    e = run_stopping_error("GitHub refused the request (FORBIDDEN, " + said +
                           "): the token lacks a permission on " + repo +
                           " (a fine-grained token needs Issues: read and write; a classic "
                           "token the repo or public_repo scope)");
  } else if (read.repository_not_found) {
    e = run_stopping_error("GitHub answered NOT_FOUND: the repository " + repo +
                               " does not exist or the token cannot see it",
                           "tracker.repository");
  }
  return prefixed(ctx, e);
}

Status GitHubTracker::load_repository_ids() {
  const Context ctx{
      "reading the node ids of " + options_.owner + "/" + options_.repo + " and of its labels",
      "POST",
      options_.graphql_url,
      true,
      {}};
  std::string repository_id;
  std::map<std::string, std::string> labels;
  json after = nullptr;
  for (int page = 0;; ++page) {
    if (page >= 50) return prefixed(ctx, remote_error("more than 50 pages of labels; stopping"));
    const json variables = {
        {"owner", options_.owner}, {"name", options_.repo}, {"labelsAfter", after}};
    auto body = graphql(ctx, GraphQLDocuments::kRepositoryQuery, variables.dump(), false);
    if (!body.ok()) return body.error();
    const json answer = json::parse(*body, nullptr, false);
    const json* data = json_member(answer, "data");
    const json* repository = data ? json_member(*data, "repository") : nullptr;
    const json* id = repository ? json_member(*repository, "id") : nullptr;
    const json* connection = repository ? json_member(*repository, "labels") : nullptr;
    const json* nodes = connection ? json_member(*connection, "nodes") : nullptr;
    if (id == nullptr || !id->is_string() || nodes == nullptr || !nodes->is_array())
      return prefixed(
          ctx, remote_error("the answer has no repository id and labels: " + describe_body(*body)));
    repository_id = id->get<std::string>();
    for (const json& label : *nodes) {
      const json* label_id = json_member(label, "id");
      const json* name = json_member(label, "name");
      if (label_id && label_id->is_string() && name && name->is_string())
        labels[lower(name->get<std::string>())] = label_id->get<std::string>();
    }
    const json* info = json_member(*connection, "pageInfo");
    const json* more = info ? json_member(*info, "hasNextPage") : nullptr;
    const json* cursor = info ? json_member(*info, "endCursor") : nullptr;
    if (more == nullptr || !more->is_boolean() || !more->get<bool>() || cursor == nullptr ||
        !cursor->is_string())
      break;
    after = *cursor;
  }
  repository_node_id_ = std::move(repository_id);
  label_node_ids_ = std::move(labels);
  return ok_status();
}

Result<std::string> GitHubTracker::parent_node_id(const RemoteItem& parent) {
  if (const auto it = issue_node_ids_.find(parent.id); it != issue_node_ids_.end())
    return it->second;
  const Context ctx{"reading the node id of issue #" + parent.number, "POST", options_.graphql_url,
                    false, parent.number};
  const auto number = parse_id(parent.number);
  if (!number)
    return prefixed(
        ctx, Error{ErrorKind::internal, "#" + parent.number + " is not an issue number", {}, {}});
  const json variables = {{"owner", options_.owner}, {"name", options_.repo}, {"number", *number}};
  auto body = graphql(ctx, GraphQLDocuments::kIssueIdQuery, variables.dump(), false);
  if (!body.ok()) return body.error();
  const json answer = json::parse(*body, nullptr, false);
  const json* data = json_member(answer, "data");
  const json* repository = data ? json_member(*data, "repository") : nullptr;
  const json* issue = repository ? json_member(*repository, "issue") : nullptr;
  const json* id = issue ? json_member(*issue, "id") : nullptr;
  if (id == nullptr || !id->is_string())
    return prefixed(ctx, remote_error("GitHub does not show issue #" + parent.number));
  issue_node_ids_[parent.id] = id->get<std::string>();
  return id->get<std::string>();
}

Result<RemoteItem> GitHubTracker::create_graphql(const ItemSpec& spec, bool& via_rest) {
  const std::string what = "creating issue '" + shorten_for_message(spec.title, 60) + "'";
  Context ctx{what + " (GraphQL createIssue)", "POST", options_.graphql_url, true, {}};
  if (repository_node_id_.empty()) {
    if (Status st = load_repository_ids(); !st.ok()) return st.error();
  }
  std::vector<std::string> label_ids;
  for (const auto& name : spec.labels) {
    auto it = label_node_ids_.find(lower(name));
    if (it == label_node_ids_.end() && !labels_reloaded_) {
      labels_reloaded_ = true;  // created meanwhile? Ask once per run.
      if (Status st = load_repository_ids(); !st.ok()) return st.error();
      it = label_node_ids_.find(lower(name));
    }
    if (it == label_node_ids_.end()) {
      // createIssue takes label ids only; REST creates a label it does not know.
      spdlog::warn("{}", redacted(describe() + ": the label '" + name +
                                  "' has no GraphQL id: " + what + " through REST"));
      via_rest = true;
      return remote_error("through REST");
    }
    label_ids.push_back(it->second);
  }
  json input = {{"repositoryId", repository_node_id_},
                {"title", spec.title},
                {"body", spec.body},
                {"labelIds", label_ids}};
  if (spec.parent != nullptr) {
    auto parent_id = parent_node_id(*spec.parent);
    if (!parent_id.ok()) return parent_id.error();
    input["parentIssueId"] = *parent_id;
  }
  bool parent_refused = false;
  auto body = graphql(ctx, GraphQLDocuments::kCreateIssue, json{{"input", input}}.dump(), true,
                      &parent_refused);
  if (!body.ok()) {
    if (parent_refused) {
      graphql_parent_refused_ = true;
      via_rest = true;
      spdlog::warn("{}", redacted(describe() + ": GitHub refused createIssue's parentIssueId (" +
                                  body.error().message +
                                  "); the rest of this run creates issues through REST and links "
                                  "them with POST …/sub_issues"));
    }
    return body.error();
  }
  const json answer = json::parse(*body, nullptr, false);
  const json* data = json_member(answer, "data");
  const json* payload = data ? json_member(*data, "createIssue") : nullptr;
  const json* issue = payload ? json_member(*payload, "issue") : nullptr;
  if (issue == nullptr || !issue->is_object())
    return prefixed(
        ctx, remote_error("GitHub answered without the created issue: " + describe_body(*body)));
  RemoteItem item;
  const auto database_id = json_positive_integer(json_member(*issue, "databaseId"));
  const auto number = json_positive_integer(json_member(*issue, "number"));
  const json* node_id = json_member(*issue, "id");
  if (!database_id || !number || node_id == nullptr || !node_id->is_string())
    return prefixed(ctx, remote_error("the created issue has no id, databaseId or number: " +
                                      describe_body(*body)));
  item.id = std::to_string(*database_id);
  item.number = std::to_string(*number);
  issue_node_ids_[item.id] = node_id->get<std::string>();
  const auto text = [&](const char* key) {
    const json* v = json_member(*issue, key);
    return v && v->is_string() ? v->get<std::string>() : std::string();
  };
  item.url = text("url");
  item.title = text("title");
  item.body = text("body");
  item.created_at = text("createdAt");
  const std::string state = text("state");
  const std::string reason = text("stateReason");
  item.state = state != "CLOSED"         ? RemoteState::open
               : reason == "NOT_PLANNED" ? RemoteState::closed_not_planned
               : reason == "DUPLICATE"   ? RemoteState::closed_duplicate
                                         : RemoteState::closed_completed;
  if (const json* labels = json_member(*issue, "labels"); labels != nullptr) {
    if (const json* nodes = json_member(*labels, "nodes"); nodes && nodes->is_array())
      for (const json& label : *nodes)
        if (const json* name = json_member(label, "name"); name && name->is_string())
          item.labels.push_back(name->get<std::string>());
  }
  item.parent = ParentRef::none();
  if (const json* parent = json_member(*issue, "parent"); parent && parent->is_object()) {
    if (const auto parent_id = json_positive_integer(json_member(*parent, "databaseId")))
      item.parent = ParentRef::of(std::to_string(*parent_id));
  }
  if (!read_block(item)) {
    const ShownBlock spec_block = codec_.read(spec.body);
    if (spec_block.marker) item.marker = *spec_block.marker;
  }
  if (!has_label(item.labels, options_.managed_label)) return labels_dropped(ctx, item);
  return item;
}

Result<RemoteItem> GitHubTracker::update(const RemoteItem& current, const ItemChange& change) {
  Context ctx{"updating issue #" + current.number, "PATCH", issue_path(current.number), false,
              current.number};
  json patch = json::object();
  if (change.title && *change.title != current.title) patch["title"] = *change.title;
  if (change.body && *change.body != current.body) patch["body"] = *change.body;
  // GitHub's `labels` replaces the set: people's labels as shown are kept, ours changed.
  std::vector<std::string> labels;
  for (const auto& l : current.labels) {
    const bool removed = std::any_of(change.remove_labels.begin(), change.remove_labels.end(),
                                     [&](const std::string& r) { return lower(r) == lower(l); });
    if (!removed) labels.push_back(l);
  }
  for (const auto& l : change.add_labels)
    if (!has_label(labels, l)) labels.push_back(l);
  if (!same_label_set(labels, current.labels)) {
    if (!has_label(labels, options_.managed_label))
      return prefixed(ctx, Error{ErrorKind::internal,
                                 "refusing to remove the '" + options_.managed_label +
                                     "' label: risksync could never find the issue again",
                                 {},
                                 {}});
    patch["labels"] = labels;
  }
  // State and its reason in the same PATCH: one write, nothing half-done. An item already in
  // the wanted state is left as it is (people's close reason stands).
  if (change.state == ItemChange::State::close && !is_closed(current.state)) {
    patch["state"] = "closed";
    patch["state_reason"] =
        change.close_reason == CloseReason::completed ? "completed" : "not_planned";
  } else if (change.state == ItemChange::State::reopen && is_closed(current.state)) {
    patch["state"] = "open";
    patch["state_reason"] = "reopened";
  }
  const bool state_sent = patch.contains("state");
  if (patch.empty()) return current;
  std::string fields;
  for (const auto& [name, value] : patch.items()) fields += (fields.empty() ? "" : ", ") + name;
  ctx.action += " (" + fields + ")";
  net::HttpRequest request;
  request.body = patch.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status != 200) return error_from(ctx, *response);
  auto item = item_from_response(ctx, *response, &current.marker);
  if (!item.ok()) return item;
  item->parent = current.parent;
  item->related = current.related;
  if (state_sent && !change.comment.empty()) {
    if (Status st = post_comment(*item, change.comment); !st.ok()) {
      Error e = st.error();
      e.message = "#" + current.number + " was updated (" + fields +
                  "), but its comment was not added: " + e.message;
      return e;
    }
  }
  return item;
}

// ---- close / reopen ----

Status GitHubTracker::post_comment(const RemoteItem& item, const std::string& comment) {
  const Context ctx{"commenting on issue #" + item.number, "POST",
                    issue_path(item.number) + "/comments", false, item.number};
  net::HttpRequest request;
  request.body = json{{"body", comment}}.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status != 201 && response->status != 200) return error_from(ctx, *response);
  return ok_status();
}

// ---- sub-issues ----

bool GitHubTracker::at_sub_issue_limit(const std::string& parent_number) {
  const Context ctx{
      "counting the sub-issues of #" + parent_number, "GET",
      issue_path(parent_number) + "/sub_issues?per_page=" + std::to_string(kMaxSubIssues), false,
      parent_number};
  auto response = send(ctx, net::HttpRequest{});
  if (!response.ok() || response->status != 200) return false;
  const json page = json::parse(response->body, nullptr, false);
  if (!page.is_array()) return false;
  bool more = false;
  if (const auto link = response->header("Link"))
    more = net::parse_link_header(*link).contains("next");
  return more || page.size() >= static_cast<std::size_t>(kMaxSubIssues);
}

Status GitHubTracker::link_parent(const RemoteItem& child, const RemoteItem& parent) {
  const Context ctx{"making #" + child.number + " a sub-issue of #" + parent.number, "POST",
                    issue_path(parent.number) + "/sub_issues", false, parent.number};
  const auto child_id = parse_id(child.id);
  if (!child_id)
    return prefixed(ctx,
                    Error{ErrorKind::internal,
                          "#" + child.number + " has no numeric GitHub id ('" + child.id + "')",
                          {},
                          {}});
  net::HttpRequest request;
  request.body = json{{"sub_issue_id", *child_id}, {"replace_parent", true}}.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status == 201 || response->status == 200) return ok_status();
  if (response->status == 422) {
    // Already a sub-issue of that parent? Then there is nothing to do (safe to repeat).
    const Context check{"reading the parent of #" + child.number, "GET",
                        issue_path(child.number) + "/parent", false, child.number};
    auto current = send(check, net::HttpRequest{});
    if (current.ok() && current->status == 200) {
      const json j = json::parse(current->body, nullptr, false);
      const auto id = json_positive_integer(json_member(j, "id"));
      if (id && std::to_string(*id) == parent.id) {
        spdlog::debug("{}: #{} is already a sub-issue of #{}", describe(), child.number,
                      parent.number);
        return ok_status();
      }
    }
    if (at_sub_issue_limit(parent.number))
      return prefixed(
          ctx, remote_error("#" + parent.number +
                            (parent.marker.key.empty() ? "" : " (" + parent.marker.key + ")") +
                            " already has " + std::to_string(kMaxSubIssues) +
                            " sub-issues, GitHub's limit (closed ones count): split the "
                            "story into several abuser stories, or list shared measures "
                            "under another story"));
  }
  return error_from(ctx, *response);
}

// ---- labels ----

Status GitHubTracker::ensure_labels(const std::vector<LabelSpec>& labels) {
  if (labels.empty()) return ok_status();
  const Context list_ctx{"listing labels",
                         "GET",
                         repo_path_ + "/labels?" + net::build_query({{"per_page", "100"}}),
                         true,
                         {}};
  std::set<std::string> existing;  // lower-case: GitHub label names are case-insensitive
  net::HttpRequest first;
  first.path_and_query = list_ctx.target;
  net::FetchPagesOptions fetch;
  fetch.shape = net::JsonShape::array;
  fetch.items = "labels";
  fetch.html_hint = std::string(kHtmlHint);
  auto read = net::fetch_pages(
      transport_, first, net::LinkHeaderPages{},
      [&](const net::Page& page) -> Status {
        for (const json& label : page.json) {
          const json* name = json_member(label, "name");
          if (name && name->is_string()) existing.insert(lower(name->get<std::string>()));
        }
        return ok_status();
      },
      fetch);
  if (!read.ok()) return prefixed(list_ctx, read.error(), false);
  if (read->refused) return error_from(list_ctx, read->refused->response);

  for (const LabelSpec& label : labels) {
    if (existing.contains(lower(label.name))) continue;
    const Context ctx{
        "creating label '" + label.name + "'", "POST", repo_path_ + "/labels", true, {}};
    std::string color = label.color;
    if (!color.empty() && color.front() == '#') color.erase(0, 1);
    json payload = {{"name", label.name}};
    if (!color.empty()) payload["color"] = color;
    if (!label.description.empty()) payload["description"] = label.description;
    net::HttpRequest request;
    request.body = payload.dump();
    auto response = send(ctx, std::move(request));
    if (!response.ok()) return response.error();
    if (response->status == 201 || response->status == 200) {
      existing.insert(lower(label.name));
      continue;
    }
    if (response->status == 422 && has_error_code(response->body, "already_exists")) continue;
    return error_from(ctx, *response);
  }
  return ok_status();
}

}  // namespace risksync::github
