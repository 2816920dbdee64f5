// GitHubTracker: the Tracker (sync/tracker.h) over GitHub's REST API, version 2022-11-28
// (API-NOTES.md §1), and GraphQL for creates when create_api is graphql (the default). Each
// abuser story is an issue; each possible measure a sub-issue.
//
// Contract
//  - Speaks only through the HttpTransport it is given (net/http.h). The caller configures the
//    transport: base URL from github_api_base(), default headers from github_default_headers().
//    Retries, back-off and rate-limit waits are the transport's; this class interprets the
//    final status of each request.
//  - list_managed(): ONE listing, GET /repos/{o}/{r}/issues?labels=<managed_label>&state=all
//    &per_page=100, following the Link header's rel="next" (never building page URLs), through
//    net::fetch_pages (net/pagination.h). With a net::ListingCache, each page is requested with
//    If-None-Match and a 304 is answered from the cache (an unreadable cached copy is asked
//    for again without it). Pull requests (items with a `pull_request` key) and issues without a
//    valid risksync marker are skipped; an item missing `id`/`number` or of the wrong shape is
//    skipped with a warning log; a page that is not a JSON array is an Error naming the URL.
//  - State mapping: open -> open (the "in progress" rule is the core's, sync/plan.h);
//    closed + completed/null/unknown reason -> closed_completed; not_planned ->
//    closed_not_planned; duplicate -> closed_duplicate.
//  - RemoteItem::id is GitHub's numeric `id` (what sub_issue_id takes), RemoteItem::number the
//    issue number, RemoteItem::parent what `parent_issue_url` says: none, the `id` of a listed
//    issue, or "unlisted:<url>" for a parent risksync does not manage. created_at orders
//    conflicts. The marker and block are read by codec() (MarkdownBodyCodec).
//  - create(), create_api = rest: POST .../issues {title, body, labels} — the REST create has
//    no parent field in GitHub's official OpenAPI description, so the new issue has no parent
//    (ParentRef::none) and the engine links it with link_parent() (a second write).
//  - create(), create_api = graphql (capabilities().create_with_parent): ONE mutation
//    createIssue(input: {repositoryId, title, body, labelIds, parentIssueId}) at the GraphQL
//    endpoint (graphql_url: "/graphql" on github.com, "https://host/api/graphql" on GHES), the
//    parent being ItemSpec::parent's node id. The node ids come from: one query per run for
//    the repository id and its labels' ids (run at the first create, after ensure_labels()
//    created the labels through REST; asked again once when a label is missing), the listing's
//    and the creates' `node_id`, else one query for the parent's issue by number. A label
//    still unknown sends that one item through REST. The mutation is never retried blindly
//    (HttpRequest::idempotent false): after a lost answer the next sync finds the issue by its
//    marker. GraphQL errors (HTTP 200 with `errors[]`) map onto the REST scopes: NOT_FOUND of
//    the repository, FORBIDDEN, RATE_LIMITED (retry_at from x-ratelimit-reset) stop the run;
//    NOT_FOUND of a parent, UNPROCESSABLE and the rest concern the item. When GitHub refuses
//    `parentIssueId` itself (an older GHES whose CreateIssueInput lacks it), that item and
//    every later create of the run go through REST (+ link_parent), said once in a warning
//    log; capabilities().create_with_parent turns false.
//  - Both creates: when GitHub silently drops the managed label (a token without push access),
//    the created issue could never be found again: create() returns a run-stopping Error
//    naming the new issue, and every later create() fails without a request (no duplicate
//    flood).
//  - update(): ONE PATCH with the fields that differ — title, body, labels (people's labels as
//    shown kept; GitHub's `labels` replaces the set), state with its state_reason — then, when
//    the state changed and a comment is given, POST the comment. An item already in the wanted
//    state gets no state field and no comment (people's close reasons stand). Sends nothing
//    when nothing differs.
//  - link_parent(): POST .../issues/{parent number}/sub_issues {sub_issue_id: child's `id`,
//    replace_parent: true}; a 422 is success when GET .../issues/{child}/parent already names
//    that parent.
//  - 100 sub-issues per parent (GitHub's limit): create()/link_parent() say so in the Error.
//  - Errors: kind remote, message "github (o/r): <what was done>: <why>"; 401 -> field
//    "tracker.token_env" (bad or expired token), 404 on the repository -> field
//    "tracker.repository", so that app/ can tell them apart. 401, 403, 429, 5xx and
//    repository-level 3xx/404/410 stop the run (ErrorScope::run); the rest concern one item.
//    Messages quote GitHub's `message`/`errors[]` (passed through the Redactor when one is given),
//    never a token.
// Ownership: keeps references to the transport (and cache/redactor when given); they must
// outlive the tracker. Thread safety: one thread at a time (like the transport).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "net/http.h"
#include "net/listing_cache.h"
#include "net/redact.h"
#include "sync/tracker.h"

namespace risksync::github {

inline constexpr std::string_view kDefaultApiUrl = "https://api.github.com";
inline constexpr std::string_view kApiVersion = "2022-11-28";
inline constexpr std::string_view kMediaType = "application/vnd.github+json";

// How create() makes an issue (configuration key tracker.create_api).
enum class CreateApi {
  rest,     // POST /repos/{o}/{r}/issues, then POST …/sub_issues for a measure: 2 writes
  graphql,  // createIssue(parentIssueId): 1 write (README "Cost of a sync": the default)
};
inline constexpr CreateApi kDefaultCreateApi = CreateApi::graphql;

struct GitHubTrackerOptions {
  std::string owner;
  std::string repo;
  // The label every managed issue carries; the listing filters on it (docs/DESIGN.md §5).
  std::string managed_label = "risksync";
  CreateApi create_api = kDefaultCreateApi;
  // Where GraphQL requests go, relative to the transport's base URL or absolute on its host:
  // github_graphql_url(base URL of the transport).
  std::string graphql_url = "/graphql";
};

// The three headers every GitHub request carries: "Authorization: Bearer <token>",
// "Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28". Give them to
// the transport as default headers (HttpClientOptions::default_headers registers the token
// with the transport's Redactor).
net::Headers github_default_headers(std::string_view token);

// The REST base URL: "" -> "https://api.github.com"; "https://github.com" (a frequent slip)
// -> "https://api.github.com"; otherwise the given URL (GHES: "https://host/api/v3") without
// trailing slashes.
std::string github_api_base(std::string_view api_url);

// The GraphQL endpoint for a REST base URL (github_api_base()): "/graphql" (relative:
// https://api.github.com/graphql) unless the base path ends with "/api/v3" (GHES), then the
// absolute "https://host[:port]/api/graphql".
std::string github_graphql_url(std::string_view api_base);

// The GraphQL documents create() can send (tests check them against GitHub's schema).
struct GraphQLDocuments {
  static const std::string_view kRepositoryQuery;  // repository id + one page of labels
  static const std::string_view kIssueIdQuery;     // an issue's node id by number
  static const std::string_view kCreateIssue;      // the createIssue mutation
};

// What the last list_managed() saw, for logs, the run summary and tests.
struct ListingStats {
  int pages = 0;
  int not_modified_pages = 0;  // answered 304 and served from the ListingCache
  int pull_requests = 0;       // skipped
  int unmarked = 0;            // issues with the managed label but no valid marker: skipped
  int malformed = 0;           // items of the wrong shape: skipped with a warning
};

class GitHubTracker final : public Tracker {
 public:
  // `cache` (optional) enables conditional listings; `redactor` (optional, e.g.
  // HttpClient::redactor()) cleans text quoted from GitHub's answers.
  GitHubTracker(GitHubTrackerOptions options, net::HttpTransport& transport,
                net::ListingCache* cache = nullptr, const net::Redactor* redactor = nullptr);

  std::string describe() const override;  // "github (owner/name)"
  TrackerCapabilities capabilities() const override;
  const BodyCodec& codec() const override { return codec_; }
  Status ensure_labels(const std::vector<LabelSpec>& labels) override;
  Result<std::vector<RemoteItem>> list_managed() override;
  Result<RemoteItem> create(const ItemSpec& spec) override;
  Result<RemoteItem> update(const RemoteItem& current, const ItemChange& change) override;
  Status link_parent(const RemoteItem& child, const RemoteItem& parent) override;

  const ListingStats& last_listing() const { return last_listing_; }
  // Whether creates of this run went over to REST because GitHub refused parentIssueId.
  bool graphql_fell_back() const { return graphql_parent_refused_; }

  // GitHub's limit of sub-issues per parent issue (closed ones included).
  static constexpr int kMaxSubIssues = 100;
  // Guard against a listing that never ends.
  static constexpr int kMaxListingPages = 1000;

 private:
  struct Context {       // what a request was doing, for messages
    std::string action;  // "creating issue 'AS1 …'"
    std::string method;
    std::string target;            // path+query or absolute URL
    bool repository_level = true;  // a 404 means "no such repository" (else "no such issue")
    std::string issue_number;      // for issue-level messages
  };

  Result<net::HttpResponse> send(const Context& ctx, net::HttpRequest request);
  Error error_from(const Context& ctx, const net::HttpResponse& response) const;
  Error prefixed(const Context& ctx, const Error& error, bool with_target = true) const;
  Result<RemoteItem> item_from_response(const Context& ctx, const net::HttpResponse& response,
                                        const Marker* fallback) const;
  // Reads marker, block and stray markers into `item`; false when there is no block.
  bool read_block(RemoteItem& item) const;
  Status post_comment(const RemoteItem& item, const std::string& comment);
  // Whether `parent_number` already has kMaxSubIssues sub-issues (one GET); false when unsure.
  bool at_sub_issue_limit(const std::string& parent_number);
  std::string issue_path(const std::string& number) const;
  std::string redacted(std::string_view text) const;
  Result<RemoteItem> create_rest(const ItemSpec& spec);
  // The run-stopping Error of a create whose labels GitHub dropped; records the issue.
  Error labels_dropped(const Context& ctx, const RemoteItem& item);

  // ---- GraphQL ----
  // POSTs {query, variables} to graphql_url (a query idempotent, a mutation not) and returns
  // the answer's body when it has no `errors`; else the scoped Error. `parent_refused` (when
  // given) tells that GitHub refused the parentIssueId input field itself.
  Result<std::string> graphql(const Context& ctx, std::string_view document,
                              const std::string& variables_json, bool mutation,
                              bool* parent_refused = nullptr);
  Status load_repository_ids();
  Result<std::string> parent_node_id(const RemoteItem& parent);
  // Sets `via_rest` (and returns nothing useful) when this item must go through REST.
  Result<RemoteItem> create_graphql(const ItemSpec& spec, bool& via_rest);

  GitHubTrackerOptions options_;
  net::HttpTransport& transport_;
  net::ListingCache* cache_;
  const net::Redactor* redactor_;
  std::string repo_path_;  // "/repos/{owner}/{repo}", percent-encoded
  ListingStats last_listing_;
  std::string labels_dropped_on;  // URL of an issue whose labels GitHub dropped at create
  MarkdownBodyCodec codec_;
  // GraphQL node ids: of the repository, of labels (lower-case name -> id), of issues (GitHub
  // numeric `id` -> node id) seen in listings and creates.
  std::string repository_node_id_;
  std::map<std::string, std::string> label_node_ids_;
  bool labels_reloaded_ = false;
  mutable std::map<std::string, std::string> issue_node_ids_;  // filled by item_from_response
  bool graphql_parent_refused_ = false;
};

}  // namespace risksync::github
