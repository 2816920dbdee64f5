// Sync is *plan, then apply* (docs/DESIGN.md §5).
//
//   match_items(analysis, remote)                  -> which remote item is which document item
//   statuses_from_remote(analysis, remote, match)  -> measure statuses read back
//   plan_sync(analysis, assessment, remote, match) -> the actions that make the tracker agree
//
// Contract: pure functions (no I/O, no clock). Running plan_sync on the state that applying
// its own actions produces yields no action (idempotence). Nothing here ever deletes: items
// that left the document are closed as not planned with a comment, and reopened when they
// come back.
#pragma once

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
  std::vector<std::size_t> orphans;     // managed items no longer in the document
  std::vector<std::size_t> duplicates;  // a second item with an already matched key: left alone
  std::optional<std::size_t> remote_of(ItemKind kind, std::string_view key) const;
};

// Stories: same key and text, then same text (renumbered), then same key (text edited), then
// the most similar text (≥ kSimilarityThreshold). Measures: same key, then same text under the
// same (possibly renumbered) story, then the most similar text within the same story.
inline constexpr double kSimilarityThreshold = 0.5;
Matching match_items(const Analysis& analysis, const std::vector<RemoteItem>& remote);

// How platform states become measure statuses (docs/DESIGN.md §2, issue 3).
struct StatusRules {
  std::string in_progress_label = "en cours";  // open + this label (or assigned) = in_progress
  std::string done_label;  // when set, closed-completed counts as done only with this label
};

MeasureStatus measure_status_of(const RemoteItem& item, const StatusRules& rules);

// Measures with a matched remote item get its status; the others are `todo`.
StatusMap statuses_from_remote(const Analysis& analysis, const std::vector<RemoteItem>& remote,
                               const Matching& matching, const StatusRules& rules);

enum class ActionOp { create, update, close, reopen, link_parent };
std::string_view to_string(ActionOp op);

struct Action {
  ActionOp op = ActionOp::update;
  ItemKind kind = ItemKind::story;
  std::string key;                    // the document key (for orphans: the key in the tracker)
  std::optional<std::size_t> remote;  // index into the remote vector; empty for create
  ItemSpec spec;                      // create/update: the complete title, body, labels
  std::string parent_key;             // create/link_parent: key of the parent story
  std::optional<std::size_t> parent_remote;  // its remote index when it already exists
  CloseReason close_reason = CloseReason::not_planned;
  std::string comment;               // close/reopen
  std::vector<std::string> changes;  // create/update: what differs ("title", "body", ...)
  std::string summary;               // one human line: "update AS2 (#14): title, body"
};

struct SyncOptions {
  Lang lang = Lang::fr;
  StatusRules rules;
  std::string source_file;  // shown in bodies and comments
};

// Labels risksync owns (it may add and remove them); every other label belongs to people.
bool is_owned_label(std::string_view label);
std::vector<std::string> story_labels(const AbuserStory& story);
std::vector<std::string> measure_labels(const Measure& measure);

struct Plan {
  std::vector<Action> actions;  // stories first, then measures, then links, then closes
  std::vector<Error> warnings;  // e.g. duplicate managed items
  bool empty() const { return actions.empty(); }
};

Plan plan_sync(const Analysis& analysis, const Assessment& assessment,
               const std::vector<RemoteItem>& remote, const Matching& matching,
               const SyncOptions& options);

}  // namespace risksync
