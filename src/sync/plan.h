// Sync is *plan, then apply* (docs/DESIGN.md §5).
//
//   match_items(analysis, remote)                  -> which remote item is which document item
//   statuses_from_remote(analysis, remote, match)  -> measure statuses read back
//   plan_sync(analysis, assessment, remote, match) -> the actions that make the tracker agree
//
// Contract: pure functions (no I/O, no clock). The plan compares what the analysis wants with
// what the platform SHOWS (open/closed, parent, risksync's own labels, title, the content of
// risksync's block) — never with what risksync believes it wrote — so one clean sync after any
// interruption converges. Running plan_sync on the state that applying its own actions
// produces yields no action (idempotence). Nothing here ever deletes: items that left the
// document are closed as not planned with the retired label and a comment, and reopened when
// they come back. Items in conflict (a key carried by several items) keep the oldest; the
// others are reported and never written to.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/analysis.h"
#include "model/assessment.h"
#include "sync/tracker.h"

namespace risksync {

// Which remote item stands for which document item. Indices into the `remote` vector.
struct Matching {
  std::map<std::string, std::size_t, std::less<>> story;    // story id -> remote index
  std::map<std::string, std::size_t, std::less<>> measure;  // measure key -> remote index
  std::vector<std::size_t> orphans;    // managed items no longer in the document
  std::vector<std::size_t> conflicts;  // another item with the key of a matched, older one
  std::optional<std::size_t> remote_of(ItemKind kind, std::string_view key) const;
};

// Stories: same key and text, then same text (renumbered), then same key (text edited), then
// the most similar title (≥ kSimilarityThreshold). Measures: same key, then same text under the
// same (possibly renumbered) story, then the most similar title within the same story. Within
// each pass active items come before retired ones, and older before newer.
inline constexpr double kSimilarityThreshold = 0.5;
Matching match_items(const Analysis& analysis, const std::vector<RemoteItem>& remote);

// How platform states become measure statuses (docs/DESIGN.md §2). The one place of the rule.
struct StatusRules {
  std::string in_progress_label = "en cours";  // open + this label = in_progress
  bool assignment_means_started = true;        // open + assigned = in_progress
  std::string done_label;  // when set, closed-completed counts as done only with this label
};

MeasureStatus measure_status_of(const RemoteItem& item, const StatusRules& rules);

// Measures with a matched remote item get its status; the others are `todo`.
StatusMap statuses_from_remote(const Analysis& analysis, const std::vector<RemoteItem>& remote,
                               const Matching& matching, const StatusRules& rules);

// update: title/body/labels; close/reopen: an update that also changes the state.
enum class ActionOp { create, update, close, reopen, link_parent, link_related };
std::string_view to_string(ActionOp op);

struct Action {
  ActionOp op = ActionOp::update;
  ItemKind kind = ItemKind::story;
  std::string key;                    // the document key (for orphans: the key in the tracker)
  std::optional<std::size_t> remote;  // index into the remote vector; empty for create
  ItemSpec spec;                      // create: the complete title, body, labels
  ItemChange change;                  // update/close/reopen
  std::string parent_key;             // create/link_*: key of the (parent) story
  std::optional<std::size_t> parent_remote;  // its remote index when it already exists
  std::vector<std::string> changes;  // what differs ("title", "body", "labels", "state", ...)
  std::string summary;               // one human line: "update AS2 (#14): title, body"
};

struct SyncOptions {
  Lang lang = Lang::fr;
  StatusRules rules;
  std::string source_file;  // shown in bodies and comments
  // Asked before each write (sync/engine.h): true ends the writes as a run-stopping error
  // would, the write in flight having finished. Empty: never.
  std::function<bool()> stop_requested;
};

// Labels risksync owns (it may add and remove them); every other label belongs to people.
// kRetiredLabel marks an item risksync closed because it left the analysis.
inline constexpr std::string_view kRetiredLabel = "risksync:retiré";
bool is_owned_label(std::string_view label);
std::vector<std::string> story_labels(const AbuserStory& story);
std::vector<std::string> measure_labels(const Measure& measure);
// Whether the item was closed by risksync because it left the analysis (retired label, or the
// `removed` marker of older versions).
bool is_retired(const RemoteItem& item);

struct Plan {
  std::vector<Action> actions;  // gravest story first, each followed by its measures; then
                                // links, then closes
  std::vector<Error> warnings;  // conflicts, stray markers
  bool empty() const { return actions.empty(); }
};

Plan plan_sync(const Analysis& analysis, const Assessment& assessment,
               const std::vector<RemoteItem>& remote, const Matching& matching,
               const SyncOptions& options, const BodyCodec& codec,
               const TrackerCapabilities& capabilities);

// The order in which stories are created and updated: gravity, then current likelihood (both
// descending), then document order.
std::vector<const AbuserStory*> stories_gravest_first(const Analysis& analysis);

}  // namespace risksync
