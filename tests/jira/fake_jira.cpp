#include "jira/fake_jira.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>
#include <utility>

#include "net/http.h"
#include "util/base64.h"

namespace risksync::testing {
namespace {

using nlohmann::json;

struct IssueTypeDef {
  const char* id;
  const char* name;
  bool subtask;
};
constexpr IssueTypeDef kTypes[] = {
    {"10001", "Story", false}, {"10002", "Task", false}, {"10003", "Sub-task", true}};

struct StatusDef {
  const char* transition_id;
  const char* transition_name;
  const char* status;
  const char* category;
  bool lists_resolution;
};
const std::vector<StatusDef>& workflow(const std::string& name) {
  static const std::vector<StatusDef> standard = {
      {"11", "To Do", "To Do", "new", false},
      {"21", "Start", "In Progress", "indeterminate", false},
      {"31", "Done", "Done", "done", true}};
  static const std::vector<StatusDef> livre = {
      {"111", "Rouvrir", "À faire", "new", false},
      {"121", "Commencer", "En cours", "indeterminate", false},
      {"131", "Livrer", "Livré", "done", false}};
  return name == "livre" ? livre : standard;
}
const std::vector<std::string> kResolutions = {"Done", "Won't Do", "Duplicate"};

std::string timestamp(int tick) {
  const std::time_t t = 1767225600 + tick;  // 2026-01-01T00:00:00Z
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000+0000", &tm);
  return buf;
}

FakeResponse json_response(int status, const json& body) {
  return FakeResponse::json(status, body.dump());
}

FakeResponse jira_error(int status, const std::string& message, json errors = json::object()) {
  return json_response(
      status, json{{"errorMessages", message.empty() ? json::array() : json::array({message})},
                   {"errors", errors}});
}

const IssueTypeDef* type_by(std::string_view id_or_name) {
  for (const auto& t : kTypes)
    if (id_or_name == t.id || id_or_name == t.name) return &t;
  return nullptr;
}

bool is_adf_document(const json& j) {
  return j.is_object() && j.value("type", "") == "doc" && j.contains("version") &&
         j.contains("content") && j["content"].is_array();
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = s.find(sep, start);
    std::string part(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (!part.empty()) out.push_back(part);
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

}  // namespace

FakeJira::FakeJira(Flavor flavor, std::string project, std::string email, std::string token)
    : flavor_(flavor),
      project_(std::move(project)),
      email_(std::move(email)),
      token_(std::move(token)) {
  for (const char* p : {"CREATE_ISSUES", "TRANSITION_ISSUES", "EDIT_ISSUES", "LINK_ISSUES",
                        "ADD_COMMENTS", "BROWSE_PROJECTS"})
    permissions_[p] = true;
  server_ = std::make_unique<FakeHttpServer>();
  server_->on("*", ".*", [this](const RecordedRequest& rq) { return handle(rq); });
}

FakeJira::~FakeJira() = default;

bool FakeJira::ok() const {
  return server_ && server_->ok();
}
std::string FakeJira::base_url() const {
  return server_->base_url();
}

// ---- people ----

FakeJiraIssue* FakeJira::find(const std::string& key) {
  for (auto& i : issues_)
    if (i.key == key && !i.deleted) return &i;
  return nullptr;
}

void FakeJira::touch(FakeJiraIssue& issue) {
  issue.updated_tick = ++clock_;
}

std::string FakeJira::category_of(const FakeJiraIssue& issue) const {
  for (const auto& s : workflow(issue.workflow))
    if (s.status == issue.status) return s.category;
  return "undefined";
}

std::string FakeJira::add_issue(std::string summary, std::vector<std::string> labels,
                                std::string type, std::string parent) {
  std::lock_guard<std::mutex> lock(mutex_);
  FakeJiraIssue i;
  i.number = static_cast<int>(issues_.size()) + 1;
  i.id = std::to_string(10000 + i.number);
  i.key = project_ + "-" + std::to_string(i.number);
  i.summary = std::move(summary);
  i.labels = std::move(labels);
  i.type = std::move(type);
  i.parent = std::move(parent);
  i.workflow = default_workflow_;
  i.status = workflow(i.workflow).front().status;
  i.created_tick = i.updated_tick = ++clock_;
  issues_.push_back(i);
  return i.key;
}

void FakeJira::set_status(const std::string& key, const std::string& status,
                          const std::string& resolution) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeJiraIssue* i = find(key)) {
    i->status = status;
    i->resolution = resolution;
    touch(*i);
  }
}
void FakeJira::add_label(const std::string& key, const std::string& label) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeJiraIssue* i = find(key)) {
    i->labels.push_back(label);
    touch(*i);
  }
}
void FakeJira::assign(const std::string& key, const std::string& user) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeJiraIssue* i = find(key)) i->assignee = user;
}
void FakeJira::edit_description(const std::string& key, std::string description) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeJiraIssue* i = find(key)) {
    i->description = std::move(description);
    touch(*i);
  }
}
void FakeJira::set_parent(const std::string& key, const std::string& parent) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeJiraIssue* i = find(key)) i->parent = parent;
}
void FakeJira::set_property(const std::string& key, const std::string& property,
                            std::string value) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeJiraIssue* i = find(key)) i->properties[property] = std::move(value);
}
void FakeJira::delete_issue(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeJiraIssue* i = find(key)) i->deleted = true;
}
std::optional<FakeJiraIssue> FakeJira::issue(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& i : issues_)
    if (i.key == key && !i.deleted) return i;
  return std::nullopt;
}
std::vector<FakeJiraIssue> FakeJira::issues() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<FakeJiraIssue> out;
  for (const auto& i : issues_)
    if (!i.deleted) out.push_back(i);
  return out;
}

// ---- knobs ----

void FakeJira::set_workflow(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& i : issues_) {
    const std::string category = category_of(i);
    i.workflow = name;
    for (const auto& s : workflow(name))
      if (s.category == category) i.status = s.status;
  }
  default_workflow_ = name;  // and the issues created from now on
}
void FakeJira::require_field(const std::string& type, const std::string& field_id,
                             const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  required_[type][field_id] = name;
}
void FakeJira::set_permission(const std::string& permission, bool have) {
  std::lock_guard<std::mutex> lock(mutex_);
  permissions_[permission] = have;
}
void FakeJira::set_page_size(int size) {
  std::lock_guard<std::mutex> lock(mutex_);
  page_size_ = size;
}
void FakeJira::set_search_lag(bool lagging) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (lagging)
    lag_mark_ = issues_.size();
  else
    lag_mark_.reset();
}
void FakeJira::fail_bulk_elements_next(std::set<int> elements) {
  std::lock_guard<std::mutex> lock(mutex_);
  bulk_failures_ = std::move(elements);
}
void FakeJira::remove_issue_type(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  removed_types_.insert(name);
}

// ---- faults and log ----

void FakeJira::respond_next(std::string method, std::string path_regex, FakeResponse response,
                            int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.add(std::move(method), path_regex, std::move(response), {}, times);
}
void FakeJira::fail_next(std::string method, std::string path_regex, int status, int times,
                         std::string message) {
  respond_next(std::move(method), std::move(path_regex),
               jira_error(status, message.empty() ? "HTTP " + std::to_string(status) : message),
               times);
}
void FakeJira::too_many_requests_next(std::string method, std::string path_regex, int retry_after_s,
                                      int times) {
  FakeResponse r = jira_error(429, "Rate limit exceeded.");
  if (retry_after_s >= 0) r.with_header("Retry-After", std::to_string(retry_after_s));
  r.with_header("RateLimit-Reason", "jira-burst-based");
  respond_next(std::move(method), std::move(path_regex), std::move(r), times);
}
void FakeJira::delay_next(std::string method, std::string path_regex,
                          std::chrono::milliseconds delay, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.add(std::move(method), path_regex, std::nullopt, delay, times);
}
void FakeJira::hang_next(std::string method, std::string path_regex, int times) {
  delay_next(std::move(method), std::move(path_regex), std::chrono::seconds(10), times);
}
void FakeJira::clear_faults() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
  bulk_failures_.clear();
}
std::vector<FakeJiraExchange> FakeJira::exchanges() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}
std::size_t FakeJira::count(const std::string& method, const std::string& path_regex) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::regex re(path_regex);
  static const std::regex prefix("^/rest/api/[23]");
  std::size_t n = 0;
  for (const auto& e : log_) {
    const std::string path = std::regex_replace(e.request.path, prefix, "");
    if (method == "WRITE" && path == "/search/jql") continue;  // a POST that reads
    n += method_matches(method, e.request.method) && std::regex_match(path, re);
  }
  return n;
}
void FakeJira::clear_log() {
  std::lock_guard<std::mutex> lock(mutex_);
  log_.clear();
}

// ---- the API ----

FakeResponse FakeJira::handle(const RecordedRequest& rq) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto finish = [&](FakeResponse r) {
    log_.push_back(FakeJiraExchange{rq, r.status});
    return r;
  };
  const bool cloud = flavor_ == Flavor::cloud;
  static const std::regex api_re("^/rest/api/([23])(/.*)$");
  std::smatch m;
  if (!std::regex_match(rq.path, m, api_re)) return finish(jira_error(404, "Not found"));
  const std::string version = m[1].str();
  const std::string path = m[2].str();
  std::chrono::milliseconds delay{0};
  if (auto fired = faults_.take(rq.method, path)) {
    if (fired->response) return finish(*fired->response);
    delay = fired->delay;
  }
  const std::string expected_auth =
      cloud ? "Basic " + base64_encode(email_ + ":" + token_) : "Bearer " + token_;
  if (rq.header("Authorization") != expected_auth)
    return finish(jira_error(401,
                             "You are not authenticated. Authentication required to "
                             "perform this operation."));
  if (cloud && path == "/search")
    return finish(jira_error(410,
                             "The requested API has been removed. Please migrate to the "
                             "/rest/api/3/search/jql API. A full migration guideline is "
                             "available at … #CHANGE-2046"));
  if (!cloud && version != "2") return finish(jira_error(404, "Not found"));
  if (cloud && version != "3") return finish(jira_error(404, "This test fake serves v3 on Cloud"));
  const bool v3 = version == "3";
  const std::string site = "http://" + rq.header("Host");
  json body = rq.body.empty() ? json::object() : json::parse(rq.body, nullptr, false);
  FakeResponse out;
  const auto done = [&](FakeResponse r) {
    r.delay = delay;
    return finish(std::move(r));
  };

  const auto visible_types = [&] {
    std::vector<const IssueTypeDef*> out_types;
    for (const auto& t : kTypes)
      if (!removed_types_.contains(t.name)) out_types.push_back(&t);
    return out_types;
  };
  const auto issue_json = [&](const FakeJiraIssue& i, const std::set<std::string>& fields,
                              const std::set<std::string>& properties) {
    const bool all = fields.empty() || fields.contains("*all");
    const auto want = [&](const char* f) { return all || fields.contains(f); };
    json f = json::object();
    const IssueTypeDef* t = type_by(i.type);
    if (want("summary")) f["summary"] = i.summary;
    if (want("status"))
      f["status"] = {{"name", i.status},
                     {"statusCategory", {{"key", category_of(i)}, {"name", category_of(i)}}}};
    if (want("resolution"))
      f["resolution"] = i.resolution.empty() ? json(nullptr) : json{{"name", i.resolution}};
    if (want("labels")) f["labels"] = i.labels;
    if (want("issuetype") && t)
      f["issuetype"] = {{"id", t->id}, {"name", t->name}, {"subtask", t->subtask}};
    if (want("parent") && !i.parent.empty())
      for (const auto& p : issues_)
        if (p.key == i.parent && !p.deleted)
          f["parent"] = {{"id", p.id}, {"key", p.key}, {"fields", {{"summary", p.summary}}}};
    if (want("issuelinks")) {
      json links = json::array();
      int n = 0;
      for (const auto& [type, other] : i.links)
        for (const auto& o : issues_)
          if (o.key == other && !o.deleted)
            links.push_back({{"id", std::to_string(i.number * 100 + ++n)},
                             {"type", {{"name", type}}},
                             {"outwardIssue", {{"id", o.id}, {"key", o.key}}}});
      f["issuelinks"] = links;
    }
    if (want("description")) {
      if (i.description.empty())
        f["description"] = nullptr;
      else if (v3)
        f["description"] = json::parse(i.description, nullptr, false);
      else
        f["description"] = i.description;
    }
    if (want("created")) f["created"] = timestamp(i.created_tick);
    if (want("updated")) f["updated"] = timestamp(i.updated_tick);
    if (want("assignee"))
      f["assignee"] = i.assignee.empty() ? json(nullptr) : json{{"displayName", i.assignee}};
    json j = {{"id", i.id},
              {"key", i.key},
              {"self", site + "/rest/api/" + version + "/issue/" + i.id},
              {"fields", f}};
    if (!properties.empty()) {
      json p = json::object();
      for (const auto& k : properties)
        if (const auto it = i.properties.find(k); it != i.properties.end())
          p[k] = json::parse(it->second, nullptr, false);
      j["properties"] = p;
    }
    return j;
  };
  const auto as_set = [](const json& v) {
    std::set<std::string> s;
    if (v.is_array()) {
      for (const auto& e : v)
        if (e.is_string()) s.insert(e.get<std::string>());
    } else if (v.is_string()) {
      for (const auto& e : split(v.get<std::string>(), ',')) s.insert(e);
    }
    return s;
  };
  const auto search = [&](const std::string& jql, std::size_t start, int max_results) {
    static const std::regex project_re("project\\s*=\\s*\"?([A-Za-z0-9_]+)\"?");
    static const std::regex label_re("labels\\s*=\\s*\"?([^\"\\s]+)\"?");
    std::smatch pm;
    std::string project;
    if (std::regex_search(jql, pm, project_re)) project = pm[1].str();
    std::smatch lm;
    std::string label;
    if (std::regex_search(jql, lm, label_re)) label = lm[1].str();
    const bool desc = jql.find("ORDER BY key DESC") != std::string::npos;
    std::vector<const FakeJiraIssue*> hits;
    for (std::size_t n = 0; n < issues_.size(); ++n) {
      const auto& i = issues_[n];
      if (i.deleted || (lag_mark_ && n >= *lag_mark_)) continue;
      if (!project.empty() && project != project_) continue;
      if (!label.empty() && std::find(i.labels.begin(), i.labels.end(), label) == i.labels.end())
        continue;
      hits.push_back(&i);
    }
    if (desc) std::reverse(hits.begin(), hits.end());
    const std::size_t size =
        static_cast<std::size_t>(std::max(1, std::min(max_results, page_size_)));
    std::vector<const FakeJiraIssue*> page;
    for (std::size_t k = start; k < hits.size() && page.size() < size; ++k) page.push_back(hits[k]);
    return std::pair{page, hits.size()};
  };

  // ---- metadata ----
  if (path == "/myself" && rq.method == "GET")
    return done(json_response(200, json{{"accountId", "5b10ac8d82e05b22cc7d4ef5"},
                                        {"name", "rssi"},
                                        {"emailAddress", email_},
                                        {"displayName", "RSSI"}}));
  static const std::regex project_re("^/project/([^/]+)$");
  if (std::regex_match(path, m, project_re) && rq.method == "GET") {
    if (m[1].str() != project_)
      return done(jira_error(404, "No project could be found with key '" + m[1].str() + "'."));
    return done(json_response(200, json{{"id", "10000"}, {"key", project_}, {"name", "Sécurité"}}));
  }
  static const std::regex types_re("^/issue/createmeta/([^/]+)/issuetypes(?:/([^/]+))?$");
  if (std::regex_match(path, m, types_re) && rq.method == "GET") {
    if (m[1].str() != project_)
      return done(jira_error(404, "No project could be found with key '" + m[1].str() + "'."));
    if (!m[2].matched) {
      json types = json::array();
      for (const auto* t : visible_types())
        types.push_back({{"id", t->id}, {"name", t->name}, {"subtask", t->subtask}});
      const json page = {{"maxResults", 200},
                         {"startAt", 0},
                         {"total", types.size()},
                         {cloud ? "issueTypes" : "values", types}};
      return done(json_response(200, page));
    }
    const IssueTypeDef* t = type_by(m[2].str());
    if (!t || removed_types_.contains(t->name))
      return done(jira_error(404, "Issue type not found"));
    json fields = json::array();
    const auto field = [&](const std::string& id, const std::string& name, bool required,
                           bool has_default) {
      fields.push_back({{"fieldId", id},
                        {"name", name},
                        {"required", required},
                        {"hasDefaultValue", has_default}});
    };
    field("project", "Project", true, false);
    field("summary", "Summary", true, false);
    field("issuetype", "Issue Type", true, false);
    field("reporter", "Reporter", true, true);
    field("description", "Description", false, false);
    field("labels", "Labels", false, false);
    if (t->subtask) field("parent", "Parent", true, false);
    if (const auto it = required_.find(t->name); it != required_.end())
      for (const auto& [id, name] : it->second) field(id, name, true, false);
    return done(json_response(200, json{{"maxResults", 200},
                                        {"startAt", 0},
                                        {"total", fields.size()},
                                        {cloud ? "fields" : "values", fields}}));
  }
  if (path == "/mypermissions" && rq.method == "GET") {
    json p = json::object();
    for (const auto& name : split(rq.param("permissions"), ','))
      p[name] = {{"key", name}, {"havePermission", permissions_.count(name) && permissions_[name]}};
    return done(json_response(200, json{{"permissions", p}}));
  }

  // ---- search ----
  if (cloud && path == "/search/jql" && rq.method == "POST") {
    if (!body.is_object() || !body.contains("jql"))
      return done(jira_error(400, "The JQL query is missing."));
    std::size_t start = 0;
    if (const auto t = body.find("nextPageToken"); t != body.end() && t->is_string()) {
      const std::string token = t->get<std::string>();
      if (!token.starts_with("tok-")) return done(jira_error(400, "Invalid nextPageToken."));
      start = std::stoul(token.substr(4));
    }
    const int max = body.value("maxResults", 50);
    auto [page, total] = search(body.value("jql", ""), start, max);
    json issues = json::array();
    const auto fields = as_set(body.value("fields", json::array()));
    const auto properties = as_set(body.value("properties", json::array()));
    for (const auto* i : page)
      issues.push_back(
          issue_json(*i, fields.empty() ? std::set<std::string>{"id"} : fields, properties));
    json answer = {{"issues", issues}};
    const std::size_t next = start + page.size();
    if (next < total) {
      answer["nextPageToken"] = "tok-" + std::to_string(next);
      answer["isLast"] = false;
    } else {
      answer["isLast"] = true;
    }
    return done(json_response(200, answer));
  }
  if (!cloud && path == "/search" && rq.method == "GET") {
    const std::string start_text = rq.param("startAt");
    const std::size_t start = start_text.empty() ? 0 : std::stoul(start_text);
    const std::string max_text = rq.param("maxResults");
    const int max = max_text.empty() ? 50 : std::stoi(max_text);
    auto [page, total] = search(rq.param("jql"), start, max);
    json issues = json::array();
    const auto fields = as_set(json(rq.param("fields")));
    const auto properties = as_set(json(rq.param("properties")));
    for (const auto* i : page) issues.push_back(issue_json(*i, fields, properties));
    return done(json_response(200, json{{"startAt", start},
                                        {"maxResults", std::min(max, page_size_)},
                                        {"total", total},
                                        {"issues", issues}}));
  }

  // ---- create ----
  const auto description_error = [&](const json& d) -> std::optional<std::string> {
    if (d.is_null()) return std::nullopt;
    if (v3 && !is_adf_document(d))
      return "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
    if (!v3 && !d.is_string()) return "Operation value must be a string";
    return std::nullopt;
  };
  const auto label_error = [](const json& labels) -> std::optional<std::string> {
    if (!labels.is_array()) return "Labels must be an array";
    for (const auto& l : labels)
      if (!l.is_string() || l.get<std::string>().find(' ') != std::string::npos)
        return "The label '" + (l.is_string() ? l.get<std::string>() : l.dump()) +
               "' contains spaces which is invalid.";
    return std::nullopt;
  };
  if (path == "/issue/bulk" && rq.method == "POST") {
    if (!body.is_object() || !body.contains("issueUpdates") || !body["issueUpdates"].is_array())
      return done(jira_error(400, "issueUpdates is required"));
    const auto& updates = body["issueUpdates"];
    if (updates.size() > 50)
      return done(jira_error(400, "You can create up to 50 issues in one bulk operation."));
    json created = json::array();
    json errors = json::array();
    const std::set<int> refused = std::exchange(bulk_failures_, {});
    for (std::size_t n = 0; n < updates.size(); ++n) {
      const json& u = updates[n];
      const json fields = u.value("fields", json::object());
      json field_errors = json::object();
      json messages = json::array();
      const IssueTypeDef* t = nullptr;
      if (fields.value("project", json::object()).value("key", "") != project_)
        field_errors["project"] = "valid project is required";
      if (!fields.contains("summary") || !fields["summary"].is_string() ||
          fields["summary"].get<std::string>().empty())
        field_errors["summary"] = "You must specify a summary of the issue.";
      if (const auto it = fields.find("issuetype"); it != fields.end() && it->is_object()) {
        t = type_by(it->value("id", it->value("name", "")));
        if (t && removed_types_.contains(t->name)) t = nullptr;
      }
      if (!t) field_errors["issuetype"] = "valid issue type is required";
      std::string parent_key;
      if (const auto it = fields.find("parent"); it != fields.end())
        parent_key = it->value("key", "");
      if (t && t->subtask) {
        const FakeJiraIssue* p = parent_key.empty() ? nullptr : find(parent_key);
        if (parent_key.empty())
          messages.push_back("Issue type is a sub-task but parent issue key or id not specified.");
        else if (!p || type_by(p->type)->subtask)
          field_errors["parent"] = "Could not find issue by id or key.";
      } else if (t && !parent_key.empty()) {
        field_errors["parent"] =
            "Field 'parent' cannot be set. It is not on the appropriate screen, or unknown.";
      }
      if (const auto it = fields.find("labels"); it != fields.end())
        if (auto e = label_error(*it)) field_errors["labels"] = *e;
      if (const auto it = fields.find("description"); it != fields.end())
        if (auto e = description_error(*it)) field_errors["description"] = *e;
      std::set<std::string> custom_known;
      for (const auto& [type, ids] : required_)
        for (const auto& [id, name] : ids) custom_known.insert(id);
      if (t)
        if (const auto it = required_.find(t->name); it != required_.end())
          for (const auto& [id, name] : it->second)
            if (!fields.contains(id) || fields[id].is_null())
              field_errors[id] = name + " is required.";
      for (const auto& [name, v] : fields.items()) {
        static const std::set<std::string> known = {"project",     "summary", "issuetype",
                                                    "description", "labels",  "parent"};
        if (!known.contains(name) && !custom_known.contains(name))
          field_errors[name] = "Field '" + name +
                               "' cannot be set. It is not on the appropriate screen, or unknown.";
      }
      if (refused.contains(static_cast<int>(n)))
        messages.push_back("The fake refused this element (fail_bulk_elements_next).");
      if (!field_errors.empty() || !messages.empty()) {
        errors.push_back(
            {{"status", 400},
             {"elementErrors", {{"errorMessages", messages}, {"errors", field_errors}}},
             {"failedElementNumber", n}});
        continue;
      }
      FakeJiraIssue i;
      i.number = static_cast<int>(issues_.size()) + 1;
      i.id = std::to_string(10000 + i.number);
      i.key = project_ + "-" + std::to_string(i.number);
      i.type = t->name;
      i.summary = fields["summary"].get<std::string>();
      if (fields.contains("description") && !fields["description"].is_null())
        i.description =
            v3 ? fields["description"].dump() : fields["description"].get<std::string>();
      if (fields.contains("labels"))
        for (const auto& l : fields["labels"]) i.labels.push_back(l.get<std::string>());
      i.parent = parent_key;
      i.workflow = default_workflow_;
      i.status = workflow(i.workflow).front().status;
      for (const auto& [name, v] : fields.items())
        if (custom_known.contains(name)) i.custom_fields[name] = v.dump();
      if (const auto p = u.find("properties"); p != u.end() && p->is_array())
        for (const auto& prop : *p)
          if (prop.is_object() && prop.contains("key"))
            i.properties[prop["key"].get<std::string>()] = prop.value("value", json()).dump();
      i.created_tick = i.updated_tick = ++clock_;
      created.push_back({{"id", i.id},
                         {"key", i.key},
                         {"self", site + "/rest/api/" + version + "/issue/" + i.id}});
      issues_.push_back(std::move(i));
    }
    return done(
        json_response(created.empty() ? 400 : 201, json{{"issues", created}, {"errors", errors}}));
  }

  // ---- one issue ----
  static const std::regex issue_re("^/issue/([A-Z0-9_]+-[0-9]+)(/.*)?$");
  if (std::regex_match(path, m, issue_re)) {
    const std::string key = m[1].str();
    const std::string rest = m[2].str();
    FakeJiraIssue* i = find(key);
    if (!i)
      return done(jira_error(404, "Issue does not exist or you do not have permission to see it."));
    if (rest.empty() && rq.method == "GET")
      return done(json_response(200, issue_json(*i, as_set(json(rq.param("fields"))),
                                                as_set(json(rq.param("properties"))))));
    if (rest.empty() && rq.method == "PUT") {
      if (!body.is_object()) return done(jira_error(400, "Bad body"));
      json field_errors = json::object();
      const json fields = body.value("fields", json::object());
      for (const auto& [name, v] : fields.items()) {
        if (name == "summary") {
          if (!v.is_string() || v.get<std::string>().empty())
            field_errors[name] = "You must specify a summary of the issue.";
        } else if (name == "description") {
          if (auto e = description_error(v)) field_errors[name] = *e;
        } else if (name == "labels") {
          if (auto e = label_error(v)) field_errors[name] = *e;
        } else if (name == "parent") {
          const std::string pk = v.value("key", "");
          const FakeJiraIssue* p = find(pk);
          if (!cloud || !type_by(i->type)->subtask)
            field_errors[name] =
                "Field 'parent' cannot be set. It is not on the appropriate screen, or unknown.";
          else if (!p || type_by(p->type)->subtask)
            field_errors[name] = "Could not find issue by id or key.";
        } else {
          field_errors[name] = "Field '" + name +
                               "' cannot be set. It is not on the appropriate screen, or unknown.";
        }
      }
      const json update = body.value("update", json::object());
      if (update.contains("labels"))
        for (const auto& op : update["labels"])
          for (const char* verb : {"add", "remove", "set"})
            if (op.contains(verb) && op[verb].is_string())
              if (auto e = label_error(json::array({op[verb]}))) field_errors["labels"] = *e;
      if (!field_errors.empty()) return done(jira_error(400, "", field_errors));
      if (fields.contains("summary")) i->summary = fields["summary"].get<std::string>();
      if (fields.contains("description"))
        i->description = fields["description"].is_null() ? ""
                         : v3                            ? fields["description"].dump()
                                                         : fields["description"].get<std::string>();
      if (fields.contains("labels")) {
        i->labels.clear();
        for (const auto& l : fields["labels"]) i->labels.push_back(l.get<std::string>());
      }
      if (fields.contains("parent")) i->parent = fields["parent"].value("key", "");
      if (update.contains("labels"))
        for (const auto& op : update["labels"]) {
          if (op.contains("add") &&
              std::find(i->labels.begin(), i->labels.end(), op["add"]) == i->labels.end())
            i->labels.push_back(op["add"].get<std::string>());
          if (op.contains("remove")) std::erase(i->labels, op["remove"].get<std::string>());
        }
      touch(*i);
      FakeResponse r;
      r.status = 204;
      r.content_type.clear();
      return done(r);
    }
    static const std::regex property_re("^/properties/([^/]+)$");
    std::smatch pm;
    if (std::regex_match(rest, pm, property_re)) {
      const std::string name = pm[1].str();
      if (rq.method == "PUT") {
        if (body.is_discarded()) return done(jira_error(400, "The property value is not JSON."));
        const bool existed = i->properties.contains(name);
        i->properties[name] = body.dump();
        FakeResponse r = json_response(existed ? 200 : 201, json::object());
        return done(r);
      }
      if (rq.method == "GET") {
        const auto it = i->properties.find(name);
        if (it == i->properties.end()) return done(jira_error(404, "The property was not found."));
        return done(json_response(
            200, json{{"key", name}, {"value", json::parse(it->second, nullptr, false)}}));
      }
    }
    if (rest == "/transitions") {
      const auto& wf = workflow(i->workflow);
      const bool expand = rq.param("expand").find("transitions.fields") != std::string::npos;
      if (rq.method == "GET") {
        json transitions = json::array();
        for (const auto& s : wf) {
          if (s.status == i->status) continue;
          json t = {{"id", s.transition_id},
                    {"name", s.transition_name},
                    {"to", {{"name", s.status}, {"statusCategory", {{"key", s.category}}}}}};
          if (expand) {
            json f = json::object();
            if (s.lists_resolution) {
              json allowed = json::array();
              for (const auto& r : kResolutions) allowed.push_back({{"name", r}});
              f["resolution"] = {{"required", false}, {"allowedValues", allowed}};
            }
            t["fields"] = f;
          }
          transitions.push_back(t);
        }
        return done(json_response(200, json{{"transitions", transitions}}));
      }
      if (rq.method == "POST") {
        const std::string id = body.value("transition", json::object()).value("id", "");
        const StatusDef* target = nullptr;
        for (const auto& s : wf)
          if (s.transition_id == id && s.status != i->status) target = &s;
        if (!target)
          return done(jira_error(400, "Transition id '" + id + "' is not valid for this issue."));
        json field_errors = json::object();
        std::string resolution;
        const json sent_fields = body.value("fields", json::object());
        for (const auto& [name, v] : sent_fields.items()) {
          if (name == "resolution" && target->lists_resolution) {
            resolution = v.value("name", "");
            if (std::find(kResolutions.begin(), kResolutions.end(), resolution) ==
                kResolutions.end())
              field_errors[name] = "The resolution '" + resolution + "' is not valid.";
          } else {
            field_errors[name] =
                "Field '" + name +
                "' cannot be set. It is not on the appropriate screen, or unknown.";
          }
        }
        if (!field_errors.empty()) return done(jira_error(400, "", field_errors));
        i->status = target->status;
        const std::string category = target->category;
        if (category == "done")
          i->resolution = resolution.empty() && target->lists_resolution ? "Done" : resolution;
        else
          i->resolution.clear();
        touch(*i);
        FakeResponse r;
        r.status = 204;
        r.content_type.clear();
        return done(r);
      }
    }
    if (rest == "/comment" && rq.method == "POST") {
      const json b = body.value("body", json());
      if (v3 ? !is_adf_document(b) : !b.is_string())
        return done(jira_error(400, "",
                               json{{"comment", v3 ? "Comment body is not valid ADF"
                                                   : "Comment body can not be empty!"}}));
      i->comments.push_back(v3 ? b.dump() : b.get<std::string>());
      touch(*i);
      return done(json_response(201, json{{"id", std::to_string(i->comments.size())}}));
    }
    return done(jira_error(404, "Not found"));
  }

  if (path == "/issueLink" && rq.method == "POST") {
    const std::string type = body.value("type", json::object()).value("name", "");
    if (type != "Relates" && type != "Blocks" && type != "Duplicate")
      return done(jira_error(404, "No issue link type with name '" + type + "' found."));
    FakeJiraIssue* a = find(body.value("inwardIssue", json::object()).value("key", ""));
    FakeJiraIssue* b = find(body.value("outwardIssue", json::object()).value("key", ""));
    if (!a || !b)
      return done(jira_error(404, "Issue does not exist or you do not have permission to see it."));
    a->links.emplace_back(type, b->key);  // never de-duplicated, as Jira
    b->links.emplace_back(type, a->key);
    touch(*a);
    touch(*b);
    FakeResponse r;
    r.status = 201;
    r.content_type = "application/json";  // and an empty body (API-NOTES-2026 §2.3)
    return done(r);
  }
  return done(jira_error(404, "Not found"));
}

}  // namespace risksync::testing
