#include "connectors/gitlab/gitlab_tracker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <utility>

#include "net/json_body.h"
#include "net/retry.h"
#include "sync/plan.h"
#include "util/ascii.h"

namespace risksync::gitlab {
namespace {

using nlohmann::json;

using net::json_member;
using net::json_positive_integer;

std::string text_of(const json& object, const char* key) {
  const json* v = json_member(object, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string shorten(std::string_view text, std::size_t max) {
  std::string out;
  for (const char c : text) {
    if (out.size() >= max) {
      out += "…";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

// What a GitLab error body says: `message` (a string, an array or an object of field ->
// messages) or `error`, else a description of what came instead.
std::string describe_body(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) {
    std::size_t start = 0;
    while (start < body.size() && (body[start] == ' ' || body[start] == '\n' ||
                                   body[start] == '\r' || body[start] == '\t'))
      ++start;
    if (start == body.size()) return "an empty body";
    if (body[start] == '<')
      return "an HTML page instead of JSON ('" + shorten(body.substr(start), 60) +
             "'): is api_url the REST API (https://gitlab.example/api/v4)?";
    return "'" + shorten(body.substr(start), 120) + "'";
  }
  std::string out;
  const auto flatten = [&](const json& m) {
    if (m.is_string()) return m.get<std::string>();
    std::string s;
    if (m.is_array()) {
      for (const json& e : m)
        if (e.is_string()) s += (s.empty() ? "" : "; ") + e.get<std::string>();
    } else if (m.is_object()) {
      for (const auto& [field, v] : m.items()) {
        std::string part = field;
        if (v.is_array())
          for (const json& e : v)
            if (e.is_string()) part += " " + e.get<std::string>();
        if (v.is_string()) part += " " + v.get<std::string>();
        s += (s.empty() ? "" : "; ") + part;
      }
    }
    return s;
  };
  if (const json* m = json_member(j, "message")) out = flatten(*m);
  if (out.empty())
    if (const json* e = json_member(j, "error")) out = flatten(*e);
  if (out.empty()) return "a JSON " + std::string(j.type_name()) + " without a message";
  return "'" + shorten(out, 300) + "'";
}

std::string joined(const std::vector<std::string>& labels) {
  std::string out;
  for (const auto& l : labels) out += (out.empty() ? "" : ",") + l;
  return out;
}

bool same_label(std::string_view a, std::string_view b) {
  return ascii::to_lower(a) == ascii::to_lower(b);
}

bool has_label(const std::vector<std::string>& labels, std::string_view name) {
  return std::any_of(labels.begin(), labels.end(),
                     [&](const std::string& l) { return same_label(l, name); });
}

std::string gid_of(const std::string& id) {
  return "gid://gitlab/WorkItem/" + id;
}

// "gid://gitlab/WorkItem/123" or "gid://gitlab/Issue/123" -> "123".
std::string id_of_gid(std::string_view gid) {
  const auto slash = gid.rfind('/');
  const std::string_view tail = slash == std::string_view::npos ? gid : gid.substr(slash + 1);
  return all_digits(tail) ? std::string(tail) : std::string();
}

// The fields of the raw item that risksync keeps in the cached listing, beyond GitLab's own.
constexpr const char* kParentField = "risksync_parent";    // id, "" = none
constexpr const char* kRelatedField = "risksync_related";  // [id, ...]

}  // namespace

// ---- free functions ----

net::Headers gitlab_default_headers(std::string_view token) {
  net::Headers headers;
  headers.emplace("PRIVATE-TOKEN", std::string(token));
  headers.emplace("Accept", "application/json");
  return headers;
}

std::string gitlab_api_base(std::string_view api_url) {
  std::string url(api_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.empty()) return std::string(kDefaultApiUrl);
  const auto parsed = net::parse_url(url);
  if (parsed && parsed->path.empty()) return url + "/api/v4";
  return url;
}

std::string gitlab_graphql_url(std::string_view api_base) {
  std::string base(api_base);
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.ends_with("/v4")) base.resize(base.size() - 3);
  if (!base.ends_with("/api")) base += "/api";
  return base + "/graphql";
}

// ---- GitLabTracker ----

struct GitLabTracker::Context {
  std::string action;
  std::string method;
  std::string target;
  bool project_level = true;  // a 404 means "no such project" (else "no such issue")
  std::string iid;
};

struct GitLabTracker::Listed {
  RemoteItem item;  // marker read when managed
  json raw;         // GitLab's object, with risksync's cached annotations
  std::string updated_at;
  bool managed = false;
  bool relations_known = false;  // raw carries kParentField / kRelatedField
};

GitLabTracker::GitLabTracker(GitLabTrackerOptions options, net::HttpTransport& transport,
                             net::ListingCache* cache, const net::Redactor* redactor)
    : options_(std::move(options)),
      transport_(transport),
      cache_(cache),
      redactor_(redactor),
      project_path_("/projects/" + net::encode_path_segment(options_.project)) {
  if (options_.graphql_url.empty()) {
    mode_ = ParentMode::relates_to;
    mode_reason_ = "no GraphQL endpoint configured";
  }
  if (cache_ != nullptr && mode_ == ParentMode::hierarchy) {
    if (const auto remembered = cache_->get(mode_cache_key());
        remembered && remembered->etag == "relates_to") {
      mode_ = ParentMode::relates_to;
      mode_reason_ = remembered->body;
    }
  }
}

std::string GitLabTracker::describe() const {
  return "gitlab (" + options_.project +
         (mode_ == ParentMode::relates_to ? "; parents as relates_to links" : "") + ")";
}

std::string GitLabTracker::issue_path(const std::string& iid) const {
  return project_path_ + "/issues/" + net::encode_path_segment(iid);
}

std::string GitLabTracker::listing_cache_key() const {
  return "gitlab:" + project_path_ + "/issues?labels=" + options_.managed_label;
}

std::string GitLabTracker::mode_cache_key() const {
  return "gitlab:" + project_path_ + ":parent-mode";
}

std::string GitLabTracker::redacted(std::string_view text) const {
  if (redactor_ != nullptr) return redactor_->redact(text);
  return net::Redactor{}.redact(text);
}

Error GitLabTracker::prefixed(const Context& ctx, const Error& error, bool with_target) const {
  Error out = error;
  out.message = redacted(describe() + ": " + ctx.action +
                         (with_target ? " (" + ctx.method + " " + ctx.target + ")" : "") + ": " +
                         error.message);
  return out;
}

Result<net::HttpResponse> GitLabTracker::send(const Context& ctx, net::HttpRequest request) {
  request.method = ctx.method;
  request.path_and_query = ctx.target;
  auto response = transport_.send(request);
  if (!response.ok()) return prefixed(ctx, response.error(), false);
  return std::move(response).value();
}

Error GitLabTracker::error_from(const Context& ctx, const net::HttpResponse& r) const {
  const std::string said = describe_body(r.body);
  const std::string status = std::to_string(r.status);
  Error e = remote_error("");
  switch (r.status) {
    case 401:
      e.field = "tracker.token_env";
      e.message = "GitLab rejected the token (401, " + said +
                  "): check that the variable named by tracker.token_env (GITLAB_TOKEN by "
                  "default) holds a valid, unexpired personal, project or group access token";
      break;
    case 403:
      e.field = "tracker.token_env";
      e.message = "GitLab refused the request (403, " + said +
                  "): the token needs the `api` scope and at least the Planner role (Reporter "
                  "before GitLab 17.7) on " +
                  options_.project;
      break;
    case 404:
      if (ctx.project_level) {
        e.field = "tracker.repository";
        e.message = "GitLab answered 404 Not Found: the project " + options_.project +
                    " does not exist or the token cannot see it (tracker.repository is the "
                    "project's path, group/sub/project, or its numeric id)";
      } else {
        e.message = "GitLab answered 404 Not Found for issue #" + ctx.iid + " of " +
                    options_.project + ": it was deleted or moved, or the token cannot see it";
      }
      break;
    case 409:
      e.message = "GitLab answered 409 Conflict (" + said + ")";
      break;
    case 422:
      e.message = "GitLab rejected the request (422, " + said + ")";
      break;
    case 429:
      e.message = "GitLab's rate limit is still exceeded (429, " + said + "); try again later";
      break;
    default:
      if (r.status >= 500) {
        e.message = "GitLab failed (HTTP " + status + ", " + said + ")";
        if (ctx.method == "POST")
          e.message +=
              "; the request may have been applied all the same: the next sync lists the "
              "issues first and finds what was created by its marker";
      } else {
        e.message = "GitLab answered an unexpected HTTP " + status + " (" + said + ")";
      }
  }
  const bool run_level = r.status == 401 || r.status == 403 || r.status == 429 || r.status >= 500 ||
                         (ctx.project_level && (r.status == 404 || r.status == 410 ||
                                                (r.status >= 300 && r.status < 400)));
  if (run_level) e.scope = ErrorScope::run;
  return prefixed(ctx, e);
}

// ---- preflight ----

Status GitLabTracker::preflight() {
  if (preflight_done_) return ok_status();
  const Context ctx{"reading the project", "GET", project_path_, true, {}};
  auto response = send(ctx, net::HttpRequest{});
  if (!response.ok()) return response.error();
  if (response->status != 200) return error_from(ctx, *response);
  const json j = json::parse(response->body, nullptr, false);
  const auto id = json_positive_integer(json_member(j, "id"));
  if (!id)
    return prefixed(ctx, run_stopping_error("GitLab answered 200 but not with a project: " +
                                                describe_body(response->body),
                                            "tracker.api_url"));
  project_id_ = std::to_string(*id);
  project_full_path_ = text_of(j, "path_with_namespace");
  if (project_full_path_.empty()) project_full_path_ = options_.project;
  if (const json* enabled = json_member(j, "issues_enabled");
      enabled && enabled->is_boolean() && !enabled->get<bool>())
    return prefixed(ctx, run_stopping_error("issues are disabled on " + project_full_path_ +
                                                " (Settings > General > Visibility, project "
                                                "features, permissions: Issues)",
                                            "tracker.repository"));
  access_level_ = -1;
  if (const json* permissions = json_member(j, "permissions")) {
    for (const char* which : {"project_access", "group_access"}) {
      const json* access = json_member(*permissions, which);
      if (const auto level =
              json_positive_integer(access ? json_member(*access, "access_level") : nullptr))
        access_level_ = std::max(access_level_, static_cast<int>(*level));
    }
  }
  if (access_level_ < kPlannerAccess) {
    write_refusal_ =
        (access_level_ < 0
             ? std::string("the token's user is not a member of ") + project_full_path_
             : "the token's role on " + project_full_path_ + " is too low (access level " +
                   std::to_string(access_level_) + ")") +
        ": risksync needs at least the Planner role (Reporter before GitLab 17.7) to set labels "
        "and close issues; give the token's user that role, or use another token";
  } else {
    write_refusal_.clear();
  }
  check_version();
  preflight_done_ = true;
  return ok_status();
}

// Before GitLab 16.7 (about: !126398 added them back), REST hides tasks from /issues and answers
// 404 for them: a task risksync created would never be listed again and would be created anew
// at every run. There, measures are plain issues related to their stories. The version is
// asked once (GET /version) and remembered in the ListingCache.
void GitLabTracker::check_version() {
  std::string version;
  const std::string key = "gitlab:" + project_path_ + ":version";
  if (cache_ != nullptr)
    if (const auto cached = cache_->get(key)) version = cached->etag;
  if (version.empty()) {
    const Context ctx{"reading GitLab's version", "GET", "/version", true, {}};
    auto response = send(ctx, net::HttpRequest{});
    if (!response.ok() || response->status != 200) {
      spdlog::debug("{}: GitLab's version is unknown: tasks are taken as listed by REST",
                    describe());
      return;
    }
    version = text_of(json::parse(response->body, nullptr, false), "version");
    if (version.empty()) return;
    if (cache_ != nullptr) cache_->put(key, net::CachedPage{version, "", ""});
  }
  int major = 0;
  int minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return;
  tasks_listed_ = major > 16 || (major == 16 && minor >= 7);
  if (!tasks_listed_)
    switch_to_relates_to("GitLab " + version +
                         " hides tasks from the REST API (16.7 lists them): measures are issues");
}

Status GitLabTracker::check_can_write(const Context& ctx) const {
  if (!write_refusal_.empty())
    return prefixed(ctx, run_stopping_error("not sent: " + write_refusal_, "tracker.token_env"),
                    false);
  if (!labels_dropped_on_.empty())
    return prefixed(ctx,
                    run_stopping_error("not sent: GitLab dropped the labels of the issue risksync "
                                       "created before (" +
                                           labels_dropped_on_ + "); the token lacks a permission",
                                       "tracker.token_env"),
                    false);
  return ok_status();
}

// ---- capabilities and items ----

TrackerCapabilities GitLabTracker::capabilities() const {
  TrackerCapabilities caps;
  caps.max_batch = 1;
  caps.create_with_parent = false;  // REST create, then GraphQL (or a relates_to link)
  caps.reports_parents = mode_ == ParentMode::hierarchy;
  caps.related_links = true;  // relates_to links, on the Free tier since 13.4
  caps.assignment_means_started = true;
  caps.max_children = 0;
  return caps;
}

bool GitLabTracker::read_block(RemoteItem& item) const {
  ShownBlock shown = codec_.read(item.body);
  item.stray_markers = shown.stray_markers;
  if (!shown.marker) return false;
  item.marker = std::move(*shown.marker);
  item.shown_block = std::move(shown.content);
  return true;
}

namespace {

// One REST issue object; nullopt with `why` for the wrong shape.
std::optional<RemoteItem> parse_issue(const json& j, const std::vector<std::string>& drop_labels,
                                      std::string& why, std::string& updated_at) {
  if (!j.is_object()) {
    why = std::string("a ") + j.type_name() + " instead of an issue object";
    return std::nullopt;
  }
  const auto id = json_positive_integer(json_member(j, "id"));
  const auto iid = json_positive_integer(json_member(j, "iid"));
  if (!id || !iid) {
    why = !iid ? "no positive integer `iid`" : "no positive integer `id`";
    return std::nullopt;
  }
  RemoteItem item;
  item.id = std::to_string(*id);
  item.number = std::to_string(*iid);
  const std::string where = " (issue #" + item.number + ")";
  const json* title = json_member(j, "title");
  if (title == nullptr || !title->is_string()) {
    why = "`title` is not a string" + where;
    return std::nullopt;
  }
  item.title = title->get<std::string>();
  if (const json* body = json_member(j, "description"); body && !body->is_null()) {
    if (!body->is_string()) {
      why = "`description` is neither a string nor null" + where;
      return std::nullopt;
    }
    item.body = body->get<std::string>();
  }
  item.url = text_of(j, "web_url");
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
  const std::string state = text_of(j, "state");
  if (state == "opened") {
    item.state = RemoteState::open;
  } else if (state == "closed") {
    bool dropped = has_label(item.labels, kRetiredLabel);
    for (const auto& d : drop_labels) dropped = dropped || has_label(item.labels, d);
    const json* links = json_member(j, "_links");
    const json* duplicate_of = links ? json_member(*links, "closed_as_duplicate_of") : nullptr;
    if (duplicate_of && duplicate_of->is_string())
      item.state = RemoteState::closed_duplicate;
    else
      item.state = dropped ? RemoteState::closed_not_planned : RemoteState::closed_completed;
  } else {
    why = "unknown `state` '" + shorten(state, 20) + "'" + where;
    return std::nullopt;
  }
  item.created_at = text_of(j, "created_at");
  updated_at = text_of(j, "updated_at");
  return item;
}

}  // namespace

Result<RemoteItem> GitLabTracker::item_from_response(const Context& ctx,
                                                     const net::HttpResponse& response,
                                                     const Marker* fallback) const {
  const json j = json::parse(response.body, nullptr, false);
  std::string why;
  std::string updated_at;
  auto parsed = parse_issue(j, options_.drop_labels, why, updated_at);
  if (!parsed)
    return prefixed(ctx, remote_error("GitLab answered " + std::to_string(response.status) +
                                      " with an unexpected body: " +
                                      (j.is_discarded() ? describe_body(response.body) : why)));
  RemoteItem item = std::move(*parsed);
  if (!read_block(item) && fallback != nullptr) item.marker = *fallback;
  return item;
}

// ---- listing ----

Result<std::vector<GitLabTracker::Listed>> GitLabTracker::list_pages(const std::string& first_url) {
  std::vector<Listed> out;
  const Context ctx{"listing managed issues", "GET", first_url, true, {}};
  net::HttpRequest first;
  first.path_and_query = first_url;
  bool page_error = false;
  Status listed = net::for_each_page(
      transport_, first,
      [&](const net::HttpResponse& r) -> Status {
        page_error = true;
        ++last_listing_.pages;
        if (!r.is_success()) return error_from(ctx, r);
        json page = json::parse(r.body, nullptr, false);
        if (!page.is_array())
          return prefixed(
              ctx, remote_error("the page is not a JSON array of issues but " +
                                (page.is_discarded() ? describe_body(r.body)
                                                     : "a JSON " + std::string(page.type_name()))));
        for (std::size_t i = 0; i < page.size(); ++i) {
          Listed l;
          std::string why;
          auto item = parse_issue(page[i], options_.drop_labels, why, l.updated_at);
          if (!item) {
            ++last_listing_.malformed;
            spdlog::warn("{}", redacted(describe() + ": skipped item " + std::to_string(i) +
                                        " of a listing page: " + why));
            continue;
          }
          l.item = std::move(*item);
          l.raw = std::move(page[i]);
          out.push_back(std::move(l));
        }
        page_error = false;
        return ok_status();
      },
      kMaxListingPages);
  if (!listed.ok()) return page_error ? listed.error() : prefixed(ctx, listed.error(), false);
  return out;
}

std::optional<std::vector<GitLabTracker::Listed>> GitLabTracker::incremental_listing(
    Status& failure) {
  if (cache_ == nullptr) return std::nullopt;
  const auto cached = cache_->get(listing_cache_key());
  if (!cached || cached->etag.empty()) return std::nullopt;
  json items = json::parse(cached->body, nullptr, false);
  if (!items.is_array()) return std::nullopt;
  std::vector<Listed> previous;
  for (json& raw : items) {
    Listed l;
    std::string why;
    auto item = parse_issue(raw, options_.drop_labels, why, l.updated_at);
    if (!item) return std::nullopt;  // a cache risksync cannot read: list everything
    l.item = std::move(*item);
    l.relations_known = raw.contains(kParentField) && raw.contains(kRelatedField);
    l.raw = std::move(raw);
    previous.push_back(std::move(l));
  }
  const std::string base = project_path_ + "/issues?";
  auto changed = list_pages(base + net::build_query({{"labels", options_.managed_label},
                                                     {"state", "all"},
                                                     {"updated_after", cached->etag},
                                                     {"order_by", "updated_at"},
                                                     {"sort", "asc"},
                                                     {"per_page", "100"}}));
  if (!changed) {
    failure = changed.error();
    return std::nullopt;
  }
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < previous.size(); ++i) at[previous[i].item.id] = i;
  for (auto& l : *changed) {
    if (const auto it = at.find(l.item.id); it != at.end()) {
      // Seen again only because updated_after is "on or after": its relations still stand.
      Listed& before = previous[it->second];
      if (before.relations_known && before.updated_at == l.updated_at) {
        l.raw[kParentField] = before.raw[kParentField];
        l.raw[kRelatedField] = before.raw[kRelatedField];
        l.relations_known = true;
      }
      before = std::move(l);
    } else {
      at[l.item.id] = previous.size();
      previous.push_back(std::move(l));
    }
  }
  // Deleted or unlabelled items do not show in an updated_after listing: the count tells.
  const Context ctx{
      "counting managed issues",
      "GET",
      base + net::build_query(
                 {{"labels", options_.managed_label}, {"state", "all"}, {"per_page", "1"}}),
      true,
      {}};
  auto count = send(ctx, net::HttpRequest{});
  if (!count.ok()) {
    failure = count.error();
    return std::nullopt;
  }
  ++last_listing_.pages;
  if (!count->is_success()) {
    failure = error_from(ctx, *count);
    return std::nullopt;
  }
  const auto total = count->header("x-total");
  if (!total || !all_digits(*total) || std::stoull(*total) != previous.size()) {
    spdlog::debug("{}: the cached listing is out of date ({} cached, x-total {}): listing again",
                  describe(), previous.size(), total.value_or("absent"));
    return std::nullopt;
  }
  last_listing_.incremental = true;
  return previous;
}

Result<std::vector<RemoteItem>> GitLabTracker::list_managed() {
  last_listing_ = GitLabListingStats{};
  if (Status st = preflight(); !st) return st.error();

  Status failure = ok_status();
  auto incremental = incremental_listing(failure);
  if (!failure.ok()) return failure.error();
  std::vector<Listed> listed;
  if (incremental) {
    listed = std::move(*incremental);
  } else {
    last_listing_.pages = 0;
    auto full = list_pages(
        project_path_ + "/issues?" +
        net::build_query(
            {{"labels", options_.managed_label}, {"state", "all"}, {"per_page", "100"}}));
    if (!full) return full.error();
    listed = std::move(*full);
  }
  // The same item twice (moved to another page meanwhile): keep the first.
  std::set<std::string> seen;
  std::erase_if(listed, [&](const Listed& l) { return !seen.insert(l.item.id).second; });

  for (auto& l : listed) {
    l.managed = read_block(l.item);
    if (!l.managed) ++last_listing_.unmarked;
  }
  if (Status st = read_relations(listed, !incremental); !st) return st.error();

  std::string newest;
  json raw_items = json::array();
  std::vector<RemoteItem> items;
  for (auto& l : listed) {
    if (l.updated_at > newest) newest = l.updated_at;
    raw_items.push_back(l.raw);
    if (!l.managed) continue;
    items.push_back(l.item);
  }
  if (cache_ != nullptr && !newest.empty())
    cache_->put(listing_cache_key(), net::CachedPage{newest, raw_items.dump(), ""});
  spdlog::debug("{}: {} managed issue(s), {} page(s){}, {} GraphQL quer(ies), {} link read(s)",
                describe(), items.size(), last_listing_.pages,
                last_listing_.incremental ? " (updated_after the cached listing)" : "",
                last_listing_.graphql_queries, last_listing_.link_reads);
  return items;
}

// Parents and related items of the listed measures: from the cached annotations for items
// that did not change, else from GraphQL (hierarchy mode) or the REST links (relates_to).
Status GitLabTracker::read_relations(std::vector<Listed>& items, bool all) {
  std::vector<Listed*> to_read;
  for (auto& l : items) {
    if (!l.managed) continue;
    if (l.item.marker.kind != ItemKind::measure) {
      l.item.parent = ParentRef::none();
      continue;
    }
    if (!all && l.relations_known) {
      const std::string parent = text_of(l.raw, kParentField);
      l.item.parent = mode_ == ParentMode::relates_to ? ParentRef::unknown()
                      : parent.empty()                ? ParentRef::none()
                                                      : ParentRef::of(parent);
      l.item.related.clear();
      if (const json* related = json_member(l.raw, kRelatedField); related && related->is_array())
        for (const json& r : *related)
          if (r.is_string()) l.item.related.push_back(r.get<std::string>());
      continue;
    }
    to_read.push_back(&l);
  }
  if (to_read.empty()) return ok_status();
  if (mode_ == ParentMode::hierarchy) {
    if (Status st = read_relations_graphql(to_read); !st) return st;
  }
  if (mode_ == ParentMode::relates_to) {
    if (Status st = read_relations_rest(to_read); !st) return st;
  }
  for (Listed* l : to_read) {
    l->raw[kParentField] = l->item.parent.known == ParentRef::Known::item ? l->item.parent.id : "";
    l->raw[kRelatedField] = l->item.related;
    if (mode_ == ParentMode::relates_to) l->item.parent = ParentRef::unknown();
  }
  return ok_status();
}

namespace {

constexpr std::string_view kRelationsQuery =
    "query($path: ID!, $iids: [String!]) { project(fullPath: $path) { "
    "workItems(iids: $iids, first: 100) { nodes { id iid widgets { type "
    "... on WorkItemWidgetHierarchy { parent { id } } "
    "... on WorkItemWidgetLinkedItems { linkedItems { nodes { linkType workItem { id } } } } "
    "} } } } }";

constexpr std::string_view kSetParentMutation =
    "mutation($id: WorkItemID!, $parent: WorkItemID!) { workItemUpdate(input: {id: $id, "
    "hierarchyWidget: {parentId: $parent}}) { workItem { id } errors } }";

// The messages of a GraphQL answer's top-level `errors`.
std::string graphql_errors(const json& j) {
  std::string out;
  if (const json* errors = json_member(j, "errors"); errors && errors->is_array())
    for (const json& e : *errors) out += (out.empty() ? "" : "; ") + text_of(e, "message");
  return out;
}

}  // namespace

Status GitLabTracker::read_relations_graphql(std::vector<Listed*>& items) {
  for (std::size_t start = 0; start < items.size(); start += 100) {
    const std::size_t end = std::min(items.size(), start + 100);
    json iids = json::array();
    std::map<std::string, Listed*> by_iid;
    for (std::size_t i = start; i < end; ++i) {
      iids.push_back(items[i]->item.number);
      by_iid[items[i]->item.number] = items[i];
      items[i]->item.parent = ParentRef::none();
      items[i]->item.related.clear();
    }
    const Context ctx{"reading parents and links", "POST", options_.graphql_url, true, {}};
    net::HttpRequest request;
    request.idempotent = true;  // a query
    request.body = json{{"query", kRelationsQuery},
                        {"variables", {{"path", project_full_path_}, {"iids", iids}}}}
                       .dump();
    auto response = send(ctx, std::move(request));
    if (!response.ok()) return response.error();
    ++last_listing_.graphql_queries;
    if (response->status == 401 || response->status == 403 || response->status == 429 ||
        response->status >= 500)
      return error_from(ctx, *response);
    const json j = json::parse(response->body, nullptr, false);
    const json* data = json_member(j, "data");
    const json* project = data ? json_member(*data, "project") : nullptr;
    const json* work_items = project ? json_member(*project, "workItems") : nullptr;
    const json* nodes = work_items ? json_member(*work_items, "nodes") : nullptr;
    const std::string errors = graphql_errors(j);
    if (!response->is_success() || nodes == nullptr || !nodes->is_array() || !errors.empty()) {
      switch_to_relates_to(response->is_success()
                               ? (errors.empty() ? "GraphQL shows no work items" : errors)
                               : "GraphQL answered HTTP " + std::to_string(response->status));
      return ok_status();
    }
    for (const json& node : *nodes) {
      const auto it = by_iid.find(text_of(node, "iid"));
      if (it == by_iid.end()) continue;
      RemoteItem& item = it->second->item;
      const json* widgets = json_member(node, "widgets");
      if (widgets == nullptr || !widgets->is_array()) continue;
      for (const json& w : *widgets) {
        if (const json* parent = json_member(w, "parent")) {
          const std::string pid = parent->is_object() ? id_of_gid(text_of(*parent, "id")) : "";
          item.parent = pid.empty() ? ParentRef::none() : ParentRef::of(pid);
        }
        const json* linked = json_member(w, "linkedItems");
        const json* linked_nodes = linked ? json_member(*linked, "nodes") : nullptr;
        if (linked_nodes && linked_nodes->is_array()) {
          for (const json& link : *linked_nodes) {
            const std::string type = ascii::to_lower(text_of(link, "linkType"));
            if (type != "relates_to" && type != "related") continue;
            const json* target = json_member(link, "workItem");
            const std::string tid = target ? id_of_gid(text_of(*target, "id")) : "";
            if (!tid.empty()) item.related.push_back(tid);
          }
        }
      }
    }
  }
  return ok_status();
}

Result<std::vector<std::string>> GitLabTracker::related_ids_rest(const RemoteItem& item) {
  const Context ctx{"reading the links of #" + item.number, "GET",
                    issue_path(item.number) + "/links", false, item.number};
  auto response = send(ctx, net::HttpRequest{});
  if (!response.ok()) return response.error();
  ++last_listing_.link_reads;
  if (response->status != 200) return error_from(ctx, *response);
  const json j = json::parse(response->body, nullptr, false);
  if (!j.is_array())
    return prefixed(
        ctx, remote_error("not a JSON array of linked issues: " + describe_body(response->body)));
  std::vector<std::string> out;
  for (const json& linked : j) {
    const std::string type = text_of(linked, "link_type");
    if (!type.empty() && type != "relates_to") continue;
    if (const auto id = json_positive_integer(json_member(linked, "id")))
      out.push_back(std::to_string(*id));
  }
  return out;
}

Status GitLabTracker::read_relations_rest(std::vector<Listed*>& items) {
  for (Listed* l : items) {
    auto related = related_ids_rest(l->item);
    if (!related) return related.error();
    l->item.related = std::move(*related);
    l->item.parent = ParentRef::unknown();
  }
  return ok_status();
}

void GitLabTracker::switch_to_relates_to(const std::string& why) {
  if (mode_ == ParentMode::relates_to) return;
  mode_ = ParentMode::relates_to;
  mode_reason_ = why;
  spdlog::warn("{}", redacted("gitlab (" + options_.project +
                              "): GraphQL cannot set task parents here (" + shorten(why, 200) +
                              "): measures are linked to their stories with relates_to links "
                              "for this run and the next ones"));
  if (cache_ != nullptr) cache_->put(mode_cache_key(), net::CachedPage{"relates_to", why, ""});
}

// ---- create / update ----

Result<RemoteItem> GitLabTracker::create(const ItemSpec& spec) {
  Context ctx{"creating issue '" + shorten(spec.title, 60) + "'",
              "POST",
              project_path_ + "/issues",
              true,
              {}};
  if (Status st = preflight(); !st) return st.error();
  if (Status st = check_can_write(ctx); !st) return st.error();
  if (!has_label(spec.labels, options_.managed_label))
    return prefixed(ctx,
                    Error{ErrorKind::internal,
                          "refusing to create an issue without the '" + options_.managed_label +
                              "' label: risksync could never find it again",
                          {},
                          {}});
  const ShownBlock block = codec_.read(spec.body);
  const bool measure = block.marker && block.marker->kind == ItemKind::measure;
  json payload = {
      {"title", spec.title}, {"description", spec.body}, {"labels", joined(spec.labels)}};
  if (measure && tasks_listed_) payload["issue_type"] = "task";
  net::HttpRequest request;
  request.body = payload.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status != 201 && response->status != 200) return error_from(ctx, *response);
  auto item = item_from_response(ctx, *response, block.marker ? &*block.marker : nullptr);
  if (!item.ok()) return item;
  item->parent = ParentRef::none();
  if (!has_label(item->labels, options_.managed_label)) {
    labels_dropped_on_ = item->url.empty() ? "#" + item->number : item->url;
    return prefixed(
        ctx, run_stopping_error("created " + labels_dropped_on_ +
                                    " but GitLab dropped its labels: "
                                    "without the '" +
                                    options_.managed_label +
                                    "' label risksync cannot find it again; give the token's user "
                                    "the Planner role or higher, then delete or label that issue",
                                "tracker.token_env"));
  }
  return item;
}

Result<RemoteItem> GitLabTracker::update(const RemoteItem& current, const ItemChange& change) {
  Context ctx{"updating issue #" + current.number, "PUT", issue_path(current.number), false,
              current.number};
  json put = json::object();
  if (change.title && *change.title != current.title) put["title"] = *change.title;
  if (change.body && *change.body != current.body) put["description"] = *change.body;
  std::vector<std::string> add;
  std::vector<std::string> remove;
  for (const auto& l : change.add_labels)
    if (!has_label(current.labels, l) && !has_label(add, l)) add.push_back(l);
  for (const auto& l : change.remove_labels) {
    if (same_label(l, options_.managed_label))
      return prefixed(ctx, Error{ErrorKind::internal,
                                 "refusing to remove the '" + options_.managed_label +
                                     "' label: risksync could never find the issue again",
                                 {},
                                 {}});
    if (has_label(current.labels, l) && !has_label(remove, l)) remove.push_back(l);
  }
  const std::string drop_label = options_.drop_labels.empty() ? "" : options_.drop_labels.front();
  if (change.state == ItemChange::State::close && !is_closed(current.state)) {
    put["state_event"] = "close";
    if (change.close_reason == CloseReason::not_planned && !drop_label.empty() &&
        !has_label(current.labels, drop_label) && !has_label(add, drop_label))
      add.push_back(drop_label);
  } else if (change.state == ItemChange::State::reopen && is_closed(current.state)) {
    put["state_event"] = "reopen";
    if (!drop_label.empty() && has_label(current.labels, drop_label) &&
        !has_label(remove, drop_label))
      remove.push_back(drop_label);
  }
  if (!add.empty()) put["add_labels"] = joined(add);
  if (!remove.empty()) put["remove_labels"] = joined(remove);
  const bool state_sent = put.contains("state_event");
  if (put.empty()) return current;
  if (Status st = check_can_write(ctx); !st) return st.error();
  std::string fields;
  for (const auto& [name, value] : put.items()) fields += (fields.empty() ? "" : ", ") + name;
  ctx.action += " (" + fields + ")";
  net::HttpRequest request;
  request.body = put.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status != 200) return error_from(ctx, *response);
  auto item = item_from_response(ctx, *response, &current.marker);
  if (!item.ok()) return item;
  item->parent = current.parent;
  item->related = current.related;
  if (state_sent && !change.comment.empty()) {
    if (Status st = post_note(*item, change.comment); !st.ok()) {
      Error e = st.error();
      e.message = "#" + current.number + " was updated (" + fields +
                  "), but its comment was not added: " + e.message;
      return e;
    }
  }
  return item;
}

Status GitLabTracker::post_note(const RemoteItem& item, const std::string& body) {
  const Context ctx{"commenting on issue #" + item.number, "POST",
                    issue_path(item.number) + "/notes", false, item.number};
  net::HttpRequest request;
  request.body = json{{"body", body}}.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status != 201 && response->status != 200) return error_from(ctx, *response);
  return ok_status();
}

// ---- parents and links ----

Status GitLabTracker::link_parent(const RemoteItem& child, const RemoteItem& parent) {
  Context ctx{"making #" + child.number + " a child of #" + parent.number, "POST",
              options_.graphql_url, false, child.number};
  if (Status st = preflight(); !st) return st;
  if (Status st = check_can_write(ctx); !st) return st;
  if (mode_ == ParentMode::hierarchy) {
    net::HttpRequest request;
    request.body = json{{"query", kSetParentMutation},
                        {"variables", {{"id", gid_of(child.id)}, {"parent", gid_of(parent.id)}}}}
                       .dump();
    auto response = send(ctx, std::move(request));
    if (!response.ok()) return response.error();
    if (response->status == 401 || response->status == 403 || response->status == 429 ||
        response->status >= 500)
      return error_from(ctx, *response);
    const json j = json::parse(response->body, nullptr, false);
    std::string errors = graphql_errors(j);
    const json* data = json_member(j, "data");
    const json* payload = data ? json_member(*data, "workItemUpdate") : nullptr;
    if (const json* payload_errors = payload ? json_member(*payload, "errors") : nullptr;
        payload_errors && payload_errors->is_array())
      for (const json& e : *payload_errors)
        if (e.is_string()) errors += (errors.empty() ? "" : "; ") + e.get<std::string>();
    const bool updated = payload && payload->is_object() && json_member(*payload, "workItem") &&
                         (*payload)["workItem"].is_object();
    if (response->is_success() && updated && errors.empty()) return ok_status();
    const std::string lowered = ascii::to_lower(errors);
    if (lowered.find("already") != std::string::npos &&
        lowered.find("parent") != std::string::npos) {
      spdlog::debug("{}: #{} already has #{} as parent", describe(), child.number, parent.number);
      return ok_status();
    }
    const bool refused = !response->is_success() || !json_member(j, "data") ||
                         lowered.find("doesn't exist") != std::string::npos ||
                         lowered.find("not defined") != std::string::npos ||
                         lowered.find("not allowed") != std::string::npos ||
                         lowered.find("not supported") != std::string::npos ||
                         lowered.find("disabled") != std::string::npos ||
                         lowered.find("not available") != std::string::npos;
    if (!refused)
      return prefixed(ctx,
                      remote_error("GitLab refused the parent (" + shorten(errors, 300) + ")"));
    switch_to_relates_to(
        errors.empty() ? "GraphQL answered HTTP " + std::to_string(response->status) : errors);
  }
  return add_relates_to_link(child, parent);
}

Status GitLabTracker::link_related(const RemoteItem& a, const RemoteItem& b) {
  const Context ctx{"relating #" + a.number + " to #" + b.number, "POST",
                    issue_path(a.number) + "/links", false, a.number};
  if (Status st = preflight(); !st) return st;
  if (Status st = check_can_write(ctx); !st) return st;
  return add_relates_to_link(a, b);
}

Status GitLabTracker::add_relates_to_link(const RemoteItem& from, const RemoteItem& to) {
  const Context ctx{"relating #" + from.number + " to #" + to.number, "POST",
                    issue_path(from.number) + "/links", false, from.number};
  // Read before writing: GitLab refuses a second identical link.
  auto existing = related_ids_rest(from);
  if (!existing) return existing.error();
  if (std::find(existing->begin(), existing->end(), to.id) != existing->end()) return ok_status();
  net::HttpRequest request;
  request.body = json{
      {"target_project_id", project_id_},
      {"target_issue_iid", to.number},
      {"link_type",
       "relates_to"}}.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->status == 201 || response->status == 200 || response->status == 409)
    return ok_status();
  return error_from(ctx, *response);
}

// ---- labels ----

Status GitLabTracker::ensure_labels(const std::vector<LabelSpec>& labels) {
  if (labels.empty()) return ok_status();
  if (Status st = preflight(); !st) return st;
  const Context list_ctx{"listing labels",
                         "GET",
                         project_path_ + "/labels?" + net::build_query({{"per_page", "100"}}),
                         true,
                         {}};
  std::set<std::string> existing;
  net::HttpRequest first;
  first.path_and_query = list_ctx.target;
  bool page_error = false;
  Status listed = net::for_each_page(transport_, first, [&](const net::HttpResponse& r) -> Status {
    page_error = true;
    if (!r.is_success()) return error_from(list_ctx, r);
    const json page = json::parse(r.body, nullptr, false);
    if (!page.is_array())
      return prefixed(list_ctx,
                      remote_error("not a JSON array of labels: " + describe_body(r.body)));
    for (const json& label : page) existing.insert(ascii::to_lower(text_of(label, "name")));
    page_error = false;
    return ok_status();
  });
  if (!listed.ok()) return page_error ? listed : Status(prefixed(list_ctx, listed.error(), false));
  for (const LabelSpec& label : labels) {
    if (existing.contains(ascii::to_lower(label.name))) continue;
    const Context ctx{
        "creating label '" + label.name + "'", "POST", project_path_ + "/labels", true, {}};
    if (Status st = check_can_write(ctx); !st) return st;
    std::string color = label.color;
    if (!color.empty() && color.front() != '#') color = "#" + color;
    json payload = {{"name", label.name}, {"color", color.empty() ? "#cccccc" : color}};
    if (!label.description.empty()) payload["description"] = label.description;
    net::HttpRequest request;
    request.body = payload.dump();
    auto response = send(ctx, std::move(request));
    if (!response.ok()) return response.error();
    if (response->status == 201 || response->status == 200 || response->status == 409) {
      existing.insert(ascii::to_lower(label.name));
      continue;
    }
    return error_from(ctx, *response);
  }
  return ok_status();
}

}  // namespace risksync::gitlab
