// GitHubTracker: the Tracker (sync/tracker.h) over GitHub's REST API, version 2022-11-28
// (API-NOTES.md §1). Each abuser story is an issue; each possible measure a sub-issue.
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
//  - create(): POST .../issues {title, body, labels} — the create call has no parent field in
//    GitHub's official OpenAPI description, so the new issue has no parent (ParentRef::none)
//    and the engine links it with link_parent(). When GitHub silently drops the managed label
//    (a token without push access), the created issue could never be found again: create()
//    returns a run-stopping Error naming the new issue, and every later create() fails
//    without a request (no duplicate flood).
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

struct GitHubTrackerOptions {
  std::string owner;
  std::string repo;
  // The label every managed issue carries; the listing filters on it (docs/DESIGN.md §5).
  std::string managed_label = "risksync";
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

  // GitHub's limit of sub-issues per parent issue (closed ones included).
  static constexpr int kMaxSubIssues = 100;
  // Guard against a listing that never ends.
  static constexpr int kMaxListingPages = 1000;

 private:
  struct Context;  // what a request was doing, for messages

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

  GitHubTrackerOptions options_;
  net::HttpTransport& transport_;
  net::ListingCache* cache_;
  const net::Redactor* redactor_;
  std::string repo_path_;  // "/repos/{owner}/{repo}", percent-encoded
  ListingStats last_listing_;
  std::string labels_dropped_on;  // URL of an issue whose labels GitHub dropped at create
  MarkdownBodyCodec codec_;
};

}  // namespace risksync::github
