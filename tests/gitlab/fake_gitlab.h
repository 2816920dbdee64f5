// FakeGitLab: an in-memory GitLab (REST v4 + the part of GraphQL risksync uses), served on
// 127.0.0.1 by FakeHttpServer (tests/support). It behaves like GitLab where risksync depends
// on it (API-NOTES-2026.md §1):
//
//  - Auth: every request needs "PRIVATE-TOKEN: <token>", else 401 {"message":"401
//    Unauthorized"}. REST under /api/v4, GraphQL at POST /api/graphql.
//  - Project: addressed by its URL-encoded path ("group%2Fsub%2Fproject") or numeric id
//    (kProjectId); anything else 404 {"message":"404 Project Not Found"}. GET /projects/:id
//    shows id, path_with_namespace, issues_enabled and permissions.project_access.access_level
//    (set_access_level; -1 = not a member: both null).
//  - Issues: `iid` counts from 1 in the project, `id` = iid + kIdOffset (global). state
//    opened|closed; labels are a comma string in requests and an array of names in answers;
//    issue_type issue|task (tasks are mixed into /issues unless set_tasks_hidden, as before
//    GitLab 16.7); updated_at moves on every change (a fake clock, one second per change).
//  - GET /issues: labels (all required), state (opened|closed|all, default all),
//    updated_after (on or after), order_by created_at|updated_at, sort asc|desc (default
//    created_at desc), per_page (default 20, max 100), page; headers Link (prev/next/first/
//    last), x-next-page, x-page, x-per-page, x-prev-page, x-total, x-total-pages. No ETag, and
//    If-None-Match is ignored: never a 304.
//  - POST /issues {title (400 when missing), description, labels, issue_type}; GET/PUT
//    /issues/:iid {title, description, labels (replace), add_labels, remove_labels,
//    state_event close|reopen} (400 with no attribute); POST /issues/:iid/notes.
//  - Issue links: GET /issues/:iid/links (linked issues with issue_link_id, link_type), POST
//    {target_project_id, target_issue_iid, link_type} (409 when the link exists; both ways).
//  - Labels: GET (paginated) and POST /labels (409 "Label already exists").
//  - Wiki (API-NOTES-2026 §1.5): GET /wikis (list; with_content=1 adds content), GET/PUT
//    /wikis/:slug (slug URL-encoded; 404 "404 Wiki Page Not Found"), POST /wikis {title,
//    content, format} (slug = title with spaces as '-'; 400 when the page exists; format
//    default markdown), POST /wikis/attachments (multipart, field `file`): a new
//    uploads/<32 hex>/<file name> path on every upload, 201 {file_name, file_path, branch,
//    link{url, markdown}}. No version lock. set_wiki_enabled(false): GET /projects/:id shows
//    wiki_enabled false / wiki_access_level "disabled" and every /wikis request is 404.
//  - GraphQL (set_graphql): full: project(fullPath).workItems(iids:) with the hierarchy and
//    linked-items widgets, workItemUpdate(hierarchyWidget.parentId) (only a task under an
//    issue; a parent replaces the previous one); refuse_hierarchy: an older instance whose
//    schema has no such widgets (200 with top-level errors); absent: 404.
//
// Faults (support/fault_plan.h; checked before auth, in the order added, consumed as they fire):
// the next N requests matching a method ("*" any, "WRITE" any but GET) and a path regex (the path
// after /api/v4, or
// "/graphql") get a given response; or are handled normally but answered late (delay_next;
// hang_next: applied, answered only after 10 s, cut short when the fake stops).
//
// Thread safety: every public method locks; tests may change the state between calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "support/fake_http_server.h"
#include "support/fault_plan.h"

namespace risksync::testing {

struct FakeGitLabIssue {
  int iid = 0;
  std::int64_t id = 0;
  std::string title;
  std::string description;  // "" is served as null
  std::string state = "opened";
  std::string issue_type = "issue";
  std::vector<std::string> labels;
  std::vector<std::string> assignees;
  std::vector<std::string> notes;
  int parent = 0;       // iid of the parent (work item hierarchy), 0 = none
  std::set<int> links;  // iids of relates_to links
  int created_tick = 0;
  int updated_tick = 0;
  bool deleted = false;
};

struct FakeGitLabWikiPage {
  std::string slug;
  std::string title;
  std::string content;
  std::string format = "markdown";
};

struct FakeGitLabUpload {
  std::string file_path;  // "uploads/<32 hex>/<file_name>"
  std::string file_name;
  std::string content;
  bool deleted = false;
};

struct FakeGitLabExchange {
  RecordedRequest request;
  int status = 0;
};

class FakeGitLab {
 public:
  static constexpr std::int64_t kIdOffset = 500000;
  static constexpr std::int64_t kProjectId = 4242;
  enum class GraphQl { full, refuse_hierarchy, absent };

  explicit FakeGitLab(std::string project_path = "secu/sub/risques",
                      std::string token = "fake-gitlab-token-for-tests");
  ~FakeGitLab();
  FakeGitLab(const FakeGitLab&) = delete;
  FakeGitLab& operator=(const FakeGitLab&) = delete;

  bool ok() const;
  std::string base_url() const;     // "http://127.0.0.1:PORT/api/v4"
  std::string graphql_url() const;  // "http://127.0.0.1:PORT/api/graphql"
  const std::string& token() const { return token_; }
  const std::string& project_path() const { return project_path_; }

  // ---- state, as a person on GitLab would change it ----
  int add_issue(std::string title, std::string description, std::vector<std::string> labels = {},
                std::string issue_type = "issue");
  void close_issue(int iid, const std::string& with_label = "");
  void reopen_issue(int iid);
  void add_label(int iid, const std::string& label);
  void remove_label(int iid, const std::string& label);
  void assign(int iid, const std::string& username);
  void edit_description(int iid, std::string description);
  void set_parent(int child, int parent);  // 0: none
  void delete_issue(int iid);

  // Wiki, as a person changes it (title -> slug as GitLab does).
  void set_wiki_page(const std::string& title, std::string content);
  void delete_wiki_upload(const std::string& file_path);
  std::optional<FakeGitLabWikiPage> wiki_page(const std::string& slug) const;
  std::vector<FakeGitLabUpload> wiki_uploads() const;  // deleted ones left out, oldest first
  static std::string wiki_slug(std::string_view title);

  std::optional<FakeGitLabIssue> issue(int iid) const;
  std::vector<FakeGitLabIssue> issues() const;  // deleted ones left out
  std::vector<std::string> label_names() const;

  // ---- behaviour knobs ----
  void set_access_level(int level);  // default 30 (Developer); -1: not a member
  void set_issues_enabled(bool enabled);
  void set_wiki_enabled(bool enabled);
  void set_graphql(GraphQl mode);
  // Also sets the version GET /version shows ("18.6.0-ee" by default; "16.5.0" for hidden).
  void set_tasks_hidden(bool hidden);
  void set_version(std::string version);  // "" : GET /version answers 404

  // ---- faults ----
  void respond_next(std::string method, std::string path_regex, FakeResponse response,
                    int times = 1);
  // GitLab-like JSON error {"message": message or the status's usual text}.
  void fail_next(std::string method, std::string path_regex, int status, int times = 1,
                 std::string message = "");
  // 429 "Retry later" (text/plain, as Rack::Attack answers), with Retry-After when >= 0.
  void too_many_requests_next(std::string method, std::string path_regex, int retry_after_s,
                              int times = 1);
  void delay_next(std::string method, std::string path_regex, std::chrono::milliseconds delay,
                  int times = 1);
  void hang_next(std::string method, std::string path_regex, int times = 1);
  void clear_faults();

  // ---- request log ----
  std::vector<FakeGitLabExchange> exchanges() const;
  // Requests matching `method` ("*", "WRITE" or a method) and `path_regex` (path after /api/v4,
  // or "/graphql"), without query.
  std::size_t count(const std::string& method, const std::string& path_regex) const;
  void clear_log();

 private:
  FakeResponse handle(const RecordedRequest& request);
  FakeResponse handle_graphql(const RecordedRequest& request);
  FakeResponse handle_wiki(const RecordedRequest& request, const std::string& rest);
  FakeGitLabIssue* find(int iid);
  FakeGitLabIssue* find_by_id(std::int64_t id);
  void touch(FakeGitLabIssue& issue);

  std::string project_path_;
  std::string token_;
  mutable std::mutex mutex_;
  std::vector<FakeGitLabIssue> issues_;
  std::vector<std::string> labels_;
  int clock_ = 0;
  int next_link_id_ = 1;
  int access_level_ = 30;
  bool issues_enabled_ = true;
  bool wiki_enabled_ = true;
  std::vector<FakeGitLabWikiPage> wiki_pages_;
  std::vector<FakeGitLabUpload> uploads_;
  GraphQl graphql_ = GraphQl::full;
  bool tasks_hidden_ = false;
  std::string version_ = "18.6.0-ee";
  FaultPlan faults_;
  std::vector<FakeGitLabExchange> log_;
  std::unique_ptr<FakeHttpServer> server_;  // last: stopped first
};

}  // namespace risksync::testing
