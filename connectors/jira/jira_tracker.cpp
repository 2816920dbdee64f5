#include "connectors/jira/jira_tracker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "net/json_body.h"
#include "net/pagination.h"
#include "sync/plan.h"
#include "util/ascii.h"
#include "util/base64.h"

namespace risksync::jira {
namespace {

using net::json_member;
using nlohmann::json;

std::string text_of(const json& object, const char* key) {
  const json* v = json_member(object, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool same_name(std::string_view a, std::string_view b) {
  return ascii::to_lower(a) == ascii::to_lower(b);
}

bool has_label(const std::vector<std::string>& labels, std::string_view name) {
  return std::any_of(labels.begin(), labels.end(),
                     [&](const std::string& l) { return same_name(l, name); });
}

// What a Jira error body says: errorMessages[] and errors{field: message}.
std::string jira_said(std::string_view body) {
  const json j = json::parse(body, nullptr, false);
  if (j.is_object()) {
    std::string out;
    if (const json* messages = json_member(j, "errorMessages"); messages && messages->is_array())
      for (const json& m : *messages)
        if (m.is_string()) out += (out.empty() ? "" : "; ") + m.get<std::string>();
    if (const json* errors = json_member(j, "errors"); errors && errors->is_object())
      for (const auto& [field, m] : errors->items())
        if (m.is_string()) out += (out.empty() ? "" : "; ") + field + ": " + m.get<std::string>();
    if (!out.empty()) return "'" + net::shorten_for_message(out, 300) + "'";
  }
  return net::describe_body(
      body, net::BodyHints{{}, ": is api_url the site's base URL (https://acme.atlassian.net)?"});
}

// Field ids a 400 names in `errors` (required fields missing, fields not on the screen).
std::vector<std::string> error_fields(const json& element_errors) {
  std::vector<std::string> out;
  if (const json* errors = json_member(element_errors, "errors"); errors && errors->is_object())
    for (const auto& [field, m] : errors->items()) out.push_back(field);
  return out;
}

std::string element_message(const json& element_errors) {
  std::string out;
  if (const json* messages = json_member(element_errors, "errorMessages");
      messages && messages->is_array())
    for (const json& m : *messages)
      if (m.is_string()) out += (out.empty() ? "" : "; ") + m.get<std::string>();
  if (const json* errors = json_member(element_errors, "errors"); errors && errors->is_object())
    for (const auto& [field, m] : errors->items())
      if (m.is_string()) out += (out.empty() ? "" : "; ") + field + ": " + m.get<std::string>();
  return out.empty() ? "no details" : net::shorten_for_message(out, 300);
}

// The number of a key "SEC-12" -> 12, 0 when it is not one of `project`.
long key_number(std::string_view key, std::string_view project) {
  if (key.size() <= project.size() + 1 || !key.starts_with(project) || key[project.size()] != '-')
    return 0;
  long n = 0;
  for (const char c : key.substr(project.size() + 1)) {
    if (c < '0' || c > '9' || n > 100000000) return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

json adf_text_document(std::string_view text) {
  json paragraphs = json::array();
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    const std::string line(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (!line.empty())
      paragraphs.push_back(
          {{"type", "paragraph"}, {"content", json::array({{{"type", "text"}, {"text", line}}})}});
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  if (paragraphs.empty()) paragraphs.push_back({{"type", "paragraph"}});
  return json{{"version", 1}, {"type", "doc"}, {"content", paragraphs}};
}

constexpr const char* kListedFields[] = {"summary", "status",     "resolution", "labels",
                                         "parent",  "issuelinks", "issuetype",  "description",
                                         "updated", "created",    "assignee"};

}  // namespace

// ---- free functions ----

std::string_view to_string(Flavor flavor) {
  return flavor == Flavor::cloud ? kFlavorCloud : kFlavorDataCenter;
}

net::Headers jira_default_headers(Flavor flavor, std::string_view email, std::string_view token) {
  net::Headers headers;
  if (flavor == Flavor::cloud)
    headers.emplace("Authorization",
                    "Basic " + base64_encode(std::string(email) + ":" + std::string(token)));
  else
    headers.emplace("Authorization", "Bearer " + std::string(token));
  headers.emplace("Accept", "application/json");
  return headers;
}

std::string marker_property_json(const Marker& marker) {
  json j = {{"key", marker.key},
            {"kind", std::string(to_string(marker.kind))},
            {"fp", marker.fingerprint},
            {"h", marker.block_hash}};
  return j.dump();
}

std::optional<Marker> marker_from_property_json(std::string_view json_text) {
  const json j = json::parse(json_text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  Marker m;
  m.key = text_of(j, "key");
  const std::string kind = text_of(j, "kind");
  if (m.key.empty() || m.key.size() > 100 || m.key.find_first_of(" \t\r\n") != std::string::npos)
    return std::nullopt;
  if (kind == "story")
    m.kind = ItemKind::story;
  else if (kind == "measure")
    m.kind = ItemKind::measure;
  else
    return std::nullopt;
  m.fingerprint = text_of(j, "fp");
  m.block_hash = text_of(j, "h");
  if (const json* removed = json_member(j, "removed"); removed && removed->is_boolean())
    m.legacy_removed = removed->get<bool>();
  return m;
}

// ---- JiraTracker ----

struct JiraTracker::Context {
  std::string action;
  std::string method;
  std::string target;
  bool project_level = true;  // a 404 means "no such project" (else "no such issue")
  std::string key;
};

JiraTracker::JiraTracker(JiraTrackerOptions options, net::HttpTransport& transport,
                         const BodyCodec& codec, const net::Redactor* redactor)
    : options_(std::move(options)), transport_(transport), codec_(codec), redactor_(redactor) {
  while (!options_.site_url.empty() && options_.site_url.back() == '/')
    options_.site_url.pop_back();
}

std::string JiraTracker::describe() const {
  return cloud() ? "jira (" + options_.project + ")"
                 : "jira data-center (" + options_.project + ")";
}

std::string JiraTracker::api(std::string_view rest) const {
  return std::string(cloud() ? "/rest/api/3" : "/rest/api/2") + std::string(rest);
}

std::string JiraTracker::redacted(std::string_view text) const {
  if (redactor_ != nullptr) return redactor_->redact(text);
  return net::Redactor{}.redact(text);
}

Error JiraTracker::prefixed(const Context& ctx, const Error& error, bool with_target) const {
  Error out = error;
  out.message = redacted(describe() + ": " + ctx.action +
                         (with_target ? " (" + ctx.method + " " + ctx.target + ")" : "") + ": " +
                         error.message);
  return out;
}

Result<net::HttpResponse> JiraTracker::send(const Context& ctx, net::HttpRequest request) {
  request.method = ctx.method;
  request.path_and_query = ctx.target;
  auto response = transport_.send(request);
  if (!response.ok()) return prefixed(ctx, response.error(), false);
  return std::move(response).value();
}

Error JiraTracker::error_from(const Context& ctx, const net::HttpResponse& r) const {
  const std::string said = jira_said(r.body);
  const std::string status = std::to_string(r.status);
  const std::string token_vars =
      cloud() ? "the variables named by tracker.email_env and tracker.token_env (JIRA_EMAIL and "
                "JIRA_API_TOKEN by default) hold the account's e-mail and a valid, unexpired "
                "API token (Cloud tokens expire within a year)"
              : "the variable named by tracker.token_env (JIRA_API_TOKEN by default) holds a "
                "valid personal access token (sent as Bearer)";
  Error e = remote_error("");
  switch (r.status) {
    case 401:
      e.field = "tracker.token_env";
      e.message = "Jira rejected the credentials (401, " + said + "): check that " + token_vars;
      break;
    case 403:
      e.field = "tracker.token_env";
      e.message = "Jira refused the request (403, " + said +
                  "): the token's user lacks a "
                  "permission on project " +
                  options_.project;
      break;
    case 404:
      if (ctx.project_level) {
        e.field = "tracker.repository";
        e.message = "Jira answered 404 (" + said + "): the project " + options_.project +
                    " does not exist or the token's user cannot see it (tracker.repository is "
                    "the project key, e.g. SEC)";
      } else {
        e.message = "Jira answered 404 for " + ctx.key + " (" + said +
                    "): it was deleted or moved, or the token's user cannot see it";
      }
      break;
    case 410:
      e.field = "tracker.api_url";
      e.message = "Jira answered 410 Gone (" + said + "): this API was removed from the site";
      break;
    case 429:
      e.message = "Jira's rate limit is still exceeded (429, " + said + "); try again later";
      break;
    default:
      if (r.status >= 500) {
        e.message = "Jira failed (HTTP " + status + ", " + said + ")";
        if (ctx.method == "POST")
          e.message +=
              "; the request may have been applied all the same: the next sync lists the "
              "issues first and finds what was created by its risksync property";
      } else {
        e.message = "Jira refused the request (HTTP " + status + ", " + said + ")";
      }
  }
  const bool run_level =
      r.status == 401 || r.status == 403 || r.status == 410 || r.status == 429 || r.status >= 500 ||
      (ctx.project_level && (r.status == 404 || (r.status >= 300 && r.status < 400)));
  if (run_level) e.scope = ErrorScope::run;
  return prefixed(ctx, e);
}

// ---- preflight ----

Status JiraTracker::preflight() {
  if (preflight_done_) return ok_status();
  {
    const Context ctx{"checking the credentials", "GET", api("/myself"), true, {}};
    auto response = send(ctx, net::HttpRequest{});
    if (!response.ok()) return response.error();
    if (response->status == 404) {
      Error e = run_stopping_error(
          "Jira answered 404 for /myself: is tracker.api_url the site's "
          "base URL, without /rest (https://acme.atlassian.net)?",
          "tracker.api_url");
      return prefixed(ctx, e);
    }
    if (response->status != 200) return error_from(ctx, *response);
    const json j = json::parse(response->body, nullptr, false);
    if (!j.is_object())
      return prefixed(ctx, run_stopping_error("Jira answered 200 but not with a user: " +
                                                  jira_said(response->body),
                                              "tracker.api_url"));
  }
  {
    const Context ctx{"reading the project",
                      "GET",
                      api("/project/" + net::encode_path_segment(options_.project)),
                      true,
                      {}};
    auto response = send(ctx, net::HttpRequest{});
    if (!response.ok()) return response.error();
    if (response->status != 200) return error_from(ctx, *response);
  }
  if (Status st = read_issue_types(); !st) return st;
  {
    const Context ctx{
        "reading the token's permissions",
        "GET",
        api("/mypermissions?" + net::build_query({{"projectKey", options_.project},
                                                  {"permissions",
                                                   "CREATE_ISSUES,TRANSITION_ISSUES,EDIT_ISSUES,"
                                                   "LINK_ISSUES,ADD_COMMENTS"}})),
        true,
        {}};
    auto response = send(ctx, net::HttpRequest{});
    if (!response.ok()) return response.error();
    if (response->status != 200) return error_from(ctx, *response);
    const json j = json::parse(response->body, nullptr, false);
    const json* permissions = json_member(j, "permissions");
    std::string missing;
    for (const char* needed : {"CREATE_ISSUES", "TRANSITION_ISSUES", "EDIT_ISSUES"}) {
      const json* p = permissions ? json_member(*permissions, needed) : nullptr;
      const json* have = p ? json_member(*p, "havePermission") : nullptr;
      if (!have || !have->is_boolean() || !have->get<bool>())
        missing += (missing.empty() ? "" : ", ") + std::string(needed);
    }
    write_refusal_ = missing.empty()
                         ? std::string()
                         : "the token's user lacks " + missing + " on project " + options_.project +
                               ": grant them (project settings > "
                               "permissions), or use another account's token";
  }
  preflight_done_ = true;
  return ok_status();
}

Status JiraTracker::read_issue_types() {
  const std::string project = net::encode_path_segment(options_.project);
  const Context ctx{"reading the project's issue types",
                    "GET",
                    api("/issue/createmeta/" + project + "/issuetypes?maxResults=200"),
                    true,
                    {}};
  auto response = send(ctx, net::HttpRequest{});
  if (!response.ok()) return response.error();
  if (response->status != 200) return error_from(ctx, *response);
  const json j = json::parse(response->body, nullptr, false);
  const json* types = json_member(j, "issueTypes");        // Cloud
  if (types == nullptr) types = json_member(j, "values");  // Data Center
  if (types == nullptr || !types->is_array())
    return prefixed(ctx,
                    run_stopping_error("not a list of issue types: " + jira_said(response->body),
                                       "tracker.api_url"));
  std::vector<IssueType> all;
  for (const json& t : *types) {
    IssueType type;
    type.id = text_of(t, "id");
    type.name = text_of(t, "name");
    if (const json* sub = json_member(t, "subtask"); sub && sub->is_boolean())
      type.subtask = sub->get<bool>();
    if (!type.id.empty() && !type.name.empty()) all.push_back(std::move(type));
  }
  std::string names;
  for (const auto& t : all) names += (names.empty() ? "" : ", ") + t.name;
  const auto find = [&](std::string_view name, bool subtask) -> const IssueType* {
    for (const auto& t : all)
      if (same_name(t.name, name) && t.subtask == subtask) return &t;
    return nullptr;
  };
  const IssueType* story = find(options_.story_type, false);
  if (story == nullptr)
    return prefixed(ctx, run_stopping_error("project " + options_.project + " has no issue type '" +
                                                options_.story_type +
                                                "' for stories (tracker.story_type); its "
                                                "types: " +
                                                (names.empty() ? "none" : names),
                                            "tracker.story_type"));
  const IssueType* subtask = find(
      options_.subtask_type.empty() ? kDefaultSubtaskType : std::string_view(options_.subtask_type),
      true);
  if (subtask == nullptr && options_.subtask_type.empty())
    for (const auto& t : all)
      if (t.subtask) {
        subtask = &t;
        break;
      }
  if (subtask == nullptr)
    return prefixed(
        ctx, run_stopping_error(
                 "project " + options_.project + " has no sub-task type '" +
                     (options_.subtask_type.empty() ? std::string(kDefaultSubtaskType)
                                                    : options_.subtask_type) +
                     "' for measures (tracker.subtask_type); its types: " +
                     (names.empty() ? "none" : names) + " (sub-task types are marked as such)",
                 "tracker.subtask_type"));
  story_type_ = *story;
  subtask_type_ = *subtask;
  if (Status st = read_type_fields(story_type_, "story_type"); !st) return st;
  return read_type_fields(subtask_type_, "subtask_type");
}

Status JiraTracker::read_type_fields(IssueType& type, const std::string& config_key) {
  const std::string project = net::encode_path_segment(options_.project);
  const Context ctx{"reading the create fields of '" + type.name + "'",
                    "GET",
                    api("/issue/createmeta/" + project + "/issuetypes/" +
                        net::encode_path_segment(type.id) + "?maxResults=200"),
                    true,
                    {}};
  auto response = send(ctx, net::HttpRequest{});
  if (!response.ok()) return response.error();
  if (response->status != 200) return error_from(ctx, *response);
  const json j = json::parse(response->body, nullptr, false);
  const json* fields = json_member(j, "fields");             // Cloud
  if (fields == nullptr) fields = json_member(j, "values");  // Data Center
  if (fields == nullptr || !fields->is_array())
    return prefixed(ctx, run_stopping_error("not a list of fields: " + jira_said(response->body),
                                            "tracker.api_url"));
  type.screen.clear();
  for (const json& f : *fields) {
    const std::string id = text_of(f, "fieldId");
    if (id.empty()) continue;
    const json* required = json_member(f, "required");
    const json* has_default = json_member(f, "hasDefaultValue");
    type.screen[id] = required && required->is_boolean() && required->get<bool>() &&
                      !(has_default && has_default->is_boolean() && has_default->get<bool>());
  }
  const auto statics = options_.static_fields.find(type.name);
  static const std::set<std::string> sent = {"project", "summary", "issuetype", "description",
                                             "labels",  "parent",  "reporter"};
  std::string missing;
  for (const auto& [id, required] : type.screen) {
    if (!required || sent.contains(id)) continue;
    if (statics != options_.static_fields.end() && statics->second.contains(id)) continue;
    missing += (missing.empty() ? "" : ", ") + id;
  }
  if (!missing.empty())
    return prefixed(
        ctx, run_stopping_error("issue type '" + type.name + "' requires " + missing +
                                    ", which risksync does not fill: give static values in "
                                    "[tracker.fields." +
                                    type.name + "] (e.g. " + missing.substr(0, missing.find(',')) +
                                    " = \"…\")",
                                "tracker.fields." + type.name));
  if (!type.screen.contains("labels"))
    return prefixed(ctx, run_stopping_error("the create screen of issue type '" + type.name +
                                                "' has no Labels field: risksync finds its "
                                                "issues by the '" +
                                                options_.managed_label +
                                                "' label; add Labels to that screen or choose "
                                                "another type (tracker." +
                                                config_key + ")",
                                            "tracker." + config_key));
  return ok_status();
}

Status JiraTracker::check_can_write(const Context& ctx) const {
  if (!write_refusal_.empty())
    return prefixed(ctx, run_stopping_error("not sent: " + write_refusal_, "tracker.token_env"),
                    false);
  return ok_status();
}

// ---- capabilities ----

TrackerCapabilities JiraTracker::capabilities() const {
  TrackerCapabilities caps;
  caps.max_batch = kMaxBulkCreate;
  caps.create_with_parent = true;  // sub-tasks name their parent on create
  caps.reports_parents = true;
  caps.related_links = true;
  caps.assignment_means_started = false;  // projects assign automatically
  caps.max_children = 0;
  return caps;
}

Status JiraTracker::ensure_labels(const std::vector<LabelSpec>&) {
  return ok_status();  // Jira labels exist as soon as an issue carries them
}

// ---- reading issues ----

namespace {

struct ParseContext {
  const JiraTrackerOptions& options;
  const BodyCodec& codec;
  bool cloud;
};

// One issue of a search page or GET /issue. nullopt with `why` for the wrong shape; an issue
// without a readable property comes back with an empty marker key.
std::optional<RemoteItem> parse_issue(const json& j, const ParseContext& pc, std::string& why) {
  if (!j.is_object()) {
    why = std::string("a ") + j.type_name() + " instead of an issue object";
    return std::nullopt;
  }
  RemoteItem item;
  item.id = text_of(j, "id");
  item.number = text_of(j, "key");
  if (item.id.empty() || item.number.empty()) {
    why = "an issue without `id` or `key`";
    return std::nullopt;
  }
  const json* fields = json_member(j, "fields");
  if (fields == nullptr || !fields->is_object()) {
    why = "no `fields` (issue " + item.number + ")";
    return std::nullopt;
  }
  item.url = pc.options.site_url + "/browse/" + item.number;
  item.title = text_of(*fields, "summary");
  if (const json* d = json_member(*fields, "description"); d && !d->is_null())
    item.body = d->is_string() ? d->get<std::string>() : d->dump();
  if (const json* labels = json_member(*fields, "labels"); labels && labels->is_array())
    for (const json& l : *labels)
      if (l.is_string()) item.labels.push_back(l.get<std::string>());
  if (const json* a = json_member(*fields, "assignee"); a && a->is_object()) item.assigned = true;
  item.created_at = text_of(*fields, "created");
  const json* status = json_member(*fields, "status");
  const json* category = status ? json_member(*status, "statusCategory") : nullptr;
  const std::string category_key = category ? text_of(*category, "key") : "";
  const json* resolution = json_member(*fields, "resolution");
  const std::string resolution_name =
      resolution && resolution->is_object() ? text_of(*resolution, "name") : "";
  if (category_key == "done") {
    // Closed by risksync because it left the analysis: dropped, even where the workflow's done
    // transition sets no resolution (a "Livré" workflow).
    item.state = has_label(item.labels, kRetiredLabel) ? RemoteState::closed_not_planned
                                                       : RemoteState::closed_completed;
    for (const auto& drop : pc.options.drop_resolutions)
      if (!resolution_name.empty() && same_name(drop, resolution_name))
        item.state = same_name(drop, "Duplicate") ? RemoteState::closed_duplicate
                                                  : RemoteState::closed_not_planned;
  } else if (category_key == "indeterminate") {
    item.state = RemoteState::in_progress;
  } else {
    item.state = RemoteState::open;  // new, undefined
  }
  item.parent = ParentRef::none();
  if (const json* parent = json_member(*fields, "parent"); parent && parent->is_object()) {
    const std::string pid = text_of(*parent, "id");
    if (!pid.empty()) item.parent = ParentRef::of(pid);
  }
  if (const json* links = json_member(*fields, "issuelinks"); links && links->is_array()) {
    for (const json& link : *links) {
      const json* type = json_member(link, "type");
      if (!type || !same_name(text_of(*type, "name"), pc.options.link_type)) continue;
      for (const char* side : {"inwardIssue", "outwardIssue"})
        if (const json* other = json_member(link, side); other && other->is_object()) {
          const std::string oid = text_of(*other, "id");
          if (!oid.empty()) item.related.push_back(oid);
        }
    }
  }
  const json* properties = json_member(j, "properties");
  const json* property = properties ? json_member(*properties, pc.options.property_key) : nullptr;
  if (property && property->is_object()) {
    if (auto marker = marker_from_property_json(property->dump())) item.marker = *marker;
  }
  ShownBlock shown = pc.codec.read(item.body);
  item.shown_block = std::move(shown.content);
  item.stray_markers = shown.stray_markers;
  return item;
}

}  // namespace

std::string JiraTracker::fields_param() const {
  std::string out;
  for (const char* f : kListedFields) out += (out.empty() ? "" : ",") + std::string(f);
  return out;
}

Result<std::vector<RemoteItem>> JiraTracker::list_managed() {
  last_listing_ = JiraListingStats{};
  if (Status st = preflight(); !st) return st.error();
  const std::string jql = "project = \"" + options_.project + "\" AND labels = \"" +
                          options_.managed_label + "\" ORDER BY key ASC";
  net::HttpRequest first;
  std::unique_ptr<net::PageStrategy> strategy;
  Context ctx{"listing managed issues", "GET", "", true, {}};
  if (cloud()) {
    ctx.method = "POST";
    ctx.target = api("/search/jql");
    json fields = json::array();
    for (const char* f : kListedFields) fields.push_back(f);
    first.method = "POST";
    first.path_and_query = ctx.target;
    first.idempotent = true;  // a search
    first.body = json{
        {"jql", jql},
        {"fields", fields},
        {"properties", json::array({options_.property_key})},
        {"maxResults",
         100}}.dump();
    strategy = std::make_unique<net::NextPageTokenPages>();
  } else {
    ctx.target = api("/search?" + net::build_query({{"jql", jql},
                                                    {"fields", fields_param()},
                                                    {"properties", options_.property_key},
                                                    {"startAt", "0"},
                                                    {"maxResults", "100"}}));
    first.path_and_query = ctx.target;
    strategy = std::make_unique<net::StartAtPages>();
  }
  const ParseContext pc{options_, codec_, cloud()};
  std::vector<RemoteItem> items;
  std::vector<std::string> seen;
  net::FetchPagesOptions fo;
  fo.shape = net::JsonShape::object;
  fo.items = "issues";
  fo.max_pages = kMaxListingPages;
  auto read = net::fetch_pages(
      transport_, first, *strategy,
      [&](const net::Page& page) -> Status {
        ++last_listing_.pages;
        const json* issues = json_member(page.json, "issues");
        if (issues == nullptr || !issues->is_array())
          return prefixed(ctx,
                          remote_error("the page has no `issues` array: " + jira_said(page.body)));
        for (std::size_t i = 0; i < issues->size(); ++i) {
          std::string why;
          auto item = parse_issue((*issues)[i], pc, why);
          if (!item) {
            ++last_listing_.malformed;
            spdlog::warn("{}", redacted(describe() + ": skipped item " + std::to_string(i) +
                                        " of a listing page: " + why));
            continue;
          }
          if (std::find(seen.begin(), seen.end(), item->id) != seen.end()) continue;
          seen.push_back(item->id);
          items.push_back(std::move(*item));
        }
        return ok_status();
      },
      fo);
  if (!read.ok()) return prefixed(ctx, read.error(), false);
  if (read->refused) return error_from(ctx, read->refused->response);
  if (cloud()) {
    if (Status st = probe_after_search(items, seen); !st) return st.error();
  }
  std::vector<RemoteItem> managed;
  for (auto& item : items) {
    if (item.marker.key.empty() || !has_label(item.labels, options_.managed_label)) {
      ++last_listing_.unmarked;
      continue;
    }
    if (item.marker.kind == ItemKind::story) item.parent = ParentRef::none();
    managed.push_back(std::move(item));
  }
  spdlog::debug("{}: {} managed issue(s), {} page(s), {} lag probe(s) ({} found)", describe(),
                managed.size(), last_listing_.pages, last_listing_.lag_probes,
                last_listing_.found_by_probe);
  return managed;
}

// Jira Cloud's search index lags behind writes (API-NOTES-2026 §2.1): an issue created a
// moment ago (by a run that then crashed, or whose answer was lost) may not be listed yet.
// Issue keys of a project are given in order, and GET /issue reads the database: the issues
// after the newest key search knows are read one by one until the first 404.
Status JiraTracker::probe_after_search(std::vector<RemoteItem>& items,
                                       std::vector<std::string>& seen) {
  const Context ctx{"finding the newest issue", "POST", api("/search/jql"), true, {}};
  net::HttpRequest request;
  request.idempotent = true;
  request.body = json{
      {"jql", "project = \"" + options_.project + "\" ORDER BY key DESC"},
      {"fields", json::array({"created"})},
      {"maxResults",
       1}}.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (!response->is_success()) return error_from(ctx, *response);
  long newest = 0;
  const json j = json::parse(response->body, nullptr, false);
  if (const json* issues = json_member(j, "issues"); issues && issues->is_array())
    for (const json& i : *issues)
      newest = std::max(newest, key_number(text_of(i, "key"), options_.project));
  for (const auto& item : items)
    newest = std::max(newest, key_number(item.number, options_.project));
  const ParseContext pc{options_, codec_, cloud()};
  for (int probe = 0; probe < kMaxLagProbes; ++probe) {
    const std::string key = options_.project + "-" + std::to_string(newest + 1 + probe);
    const Context get{
        "reading " + key + " (created after the newest issue search shows)", "GET",
        api("/issue/" + key + "?" +
            net::build_query({{"fields", fields_param()}, {"properties", options_.property_key}})),
        false, key};
    auto r = send(get, net::HttpRequest{});
    if (!r.ok()) return r.error();
    ++last_listing_.lag_probes;
    if (r->status == 404) return ok_status();
    if (r->status != 200) return error_from(get, *r);
    std::string why;
    const json issue = json::parse(r->body, nullptr, false);
    auto item = parse_issue(issue, pc, why);
    if (!item) return prefixed(get, remote_error("an unexpected answer: " + why));
    if (std::find(seen.begin(), seen.end(), item->id) != seen.end()) continue;
    seen.push_back(item->id);
    if (!item->marker.key.empty() && has_label(item->labels, options_.managed_label))
      ++last_listing_.found_by_probe;
    items.push_back(std::move(*item));
  }
  spdlog::warn("{}", redacted(describe() + ": more than " + std::to_string(kMaxLagProbes) +
                              " issues are newer than what search shows; the rest are left "
                              "to the next sync"));
  return ok_status();
}

// ---- create ----

Result<RemoteItem> JiraTracker::create(const ItemSpec& spec) {
  auto out = create_batch({spec});
  return std::move(out.front());
}

std::vector<Result<RemoteItem>> JiraTracker::create_batch(const std::vector<ItemSpec>& specs) {
  std::vector<Result<RemoteItem>> out;
  out.reserve(specs.size());
  std::vector<const ItemSpec*> chunk;
  std::optional<Error> stop;
  const auto flush = [&] {
    if (chunk.empty()) return;
    if (stop) {
      for (std::size_t i = 0; i < chunk.size(); ++i) out.emplace_back(*stop);
    } else {
      auto created = create_chunk(chunk);
      for (auto& c : created) {
        if (!c && c.error().stops_run() && !stop) stop = c.error();
        out.push_back(std::move(c));
      }
    }
    chunk.clear();
  };
  for (const ItemSpec& spec : specs) {
    chunk.push_back(&spec);
    if (chunk.size() == kMaxBulkCreate) flush();
  }
  flush();
  return out;
}

std::vector<Result<RemoteItem>> JiraTracker::create_chunk(
    const std::vector<const ItemSpec*>& specs) {
  Context ctx{"creating " + std::to_string(specs.size()) + " issue(s)",
              "POST",
              api("/issue/bulk"),
              true,
              {}};
  const auto all_fail = [&](const Error& e) {
    return std::vector<Result<RemoteItem>>(specs.size(), Result<RemoteItem>(e));
  };
  if (Status st = preflight(); !st) return all_fail(st.error());
  if (Status st = check_can_write(ctx); !st) return all_fail(st.error());
  std::vector<std::optional<Error>> refused(specs.size());
  json updates = json::array();
  std::vector<std::size_t> sent;  // index in specs of each element of the call
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const ItemSpec& spec = *specs[i];
    const bool measure = spec.marker.kind == ItemKind::measure;
    const IssueType& type = measure && spec.parent ? subtask_type_ : story_type_;
    if (!has_label(spec.labels, options_.managed_label) || spec.marker.key.empty()) {
      refused[i] = Error{ErrorKind::internal,
                         "refusing to create an issue without the '" + options_.managed_label +
                             "' label and property: risksync could never find it again",
                         {},
                         {}};
      continue;
    }
    json fields = {{"project", {{"key", options_.project}}},
                   {"summary", spec.title},
                   {"issuetype", {{"id", type.id}}},
                   {"labels", spec.labels}};
    if (!spec.body.empty()) {
      if (cloud()) {
        json doc = json::parse(spec.body, nullptr, false);
        if (!doc.is_object()) {
          refused[i] = Error{ErrorKind::internal, "the body codec gave no ADF document", {}, {}};
          continue;
        }
        fields["description"] = std::move(doc);
      } else {
        fields["description"] = spec.body;
      }
    }
    if (measure && spec.parent) fields["parent"] = {{"key", spec.parent->number}};
    if (const auto statics = options_.static_fields.find(type.name);
        statics != options_.static_fields.end())
      for (const auto& [id, value] : statics->second) {
        json v = json::parse(value, nullptr, false);
        fields[id] = v.is_discarded() ? json(value) : v;
      }
    updates.push_back(
        {{"fields", fields},
         {"properties",
          json::array({{{"key", options_.property_key},
                        {"value", json::parse(marker_property_json(spec.marker))}}})}});
    sent.push_back(i);
  }
  std::vector<Result<RemoteItem>> out;
  if (sent.empty()) {
    for (auto& r : refused) out.emplace_back(*r);
    return out;
  }
  ctx.action = "creating " + std::to_string(sent.size()) + " issue(s)";
  net::HttpRequest request;
  request.body = json{{"issueUpdates", updates}}.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return all_fail(response.error());
  const json j = json::parse(response->body, nullptr, false);
  const json* issues = json_member(j, "issues");
  const json* errors = json_member(j, "errors");
  const bool readable = (issues && issues->is_array()) || (errors && errors->is_array());
  if (!response->is_success() &&
      (!readable || response->status == 401 || response->status == 403 || response->status >= 429))
    return all_fail(error_from(ctx, *response));
  if (!readable)
    return all_fail(prefixed(ctx, remote_error("Jira answered " + std::to_string(response->status) +
                                               " without `issues`: " + jira_said(response->body))));
  std::map<std::size_t, Error> failed;  // element number -> error
  if (errors && errors->is_array()) {
    for (const json& e : *errors) {
      const auto n = net::json_positive_integer(json_member(e, "failedElementNumber"));
      const json* element = json_member(e, "elementErrors");
      const std::size_t element_number = n ? static_cast<std::size_t>(*n)
                                           : (json_member(e, "failedElementNumber") &&
                                                      (*json_member(e, "failedElementNumber")) == 0
                                                  ? 0
                                                  : sent.size());
      if (element_number >= sent.size()) continue;
      const ItemSpec& spec = *specs[sent[element_number]];
      const IssueType& type =
          spec.marker.kind == ItemKind::measure && spec.parent ? subtask_type_ : story_type_;
      std::string message = "Jira refused '" + net::shorten_for_message(spec.title, 60) + "' (" +
                            (element ? element_message(*element) : std::string("no details")) + ")";
      Error err = remote_error("");
      std::string unknown;
      for (const auto& field : element ? error_fields(*element) : std::vector<std::string>{})
        if (field != "summary" && field != "description" && field != "labels" &&
            field != "parent" && field != "issuetype" && field != "project")
          unknown += (unknown.empty() ? "" : ", ") + field;
      if (!unknown.empty()) {
        message += ": set " + unknown + " in [tracker.fields." + type.name + "]";
        err.field = "tracker.fields." + type.name;
      }
      err.message = message;
      failed.emplace(element_number, prefixed(ctx, err));
    }
  }
  std::size_t next_issue = 0;
  std::vector<std::optional<Result<RemoteItem>>> results(specs.size());
  for (std::size_t k = 0; k < sent.size(); ++k) {
    const std::size_t i = sent[k];
    if (const auto f = failed.find(k); f != failed.end()) {
      results[i] = Result<RemoteItem>(f->second);
      continue;
    }
    const json* created = issues && issues->is_array() && next_issue < issues->size()
                              ? &(*issues)[next_issue]
                              : nullptr;
    ++next_issue;
    if (created == nullptr || text_of(*created, "key").empty()) {
      results[i] = Result<RemoteItem>(prefixed(
          ctx, remote_error("Jira's answer names no issue for '" +
                            net::shorten_for_message(specs[i]->title, 60) +
                            "': the next sync finds it by its property if it was created")));
      continue;
    }
    const ItemSpec& spec = *specs[i];
    RemoteItem item;
    item.id = text_of(*created, "id");
    item.number = text_of(*created, "key");
    item.url = options_.site_url + "/browse/" + item.number;
    item.title = spec.title;
    item.body = spec.body;
    item.labels = spec.labels;
    item.marker = spec.marker;
    item.state = RemoteState::open;
    item.parent = spec.marker.kind == ItemKind::measure && spec.parent
                      ? ParentRef::of(spec.parent->id)
                      : ParentRef::none();
    item.shown_block = codec_.read(item.body).content;
    results[i] = Result<RemoteItem>(std::move(item));
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (refused[i])
      out.emplace_back(*refused[i]);
    else
      out.push_back(std::move(*results[i]));
  }
  return out;
}

// ---- update ----

Status JiraTracker::set_property(const RemoteItem& item, const Marker& marker) {
  const Context ctx{"storing the risksync property of " + item.number, "PUT",
                    api("/issue/" + net::encode_path_segment(item.number) + "/properties/" +
                        net::encode_path_segment(options_.property_key)),
                    false, item.number};
  net::HttpRequest request;
  request.body = marker_property_json(marker);
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (!response->is_success()) return error_from(ctx, *response);
  return ok_status();
}

Status JiraTracker::comment(const RemoteItem& item, const std::string& text) {
  const Context ctx{"commenting on " + item.number, "POST",
                    api("/issue/" + net::encode_path_segment(item.number) + "/comment"), false,
                    item.number};
  net::HttpRequest request;
  request.body =
      cloud() ? json{{"body", adf_text_document(text)}}.dump() : json{{"body", text}}.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (!response->is_success()) return error_from(ctx, *response);
  return ok_status();
}

Status JiraTracker::transition(RemoteItem& item, const ItemChange& change) {
  const bool close = change.state == ItemChange::State::close;
  const std::string path = api("/issue/" + net::encode_path_segment(item.number) + "/transitions");
  const Context list_ctx{"reading the transitions of " + item.number, "GET",
                         path + "?expand=transitions.fields", false, item.number};
  auto listed = send(list_ctx, net::HttpRequest{});
  if (!listed.ok()) return listed.error();
  if (listed->status != 200) return error_from(list_ctx, *listed);
  const json j = json::parse(listed->body, nullptr, false);
  const json* transitions = json_member(j, "transitions");
  if (transitions == nullptr || !transitions->is_array())
    return prefixed(list_ctx,
                    remote_error("no `transitions` in the answer: " + jira_said(listed->body)));
  const std::string wanted = close ? "done" : "new";
  const json* chosen = nullptr;
  std::string offered;
  for (const json& t : *transitions) {
    const json* to = json_member(t, "to");
    const json* category = to ? json_member(*to, "statusCategory") : nullptr;
    const std::string key = category ? text_of(*category, "key") : "";
    offered += (offered.empty() ? "" : ", ") + text_of(t, "name") + " → " +
               (to ? text_of(*to, "name") : std::string("?")) + " (" + key + ")";
    if (key == wanted && chosen == nullptr) chosen = &t;
  }
  if (chosen == nullptr)
    return prefixed(list_ctx,
                    remote_error("no transition leads to a status of category '" + wanted +
                                 "' from here; offered: " + (offered.empty() ? "none" : offered) +
                                 ": change the issue's status by hand"));
  json post = {{"transition", {{"id", text_of(*chosen, "id")}}}};
  std::string resolution_sent;
  const json* fields = json_member(*chosen, "fields");
  const json* resolution = fields ? json_member(*fields, "resolution") : nullptr;
  if (close && resolution != nullptr) {
    std::vector<std::string> allowed;
    if (const json* values = json_member(*resolution, "allowedValues");
        values && values->is_array())
      for (const json& v : *values) allowed.push_back(text_of(v, "name"));
    const bool dropped = change.close_reason == CloseReason::not_planned;
    const auto is_drop = [&](const std::string& name) {
      return std::any_of(options_.drop_resolutions.begin(), options_.drop_resolutions.end(),
                         [&](const std::string& d) { return same_name(d, name); });
    };
    if (dropped) {  // the first configured drop resolution the screen offers
      for (const auto& d : options_.drop_resolutions) {
        const auto it = std::find_if(allowed.begin(), allowed.end(),
                                     [&](const std::string& a) { return same_name(a, d); });
        if (it != allowed.end()) {
          resolution_sent = *it;
          break;
        }
      }
    } else {  // the first resolution offered that is not a drop one ("Done", "Fixed"…)
      for (const auto& name : allowed)
        if (!name.empty() && !is_drop(name)) {
          resolution_sent = name;
          break;
        }
    }
    if (!resolution_sent.empty()) post["fields"] = {{"resolution", {{"name", resolution_sent}}}};
  }
  const Context ctx{std::string(close ? "closing " : "reopening ") + item.number + " (" +
                        text_of(*chosen, "name") + ")",
                    "POST", path, false, item.number};
  net::HttpRequest request;
  request.body = post.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (!response->is_success()) return error_from(ctx, *response);
  if (!close) {
    item.state = RemoteState::open;
  } else {
    item.state = has_label(item.labels, kRetiredLabel) ? RemoteState::closed_not_planned
                                                       : RemoteState::closed_completed;
    for (const auto& d : options_.drop_resolutions)
      if (!resolution_sent.empty() && same_name(d, resolution_sent))
        item.state = same_name(d, "Duplicate") ? RemoteState::closed_duplicate
                                               : RemoteState::closed_not_planned;
  }
  return ok_status();
}

Result<RemoteItem> JiraTracker::update(const RemoteItem& current, const ItemChange& change) {
  Context ctx{"updating " + current.number, "PUT",
              api("/issue/" + net::encode_path_segment(current.number)), false, current.number};
  if (Status st = preflight(); !st) return st.error();
  RemoteItem item = current;
  json fields = json::object();
  if (change.title && *change.title != current.title) fields["summary"] = *change.title;
  if (change.body && *change.body != current.body) {
    if (cloud()) {
      json doc = json::parse(*change.body, nullptr, false);
      if (!doc.is_object())
        return prefixed(ctx,
                        Error{ErrorKind::internal, "the body codec gave no ADF document", {}, {}});
      fields["description"] = std::move(doc);
    } else {
      fields["description"] = *change.body;
    }
  }
  json labels = json::array();
  std::vector<std::string> new_labels = current.labels;
  for (const auto& l : change.add_labels)
    if (!has_label(new_labels, l)) {
      labels.push_back({{"add", l}});
      new_labels.push_back(l);
    }
  for (const auto& l : change.remove_labels) {
    if (same_name(l, options_.managed_label))
      return prefixed(ctx, Error{ErrorKind::internal,
                                 "refusing to remove the '" + options_.managed_label +
                                     "' label: risksync could never find the issue again",
                                 {},
                                 {}});
    if (has_label(new_labels, l)) {
      labels.push_back({{"remove", l}});
      std::erase_if(new_labels, [&](const std::string& x) { return same_name(x, l); });
    }
  }
  const bool state_change =
      (change.state == ItemChange::State::close && !is_closed(current.state)) ||
      (change.state == ItemChange::State::reopen && is_closed(current.state));
  const bool marker_change = change.marker.has_value();
  if (fields.empty() && labels.empty() && !state_change && !marker_change) return current;
  if (Status st = check_can_write(ctx); !st) return st.error();
  if (!fields.empty() || !labels.empty()) {
    json put = json::object();
    if (!fields.empty()) put["fields"] = fields;
    if (!labels.empty()) put["update"] = {{"labels", labels}};
    std::string what;
    for (const auto& [name, v] : fields.items()) what += (what.empty() ? "" : ", ") + name;
    if (!labels.empty()) what += (what.empty() ? "" : ", ") + std::string("labels");
    ctx.action += " (" + what + ")";
    net::HttpRequest request;
    request.body = put.dump();
    auto response = send(ctx, std::move(request));
    if (!response.ok()) return response.error();
    if (!response->is_success()) return error_from(ctx, *response);
    if (change.title) item.title = *change.title;
    if (change.body) {
      item.body = *change.body;
      item.shown_block = codec_.read(item.body).content;
    }
    item.labels = new_labels;
  }
  if (marker_change) {
    if (Status st = set_property(item, *change.marker); !st) return st.error();
    item.marker = *change.marker;
  }
  if (state_change) {
    if (Status st = transition(item, change); !st) return st.error();
    if (!change.comment.empty()) {
      if (Status st = comment(item, change.comment); !st) {
        Error e = st.error();
        e.message = current.number + " was updated, but its comment was not added: " + e.message;
        return e;
      }
    }
  }
  return item;
}

// ---- parents and links ----

Status JiraTracker::link_parent(const RemoteItem& child, const RemoteItem& parent) {
  Context ctx{"making " + child.number + " a sub-task of " + parent.number, "PUT",
              api("/issue/" + net::encode_path_segment(child.number)), false, child.number};
  if (Status st = preflight(); !st) return st;
  if (Status st = check_can_write(ctx); !st) return st;
  net::HttpRequest request;
  request.body = json{{"fields", {{"parent", {{"key", parent.number}}}}}}.dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->is_success()) return ok_status();
  if (response->status == 400 && !cloud())
    return prefixed(ctx, remote_error("Jira Data Center does not move a sub-task to another "
                                      "parent through its REST API (" +
                                      jira_said(response->body) + "): move " + child.number +
                                      " under " + parent.number + " by hand (More > Move)"));
  return error_from(ctx, *response);
}

Status JiraTracker::link_related(const RemoteItem& a, const RemoteItem& b) {
  const Context read_ctx{"reading the links of " + a.number, "GET",
                         api("/issue/" + net::encode_path_segment(a.number) + "?fields=issuelinks"),
                         false, a.number};
  if (Status st = preflight(); !st) return st;
  if (Status st = check_can_write(read_ctx); !st) return st;
  // Read before writing: Jira does not de-duplicate links.
  auto read = send(read_ctx, net::HttpRequest{});
  if (!read.ok()) return read.error();
  if (read->status != 200) return error_from(read_ctx, *read);
  const json j = json::parse(read->body, nullptr, false);
  const json* fields = json_member(j, "fields");
  const json* links = fields ? json_member(*fields, "issuelinks") : nullptr;
  if (links && links->is_array())
    for (const json& link : *links) {
      const json* type = json_member(link, "type");
      if (!type || !same_name(text_of(*type, "name"), options_.link_type)) continue;
      for (const char* side : {"inwardIssue", "outwardIssue"})
        if (const json* other = json_member(link, side);
            other && (text_of(*other, "id") == b.id || text_of(*other, "key") == b.number))
          return ok_status();
    }
  const Context ctx{"linking " + a.number + " to " + b.number + " (" + options_.link_type + ")",
                    "POST", api("/issueLink"), false, a.number};
  net::HttpRequest request;
  request.body = json{{"type", {{"name", options_.link_type}}},
                      {"inwardIssue", {{"key", a.number}}},
                      {"outwardIssue", {{"key", b.number}}}}
                     .dump();
  auto response = send(ctx, std::move(request));
  if (!response.ok()) return response.error();
  if (response->is_success()) return ok_status();
  if (response->status == 404)
    return prefixed(ctx, remote_error("Jira answered 404 (" + jira_said(response->body) +
                                      "): is '" + options_.link_type +
                                      "' an issue link type of this site (tracker.link_type)?"));
  return error_from(ctx, *response);
}

}  // namespace risksync::jira
