// FakeGitHub: an in-memory GitHub REST API (version 2022-11-28) for the part risksync uses,
// served on 127.0.0.1 by FakeHttpServer (tests/support), with its default strict framing (304s
// and 204s without Content-Length, as Apache and Rack send them; content chunked). It behaves
// like GitHub where risksync's correctness depends on it (API-NOTES.md §1):
//
//  - Auth: every request needs "Authorization: Bearer <token>" (or "token <token>"), else 401
//    {"message":"Bad credentials",...}. An X-GitHub-Api-Version other than 2022-11-28 or
//    2026-03-10 gets 400. Any repository other than owner/repo gets 404 {"message":"Not Found"}.
//    `path_prefix` ("/api/v3") emulates GHES.
//  - Issues: `number` auto-increments (shared with pull requests), `id` = number + 1000000,
//    html_url https://github.com/{o}/{r}/issues/{n}. Pull requests appear in issue listings
//    with a `pull_request` key. A deleted issue answers 410.
//  - GET /issues: state=open|closed|all (default open), labels=a,b (every label required,
//    case-insensitive), per_page (default 30, max 100), page, newest first; Link header with
//    rel first/prev/next/last built from the request's Host; weak ETag (hash of the page);
//    304 with an empty body when If-None-Match matches (no Link header on the 304).
//  - POST /issues: title required (422 missing_field), unknown labels are created, labels
//    dropped silently when `drop_labels_without_push` is set, `parent_issue_id` must be an
//    existing issue's `id` (422 otherwise) and respects the sub-issue limit.
//  - PATCH /issues/{n}: title, body, labels (REPLACE the set), state, state_reason — applied
//    only when `state` changes in the same request (closing defaults to completed, reopening
//    sets reopened).
//  - POST /issues/{n}/comments, GET /issues/{n}/comments.
//  - POST /issues/{n}/sub_issues {sub_issue_id, replace_parent}: sub_issue_id must be an
//    issue `id` (a `number` is refused with 422), 422 for a duplicate sub-issue, for a child
//    that has another parent without replace_parent, and beyond `sub_issue_limit` (100).
//    GET /issues/{n}/sub_issues (paginated), GET /issues/{n}/parent (404 when none).
//    Issue objects carry parent_issue_url and sub_issues_summary.
//  - GET /labels (paginated), POST /labels (422 already_exists, case-insensitive).
//  - GraphQL (POST /graphql; with the GHES prefix "/api/v3", POST /api/graphql), sharing the
//    issue store with REST, so a parent set by createIssue shows as parent_issue_url. The
//    document is read by tests/github/graphql_document.h and answered with GitHub's shapes:
//    HTTP 200 {"data": ...} holding exactly the fields selected, or {"data": null|{...},
//    "errors": [{type, path, locations, message}]}. Served: query repository(owner, name)
//    {id name labels(first, after){nodes{id name color description} totalCount pageInfo
//    {hasNextPage endCursor}} issue(number){…}}, and mutation createIssue(input:
//    {repositoryId, title, body, labelIds, parentIssueId, …}) {clientMutationId issue{id
//    databaseId number url title body state stateReason createdAt labels(…) parent{…}}}.
//    Node ids: repository "R_kgDOfake", label "LA_kwDOfake<n>", issue "I_kwDOfake<id>". An
//    unknown node id is NOT_FOUND ("Could not resolve to a node with the global id of '…'");
//    an unknown repository NOT_FOUND at path ["repository"]; a field the fake does not know
//    "Field 'x' doesn't exist on type 'T'" (undefinedField); an input field outside
//    CreateIssueInput, or parentIssueId when set_graphql_parent_supported(false) (an older
//    GHES), the variable error GitHub gives ("Variable $input of type CreateIssueInput! was
//    provided invalid value for parentIssueId (Field is not defined on CreateIssueInput)") and
//    nothing is created. Missing title / repositoryId: the same kind of variable error.
//  - Contents API (the `github-contents` wiki): GET /contents/{path}[?ref=branch] answers the
//    file ({type: "file", encoding: "base64", content wrapped every 60 characters, sha = git's
//    blob SHA-1, html_url}), an array for a folder, 404 when absent or for an unknown ref.
//    PUT /contents/{path} {message, content (base64), sha, branch}: 422 without message or
//    content or with invalid base64, 422 when the file exists and no sha is given, 409 when
//    the sha is not the current one, 404 for an unknown branch; 201 created, 200 updated,
//    each PUT one commit. Branches: "main" (the default) and those added with add_branch().
//
// Faults (checked before auth, in the order added, each consumed when it fires): answer the
// next N requests matching a method ("*" = any) and a path regex (matched against the path
// after path_prefix, without query) with a given response — 500/502, 422, 404, 403 secondary
// rate limit with retry-after, 429 with Retry-After, malformed JSON, an HTML page — or handle
// them normally but late (`delay_next`: slow server; `hang_next`: the state change is applied
// but the answer comes only after 10 s, cut short when the fake stops, so the client's read
// timeout fires and it sees a dead connection). FakeHttpServer cannot close a socket without
// answering; ClosingTcpServer (tests/support) covers that case.
//
// Thread safety: the handler runs on the server's threads; every public method locks, so tests
// may mutate state (as a person would on github.com) between calls of the code under test.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "support/fake_http_server.h"

namespace risksync::testing {

struct FakeLabel {
  std::string name;
  std::string color = "ededed";
  std::string description;
};

struct FakeIssue {
  int number = 0;
  std::int64_t id = 0;
  std::string title;
  std::string body;  // "" is served as null, as GitHub does
  std::string state = "open";
  std::string state_reason;  // "" = null
  std::vector<std::string> labels;
  std::vector<std::string> assignees;
  std::vector<std::string> comments;
  bool pull_request = false;
  bool deleted = false;
  int parent = 0;               // number of the parent issue, 0 when none
  std::vector<int> sub_issues;  // numbers, in the order added
};

// One answered request, for assertions: what came in and the status that went out.
struct FakeExchange {
  RecordedRequest request;
  int status = 0;
};

class FakeGitHub {
 public:
  static constexpr std::int64_t kIdOffset = 1000000;

  explicit FakeGitHub(std::string owner = "octo", std::string repo = "risks",
                      std::string token = "fake-github-token-for-tests",
                      std::string path_prefix = "");
  ~FakeGitHub();
  FakeGitHub(const FakeGitHub&) = delete;
  FakeGitHub& operator=(const FakeGitHub&) = delete;

  bool ok() const;
  // Base URL for the client: "http://127.0.0.1:PORT" + path_prefix.
  std::string base_url() const;
  const std::string& token() const { return token_; }
  const std::string& owner() const { return owner_; }
  const std::string& repo() const { return repo_; }
  // Heads of the responses as they went on the wire (FakeHttpServer::wire_response_heads).
  std::vector<std::string> wire_response_heads() const;

  // ---- state, as a person on github.com would change it ----
  int add_issue(std::string title, std::string body, std::vector<std::string> labels = {},
                std::string state = "open", std::string state_reason = "");
  int add_pull_request(std::string title, std::string body, std::vector<std::string> labels = {});
  void close_issue(int number, std::string reason = "completed");  // or not_planned, duplicate
  void reopen_issue(int number);
  void add_label(int number, const std::string& label);
  void assign(int number, const std::string& login);
  void edit_body(int number, std::string body);
  void delete_issue(int number);                   // then answers 410
  void add_sub_issue(int parent, int child);       // bypasses the limit check (seeding)
  void move_sub_issue(int child, int new_parent);  // 0: no parent any more
  void add_repo_label(FakeLabel label);
  // Contents API: a file of `branch` ("" = the default branch, "main").
  void add_file(const std::string& path, std::string content, const std::string& branch = "");
  void add_branch(const std::string& branch);
  // A person deletes a file on github.com.
  void delete_file(const std::string& path, const std::string& branch = "");

  std::optional<FakeIssue> issue(int number) const;
  std::vector<FakeIssue> issues() const;  // pull requests included
  std::vector<FakeLabel> labels() const;
  std::vector<std::string> comments(int number) const;
  std::vector<int> sub_issues(int parent) const;
  int parent_of(int number) const;  // 0 when none
  std::int64_t id_of(int number) const { return number + kIdOffset; }
  std::optional<std::string> file(const std::string& path, const std::string& branch = "") const;
  std::size_t commits() const;  // PUTs that wrote a file

  // ---- behaviour knobs ----
  void set_sub_issue_limit(int limit);
  void set_drop_labels_without_push(bool drop);  // create: labels silently dropped
  // false: createIssue refuses parentIssueId as an unknown input field (older GHES).
  void set_graphql_parent_supported(bool supported);
  // The GraphQL endpoint's path on the server: "/graphql", or "/api/graphql" for GHES.
  std::string graphql_path() const;
  std::string repository_node_id() const { return "R_kgDOfake"; }
  std::string node_id_of(int number) const { return "I_kwDOfake" + std::to_string(id_of(number)); }

  // ---- faults ----
  // In every fault and in count(), `method` is a method, "*" (any) or "WRITE" (any but GET
  // and HEAD).
  // Answers the next `times` requests matching `method` and `path_regex` with `response`.
  void respond_next(std::string method, std::string path_regex, FakeResponse response,
                    int times = 1);
  // GitHub-like JSON error: {"message": message or the status's usual text}.
  void fail_next(std::string method, std::string path_regex, int status, int times = 1,
                 std::string message = "");
  // 403 "You have exceeded a secondary rate limit" with retry-after: seconds.
  void secondary_rate_limit_next(std::string method, std::string path_regex, int retry_after_s,
                                 int times = 1);
  // 429 with Retry-After and x-ratelimit-remaining: 0.
  void too_many_requests_next(std::string method, std::string path_regex, int retry_after_s,
                              int times = 1);
  // Handles the next matching requests normally, answering after `delay`.
  void delay_next(std::string method, std::string path_regex, std::chrono::milliseconds delay,
                  int times = 1);
  // Applies the next matching requests, then answers only after 10 s (cut short at shutdown):
  // for the client, the connection went dead after the server acted.
  void hang_next(std::string method, std::string path_regex, int times = 1);
  // The next `times` GraphQL operations whose root field is `root_field` ("createIssue",
  // "repository") answer HTTP 200 {"data": {root_field: null}, "errors": [{"type": type,
  // "path": [root_field], "message": message}]}; nothing is applied. `headers` are added.
  void graphql_errors_next(std::string root_field, std::string type, std::string message,
                           int times = 1,
                           std::vector<std::pair<std::string, std::string>> headers = {});
  // The next `times` GraphQL operations with root field `root_field` are applied, then
  // answered only after 10 s (as hang_next): the client sees a lost answer.
  void hang_graphql_next(std::string root_field, int times = 1);
  std::size_t pending_faults() const;
  void clear_faults();

  // ---- request log ----
  std::vector<FakeExchange> exchanges() const;
  // Requests matching `method` ("*" any) and `path_regex` (path after the prefix, no query).
  std::size_t count(const std::string& method, const std::string& path_regex) const;
  std::size_t count_status(int status) const;
  void clear_log();

 private:
  struct Fault {
    std::string method;
    std::regex path;
    std::optional<FakeResponse> response;  // nullopt: handle normally
    std::chrono::milliseconds delay{0};
    int remaining = 1;
  };
  struct Impl;

  struct GraphQLFault {
    std::string root_field, type, message;
    std::vector<std::pair<std::string, std::string>> headers;
    int remaining = 1;
    bool hang = false;  // handled normally, answered late
  };

  FakeResponse handle(const RecordedRequest& request);
  FakeResponse graphql(const RecordedRequest& request);  // mutex_ held

  std::string owner_;
  std::string repo_;
  std::string token_;
  std::string path_prefix_;
  std::unique_ptr<Impl> impl_;
  mutable std::mutex mutex_;
  std::vector<Fault> faults_;
  std::vector<GraphQLFault> graphql_faults_;
  std::vector<FakeExchange> log_;
  std::unique_ptr<FakeHttpServer> server_;  // last: stopped first
};

}  // namespace risksync::testing
