// GitLabTracker: the Tracker (sync/tracker.h) over GitLab's REST API v4 and GraphQL
// (API-NOTES-2026.md §1). Each abuser story is an issue; each possible measure a task
// (issue_type=task) whose parent is its story.
//
// Contract
//  - Speaks only through the HttpTransport it is given (net/http.h), configured with
//    gitlab_api_base() and gitlab_default_headers() (PRIVATE-TOKEN). GraphQL goes to
//    gitlab_graphql_url() (an absolute URL on the same host). Retries, back-off and rate-limit
//    waits are the transport's; this class interprets the final status of each request.
//  - Preflight: before its first listing or write, GET /projects/:id (the path URL-encoded,
//    or the numeric id). 401 -> run-stopping Error, field "tracker.token_env"; 403 (a token
//    without the api/read_api scope) -> same field; 404 -> field "tracker.repository"; issues
//    disabled -> "tracker.repository". The access level shown in `permissions` (the higher of
//    project_access and group_access) must be at least Planner (15; Reporter, 20, on
//    instances older than 17.7) for risksync to write: otherwise listing works (`plan`) and
//    every write returns a run-stopping Error naming "tracker.token_env" without sending
//    anything.
//  - list_managed(): GET /projects/:id/issues?labels=<managed>&state=all&per_page=100 (tasks
//    come mixed in), following Link rel="next" (net::for_each_page). GitLab ignores
//    If-None-Match, so with a ListingCache the previous listing is kept (one entry: every raw
//    item, the largest `updated_at` as validator) and the next listing asks only for
//    `updated_after` that time, plus one `per_page=1` request whose x-total must equal the
//    merged count; otherwise (an item deleted or unlabelled, no x-total, unreadable cache) it
//    lists everything again. A lost cache costs one full listing, never a duplicate.
//  - Parents and related items, two modes chosen per run:
//      hierarchy (default): GraphQL project.workItems(iids:) reads each task's parent and
//      linked items; link_parent() is workItemUpdate with the hierarchy widget
//      (gid://gitlab/WorkItem/<id>); capabilities: reports_parents, related_links.
//      relates_to (fallback): when GraphQL refuses (no endpoint, schema without the widgets,
//      tasks off), parents become `relates_to` issue links (REST, read before written; 409 =
//      already there): reports_parents false, related_links true (the plan relates a measure
//      to every one of its stories). The switch is logged once, shown by describe(), kept for
//      the run and remembered in the ListingCache for the next runs.
//  - GitLab before 16.7 (GET /version, asked once and kept in the ListingCache) hides tasks
//    from REST: there measures are created as plain issues, in relates_to mode.
//  - State mapping: opened -> open (the in-progress rule is the core's, sync/plan.h); closed
//    with a drop label (options.drop_labels) or risksync's retired label -> closed_not_planned;
//    closed as a duplicate (_links.closed_as_duplicate_of) -> closed_duplicate; other closed
//    -> closed_completed.
//  - RemoteItem::id is GitLab's global `id` (the work item id of GraphQL), RemoteItem::number
//    the project `iid` (what REST paths and people use).
//  - create(): POST /projects/:id/issues {title, description, labels (comma string),
//    issue_type = task for a measure}. The new item has no parent; the engine links it.
//  - update(): ONE PUT with title, description, add_labels/remove_labels (people's labels are
//    never sent) and state_event (close|reopen); closing as not planned adds the first drop
//    label, reopening removes it. Then POST .../notes for the comment. Sends nothing when
//    nothing differs.
//  - Errors: kind remote, message "gitlab (<project>): <what was done>: <why>"; 401/403/429,
//    5xx and project-level 404 stop the run; the rest concern one item. Messages quote
//    GitLab's `message`/`error` (through the Redactor), never a token.
// Ownership: keeps references to the transport (and cache/redactor when given); they must
// outlive the tracker. Thread safety: one thread at a time (like the transport).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "net/http.h"
#include "net/listing_cache.h"
#include "net/redact.h"
#include "sync/tracker.h"

namespace risksync::gitlab {

inline constexpr std::string_view kDefaultApiUrl = "https://gitlab.com/api/v4";
// Access levels (GitLab's members API).
inline constexpr int kPlannerAccess = 15;

struct GitLabTrackerOptions {
  std::string project;  // "group/sub/project" or a numeric id
  std::string managed_label = "risksync";
  std::vector<std::string> drop_labels = {"abandonnée", "wontfix"};
  // Absolute GraphQL endpoint, gitlab_graphql_url(base); empty: GraphQL is not used (relates_to
  // mode from the start).
  std::string graphql_url;
};

// "PRIVATE-TOKEN: <token>" (registered with the transport's Redactor as a credential header).
net::Headers gitlab_default_headers(std::string_view token);

// The REST base URL: "" -> https://gitlab.com/api/v4; a URL without a path (https://host) ->
// https://host/api/v4; otherwise the URL without trailing slashes.
std::string gitlab_api_base(std::string_view api_url);

// The GraphQL endpoint next to a REST base: https://host/prefix/api/v4 ->
// https://host/prefix/api/graphql.
std::string gitlab_graphql_url(std::string_view api_base);

enum class ParentMode { hierarchy, relates_to };

// What the last list_managed() did, for logs, the run summary and tests.
struct GitLabListingStats {
  bool incremental = false;  // answered from the cached listing + updated_after
  int pages = 0;             // REST listing pages (the count request included)
  int graphql_queries = 0;
  int link_reads = 0;  // REST GET .../links (relates_to mode)
  int unmarked = 0;
  int malformed = 0;
};

class GitLabTracker final : public Tracker {
 public:
  GitLabTracker(GitLabTrackerOptions options, net::HttpTransport& transport,
                net::ListingCache* cache = nullptr, const net::Redactor* redactor = nullptr);

  // "gitlab (group/project)"; "gitlab (group/project; parents as relates_to links)" once the
  // fallback is in use.
  std::string describe() const override;
  TrackerCapabilities capabilities() const override;
  const BodyCodec& codec() const override { return codec_; }
  Status ensure_labels(const std::vector<LabelSpec>& labels) override;
  Result<std::vector<RemoteItem>> list_managed() override;
  Result<RemoteItem> create(const ItemSpec& spec) override;
  Result<RemoteItem> update(const RemoteItem& current, const ItemChange& change) override;
  Status link_parent(const RemoteItem& child, const RemoteItem& parent) override;
  Status link_related(const RemoteItem& a, const RemoteItem& b) override;

  ParentMode parent_mode() const { return mode_; }
  const GitLabListingStats& last_listing() const { return last_listing_; }

  static constexpr int kMaxListingPages = 1000;

 private:
  struct Context;
  struct Listed;

  Status preflight();
  void check_version();
  Status check_can_write(const Context& ctx) const;
  Result<net::HttpResponse> send(const Context& ctx, net::HttpRequest request);
  Error error_from(const Context& ctx, const net::HttpResponse& response) const;
  Error prefixed(const Context& ctx, const Error& error, bool with_target = true) const;
  Result<std::vector<Listed>> list_pages(const std::string& first_url);
  std::optional<std::vector<Listed>> incremental_listing(Status& failure);
  Status read_relations(std::vector<Listed>& items, bool all);
  Status read_relations_graphql(std::vector<Listed*>& items);
  Status read_relations_rest(std::vector<Listed*>& items);
  Result<std::vector<std::string>> related_ids_rest(const RemoteItem& item);
  Status add_relates_to_link(const RemoteItem& from, const RemoteItem& to);
  void switch_to_relates_to(const std::string& why);
  Result<RemoteItem> item_from_response(const Context& ctx, const net::HttpResponse& response,
                                        const Marker* fallback) const;
  bool read_block(RemoteItem& item) const;
  Status post_note(const RemoteItem& item, const std::string& body);
  std::string issue_path(const std::string& iid) const;
  std::string listing_cache_key() const;
  std::string mode_cache_key() const;
  std::string redacted(std::string_view text) const;

  GitLabTrackerOptions options_;
  net::HttpTransport& transport_;
  net::ListingCache* cache_;
  const net::Redactor* redactor_;
  std::string project_path_;  // "/projects/<encoded id or path>"
  bool preflight_done_ = false;
  std::string project_id_;         // numeric, from the preflight
  std::string project_full_path_;  // path_with_namespace, for GraphQL
  int access_level_ = -1;          // -1: not shown
  std::string write_refusal_;      // why writes are refused ("" = allowed)
  bool tasks_listed_ = true;       // false before GitLab 16.7: measures are created as issues
  ParentMode mode_ = ParentMode::hierarchy;
  std::string mode_reason_;
  GitLabListingStats last_listing_;
  std::string labels_dropped_on_;
  MarkdownBodyCodec codec_;
};

}  // namespace risksync::gitlab
