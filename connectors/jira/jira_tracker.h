// JiraTracker: the Tracker (sync/tracker.h) over Jira's REST API, Cloud (v3, descriptions and
// comments in Atlassian Document Format) and Data Center (v2, wiki markup); API-NOTES-2026.md
// §2, §3, §8, §9. Each abuser story is an issue of `story_type`; each possible measure a
// sub-task (`subtask_type`) of its first story, related to its other stories by issue links of
// `link_type`.
//
// Contract
//  - Speaks only through the HttpTransport it is given (net/http.h), whose base URL is the
//    site (https://acme.atlassian.net, https://jira.example[/context]) and whose default
//    headers are jira_default_headers() (Cloud: Basic base64(email:token); DC: Bearer PAT).
//    Retries, back-off and rate-limit waits are the transport's; this class interprets the
//    final status of each request.
//  - Bodies are the codec's: it is given one (connectors/jira/jira_body_codec.h: ADF JSON text
//    on Cloud, wiki markup on DC) and sends Cloud descriptions as the JSON document they are.
//  - Identity: the marker is NOT in the body. It is the issue entity property `risksync`
//    ({key, kind, fp, h}), set in the bulk-create call itself (`properties`, so an issue never
//    exists without it) and by PUT …/properties/risksync when it changes; read back by the
//    listing (`properties=risksync`). The `risksync` label is the JQL filter. Issues without a
//    readable property are left out, never touched.
//  - Preflight, before the first listing or write, run-stopping, nothing written:
//    GET myself (401/403 -> field tracker.token_env, Cloud also names tracker.email_env);
//    GET project/{key} (404 -> tracker.repository); GET createmeta/{key}/issuetypes (story_type
//    or subtask_type missing -> that key, with the types the project has) and each type's
//    fields (a required field without a default and without a static value in
//    [tracker.fields.<type>] -> that key, naming the fields; `labels` absent from the create
//    screen -> tracker.story_type/subtask_type); GET mypermissions (CREATE_ISSUES,
//    TRANSITION_ISSUES, EDIT_ISSUES missing: listing works, every write is refused, run-stopping,
//    field tracker.token_env, before anything is sent).
//  - list_managed(): JQL `project = "KEY" AND labels = "risksync"`, fields summary, status,
//    resolution, labels, parent, issuelinks, issuetype, description, updated, created, assignee;
//    properties=risksync. Cloud: POST /rest/api/3/search/jql (nextPageToken/isLast,
//    net::NextPageTokenPages); DC: GET /rest/api/2/search (startAt/total, net::StartAtPages).
//    Cloud's search lags behind writes: after the listing, the issues created after the newest
//    one search shows (`project = KEY ORDER BY key DESC`, one issue) are read directly by key
//    (GET /issue/KEY-n+1, KEY-n+2 … until a 404, at most kMaxLagProbes), which Jira serves from
//    the database: what a crashed run created a moment ago is found and never created twice.
//  - State: statusCategory new -> open, indeterminate -> in_progress, done -> closed_completed,
//    or, with a resolution in drop_resolutions, closed_not_planned ("Duplicate":
//    closed_duplicate). Assignment does not mean started (capabilities).
//  - create_batch(): POST /rest/api/{3|2}/issue/bulk, at most kMaxBulkCreate per call, each with
//    project, summary, issuetype, description, labels, the type's static fields, `parent`
//    (measures: the key of their story) and the property. The engine sends stories first and
//    measures in a later call (a sub-task cannot name a parent created in the same call).
//    `errors[].failedElementNumber` fail their item only; a 400 naming required fields names
//    them and tracker.fields.<type>.
//  - update(): PUT /issue/{key} (summary, description; labels by update add/remove, people's
//    labels never sent), PUT …/properties/risksync when the marker changes, then the state:
//    GET …/transitions?expand=transitions.fields, a transition whose to.statusCategory.key is
//    done (close) or new (reopen); `resolution` is sent only when that transition lists it
//    (a drop resolution when closing as not planned); then POST …/comment (ADF on Cloud, wiki
//    markup on DC). No such transition: an item-scoped Error naming the transitions offered.
//  - link_parent(): PUT /issue/{key} {fields.parent.key}. Jira Cloud accepts it for a sub-task
//    of the same project; Data Center refuses to move a sub-task through REST: there the Error
//    (item-scoped) says to move it back by hand (More > Convert / Move).
//  - link_related(): reads fields.issuelinks first (Jira does not de-duplicate), then POST
//    /rest/api/{v}/issueLink {type.name, inwardIssue, outwardIssue} (201, empty body).
//  - Errors: kind remote, message "jira (<KEY>): <what was done> (<METHOD> <path>): <why>",
//    quoting Jira's errorMessages/errors through the Redactor, never a token. 401/403/410/429,
//    5xx and project-level 404 stop the run; the rest concern one item.
// Ownership: keeps references to the transport, the codec (and the redactor when given); they
// must outlive the tracker. Thread safety: one thread at a time (like the transport).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/jira/jira_connector.h"
#include "net/http.h"
#include "net/redact.h"
#include "sync/tracker.h"

namespace risksync::jira {

enum class Flavor { cloud, data_center };
std::string_view to_string(Flavor flavor);

struct JiraTrackerOptions {
  Flavor flavor = Flavor::cloud;
  std::string project;  // the project key, "SEC"
  // Where people see issues: "<site>/browse/KEY-1". The transport's base URL, as configured.
  std::string site_url;
  std::string story_type = std::string(kDefaultStoryType);
  std::string subtask_type;  // "" : kDefaultSubtaskType, else the project's first sub-task type
  std::string link_type = std::string(kDefaultLinkType);
  std::vector<std::string> drop_resolutions = kDefaultDropResolutions;
  // Static field values per issue type name: field id -> value as JSON text ("\"x\"", "{…}").
  std::map<std::string, std::map<std::string, std::string>> static_fields;
  std::string managed_label = "risksync";
  std::string property_key = "risksync";
};

// Cloud: "Authorization: Basic base64(email:token)"; DC: "Authorization: Bearer <PAT>". Plus
// Accept: application/json. (The transport's Redactor registers Authorization as a credential.)
net::Headers jira_default_headers(Flavor flavor, std::string_view email, std::string_view token);

// The marker as the `risksync` entity property holds it, and back (nullopt when malformed).
std::string marker_property_json(const Marker& marker);
std::optional<Marker> marker_from_property_json(std::string_view json_text);

// What the last list_managed() did, for logs and tests.
struct JiraListingStats {
  int pages = 0;
  int lag_probes = 0;      // direct reads of keys after the newest one search showed
  int found_by_probe = 0;  // managed issues search did not show yet
  int unmarked = 0;
  int malformed = 0;
};

class JiraTracker final : public Tracker {
 public:
  JiraTracker(JiraTrackerOptions options, net::HttpTransport& transport, const BodyCodec& codec,
              const net::Redactor* redactor = nullptr);

  std::string describe() const override;  // "jira (SEC)", "jira data-center (SEC)"
  TrackerCapabilities capabilities() const override;
  const BodyCodec& codec() const override { return codec_; }
  Status ensure_labels(const std::vector<LabelSpec>& labels) override;
  Result<std::vector<RemoteItem>> list_managed() override;
  Result<RemoteItem> create(const ItemSpec& spec) override;
  std::vector<Result<RemoteItem>> create_batch(const std::vector<ItemSpec>& specs) override;
  Result<RemoteItem> update(const RemoteItem& current, const ItemChange& change) override;
  Status link_parent(const RemoteItem& child, const RemoteItem& parent) override;
  Status link_related(const RemoteItem& a, const RemoteItem& b) override;

  const JiraListingStats& last_listing() const { return last_listing_; }

  static constexpr int kMaxListingPages = 1000;
  static constexpr int kMaxLagProbes = 50;

 private:
  struct Context;
  struct IssueType {
    std::string id;
    std::string name;
    bool subtask = false;
    std::map<std::string, bool> screen;  // field id -> required without default
  };

  Status preflight();
  Status read_issue_types();
  Status read_type_fields(IssueType& type, const std::string& config_key);
  Status check_can_write(const Context& ctx) const;
  Result<net::HttpResponse> send(const Context& ctx, net::HttpRequest request);
  Error error_from(const Context& ctx, const net::HttpResponse& response) const;
  Error prefixed(const Context& ctx, const Error& error, bool with_target = true) const;
  std::string api(std::string_view rest) const;  // "/rest/api/3" + rest
  std::string fields_param() const;
  Status probe_after_search(std::vector<RemoteItem>& items, std::vector<std::string>& seen);
  std::vector<Result<RemoteItem>> create_chunk(const std::vector<const ItemSpec*>& specs);
  Status set_property(const RemoteItem& item, const Marker& marker);
  Status transition(RemoteItem& item, const ItemChange& change);
  Status comment(const RemoteItem& item, const std::string& text);
  std::string redacted(std::string_view text) const;
  bool cloud() const { return options_.flavor == Flavor::cloud; }

  JiraTrackerOptions options_;
  net::HttpTransport& transport_;
  const BodyCodec& codec_;
  const net::Redactor* redactor_;
  bool preflight_done_ = false;
  std::string write_refusal_;
  IssueType story_type_;
  IssueType subtask_type_;
  JiraListingStats last_listing_;
};

}  // namespace risksync::jira
