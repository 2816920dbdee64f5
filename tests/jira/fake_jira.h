// FakeJira: an in-memory Jira, Cloud (REST v3) or Data Center (REST v2), served on 127.0.0.1 by
// FakeHttpServer (tests/support). It behaves like Jira where risksync depends on it
// (API-NOTES-2026.md §2, §3, §8):
//
//  - Auth: Cloud "Authorization: Basic base64(email:token)", DC "Authorization: Bearer <PAT>";
//    else 401 {"errorMessages":[…]}. Cloud serves /rest/api/3 (and answers 410 Gone, CHANGE-2046,
//    for /rest/api/{2,3}/search); DC serves /rest/api/2 only (no /search/jql: 404).
//  - GET myself, project/{key} (404 for another key), issue/createmeta/{key}/issuetypes
//    (Cloud `issueTypes`, DC `values`; Story, Task, Sub-task) and …/issuetypes/{id} (fields with
//    required/hasDefaultValue; require_field adds a required custom field), mypermissions
//    (set_permission).
//  - Search: Cloud POST /search/jql {jql, fields, properties, maxResults, nextPageToken}:
//    issues (only the fields asked), nextPageToken, isLast, no total. DC GET /search?jql=…
//    &startAt&maxResults&fields&properties: startAt, maxResults, total, issues. Pages hold at
//    most page_size issues (set_page_size). JQL understood: `project = "K"`, `labels = "x"`,
//    `ORDER BY key ASC|DESC`. set_search_lag(true): issues created from then on are invisible to
//    search (not to GET /issue) until set_search_lag(false).
//  - POST /issue/bulk {issueUpdates:[{fields, properties}]}: each element validated alone
//    (summary, issuetype of the project, parent for sub-task types and only for them, labels
//    without spaces, required fields, description an ADF document on v3 — a plain string is a
//    400 — and a string on v2); 201 {issues, errors[{status, elementErrors, failedElementNumber}]}
//    or 400 when every element failed. fail_bulk_elements_next: elements of the next call refused.
//  - GET/PUT /issue/{key} (fields summary, description, parent — Cloud only; DC refuses moving a
//    sub-task —, update.labels add/remove; another field: 400 not on the screen), PUT/GET
//    /issue/{key}/properties/{p}, POST /issue/{key}/comment (ADF on v3), POST /issueLink
//    (201 empty body; never de-duplicated; unknown type 404), issuelinks shown both ways.
//  - Workflows: standard (To Do/new, In Progress/indeterminate, Done/done whose transition lists
//    `resolution`, allowed Done, Won't Do, Duplicate) and livre (À faire, En cours, Livré/done,
//    whose transition lists no field: sending resolution is a 400). Every status can go to every
//    other; the new category clears the resolution.
//
// Faults (support/fault_plan.h; checked before auth, consumed as they fire) on the path after
// /rest/api/N: respond_next, fail_next (Jira-like JSON error), too_many_requests_next
// (Retry-After), delay_next, hang_next (applied, answered after 10 s, cut short on stop).
//
// Thread safety: every public method locks; tests may change the state between calls.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/fake_http_server.h"
#include "support/fault_plan.h"

namespace risksync::testing {

struct FakeJiraIssue {
  int number = 0;
  std::string id;   // "10001"…
  std::string key;  // "SEC-1"
  std::string type = "Story";
  std::string summary;
  std::string description;  // Cloud: ADF JSON text ("" = null); DC: wiki markup
  std::vector<std::string> labels;
  std::string status = "To Do";
  std::string resolution;                                  // "" = unresolved
  std::string parent;                                      // key
  std::vector<std::pair<std::string, std::string>> links;  // (type, other key), both ends
  std::map<std::string, std::string> properties;           // key -> JSON text
  std::map<std::string, std::string> custom_fields;        // id -> JSON text
  std::vector<std::string> comments;                       // as sent (JSON text on v3)
  std::string assignee;
  std::string workflow = "standard";
  int created_tick = 0;
  int updated_tick = 0;
  bool deleted = false;
};

struct FakeJiraExchange {
  RecordedRequest request;
  int status = 0;
};

class FakeJira {
 public:
  enum class Flavor { cloud, data_center };

  explicit FakeJira(Flavor flavor = Flavor::cloud, std::string project = "SEC",
                    std::string email = "rssi@example.test",
                    std::string token = "fake-jira-token-for-tests");
  ~FakeJira();
  FakeJira(const FakeJira&) = delete;
  FakeJira& operator=(const FakeJira&) = delete;

  bool ok() const;
  std::string base_url() const;  // "http://127.0.0.1:PORT" (the site, without /rest)
  Flavor flavor() const { return flavor_; }
  const std::string& project() const { return project_; }
  const std::string& email() const { return email_; }
  const std::string& token() const { return token_; }

  // ---- state, as a person on Jira would change it ----
  std::string add_issue(std::string summary, std::vector<std::string> labels = {},
                        std::string type = "Story", std::string parent = "");
  void set_status(const std::string& key, const std::string& status,
                  const std::string& resolution = "");
  void add_label(const std::string& key, const std::string& label);
  void assign(const std::string& key, const std::string& user);
  void edit_description(const std::string& key, std::string description);
  void set_parent(const std::string& key, const std::string& parent);
  void set_property(const std::string& key, const std::string& property, std::string json);
  void delete_issue(const std::string& key);
  std::optional<FakeJiraIssue> issue(const std::string& key) const;
  std::vector<FakeJiraIssue> issues() const;  // deleted ones left out

  // ---- behaviour knobs ----
  void set_workflow(const std::string& workflow);  // "standard" | "livre", every issue
  void require_field(const std::string& type, const std::string& field_id, const std::string& name);
  void set_permission(const std::string& permission, bool have);
  void set_page_size(int size);
  void set_search_lag(bool lagging);
  // The elements (0-based) of the next bulk create refused with a 400 element error.
  void fail_bulk_elements_next(std::set<int> elements);
  void remove_issue_type(const std::string& name);

  // ---- faults ----
  void respond_next(std::string method, std::string path_regex, FakeResponse response,
                    int times = 1);
  void fail_next(std::string method, std::string path_regex, int status, int times = 1,
                 std::string message = "");
  void too_many_requests_next(std::string method, std::string path_regex, int retry_after_s,
                              int times = 1);
  void delay_next(std::string method, std::string path_regex, std::chrono::milliseconds delay,
                  int times = 1);
  void hang_next(std::string method, std::string path_regex, int times = 1);
  void clear_faults();

  // ---- request log ----
  std::vector<FakeJiraExchange> exchanges() const;
  // Requests matching `method` ("*", "WRITE" or a method) and `path_regex` (path after
  // /rest/api/N), without query. "WRITE" leaves out POST /search/jql, a read.
  std::size_t count(const std::string& method, const std::string& path_regex) const;
  void clear_log();

 private:
  FakeResponse handle(const RecordedRequest& request);
  FakeJiraIssue* find(const std::string& key);
  std::string category_of(const FakeJiraIssue& issue) const;
  void touch(FakeJiraIssue& issue);

  Flavor flavor_;
  std::string project_;
  std::string email_;
  std::string token_;
  mutable std::mutex mutex_;
  std::vector<FakeJiraIssue> issues_;
  std::map<std::string, std::map<std::string, std::string>> required_;  // type -> id -> name
  std::map<std::string, bool> permissions_;
  std::set<std::string> removed_types_;
  std::set<int> bulk_failures_;
  int page_size_ = 50;
  std::optional<std::size_t> lag_mark_;
  int clock_ = 0;
  std::string default_workflow_ = "standard";
  FaultPlan faults_;
  std::vector<FakeJiraExchange> log_;
  std::unique_ptr<FakeHttpServer> server_;  // last: stopped first
};

}  // namespace risksync::testing
