#include "github/fake_github.h"

#include "github/graphql_document.h"

#include <openssl/evp.h>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace risksync::testing {
namespace {

using nlohmann::json;

// Issues are created one second apart, in number order (GitHub's created_at, ISO-8601 UTC).
std::string created_at(int number) {
  const std::time_t t = 1714557600 + number;  // 2024-05-01T10:00:00Z
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const auto pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
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

std::string fnv1a_hex(std::string_view text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

FakeResponse json_response(int status, const json& body) {
  return FakeResponse::json(status, body.dump());
}

FakeResponse github_error(int status, const std::string& message, json errors = nullptr) {
  json body = {{"message", message},
               {"documentation_url", "https://docs.github.com/rest"},
               {"status", std::to_string(status)}};
  if (!errors.is_null()) body["errors"] = std::move(errors);
  return json_response(status, body);
}

FakeResponse validation_failed(const std::string& resource, const std::string& field,
                               const std::string& code, const std::string& message = "") {
  json error = {{"resource", resource}, {"field", field}, {"code", code}};
  if (!message.empty()) error["message"] = message;
  return github_error(422, "Validation Failed", json::array({error}));
}

std::string usual_message(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Bad credentials";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 410:
      return "Gone";
    case 422:
      return "Validation Failed";
    case 500:
      return "Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    default:
      return "Error";
  }
}

// "*": any method; "WRITE": any method but GET and HEAD; else the method itself.
bool method_matches(std::string_view pattern, std::string_view method) {
  if (pattern == "*") return true;
  if (pattern == "WRITE") return method != "GET" && method != "HEAD";
  return pattern == method;
}

bool valid_color(std::string_view c) {
  if (c.size() != 6) return false;
  return std::all_of(c.begin(), c.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
  });
}

// Replaces (or appends) `page=N` in a raw query string.
std::string with_page(const std::string& query, long long page) {
  std::string out;
  bool replaced = false;
  if (!query.empty()) {
    for (const auto& part : split(query, '&')) {
      if (part.empty()) continue;
      std::string p = part;
      if (part.rfind("page=", 0) == 0) {
        p = "page=" + std::to_string(page);
        replaced = true;
      }
      out += (out.empty() ? "" : "&") + p;
    }
  }
  if (!replaced) out += (out.empty() ? "" : "&") + std::string("page=") + std::to_string(page);
  return out;
}

// Git's blob id (SHA-1 of "blob <size>\0<content>"), computed here with OpenSSL rather than with
// the connector's helper, so that the fake cannot share the connector's mistakes.
std::string blob_sha1(std::string_view content) {
  const std::string data =
      "blob " + std::to_string(content.size()) + std::string(1, '\0') + std::string(content);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha1(), nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0F];
  }
  return out;
}

// Standard base64 with padding, wrapped every 60 characters as GitHub's Contents API does.
std::string wrapped_base64(std::string_view bytes) {
  std::string flat(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(flat.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  flat.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  std::string out;
  for (std::size_t i = 0; i < flat.size(); i += 60) out += flat.substr(i, 60) + "\n";
  return out;
}

// Strict base64 (padding required, no line breaks), as GitHub wants the PUT's `content`.
std::optional<std::string> strict_base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c == '=') {
      if (i + 2 < text.size()) return std::nullopt;
      ++padding;
    } else if ((!alnum && c != '+' && c != '/') || padding > 0) {
      return std::nullopt;
    }
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace

struct FakeGitHub::Impl {
  // Contents API: branch -> path -> content. "main" is the default branch.
  std::map<std::string, std::map<std::string, std::string>> branches{{"main", {}}};
  std::size_t commits = 0;

  std::map<int, FakeIssue> issues;
  std::vector<FakeLabel> labels;
  int next_number = 1;
  int sub_issue_limit = 100;
  bool drop_labels = false;
  bool graphql_parent = true;
  std::int64_t next_comment_id = 5000000;

  FakeIssue* find(int number) {
    const auto it = issues.find(number);
    return it == issues.end() ? nullptr : &it->second;
  }
  FakeIssue* find_by_id(std::int64_t id) {
    for (auto& [n, i] : issues)
      if (i.id == id && !i.deleted) return &i;
    return nullptr;
  }
  // The repository's spelling of `name`, creating the label when absent.
  std::string ensure_label(const std::string& name) {
    for (const auto& l : labels)
      if (lower(l.name) == lower(name)) return l.name;
    labels.push_back(FakeLabel{name, "ededed", ""});
    return name;
  }
  const FakeLabel* label(const std::string& name) const {
    for (const auto& l : labels)
      if (lower(l.name) == lower(name)) return &l;
    return nullptr;
  }
};

FakeGitHub::FakeGitHub(std::string owner, std::string repo, std::string token,
                       std::string path_prefix)
    : owner_(std::move(owner)),
      repo_(std::move(repo)),
      token_(std::move(token)),
      path_prefix_(std::move(path_prefix)),
      impl_(std::make_unique<Impl>()) {
  server_ = std::make_unique<FakeHttpServer>();
  server_->on("*", ".*", [this](const RecordedRequest& r) { return handle(r); });
}

FakeGitHub::~FakeGitHub() {
  server_.reset();  // stop and join before the state goes
}

bool FakeGitHub::ok() const {
  return server_ && server_->ok();
}

std::string FakeGitHub::base_url() const {
  return server_->base_url() + path_prefix_;
}

std::vector<std::string> FakeGitHub::wire_response_heads() const {
  return server_->wire_response_heads();
}

// ---- state ----

int FakeGitHub::add_issue(std::string title, std::string body, std::vector<std::string> labels,
                          std::string state, std::string state_reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  FakeIssue issue;
  issue.number = impl_->next_number++;
  issue.id = issue.number + kIdOffset;
  issue.title = std::move(title);
  issue.body = std::move(body);
  for (const auto& l : labels) issue.labels.push_back(impl_->ensure_label(l));
  issue.state = std::move(state);
  issue.state_reason = std::move(state_reason);
  const int number = issue.number;
  impl_->issues[number] = std::move(issue);
  return number;
}

int FakeGitHub::add_pull_request(std::string title, std::string body,
                                 std::vector<std::string> labels) {
  const int number = add_issue(std::move(title), std::move(body), std::move(labels));
  std::lock_guard<std::mutex> lock(mutex_);
  impl_->issues[number].pull_request = true;
  return number;
}

void FakeGitHub::close_issue(int number, std::string reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeIssue* i = impl_->find(number)) {
    i->state = "closed";
    i->state_reason = std::move(reason);
  }
}

void FakeGitHub::reopen_issue(int number) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeIssue* i = impl_->find(number)) {
    i->state = "open";
    i->state_reason = "reopened";
  }
}

void FakeGitHub::add_label(int number, const std::string& label) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeIssue* i = impl_->find(number)) i->labels.push_back(impl_->ensure_label(label));
}

void FakeGitHub::assign(int number, const std::string& login) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeIssue* i = impl_->find(number)) i->assignees.push_back(login);
}

void FakeGitHub::edit_body(int number, std::string body) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeIssue* i = impl_->find(number)) i->body = std::move(body);
}

void FakeGitHub::delete_issue(int number) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FakeIssue* i = impl_->find(number)) i->deleted = true;
}

void FakeGitHub::add_sub_issue(int parent, int child) {
  std::lock_guard<std::mutex> lock(mutex_);
  FakeIssue* p = impl_->find(parent);
  FakeIssue* c = impl_->find(child);
  if (!p || !c) return;
  p->sub_issues.push_back(child);
  c->parent = parent;
}

void FakeGitHub::move_sub_issue(int child, int new_parent) {
  std::lock_guard<std::mutex> lock(mutex_);
  FakeIssue* c = impl_->find(child);
  if (!c) return;
  if (FakeIssue* old = c->parent ? impl_->find(c->parent) : nullptr) {
    auto& v = old->sub_issues;
    v.erase(std::remove(v.begin(), v.end(), child), v.end());
  }
  c->parent = 0;
  if (FakeIssue* p = new_parent ? impl_->find(new_parent) : nullptr) {
    p->sub_issues.push_back(child);
    c->parent = new_parent;
  }
}

void FakeGitHub::add_repo_label(FakeLabel label) {
  std::lock_guard<std::mutex> lock(mutex_);
  impl_->labels.push_back(std::move(label));
}

void FakeGitHub::delete_file(const std::string& path, const std::string& branch) {
  std::lock_guard<std::mutex> lock(mutex_);
  impl_->branches[branch.empty() ? "main" : branch].erase(path);
}

void FakeGitHub::add_file(const std::string& path, std::string content, const std::string& branch) {
  std::lock_guard<std::mutex> lock(mutex_);
  impl_->branches[branch.empty() ? "main" : branch][path] = std::move(content);
}

void FakeGitHub::add_branch(const std::string& branch) {
  std::lock_guard<std::mutex> lock(mutex_);
  impl_->branches[branch];
}

std::optional<std::string> FakeGitHub::file(const std::string& path,
                                            const std::string& branch) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto b = impl_->branches.find(branch.empty() ? "main" : branch);
  if (b == impl_->branches.end()) return std::nullopt;
  const auto f = b->second.find(path);
  if (f == b->second.end()) return std::nullopt;
  return f->second;
}

std::size_t FakeGitHub::commits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return impl_->commits;
}

std::optional<FakeIssue> FakeGitHub::issue(int number) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = impl_->issues.find(number);
  if (it == impl_->issues.end()) return std::nullopt;
  return it->second;
}

std::vector<FakeIssue> FakeGitHub::issues() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<FakeIssue> out;
  for (const auto& [n, i] : impl_->issues) out.push_back(i);
  return out;
}

std::vector<FakeLabel> FakeGitHub::labels() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return impl_->labels;
}

std::vector<std::string> FakeGitHub::comments(int number) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = impl_->issues.find(number);
  return it == impl_->issues.end() ? std::vector<std::string>{} : it->second.comments;
}

std::vector<int> FakeGitHub::sub_issues(int parent) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = impl_->issues.find(parent);
  return it == impl_->issues.end() ? std::vector<int>{} : it->second.sub_issues;
}

int FakeGitHub::parent_of(int number) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = impl_->issues.find(number);
  return it == impl_->issues.end() ? 0 : it->second.parent;
}

void FakeGitHub::set_sub_issue_limit(int limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  impl_->sub_issue_limit = limit;
}

void FakeGitHub::set_drop_labels_without_push(bool drop) {
  std::lock_guard<std::mutex> lock(mutex_);
  impl_->drop_labels = drop;
}

// ---- faults ----

void FakeGitHub::respond_next(std::string method, std::string path_regex, FakeResponse response,
                              int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back(Fault{std::move(method), std::regex(path_regex), std::move(response),
                          std::chrono::milliseconds(0), times});
}

void FakeGitHub::fail_next(std::string method, std::string path_regex, int status, int times,
                           std::string message) {
  respond_next(std::move(method), std::move(path_regex),
               github_error(status, message.empty() ? usual_message(status) : message), times);
}

void FakeGitHub::secondary_rate_limit_next(std::string method, std::string path_regex,
                                           int retry_after_s, int times) {
  FakeResponse r = github_error(
      403,
      "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
      "again. If you reach out to GitHub Support for help, please include the request ID.");
  r.with_header("retry-after", std::to_string(retry_after_s));
  respond_next(std::move(method), std::move(path_regex), std::move(r), times);
}

void FakeGitHub::too_many_requests_next(std::string method, std::string path_regex,
                                        int retry_after_s, int times) {
  FakeResponse r = github_error(429, "API rate limit exceeded for user ID 1.");
  r.with_header("Retry-After", std::to_string(retry_after_s))
      .with_header("x-ratelimit-remaining", "0")
      .with_header("x-ratelimit-limit", "5000");
  respond_next(std::move(method), std::move(path_regex), std::move(r), times);
}

void FakeGitHub::delay_next(std::string method, std::string path_regex,
                            std::chrono::milliseconds delay, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.push_back(Fault{std::move(method), std::regex(path_regex), std::nullopt, delay, times});
}

void FakeGitHub::hang_next(std::string method, std::string path_regex, int times) {
  delay_next(std::move(method), std::move(path_regex), std::chrono::seconds(10), times);
}

void FakeGitHub::clear_faults() {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.clear();
  graphql_faults_.clear();
}

std::size_t FakeGitHub::pending_faults() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return faults_.size() + graphql_faults_.size();
}

// ---- log ----

std::vector<FakeExchange> FakeGitHub::exchanges() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

std::size_t FakeGitHub::count(const std::string& method, const std::string& path_regex) const {
  const std::regex re(path_regex);
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t n = 0;
  for (const auto& e : log_) {
    std::string path = e.request.path;
    if (path == graphql_path())
      path = "/graphql";
    else if (!path_prefix_.empty() && path.rfind(path_prefix_, 0) == 0)
      path = path.substr(path_prefix_.size());
    if (method_matches(method, e.request.method) && std::regex_match(path, re)) ++n;
  }
  return n;
}

std::size_t FakeGitHub::count_status(int status) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<std::size_t>(std::count_if(
      log_.begin(), log_.end(), [&](const FakeExchange& e) { return e.status == status; }));
}

void FakeGitHub::clear_log() {
  std::lock_guard<std::mutex> lock(mutex_);
  log_.clear();
}

// ---- the API ----

FakeResponse FakeGitHub::handle(const RecordedRequest& rq) {
  std::lock_guard<std::mutex> lock(mutex_);
  Impl& st = *impl_;
  std::string path = rq.path;
  const std::string host = rq.header("Host");
  const std::string api = "http://" + host + path_prefix_;
  const std::string repo_api = api + "/repos/" + owner_ + "/" + repo_;

  const auto finish = [&](FakeResponse r) {
    log_.push_back(FakeExchange{rq, r.status});
    return r;
  };

  const bool is_graphql = path == graphql_path();
  if (is_graphql) {
    path = "/graphql";  // what faults match
  } else if (!path_prefix_.empty()) {
    if (path.rfind(path_prefix_, 0) != 0) return finish(github_error(404, "Not Found"));
    path = path.substr(path_prefix_.size());
  }

  // Faults first: they stand for what happens in front of, or inside, GitHub.
  std::chrono::milliseconds delay{0};
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (method_matches(it->method, rq.method) && std::regex_match(path, it->path)) {
      std::optional<FakeResponse> response = it->response;
      delay = it->delay;
      if (--it->remaining <= 0) faults_.erase(it);
      if (response) return finish(*response);
      break;
    }
  }

  const auto issue_json = [&](const FakeIssue& i) {
    json labels = json::array();
    for (const auto& name : i.labels) {
      const FakeLabel* l = st.label(name);
      labels.push_back(
          {{"id",
            9000000 + static_cast<long long>(std::hash<std::string>{}(lower(name)) % 1000000)},
           {"name", name},
           {"color", l ? l->color : "ededed"},
           {"description", l && !l->description.empty() ? json(l->description) : json(nullptr)},
           {"default", false}});
    }
    json assignees = json::array();
    for (const auto& login : i.assignees) assignees.push_back({{"login", login}, {"id", 42}});
    const std::string n = std::to_string(i.number);
    json j = {{"id", i.id},
              {"node_id", "I_kwDOfake" + std::to_string(i.id)},
              {"number", i.number},
              {"url", repo_api + "/issues/" + n},
              {"html_url", "https://github.com/" + owner_ + "/" + repo_ +
                               (i.pull_request ? "/pull/" : "/issues/") + n},
              {"title", i.title},
              {"body", i.body.empty() ? json(nullptr) : json(i.body)},
              {"user", {{"login", "someone"}, {"id", 7}}},
              {"state", i.state},
              {"state_reason", i.state_reason.empty() ? json(nullptr) : json(i.state_reason)},
              {"labels", labels},
              {"assignee", assignees.empty() ? json(nullptr) : assignees.front()},
              {"assignees", assignees},
              {"locked", false},
              {"comments", i.comments.size()},
              {"created_at", created_at(i.number)},
              {"updated_at", "2024-05-02T10:00:00Z"},
              {"closed_at", i.state == "closed" ? json("2024-05-03T10:00:00Z") : json(nullptr)},
              {"parent_issue_url",
               i.parent ? json(repo_api + "/issues/" + std::to_string(i.parent)) : json(nullptr)}};
    int completed = 0;
    for (int c : i.sub_issues)
      if (const FakeIssue* ci = st.find(c); ci && ci->state == "closed") ++completed;
    const int total = static_cast<int>(i.sub_issues.size());
    j["sub_issues_summary"] = {{"total", total},
                               {"completed", completed},
                               {"percent_completed", total ? completed * 100 / total : 0}};
    if (i.pull_request)
      j["pull_request"] = {
          {"url", repo_api + "/pulls/" + n},
          {"html_url", "https://github.com/" + owner_ + "/" + repo_ + "/pull/" + n}};
    return j;
  };

  const auto label_json = [&](const FakeLabel& l) {
    return json{
        {"id", 9000000 + static_cast<long long>(std::hash<std::string>{}(lower(l.name)) % 1000000)},
        {"node_id",
         "LA_kwDOfake" +
             std::to_string(9000000 + static_cast<long long>(
                                          std::hash<std::string>{}(lower(l.name)) % 1000000))},
        {"url", repo_api + "/labels/" + l.name},
        {"name", l.name},
        {"color", l.color},
        {"description", l.description.empty() ? json(nullptr) : json(l.description)},
        {"default", false}};
  };

  // A paginated listing with Link and ETag headers, and 304 on a matching If-None-Match.
  const auto paginate = [&](const std::vector<json>& all) {
    long long per_page = 30;
    if (const auto v = to_int(rq.param("per_page")); v && *v > 0) per_page = std::min(*v, 100LL);
    long long page = 1;
    if (const auto v = to_int(rq.param("page")); v && *v > 0) page = *v;
    const long long total = static_cast<long long>(all.size());
    const long long last = std::max(1LL, (total + per_page - 1) / per_page);
    json body = json::array();
    for (long long k = (page - 1) * per_page; k < std::min(total, page * per_page); ++k)
      body.push_back(all[static_cast<std::size_t>(k)]);
    const std::string self = "http://" + host + rq.path + "?";
    std::string link;
    const auto add = [&](long long p, const char* rel) {
      link += (link.empty() ? "" : ", ") + std::string("<") + self + with_page(rq.query, p) +
              ">; rel=\"" + rel + "\"";
    };
    if (page > 1) {
      add(page - 1, "prev");
      add(1, "first");
    }
    if (page < last) {
      add(page + 1, "next");
      add(last, "last");
    }
    const std::string text = body.dump();
    const std::string etag = "W/\"" + fnv1a_hex(text + "|" + link) + "\"";
    if (rq.header("If-None-Match") == etag) {
      FakeResponse r;
      r.status = 304;
      r.with_header("ETag", etag);
      return r;
    }
    FakeResponse r = FakeResponse::json(200, text);
    r.with_header("ETag", etag);
    if (!link.empty()) r.with_header("Link", link);
    return r;
  };

  const auto serve = [&]() -> FakeResponse {
    // Authentication and API version.
    const std::string auth = rq.header("Authorization");
    if (auth != "Bearer " + token_ && auth != "token " + token_)
      return github_error(401, "Bad credentials");
    const std::string version = rq.header("X-GitHub-Api-Version");
    if (!version.empty() && version != "2022-11-28" && version != "2026-03-10")
      return github_error(400, "Invalid API version provided: '" + version + "'");
    if (is_graphql) return graphql(rq);

    const auto parts = split(path, '/');  // "", "repos", owner, repo, ...
    if (parts.size() < 5 || parts[1] != "repos") return github_error(404, "Not Found");
    if (lower(net::percent_decode(parts[2])) != lower(owner_) ||
        lower(net::percent_decode(parts[3])) != lower(repo_))
      return github_error(404, "Not Found");
    const std::vector<std::string> rest(parts.begin() + 4, parts.end());
    const std::string& m = rq.method;

    const auto parse_body = [&]() -> std::optional<json> {
      json b = json::parse(rq.body, nullptr, false);
      if (b.is_discarded() || !b.is_object()) return std::nullopt;
      return b;
    };
    const auto read_labels = [&](const json& v, std::vector<std::string>& out) {
      if (!v.is_array()) return false;
      std::set<std::string> seen;
      for (const auto& e : v) {
        const json* name =
            e.is_string() ? &e : (e.is_object() && e.contains("name") ? &e["name"] : nullptr);
        if (!name || !name->is_string()) return false;
        const std::string canonical = st.ensure_label(name->get<std::string>());
        if (seen.insert(lower(canonical)).second) out.push_back(canonical);
      }
      return true;
    };
    const auto link_child = [&](FakeIssue& parent, FakeIssue& child) {
      if (child.parent != 0) {
        if (FakeIssue* old = st.find(child.parent)) {
          auto& v = old->sub_issues;
          v.erase(std::remove(v.begin(), v.end(), child.number), v.end());
        }
      }
      parent.sub_issues.push_back(child.number);
      child.parent = parent.number;
    };
    const auto limit_error = [&]() {
      return validation_failed(
          "Issue", "sub_issue_id", "invalid",
          "Parent cannot have more than " + std::to_string(st.sub_issue_limit) + " sub-issues");
    };

    // ---- /issues ----
    if (rest.size() == 1 && rest[0] == "issues") {
      if (m == "GET") {
        std::string state = rq.param("state");
        if (state.empty()) state = "open";
        if (state != "open" && state != "closed" && state != "all")
          return validation_failed("Issue", "state", "invalid");
        std::vector<std::string> wanted;
        if (const std::string l = rq.param("labels"); !l.empty())
          for (const auto& w : split(l, ','))
            if (!trim(w).empty()) wanted.push_back(lower(trim(w)));
        std::vector<json> all;
        for (auto it = st.issues.rbegin(); it != st.issues.rend(); ++it) {  // newest first
          const FakeIssue& i = it->second;
          if (i.deleted || (state != "all" && i.state != state)) continue;
          const bool has_all = std::all_of(wanted.begin(), wanted.end(), [&](const auto& w) {
            return std::any_of(i.labels.begin(), i.labels.end(),
                               [&](const auto& l) { return lower(l) == w; });
          });
          if (has_all) all.push_back(issue_json(i));
        }
        return paginate(all);
      }
      if (m == "POST") {
        const auto b = parse_body();
        if (!b) return github_error(400, "Problems parsing JSON");
        if (!b->contains("title") || !(*b)["title"].is_string() ||
            (*b)["title"].get<std::string>().empty())
          return validation_failed("Issue", "title", "missing_field");
        FakeIssue issue;
        issue.title = (*b)["title"].get<std::string>();
        if (b->contains("body") && !(*b)["body"].is_null()) {
          if (!(*b)["body"].is_string()) return validation_failed("Issue", "body", "invalid");
          issue.body = (*b)["body"].get<std::string>();
        }
        if (b->contains("labels") && !(*b)["labels"].is_null()) {
          std::vector<std::string> labels;
          if (!read_labels((*b)["labels"], labels))
            return validation_failed("Issue", "labels", "invalid");
          if (!st.drop_labels) issue.labels = std::move(labels);
        }
        // GitHub's create has no parent field (official OpenAPI description) and drops
        // unknown fields silently: so does the fake (`parent_issue_id` included).
        issue.number = st.next_number++;
        issue.id = issue.number + kIdOffset;
        const int number = issue.number;
        st.issues[number] = std::move(issue);
        FakeResponse r = json_response(201, issue_json(st.issues[number]));
        r.with_header("Location", repo_api + "/issues/" + std::to_string(number));
        return r;
      }
      return github_error(404, "Not Found");
    }

    // ---- /issues/{n}[/...] ----
    if (rest.size() >= 2 && rest[0] == "issues") {
      const auto n = to_int(rest[1]);
      FakeIssue* issue = n ? st.find(static_cast<int>(*n)) : nullptr;
      if (!issue) return github_error(404, "Not Found");
      if (issue->deleted) return github_error(410, "This issue was deleted");

      if (rest.size() == 2 && m == "GET") return json_response(200, issue_json(*issue));
      if (rest.size() == 2 && m == "PATCH") {
        const auto b = parse_body();
        if (!b) return github_error(400, "Problems parsing JSON");
        FakeIssue next = *issue;
        if (b->contains("title")) {
          const json& t = (*b)["title"];
          if (!t.is_string() || t.get<std::string>().empty())
            return validation_failed("Issue", "title", "invalid");
          next.title = t.get<std::string>();
        }
        if (b->contains("body")) {
          const json& v = (*b)["body"];
          if (v.is_null())
            next.body.clear();
          else if (v.is_string())
            next.body = v.get<std::string>();
          else
            return validation_failed("Issue", "body", "invalid");
        }
        if (b->contains("labels")) {
          next.labels.clear();  // labels REPLACE the whole set
          if (!(*b)["labels"].is_null() && !read_labels((*b)["labels"], next.labels))
            return validation_failed("Issue", "labels", "invalid");
        }
        std::string reason;
        if (b->contains("state_reason") && !(*b)["state_reason"].is_null()) {
          const json& v = (*b)["state_reason"];
          if (!v.is_string()) return validation_failed("Issue", "state_reason", "invalid");
          reason = v.get<std::string>();
          if (reason != "completed" && reason != "not_planned" && reason != "duplicate" &&
              reason != "reopened")
            return validation_failed("Issue", "state_reason", "invalid");
        }
        if (b->contains("state")) {
          const json& v = (*b)["state"];
          if (!v.is_string() || (v != "open" && v != "closed"))
            return validation_failed("Issue", "state", "invalid");
          const std::string s = v.get<std::string>();
          if (s != issue->state) {  // state_reason counts only with a state change
            next.state = s;
            if (s == "closed")
              next.state_reason = reason.empty() || reason == "reopened" ? "completed" : reason;
            else
              next.state_reason = "reopened";
          }
        }
        *issue = std::move(next);
        return json_response(200, issue_json(*issue));
      }
      if (rest.size() == 3 && rest[2] == "comments") {
        if (m == "POST") {
          const auto b = parse_body();
          if (!b) return github_error(400, "Problems parsing JSON");
          if (!b->contains("body") || !(*b)["body"].is_string() ||
              (*b)["body"].get<std::string>().empty())
            return validation_failed("IssueComment", "body", "missing_field");
          issue->comments.push_back((*b)["body"].get<std::string>());
          const auto id = st.next_comment_id++;
          return json_response(201, {{"id", id},
                                     {"body", issue->comments.back()},
                                     {"html_url", "https://github.com/" + owner_ + "/" + repo_ +
                                                      "/issues/" + std::to_string(issue->number) +
                                                      "#issuecomment-" + std::to_string(id)},
                                     {"user", {{"login", "risksync-bot"}}}});
        }
        if (m == "GET") {
          std::vector<json> all;
          for (const auto& c : issue->comments) all.push_back({{"body", c}});
          return paginate(all);
        }
      }
      if (rest.size() == 3 && rest[2] == "sub_issues") {
        if (m == "GET") {
          std::vector<json> all;
          for (int c : issue->sub_issues)
            if (const FakeIssue* ci = st.find(c)) all.push_back(issue_json(*ci));
          return paginate(all);
        }
        if (m == "POST") {
          const auto b = parse_body();
          if (!b) return github_error(400, "Problems parsing JSON");
          if (!b->contains("sub_issue_id") || !(*b)["sub_issue_id"].is_number_integer())
            return github_error(422, "Invalid request.\n\nFor 'properties/sub_issue_id', " +
                                         (b->contains("sub_issue_id") ? (*b)["sub_issue_id"].dump()
                                                                      : std::string("nothing")) +
                                         " is not an integer.");
          const bool replace = b->contains("replace_parent") &&
                               (*b)["replace_parent"].is_boolean() &&
                               (*b)["replace_parent"].get<bool>();
          FakeIssue* child = st.find_by_id((*b)["sub_issue_id"].get<std::int64_t>());
          if (!child || child->pull_request)
            return validation_failed("Issue", "sub_issue_id", "invalid",
                                     "The provided sub-issue does not exist");
          if (child->number == issue->number)
            return validation_failed("Issue", "sub_issue_id", "invalid",
                                     "An issue cannot be a sub-issue of itself");
          if (child->parent == issue->number)
            return validation_failed("Issue", "sub_issue_id", "invalid",
                                     "Issue may not contain duplicate sub-issues");
          if (child->parent != 0 && !replace)
            return validation_failed("Issue", "sub_issue_id", "invalid",
                                     "Sub-issue already has a parent issue");
          if (static_cast<int>(issue->sub_issues.size()) >= st.sub_issue_limit)
            return limit_error();
          link_child(*issue, *child);
          return json_response(201, issue_json(*issue));
        }
      }
      if (rest.size() == 3 && rest[2] == "parent" && m == "GET") {
        if (issue->parent == 0) return github_error(404, "Not Found");
        return json_response(200, issue_json(*st.find(issue->parent)));
      }
      return github_error(404, "Not Found");
    }

    // ---- /contents/{path} ----
    if (rest.size() >= 2 && rest[0] == "contents") {
      std::string file_path;
      for (std::size_t k = 1; k < rest.size(); ++k)
        file_path += (k > 1 ? "/" : "") + net::percent_decode(rest[k]);
      const auto file_json = [&](const std::string& name, const std::string& content,
                                 const std::string& branch_name) {
        const auto cut = name.rfind('/');
        return json{{"type", "file"},
                    {"name", cut == std::string::npos ? name : name.substr(cut + 1)},
                    {"path", name},
                    {"sha", blob_sha1(content)},
                    {"size", content.size()},
                    {"url", repo_api + "/contents/" + name},
                    {"html_url", "https://github.com/" + owner_ + "/" + repo_ + "/blob/" +
                                     branch_name + "/" + name}};
      };
      if (m == "GET") {
        std::string ref = rq.param("ref");
        if (ref.empty()) ref = "main";
        const auto branch = st.branches.find(ref);
        if (branch == st.branches.end())
          return github_error(404, "No commit found for the ref " + ref);
        const auto& files = branch->second;
        if (const auto f = files.find(file_path); f != files.end()) {
          json j = file_json(f->first, f->second, ref);
          j["encoding"] = "base64";
          j["content"] = wrapped_base64(f->second);
          return json_response(200, j);
        }
        json folder = json::array();
        for (const auto& [name, content] : files)
          if (name.rfind(file_path + "/", 0) == 0) folder.push_back(file_json(name, content, ref));
        if (!folder.empty()) return json_response(200, folder);
        return github_error(404, "Not Found");
      }
      if (m == "PUT") {
        const auto b = parse_body();
        if (!b) return github_error(400, "Problems parsing JSON");
        const auto text = [&](const char* key) -> std::optional<std::string> {
          if (!b->contains(key) || !(*b)[key].is_string()) return std::nullopt;
          return (*b)[key].get<std::string>();
        };
        if (!text("message") || !text("content"))
          return github_error(422, "Invalid request.\n\n\"message\" and \"content\" are required.");
        const auto decoded = strict_base64_decode(*text("content"));
        if (!decoded) return github_error(422, "content is not valid Base64");
        const std::string branch_name = text("branch").value_or("main");
        const auto branch = st.branches.find(branch_name);
        if (branch == st.branches.end())
          return github_error(404, "Branch " + branch_name + " not found");
        auto& files = branch->second;
        const auto existing = files.find(file_path);
        const std::string given = text("sha").value_or("");
        if (existing != files.end()) {
          if (given.empty())
            return github_error(422, "Invalid request.\n\n\"sha\" wasn't supplied.");
          if (given != blob_sha1(existing->second))
            return github_error(409, file_path + " does not match " + given);
        }
        const bool created = existing == files.end();
        files[file_path] = *decoded;
        ++st.commits;
        json out = {{"content", file_json(file_path, *decoded, branch_name)},
                    {"commit",
                     {{"sha", blob_sha1("commit " + std::to_string(st.commits))},
                      {"message", *text("message")}}}};
        return json_response(created ? 201 : 200, out);
      }
      return github_error(404, "Not Found");
    }

    // ---- /labels ----
    if (rest.size() == 1 && rest[0] == "labels") {
      if (m == "GET") {
        std::vector<json> all;
        for (const auto& l : st.labels) all.push_back(label_json(l));
        return paginate(all);
      }
      if (m == "POST") {
        const auto b = parse_body();
        if (!b) return github_error(400, "Problems parsing JSON");
        if (!b->contains("name") || !(*b)["name"].is_string() ||
            (*b)["name"].get<std::string>().empty())
          return validation_failed("Label", "name", "missing_field");
        FakeLabel label;
        label.name = (*b)["name"].get<std::string>();
        if (st.label(label.name)) return validation_failed("Label", "name", "already_exists");
        if (b->contains("color")) {
          if (!(*b)["color"].is_string() || !valid_color((*b)["color"].get<std::string>()))
            return validation_failed("Label", "color", "invalid");
          label.color = (*b)["color"].get<std::string>();
        }
        if (b->contains("description") && (*b)["description"].is_string())
          label.description = (*b)["description"].get<std::string>();
        st.labels.push_back(label);
        return json_response(201, label_json(label));
      }
    }
    return github_error(404, "Not Found");
  };

  FakeResponse out = serve();
  out.delay = std::max(out.delay, delay);
  return finish(std::move(out));
}

}  // namespace risksync::testing

// ---- GraphQL ----

namespace risksync::testing {

void FakeGitHub::set_graphql_parent_supported(bool supported) {
  std::lock_guard<std::mutex> lock(mutex_);
  impl_->graphql_parent = supported;
}

std::string FakeGitHub::graphql_path() const {
  std::string prefix = path_prefix_;
  if (prefix.size() >= 3 && prefix.compare(prefix.size() - 3, 3, "/v3") == 0)
    prefix.resize(prefix.size() - 3);
  return prefix + "/graphql";
}

void FakeGitHub::graphql_errors_next(std::string root_field, std::string type, std::string message,
                                     int times,
                                     std::vector<std::pair<std::string, std::string>> headers) {
  std::lock_guard<std::mutex> lock(mutex_);
  graphql_faults_.push_back(GraphQLFault{std::move(root_field), std::move(type), std::move(message),
                                         std::move(headers), times});
}

void FakeGitHub::hang_graphql_next(std::string root_field, int times) {
  std::lock_guard<std::mutex> lock(mutex_);
  GraphQLFault f{std::move(root_field), "", "", {}, times};
  f.hang = true;
  graphql_faults_.push_back(std::move(f));
}

FakeResponse FakeGitHub::graphql(const RecordedRequest& rq) {
  Impl& st = *impl_;
  if (rq.method != "POST") return github_error(404, "Not Found");
  const json request = json::parse(rq.body, nullptr, false);
  if (!request.is_object()) return github_error(400, "Problems parsing JSON");
  const auto answer_errors = [](json errors, json data = json()) {
    json out = json::object();
    if (!data.is_null()) out["data"] = std::move(data);
    out["errors"] = std::move(errors);
    return json_response(200, out);
  };
  const auto simple_error = [](const std::string& message) {
    return json{{"message", message}, {"locations", json::array({{{"line", 1}, {"column", 1}}})}};
  };
  if (!request.contains("query") || !request["query"].is_string())
    return answer_errors(
        json::array({simple_error("A query attribute must be specified and must be a string.")}));
  const json vars = request.contains("variables") && request["variables"].is_object()
                        ? request["variables"]
                        : json::object();
  const auto op = parse_graphql_operation(request["query"].get<std::string>());
  if (!op) return answer_errors(json::array({simple_error("Parse error: " + op.error().message)}));
  const std::string op_path = op->kind + (op->name.empty() ? "" : " " + op->name);

  // Variables: each used one defined, each non-null one without default given.
  for (const auto& v : op->variables) {
    if (!v.type.empty() && v.type.back() == '!' && !v.has_default &&
        (!vars.contains(v.name) || vars[v.name].is_null()))
      return answer_errors(json::array({simple_error("Variable $" + v.name + " of type " + v.type +
                                                     " was provided invalid value")}));
  }
  const std::function<json(const GqlValue&)> value_of = [&](const GqlValue& v) -> json {
    switch (v.kind) {
      case GqlValue::Kind::variable: {
        if (vars.contains(v.text)) return vars[v.text];
        for (const auto& d : op->variables)
          if (d.name == v.text && d.has_default) return value_of(d.default_value);
        return nullptr;
      }
      case GqlValue::Kind::integer:
        return std::stoll(v.text);
      case GqlValue::Kind::floating:
        return std::stod(v.text);
      case GqlValue::Kind::string:
      case GqlValue::Kind::enumeration:
        return v.text;
      case GqlValue::Kind::boolean:
        return v.text == "true";
      case GqlValue::Kind::null:
        return nullptr;
      case GqlValue::Kind::list: {
        json out = json::array();
        for (const auto& item : v.items) out.push_back(value_of(item));
        return out;
      }
      case GqlValue::Kind::object: {
        json out = json::object();
        for (const auto& [k, item] : v.fields) out[k] = value_of(item);
        return out;
      }
    }
    return nullptr;
  };
  const auto arg = [&](const GqlField& f, const std::string& name) -> json {
    for (const auto& [k, v] : f.arguments)
      if (k == name) return value_of(v);
    return nullptr;
  };

  json errors = json::array();
  const auto undefined = [&](const std::string& type, const GqlField& f) {
    errors.push_back(
        {{"path", json::array({op_path})},
         {"extensions", {{"code", "undefinedField"}, {"typeName", type}, {"fieldName", f.name}}},
         {"locations", json::array({{{"line", 1}, {"column", 1}}})},
         {"message", "Field '" + f.name + "' doesn't exist on type '" + type + "'"}});
  };
  const auto typed_error = [&](const std::string& type, json path, const std::string& message) {
    errors.push_back({{"type", type},
                      {"path", std::move(path)},
                      {"locations", json::array({{{"line", 2}, {"column", 3}}})},
                      {"message", message}});
  };

  const auto label_id = [](const std::string& name) {
    return "LA_kwDOfake" +
           std::to_string(9000000 +
                          static_cast<long long>(std::hash<std::string>{}(lower(name)) % 1000000));
  };
  const auto label_json = [&](const FakeLabel& l, const std::vector<GqlField>& sel) {
    json out = json::object();
    for (const auto& f : sel) {
      const std::string key = f.response_key();
      if (f.name == "id")
        out[key] = label_id(l.name);
      else if (f.name == "name")
        out[key] = l.name;
      else if (f.name == "color")
        out[key] = l.color;
      else if (f.name == "description")
        out[key] = l.description.empty() ? json(nullptr) : json(l.description);
      else if (f.name == "__typename")
        out[key] = "Label";
      else
        undefined("Label", f);
    }
    return out;
  };
  // A connection over `all` with first/after (cursor "cursor:<index of the next item>").
  const auto connection =
      [&](const std::string& type, const GqlField& f, std::size_t size,
          const std::function<json(std::size_t, const std::vector<GqlField>&)>& node) {
        const json first = arg(f, "first");
        if (!first.is_number_integer()) {
          typed_error("MISSING_PAGINATION_BOUNDARIES", json::array({f.name}),
                      "You must provide a `first` or `last` value to properly paginate the `" +
                          f.name + "` connection.");
          return json(nullptr);
        }
        if (first.get<long long>() > 100) {
          typed_error("EXCESSIVE_PAGINATION", json::array({f.name}),
                      "Requesting " + std::to_string(first.get<long long>()) + " records on the `" +
                          f.name + "` connection exceeds the `first` limit of 100 records.");
          return json(nullptr);
        }
        std::size_t start = 0;
        if (const json after = arg(f, "after"); after.is_string()) {
          const std::string c = after.get<std::string>();
          if (c.rfind("cursor:", 0) == 0) start = static_cast<std::size_t>(std::stoul(c.substr(7)));
        }
        const std::size_t end =
            std::min(size, start + static_cast<std::size_t>(first.get<long long>()));
        json out = json::object();
        for (const auto& g : f.selections) {
          const std::string key = g.response_key();
          if (g.name == "nodes") {
            json nodes = json::array();
            for (std::size_t k = start; k < end; ++k) nodes.push_back(node(k, g.selections));
            out[key] = nodes;
          } else if (g.name == "totalCount") {
            out[key] = size;
          } else if (g.name == "pageInfo") {
            json info = json::object();
            for (const auto& p : g.selections) {
              if (p.name == "hasNextPage")
                info[p.response_key()] = end < size;
              else if (p.name == "hasPreviousPage")
                info[p.response_key()] = start > 0;
              else if (p.name == "endCursor")
                info[p.response_key()] =
                    end > start ? json("cursor:" + std::to_string(end)) : json(nullptr);
              else if (p.name == "startCursor")
                info[p.response_key()] =
                    end > start ? json("cursor:" + std::to_string(start + 1)) : json(nullptr);
              else
                undefined("PageInfo", p);
            }
            out[key] = info;
          } else {
            undefined(type, g);
          }
        }
        return out;
      };
  std::function<json(const FakeIssue&, const std::vector<GqlField>&)> issue_json =
      [&](const FakeIssue& i, const std::vector<GqlField>& sel) -> json {
    json out = json::object();
    for (const auto& f : sel) {
      const std::string key = f.response_key();
      const std::string n = std::to_string(i.number);
      if (f.name == "id") {
        out[key] = "I_kwDOfake" + std::to_string(i.id);
      } else if (f.name == "databaseId") {
        out[key] = i.id;
      } else if (f.name == "number") {
        out[key] = i.number;
      } else if (f.name == "url") {
        out[key] = "https://github.com/" + owner_ + "/" + repo_ + "/issues/" + n;
      } else if (f.name == "title") {
        out[key] = i.title;
      } else if (f.name == "body") {
        out[key] = i.body;  // String! in GraphQL: "" rather than null
      } else if (f.name == "state") {
        out[key] = i.state == "closed" ? "CLOSED" : "OPEN";
      } else if (f.name == "stateReason") {
        std::string r = i.state_reason;
        for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out[key] = r.empty() ? json(nullptr) : json(r);
      } else if (f.name == "createdAt") {
        out[key] = created_at(i.number);
      } else if (f.name == "labels") {
        std::vector<const FakeLabel*> ls;
        for (const auto& name : i.labels)
          if (const FakeLabel* l = st.label(name)) ls.push_back(l);
        out[key] = connection(
            "LabelConnection", f, ls.size(),
            [&](std::size_t k, const std::vector<GqlField>& s) { return label_json(*ls[k], s); });
      } else if (f.name == "parent") {
        const FakeIssue* p = i.parent ? st.find(i.parent) : nullptr;
        out[key] = p ? issue_json(*p, f.selections) : json(nullptr);
      } else if (f.name == "__typename") {
        out[key] = "Issue";
      } else {
        undefined("Issue", f);
      }
    }
    return out;
  };
  const auto repository_json = [&](const GqlField& root) -> json {
    const json owner = arg(root, "owner");
    const json name = arg(root, "name");
    if (!owner.is_string() || !name.is_string() ||
        lower(owner.get<std::string>()) != lower(owner_) ||
        lower(name.get<std::string>()) != lower(repo_)) {
      typed_error("NOT_FOUND", json::array({root.response_key()}),
                  "Could not resolve to a Repository with the name '" +
                      (owner.is_string() ? owner.get<std::string>() : "") + "/" +
                      (name.is_string() ? name.get<std::string>() : "") + "'.");
      return nullptr;
    }
    json out = json::object();
    for (const auto& f : root.selections) {
      const std::string key = f.response_key();
      if (f.name == "id") {
        out[key] = repository_node_id();
      } else if (f.name == "name") {
        out[key] = repo_;
      } else if (f.name == "labels") {
        out[key] = connection("LabelConnection", f, st.labels.size(),
                              [&](std::size_t k, const std::vector<GqlField>& s) {
                                return label_json(st.labels[k], s);
                              });
      } else if (f.name == "issue") {
        const json number = arg(f, "number");
        FakeIssue* i = number.is_number_integer() ? st.find(number.get<int>()) : nullptr;
        if (!i || i->deleted || i->pull_request) {
          typed_error("NOT_FOUND", json::array({root.response_key(), key}),
                      "Could not resolve to an Issue with the number of " +
                          (number.is_null() ? std::string("null") : number.dump()) + ".");
          out[key] = nullptr;
        } else {
          out[key] = issue_json(*i, f.selections);
        }
      } else {
        undefined("Repository", f);
      }
    }
    return out;
  };
  const auto node_issue = [&](const std::string& node_id) -> FakeIssue* {
    for (auto& [n, i] : st.issues)
      if (!i.deleted && "I_kwDOfake" + std::to_string(i.id) == node_id) return &i;
    return nullptr;
  };
  const auto not_a_node = [&](const std::string& root, const std::string& id) {
    typed_error("NOT_FOUND", json::array({root}),
                "Could not resolve to a node with the global id of '" + id + "'");
  };
  const auto create_issue = [&](const GqlField& root) -> json {
    const std::string key = root.response_key();
    json input = arg(root, "input");
    static const std::set<std::string> known = {
        "clientMutationId", "repositoryId",  "title",      "body",
        "assigneeIds",      "milestoneId",   "labelIds",   "projectIds",
        "issueTemplate",    "parentIssueId", "issueTypeId"};
    const auto invalid = [&](const std::string& field, const std::string& why) {
      errors.push_back(
          {{"extensions",
            {{"value", input},
             {"problems", json::array({{{"path", json::array({field})}, {"explanation", why}}})}}},
           {"locations", json::array({{{"line", 1}, {"column", 30}}})},
           {"message", "Variable $input of type CreateIssueInput! was provided invalid value for " +
                           field + " (" + why + ")"}});
      return json(nullptr);
    };
    if (!input.is_object()) return invalid("input", "Expected value to not be null");
    for (const auto& [k, v] : input.items()) {
      if (!known.contains(k) || (k == "parentIssueId" && !st.graphql_parent))
        return invalid(k, "Field is not defined on CreateIssueInput");
    }
    if (!input.contains("repositoryId") || !input["repositoryId"].is_string())
      return invalid("repositoryId", "Expected value to not be null");
    if (!input.contains("title") || !input["title"].is_string())
      return invalid("title", "Expected value to not be null");
    // The selection is checked before anything is applied (GitHub validates first).
    const GqlField* issue_sel = nullptr;
    for (const auto& f : root.selections) {
      if (f.name == "issue")
        issue_sel = &f;
      else if (f.name != "clientMutationId")
        undefined("CreateIssuePayload", f);
    }
    if (issue_sel) issue_json(FakeIssue{}, issue_sel->selections);
    if (!errors.empty()) return nullptr;
    if (input["repositoryId"] != repository_node_id()) {
      not_a_node(key, input["repositoryId"].get<std::string>());
      return nullptr;
    }
    if (input["title"].get<std::string>().empty()) {
      typed_error("UNPROCESSABLE", json::array({key}), "Title can't be blank");
      return nullptr;
    }
    FakeIssue issue;
    issue.title = input["title"].get<std::string>();
    if (input.contains("body") && input["body"].is_string())
      issue.body = input["body"].get<std::string>();
    if (input.contains("labelIds") && input["labelIds"].is_array()) {
      for (const auto& id : input["labelIds"]) {
        const FakeLabel* found = nullptr;
        for (const auto& l : st.labels)
          if (id.is_string() && label_id(l.name) == id.get<std::string>()) found = &l;
        if (!found) {
          not_a_node(key, id.is_string() ? id.get<std::string>() : id.dump());
          return nullptr;
        }
        if (!st.drop_labels) issue.labels.push_back(found->name);
      }
    }
    FakeIssue* parent = nullptr;
    if (input.contains("parentIssueId") && !input["parentIssueId"].is_null()) {
      const json& pid = input["parentIssueId"];
      parent = pid.is_string() ? node_issue(pid.get<std::string>()) : nullptr;
      if (!parent || parent->pull_request) {
        not_a_node(key, pid.is_string() ? pid.get<std::string>() : pid.dump());
        return nullptr;
      }
      if (static_cast<int>(parent->sub_issues.size()) >= st.sub_issue_limit) {
        typed_error(
            "UNPROCESSABLE", json::array({key}),
            "Parent cannot have more than " + std::to_string(st.sub_issue_limit) + " sub-issues");
        return nullptr;
      }
    }
    issue.number = st.next_number++;
    issue.id = issue.number + kIdOffset;
    const int number = issue.number;
    st.issues[number] = std::move(issue);
    FakeIssue& created = st.issues[number];
    if (parent) {
      parent->sub_issues.push_back(number);
      created.parent = parent->number;
    }
    json out = json::object();
    for (const auto& f : root.selections) {
      if (f.name == "clientMutationId")
        out[f.response_key()] =
            input.contains("clientMutationId") ? input["clientMutationId"] : json(nullptr);
      else if (f.name == "issue")
        out[f.response_key()] = issue_json(created, f.selections);
    }
    return out;
  };

  // Injected errors, by root field: nothing is applied. Hangs: applied, answered late.
  std::chrono::milliseconds late{0};
  for (const auto& root : op->selections) {
    for (auto it = graphql_faults_.begin(); it != graphql_faults_.end(); ++it) {
      if (it->root_field != root.name) continue;
      if (it->hang) {
        late = std::chrono::seconds(10);
        if (--it->remaining <= 0) graphql_faults_.erase(it);
        break;
      }
      json e = {{"type", it->type},
                {"path", json::array({root.response_key()})},
                {"locations", json::array({{{"line", 2}, {"column", 3}}})},
                {"message", it->message}};
      FakeResponse r = answer_errors(json::array({e}), json{{root.response_key(), nullptr}});
      for (const auto& [k, v] : it->headers) r.with_header(k, v);
      if (--it->remaining <= 0) graphql_faults_.erase(it);
      return r;
    }
  }

  json data = json::object();
  for (const auto& root : op->selections) {
    if (op->kind == "query" && root.name == "repository") {
      data[root.response_key()] = repository_json(root);
    } else if (op->kind == "mutation" && root.name == "createIssue") {
      data[root.response_key()] = create_issue(root);
    } else {
      undefined(op->kind == "mutation" ? "Mutation" : "Query", root);
    }
  }
  // Validation errors (no `type`) come without data; execution errors with it.
  bool validation = false;
  for (const auto& e : errors) validation = validation || !e.contains("type");
  FakeResponse out = validation        ? answer_errors(errors)
                     : !errors.empty() ? answer_errors(errors, data)
                                       : json_response(200, json{{"data", data}});
  out.delay = late;
  return out;
}

}  // namespace risksync::testing
