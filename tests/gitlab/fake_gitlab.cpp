#include "gitlab/fake_gitlab.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <utility>

#include "net/http.h"
#include "util/hash.h"

namespace risksync::testing {
namespace {

using nlohmann::json;

std::string timestamp(int tick) {
  const std::time_t t = 1767225600 + tick;  // 2026-01-01T00:00:00Z
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::string> split_labels(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = s.find(',', start);
    std::string part(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    while (!part.empty() && part.back() == ' ') part.pop_back();
    if (!part.empty()) out.push_back(part);
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool has(const std::vector<std::string>& labels, std::string_view l) {
  return std::any_of(labels.begin(), labels.end(),
                     [&](const std::string& x) { return lower(x) == lower(l); });
}

FakeResponse json_response(int status, const json& body) {
  return FakeResponse::json(status, body.dump());
}

FakeResponse gitlab_error(int status, const std::string& message) {
  return json_response(status, json{{"message", message}});
}

std::string usual_message(int status) {
  switch (status) {
    case 400:
      return "400 Bad request";
    case 401:
      return "401 Unauthorized";
    case 403:
      return "403 Forbidden";
    case 404:
      return "404 Not Found";
    case 409:
      return "409 Conflict";
    case 422:
      return "422 Unprocessable Entity";
    case 500:
      return "500 Internal Server Error";
    case 502:
      return "502 Bad Gateway";
    case 503:
      return "503 Service Unavailable";
    default:
      return std::to_string(status);
  }
}

std::optional<long long> to_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// A request parameter from the JSON body, else the query string.
std::string param(const RecordedRequest& rq, const json& body, const char* name) {
  if (body.is_object() && body.contains(name)) {
    const json& v = body[name];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_array()) {
      std::string out;
      for (const json& e : v)
        if (e.is_string()) out += (out.empty() ? "" : ",") + e.get<std::string>();
      return out;
    }
  }
  return rq.param(name);
}

bool has_param(const RecordedRequest& rq, const json& body, const char* name) {
  return (body.is_object() && body.contains(name)) ||
         rq.query.find(std::string(name) + "=") != std::string::npos;
}

std::string gid(std::int64_t id) {
  return "gid://gitlab/WorkItem/" + std::to_string(id);
}

}  // namespace

FakeGitLab::FakeGitLab(std::string project_path, std::string token)
    : project_path_(std::move(project_path)), token_(std::move(token)) {
  server_ = std::make_unique<FakeHttpServer>();
  server_->on("*", ".*", [this](const RecordedRequest& r) { return handle(r); });
}

FakeGitLab::~FakeGitLab() {
  server_.reset();
}

bool FakeGitLab::ok() const {
  return server_ && server_->ok();
}
std::string FakeGitLab::base_url() const {
  return server_->base_url() + "/api/v4";
}
std::string FakeGitLab::graphql_url() const {
  return server_->base_url() + "/api/graphql";
}

FakeGitLabIssue* FakeGitLab::find(int iid) {
  for (auto& i : issues_)
    if (i.iid == iid && !i.deleted) return &i;
  return nullptr;
}

FakeGitLabIssue* FakeGitLab::find_by_id(std::int64_t id) {
  for (auto& i : issues_)
    if (i.id == id && !i.deleted) return &i;
  return nullptr;
}

void FakeGitLab::touch(FakeGitLabIssue& issue) {
  issue.updated_tick = ++clock_;
}

// ---- state ----

int FakeGitLab::add_issue(std::string title, std::string description,
                          std::vector<std::string> labels, std::string issue_type) {
  std::lock_guard<std::mutex> lock(mutex_);
  FakeGitLabIssue i;
  i.iid = static_cast<int>(issues_.size()) + 1;
  i.id = i.iid + kIdOffset;
  i.title = std::move(title);
  i.description = std::move(description);
  i.labels = std::move(labels);
  i.issue_type = std::move(issue_type);
  i.created_tick = ++clock_;
  i.updated_tick = i.created_tick;
  for (const auto& l : i.labels)
    if (!has(labels_, l)) labels_.push_back(l);
  issues_.push_back(std::move(i));
  return issues_.back().iid;
}

void FakeGitLab::close_issue(int iid, const std::string& with_label) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeGitLabIssue* i = find(iid)) {
    i->state = "closed";
    if (!with_label.empty() && !has(i->labels, with_label)) i->labels.push_back(with_label);
    touch(*i);
  }
}

void FakeGitLab::reopen_issue(int iid) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeGitLabIssue* i = find(iid)) {
    i->state = "opened";
    touch(*i);
  }
}

void FakeGitLab::add_label(int iid, const std::string& label) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeGitLabIssue* i = find(iid); i && !has(i->labels, label)) {
    i->labels.push_back(label);
    touch(*i);
  }
}

void FakeGitLab::remove_label(int iid, const std::string& label) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeGitLabIssue* i = find(iid)) {
    std::erase_if(i->labels, [&](const std::string& l) { return lower(l) == lower(label); });
    touch(*i);
  }
}

void FakeGitLab::assign(int iid, const std::string& username) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeGitLabIssue* i = find(iid)) {
    i->assignees.push_back(username);
    touch(*i);
  }
}

void FakeGitLab::edit_description(int iid, std::string description) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeGitLabIssue* i = find(iid)) {
    i->description = std::move(description);
    touch(*i);
  }
}

void FakeGitLab::set_parent(int child, int parent) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeGitLabIssue* i = find(child)) {
    i->parent = parent;
    touch(*i);
  }
}

void FakeGitLab::delete_issue(int iid) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeGitLabIssue* i = find(iid)) i->deleted = true;
}

std::optional<FakeGitLabIssue> FakeGitLab::issue(int iid) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& i : issues_)
    if (i.iid == iid && !i.deleted) return i;
  return std::nullopt;
}

std::vector<FakeGitLabIssue> FakeGitLab::issues() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<FakeGitLabIssue> out;
  for (const auto& i : issues_)
    if (!i.deleted) out.push_back(i);
  return out;
}

std::vector<std::string> FakeGitLab::label_names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return labels_;
}

void FakeGitLab::set_access_level(int level) {
  std::lock_guard<std::mutex> lock(mutex_);
  access_level_ = level;
}
void FakeGitLab::set_issues_enabled(bool enabled) {
  std::lock_guard<std::mutex> lock(mutex_);
  issues_enabled_ = enabled;
}
void FakeGitLab::set_wiki_enabled(bool enabled) {
  std::lock_guard<std::mutex> lock(mutex_);
  wiki_enabled_ = enabled;
}

std::string FakeGitLab::wiki_slug(std::string_view title) {
  std::string slug(title);
  for (char& c : slug)
    if (c == ' ') c = '-';
  return slug;
}

void FakeGitLab::set_wiki_page(const std::string& title, std::string content) {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string slug = wiki_slug(title);
  for (auto& p : wiki_pages_) {
    if (p.slug == slug) {
      p.content = std::move(content);
      return;
    }
  }
  wiki_pages_.push_back(FakeGitLabWikiPage{slug, title, std::move(content), "markdown"});
}

void FakeGitLab::delete_wiki_upload(const std::string& file_path) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& u : uploads_)
    if (u.file_path == file_path) u.deleted = true;
}

std::optional<FakeGitLabWikiPage> FakeGitLab::wiki_page(const std::string& slug) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& p : wiki_pages_)
    if (p.slug == slug) return p;
  return std::nullopt;
}

std::vector<FakeGitLabUpload> FakeGitLab::wiki_uploads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<FakeGitLabUpload> out;
  for (const auto& u : uploads_)
    if (!u.deleted) out.push_back(u);
  return out;
}

void FakeGitLab::set_graphql(GraphQl mode) {
  std::lock_guard<std::mutex> lock(mutex_);
  graphql_ = mode;
}
void FakeGitLab::set_tasks_hidden(bool hidden) {
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_hidden_ = hidden;
  version_ = hidden ? "16.5.0" : "18.6.0-ee";
}
void FakeGitLab::set_version(std::string version) {
  std::lock_guard<std::mutex> lock(mutex_);
  version_ = std::move(version);
}

// ---- faults and log ----

void FakeGitLab::respond_next(std::string method, std::string path_regex, FakeResponse response,
                              int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.add(std::move(method), path_regex, std::move(response), {}, times);
}

void FakeGitLab::fail_next(std::string method, std::string path_regex, int status, int times,
                           std::string message) {
  respond_next(std::move(method), std::move(path_regex),
               gitlab_error(status, message.empty() ? usual_message(status) : message), times);
}

void FakeGitLab::too_many_requests_next(std::string method, std::string path_regex,
                                        int retry_after_s, int times) {
  FakeResponse r;
  r.status = 429;
  r.body = "Retry later\n";
  r.content_type = "text/plain";
  if (retry_after_s >= 0) r.with_header("Retry-After", std::to_string(retry_after_s));
  respond_next(std::move(method), std::move(path_regex), std::move(r), times);
}

void FakeGitLab::delay_next(std::string method, std::string path_regex,
                            std::chrono::milliseconds delay, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.add(std::move(method), path_regex, std::nullopt, delay, times);
}

void FakeGitLab::hang_next(std::string method, std::string path_regex, int times) {
  delay_next(std::move(method), std::move(path_regex), std::chrono::seconds(10), times);
}

void FakeGitLab::clear_faults() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
}

std::vector<FakeGitLabExchange> FakeGitLab::exchanges() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

std::size_t FakeGitLab::count(const std::string& method, const std::string& path_regex) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::regex re(path_regex);
  std::size_t n = 0;
  for (const auto& e : log_) {
    std::string path = e.request.path;
    if (path.rfind("/api/v4", 0) == 0)
      path = path.substr(7);
    else if (path == "/api/graphql")
      path = "/graphql";
    n += method_matches(method, e.request.method) && std::regex_match(path, re);
  }
  return n;
}

void FakeGitLab::clear_log() {
  std::lock_guard<std::mutex> lock(mutex_);
  log_.clear();
}

// ---- the API ----

FakeResponse FakeGitLab::handle(const RecordedRequest& rq) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto finish = [&](FakeResponse r) {
    log_.push_back(FakeGitLabExchange{rq, r.status});
    return r;
  };
  std::string path;
  if (rq.path == "/api/graphql") {
    path = "/graphql";
  } else if (rq.path.rfind("/api/v4/", 0) == 0) {
    path = rq.path.substr(7);
  } else {
    return finish(gitlab_error(404, "404 Not Found"));
  }

  std::chrono::milliseconds delay{0};
  if (auto fired = faults_.take(rq.method, path)) {
    if (fired->response) return finish(*fired->response);
    delay = fired->delay;
  }
  if (rq.header("PRIVATE-TOKEN") != token_) return finish(gitlab_error(401, "401 Unauthorized"));

  FakeResponse out;
  if (path == "/graphql") {
    out = rq.method == "POST" ? handle_graphql(rq) : gitlab_error(405, "405 Method Not Allowed");
    out.delay = delay;
    return finish(out);
  }

  if (path == "/version" && rq.method == "GET") {
    out = version_.empty() ? gitlab_error(404, "404 Not Found")
                           : json_response(200, json{{"version", version_}, {"revision", "f00"}});
    out.delay = delay;
    return finish(out);
  }
  const std::string web = "https://gitlab.example/" + project_path_;
  const std::string api = "http://" + rq.header("Host") + "/api/v4";
  const json body = rq.body.empty() ? json::object() : json::parse(rq.body, nullptr, false);

  // /projects/<id>[/rest]
  static const std::regex project_re("^/projects/([^/]+)(/.*)?$");
  std::smatch m;
  if (!std::regex_match(path, m, project_re)) return finish(gitlab_error(404, "404 Not Found"));
  const std::string id = m[1].str();
  const std::string rest = m[2].str();
  if (id != net::encode_path_segment(project_path_) && id != std::to_string(kProjectId))
    return finish(gitlab_error(404, "404 Project Not Found"));
  const std::string project_api = api + "/projects/" + id;

  const auto issue_json = [&](const FakeGitLabIssue& i) {
    json assignees = json::array();
    for (const auto& u : i.assignees) assignees.push_back({{"username", u}, {"id", 77}});
    return json{
        {"id", i.id},
        {"iid", i.iid},
        {"project_id", kProjectId},
        {"title", i.title},
        {"description", i.description.empty() ? json(nullptr) : json(i.description)},
        {"state", i.state},
        {"created_at", timestamp(i.created_tick)},
        {"updated_at", timestamp(i.updated_tick)},
        {"closed_at", i.state == "closed" ? json(timestamp(i.updated_tick)) : json(nullptr)},
        {"labels", i.labels},
        {"assignees", assignees},
        {"assignee", assignees.empty() ? json(nullptr) : assignees.front()},
        {"issue_type", i.issue_type},
        {"type", i.issue_type == "task" ? "TASK" : "ISSUE"},
        {"web_url", web + "/-/" + (i.issue_type == "task" ? "work_items/" : "issues/") +
                        std::to_string(i.iid)},
        {"references", {{"short", "#" + std::to_string(i.iid)}}},
        {"_links",
         {{"self", project_api + "/issues/" + std::to_string(i.iid)},
          {"closed_as_duplicate_of", nullptr}}}};
  };

  if (rest.empty() && rq.method == "GET") {
    json permissions = {{"project_access", nullptr}, {"group_access", nullptr}};
    if (access_level_ >= 0)
      permissions["project_access"] = {{"access_level", access_level_}, {"notification_level", 3}};
    out = json_response(200, json{{"id", kProjectId},
                                  {"path_with_namespace", project_path_},
                                  {"web_url", web},
                                  {"issues_enabled", issues_enabled_},
                                  {"wiki_enabled", wiki_enabled_},
                                  {"wiki_access_level", wiki_enabled_ ? "enabled" : "disabled"},
                                  {"permissions", permissions}});
    out.delay = delay;
    return finish(out);
  }
  if (rest == "/wikis" || rest.rfind("/wikis/", 0) == 0) {
    out = handle_wiki(rq, rest);
    out.delay = delay;
    return finish(out);
  }
  if (!issues_enabled_ && rest.rfind("/issues", 0) == 0)
    return finish(gitlab_error(403, "403 Forbidden"));

  // Offset pagination with GitLab's headers.
  const auto paginate = [&](const json& all) {
    long long per_page = to_int(rq.param("per_page")).value_or(20);
    if (per_page < 1) per_page = 20;
    if (per_page > 100) per_page = 100;
    long long page = to_int(rq.param("page")).value_or(1);
    if (page < 1) page = 1;
    const long long total = static_cast<long long>(all.size());
    const long long pages = std::max(1LL, (total + per_page - 1) / per_page);
    json slice = json::array();
    for (long long k = (page - 1) * per_page; k < std::min(total, page * per_page); ++k)
      slice.push_back(all[static_cast<std::size_t>(k)]);
    FakeResponse r = json_response(200, slice);
    const auto url_of = [&](long long p) {
      std::string q;
      bool replaced = false;
      std::size_t start = 0;
      const std::string& query = rq.query;
      while (start <= query.size() && !query.empty()) {
        const auto amp = query.find('&', start);
        std::string part = query.substr(start, amp == std::string::npos ? amp : amp - start);
        if (part.rfind("page=", 0) == 0) {
          part = "page=" + std::to_string(p);
          replaced = true;
        }
        if (!part.empty()) q += (q.empty() ? "" : "&") + part;
        if (amp == std::string::npos) break;
        start = amp + 1;
      }
      if (!replaced) q += (q.empty() ? "" : "&") + std::string("page=") + std::to_string(p);
      return api + rq.path.substr(7) + "?" + q;
    };
    std::string link;
    if (page > 1) link += "<" + url_of(page - 1) + ">; rel=\"prev\", ";
    if (page < pages) link += "<" + url_of(page + 1) + ">; rel=\"next\", ";
    link += "<" + url_of(1) + ">; rel=\"first\", <" + url_of(pages) + ">; rel=\"last\"";
    r.with_header("Link", link);
    r.with_header("x-page", std::to_string(page));
    r.with_header("x-per-page", std::to_string(per_page));
    r.with_header("x-next-page", page < pages ? std::to_string(page + 1) : "");
    r.with_header("x-prev-page", page > 1 ? std::to_string(page - 1) : "");
    r.with_header("x-total", std::to_string(total));
    r.with_header("x-total-pages", std::to_string(pages));
    return r;
  };

  static const std::regex issue_re("^/issues/([0-9]+)(/.*)?$");
  std::smatch im;
  if (rest == "/issues" && rq.method == "GET") {
    const auto wanted = split_labels(rq.param("labels"));
    std::string state = rq.param("state");
    if (state.empty()) state = "all";
    if (state != "all" && state != "opened" && state != "closed")
      return finish(gitlab_error(400, "state does not have a valid value"));
    const std::string after = rq.param("updated_after");
    const std::string type = rq.param("issue_type");
    const bool by_updated = rq.param("order_by") == "updated_at";
    const bool asc = rq.param("sort") == "asc";
    std::vector<const FakeGitLabIssue*> chosen;
    for (const auto& i : issues_) {
      if (i.deleted) continue;
      if (tasks_hidden_ && i.issue_type == "task") continue;
      if (!type.empty() && i.issue_type != type) continue;
      if (state != "all" && i.state != state) continue;
      if (!after.empty() && timestamp(i.updated_tick) < after) continue;
      bool all_labels = true;
      for (const auto& w : wanted) all_labels = all_labels && has(i.labels, w);
      if (all_labels) chosen.push_back(&i);
    }
    std::stable_sort(chosen.begin(), chosen.end(), [&](const auto* a, const auto* b) {
      const int ka = by_updated ? a->updated_tick : a->created_tick;
      const int kb = by_updated ? b->updated_tick : b->created_tick;
      return asc ? ka < kb : ka > kb;
    });
    json all = json::array();
    for (const auto* i : chosen) all.push_back(issue_json(*i));
    out = paginate(all);
  } else if (rest == "/issues" && rq.method == "POST") {
    const std::string title = param(rq, body, "title");
    if (title.empty()) return finish(json_response(400, json{{"error", "title is missing"}}));
    FakeGitLabIssue i;
    i.iid = static_cast<int>(issues_.size()) + 1;
    i.id = i.iid + kIdOffset;
    i.title = title;
    i.description = param(rq, body, "description");
    i.labels = split_labels(param(rq, body, "labels"));
    const std::string type = param(rq, body, "issue_type");
    if (!type.empty() && type != "issue" && type != "task" && type != "incident")
      return finish(json_response(400, json{{"error", "issue_type does not have a valid value"}}));
    i.issue_type = type.empty() ? "issue" : type;
    i.created_tick = ++clock_;
    i.updated_tick = i.created_tick;
    for (const auto& l : i.labels)
      if (!has(labels_, l)) labels_.push_back(l);
    issues_.push_back(i);
    out = json_response(201, issue_json(i));
  } else if (std::regex_match(rest, im, issue_re)) {
    FakeGitLabIssue* issue = find(std::stoi(im[1].str()));
    const std::string sub = im[2].str();
    if (issue == nullptr || (tasks_hidden_ && issue->issue_type == "task"))
      return finish(gitlab_error(404, "404 Not found"));
    if (sub.empty() && rq.method == "GET") {
      out = json_response(200, issue_json(*issue));
    } else if (sub.empty() && rq.method == "PUT") {
      bool any = false;
      if (has_param(rq, body, "title")) {
        issue->title = param(rq, body, "title");
        any = true;
      }
      if (has_param(rq, body, "description")) {
        issue->description = param(rq, body, "description");
        any = true;
      }
      if (has_param(rq, body, "labels")) {
        issue->labels = split_labels(param(rq, body, "labels"));
        any = true;
      }
      for (const auto& l : split_labels(param(rq, body, "add_labels"))) {
        if (!has(issue->labels, l)) issue->labels.push_back(l);
        if (!has(labels_, l)) labels_.push_back(l);
        any = true;
      }
      for (const auto& l : split_labels(param(rq, body, "remove_labels"))) {
        std::erase_if(issue->labels, [&](const std::string& x) { return lower(x) == lower(l); });
        any = true;
      }
      const std::string event = param(rq, body, "state_event");
      if (event == "close") {
        issue->state = "closed";
        any = true;
      } else if (event == "reopen") {
        issue->state = "opened";
        any = true;
      } else if (!event.empty()) {
        return finish(
            json_response(400, json{{"error", "state_event does not have a valid value"}}));
      }
      if (!any)
        return finish(json_response(
            400, json{{"error",
                       "assignee_id, assignee_ids, confidential, ... are missing, at least "
                       "one parameter must be provided"}}));
      touch(*issue);
      out = json_response(200, issue_json(*issue));
    } else if (sub == "/notes" && rq.method == "POST") {
      const std::string text = param(rq, body, "body");
      if (text.empty()) return finish(json_response(400, json{{"error", "body is missing"}}));
      issue->notes.push_back(text);
      touch(*issue);
      out = json_response(201, json{{"id", 9000 + issue->notes.size()}, {"body", text}});
    } else if (sub == "/links" && rq.method == "GET") {
      json arr = json::array();
      for (const int other : issue->links) {
        if (const FakeGitLabIssue* o = find(other)) {
          json j = issue_json(*o);
          j["issue_link_id"] = 100 + other;
          j["link_type"] = "relates_to";
          arr.push_back(j);
        }
      }
      out = json_response(200, arr);
    } else if (sub == "/links" && rq.method == "POST") {
      const std::string project = param(rq, body, "target_project_id");
      const auto target_iid = to_int(param(rq, body, "target_issue_iid"));
      if (project.empty() || !target_iid)
        return finish(json_response(400, json{{"error", "target_project_id is missing"}}));
      if (project != std::to_string(kProjectId) && project != project_path_)
        return finish(gitlab_error(404, "404 Project Not Found"));
      FakeGitLabIssue* target = find(static_cast<int>(*target_iid));
      if (target == nullptr) return finish(gitlab_error(404, "404 Not found"));
      const std::string type = param(rq, body, "link_type");
      if (!type.empty() && type != "relates_to")
        return finish(gitlab_error(403, "403 Forbidden"));  // blocks: a paid tier
      if (issue->links.contains(target->iid))
        return finish(gitlab_error(409, "Issue(s) already assigned"));
      issue->links.insert(target->iid);
      target->links.insert(issue->iid);
      touch(*issue);
      touch(*target);
      out = json_response(201, json{{"source_issue", issue_json(*issue)},
                                    {"target_issue", issue_json(*target)},
                                    {"link_type", "relates_to"}});
    } else {
      return finish(gitlab_error(404, "404 Not Found"));
    }
  } else if (rest == "/labels" && rq.method == "GET") {
    json all = json::array();
    for (std::size_t k = 0; k < labels_.size(); ++k)
      all.push_back({{"id", 700 + k}, {"name", labels_[k]}, {"color", "#cccccc"}});
    out = paginate(all);
  } else if (rest == "/labels" && rq.method == "POST") {
    const std::string name = param(rq, body, "name");
    const std::string color = param(rq, body, "color");
    if (name.empty() || color.empty())
      return finish(json_response(400, json{{"error", "name is missing, color is missing"}}));
    if (has(labels_, name)) return finish(gitlab_error(409, "Label already exists"));
    labels_.push_back(name);
    out = json_response(201, json{{"id", 700 + labels_.size()}, {"name", name}, {"color", color}});
  } else {
    return finish(gitlab_error(404, "404 Not Found"));
  }
  out.delay = delay;
  return finish(out);
}

namespace {

// The part named `field` of a multipart/form-data body: its file name and content.
std::optional<std::pair<std::string, std::string>> multipart_file(const RecordedRequest& rq,
                                                                  std::string_view field) {
  for (const auto& part : rq.form_parts)
    if (part.name == field) return std::make_pair(part.filename, part.content);
  const std::string type = rq.header("Content-Type");
  const auto at = type.find("boundary=");
  if (type.rfind("multipart/form-data", 0) != 0 || at == std::string::npos) return std::nullopt;
  std::string boundary = type.substr(at + 9);
  if (boundary.size() >= 2 && boundary.front() == '"')
    boundary = boundary.substr(1, boundary.size() - 2);
  const std::string delimiter = "--" + boundary;
  std::size_t pos = rq.body.find(delimiter);
  while (pos != std::string::npos) {
    const std::size_t headers_start = pos + delimiter.size() + 2;  // after CRLF
    const std::size_t headers_end = rq.body.find("\r\n\r\n", headers_start);
    if (headers_end == std::string::npos) return std::nullopt;
    const std::size_t next = rq.body.find("\r\n" + delimiter, headers_end);
    if (next == std::string::npos) return std::nullopt;
    const std::string headers = rq.body.substr(headers_start, headers_end - headers_start);
    if (headers.find("name=\"" + std::string(field) + "\"") != std::string::npos) {
      std::string file_name;
      const auto fn = headers.find("filename=\"");
      if (fn != std::string::npos) {
        const auto end = headers.find('"', fn + 10);
        file_name = headers.substr(fn + 10, end - fn - 10);
      }
      return std::make_pair(file_name, rq.body.substr(headers_end + 4, next - headers_end - 4));
    }
    pos = next + 2;
  }
  return std::nullopt;
}

}  // namespace

FakeResponse FakeGitLab::handle_wiki(const RecordedRequest& rq, const std::string& rest) {
  if (!wiki_enabled_) return gitlab_error(404, "404 Not Found");
  const json body = rq.body.empty() || rq.body.front() != '{'
                        ? json::object()
                        : json::parse(rq.body, nullptr, false);
  const auto page_json = [&](const FakeGitLabWikiPage& p, bool with_content) {
    json j = {{"format", p.format}, {"slug", p.slug}, {"title", p.title}, {"encoding", "UTF-8"}};
    if (with_content) j["content"] = p.content;
    return j;
  };
  const auto find_page = [&](const std::string& slug) -> FakeGitLabWikiPage* {
    for (auto& p : wiki_pages_)
      if (p.slug == slug) return &p;
    return nullptr;
  };
  if (rest == "/wikis") {
    if (rq.method == "GET") {
      json all = json::array();
      for (const auto& p : wiki_pages_)
        all.push_back(page_json(p, rq.param("with_content") == "1"));
      return json_response(200, all);
    }
    if (rq.method == "POST") {
      const std::string title = param(rq, body, "title");
      if (title.empty()) return json_response(400, json{{"error", "title is missing"}});
      if (!has_param(rq, body, "content"))
        return json_response(400, json{{"error", "content is missing"}});
      const std::string slug = wiki_slug(title);
      if (find_page(slug) != nullptr)
        return gitlab_error(400, "Duplicate page: A page with that title already exists");
      std::string format = param(rq, body, "format");
      wiki_pages_.push_back(FakeGitLabWikiPage{slug, title, param(rq, body, "content"),
                                               format.empty() ? "markdown" : format});
      return json_response(201, page_json(wiki_pages_.back(), true));
    }
    return gitlab_error(405, "405 Method Not Allowed");
  }
  if (rest == "/wikis/attachments") {
    if (rq.method != "POST") return gitlab_error(405, "405 Method Not Allowed");
    const auto file = multipart_file(rq, "file");
    if (!file) return json_response(400, json{{"error", "file is missing"}});
    // A new random-looking directory on every upload, as GitLab does.
    const std::string dir = fnv1a64_hex(std::to_string(uploads_.size()) + file->second) +
                            fnv1a64_hex(std::to_string(uploads_.size()));
    const std::string file_path = "uploads/" + dir + "/" + file->first;
    uploads_.push_back(FakeGitLabUpload{file_path, file->first, file->second, false});
    return json_response(
        201,
        json{{"file_name", file->first},
             {"file_path", file_path},
             {"branch", "main"},
             {"link",
              {{"url", file_path}, {"markdown", "![" + file->first + "](" + file_path + ")"}}}});
  }
  // /wikis/<slug, URL-encoded>
  const std::string slug = net::percent_decode(rest.substr(7));
  FakeGitLabWikiPage* page = find_page(slug);
  if (rq.method == "GET") {
    if (page == nullptr) return gitlab_error(404, "404 Wiki Page Not Found");
    return json_response(200, page_json(*page, true));
  }
  if (rq.method == "PUT") {
    if (page == nullptr) return gitlab_error(404, "404 Wiki Page Not Found");
    if (!has_param(rq, body, "content") && !has_param(rq, body, "title") &&
        !has_param(rq, body, "format"))
      return json_response(400, json{{"error",
                                      "content, title, format are missing, at least one "
                                      "parameter must be provided"}});
    if (has_param(rq, body, "content")) page->content = param(rq, body, "content");
    const std::string format = param(rq, body, "format");
    page->format = format.empty() ? "markdown" : format;  // PUT defaults format too
    return json_response(200, page_json(*page, true));
  }
  if (rq.method == "DELETE") {
    if (page == nullptr) return gitlab_error(404, "404 Wiki Page Not Found");
    wiki_pages_.erase(wiki_pages_.begin() + (page - wiki_pages_.data()));
    return FakeResponse{204, {}, "", "text/plain"};
  }
  return gitlab_error(405, "405 Method Not Allowed");
}

FakeResponse FakeGitLab::handle_graphql(const RecordedRequest& rq) {
  if (graphql_ == GraphQl::absent) return gitlab_error(404, "404 Not Found");
  const json request = json::parse(rq.body, nullptr, false);
  if (!request.is_object() || !request.contains("query") || !request["query"].is_string())
    return json_response(200, json{{"errors", {{{"message", "No query string was present"}}}}});
  const std::string query = request["query"].get<std::string>();
  const json vars = request.value("variables", json::object());
  if (query.find("workItemUpdate") != std::string::npos) {
    if (graphql_ == GraphQl::refuse_hierarchy)
      return json_response(200,
                           json{{"errors",
                                 {{{"message",
                                    "InputObject 'WorkItemUpdateInput' doesn't accept argument "
                                    "'hierarchyWidget'"}}}}});
    const auto id_of = [](const json& v) -> std::int64_t {
      if (!v.is_string()) return 0;
      const std::string s = v.get<std::string>();
      return to_int(s.substr(s.rfind('/') + 1)).value_or(0);
    };
    FakeGitLabIssue* child = find_by_id(id_of(vars.value("id", json())));
    FakeGitLabIssue* parent = find_by_id(id_of(vars.value("parent", json())));
    const auto payload_error = [](const std::string& message) {
      return json_response(
          200,
          json{{"data", {{"workItemUpdate", {{"workItem", nullptr}, {"errors", {message}}}}}}});
    };
    if (child == nullptr)
      return json_response(
          200, json{{
                        "data",
                        {{"workItemUpdate", nullptr}},
                    },
                    {"errors",
                     {{{"message",
                        "The resource that you are attempting to access does not "
                        "exist or you don't have permission to perform this action"}}}}});
    if (parent == nullptr) return payload_error("No matching work item found.");
    if (child->issue_type != "task" || parent->issue_type == "task")
      return payload_error(child->title +
                           " cannot be added: is not allowed to add this type of "
                           "parent");
    if (child->parent == parent->iid)
      return payload_error(child->title + " cannot be added: is already assigned to this parent");
    child->parent = parent->iid;
    touch(*child);
    return json_response(
        200, json{{"data",
                   {{"workItemUpdate",
                     {{"workItem", {{"id", gid(child->id)}}}, {"errors", json::array()}}}}}});
  }
  if (query.find("workItems") != std::string::npos) {
    if (graphql_ == GraphQl::refuse_hierarchy)
      return json_response(200, json{{"errors",
                                      {{{"message",
                                         "No such type WorkItemWidgetLinkedItems, so it can't be a "
                                         "fragment condition"}}}}});
    if (vars.value("path", std::string()) != project_path_)
      return json_response(200, json{{"data", {{"project", nullptr}}}});
    json nodes = json::array();
    const json iids = vars.value("iids", json::array());
    for (const json& v : iids) {
      if (!v.is_string()) continue;
      const FakeGitLabIssue* i = find(static_cast<int>(to_int(v.get<std::string>()).value_or(0)));
      if (i == nullptr) continue;
      json parent = nullptr;
      if (i->parent) {
        if (const FakeGitLabIssue* p = find(i->parent)) parent = {{"id", gid(p->id)}};
      }
      json linked = json::array();
      for (const int other : i->links)
        if (const FakeGitLabIssue* o = find(other))
          linked.push_back({{"linkType", "relates_to"}, {"workItem", {{"id", gid(o->id)}}}});
      nodes.push_back({{"id", gid(i->id)},
                       {"iid", std::to_string(i->iid)},
                       {"widgets",
                        {{{"type", "ASSIGNEES"}},
                         {{"type", "HIERARCHY"}, {"parent", parent}},
                         {{"type", "LINKED_ITEMS"}, {"linkedItems", {{"nodes", linked}}}}}}});
    }
    return json_response(200, json{{"data", {{"project", {{"workItems", {{"nodes", nodes}}}}}}}});
  }
  return json_response(200, json{{"errors", {{{"message", "unsupported query in the fake"}}}}});
}

}  // namespace risksync::testing
