// The Tracker interface: what a connector (GitHub, GitLab, Jira) offers to the sync engine.
// docs/DESIGN.md §5–6. The core decides *what* to do (sync/plan.h); a connector only knows *how*
// to do one thing on its platform.
//
// Contract for implementations:
//  - Every method is one small, repeatable step; it returns a value or an Error of kind remote
//    (a refused token included: Error::field then names the configuration key, e.g.
//    "tracker.token_env" or "tracker.repository").
//    Nothing throws across this interface.
//  - Retries, back-off and rate-limit pacing are NOT done here: they belong to net/ (the
//    HTTP transport a connector is given) and to the sync engine.
//  - `list_managed` finds every managed item with one filtered, paginated listing (the
//    `risksync` label), parsing the identity marker of each body (sync/marker.h). Items
//    without a valid marker are ignored, never touched.
//  - Connectors never overwrite what people own: text outside risksync's marked block, labels
//    risksync does not own, assignees, milestones, comments.
// Thread safety: used from one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sync/marker.h"
#include "util/result.h"

namespace risksync {

// Platform state, normalised. Connectors map their platform's vocabulary onto it.
enum class RemoteState {
  open,
  in_progress,         // platforms with an explicit "in progress" (Jira indeterminate)
  closed_completed,    // GitHub completed, GitLab closed, Jira done
  closed_not_planned,  // GitHub not_planned, Jira "Won't do" resolutions
  closed_duplicate,    // GitHub duplicate
};

bool is_closed(RemoteState s);

// An item as it stands in the tracker.
struct RemoteItem {
  Marker marker;       // parsed from the body: key, kind, parent, fingerprint, removed flag
  std::string id;      // platform's stable id (GitHub numeric `id`, GitLab iid, Jira key)
  std::string number;  // what people type: "12" (GitHub/GitLab), "SEC-12" (Jira)
  std::string url;     // web URL, shown on pages and in task lists
  std::string title;
  std::string body;  // whole body, people's text included
  RemoteState state = RemoteState::open;
  bool assigned = false;
  std::vector<std::string> labels;
  std::string parent_id;  // platform id of the parent item; empty when unknown
};

// What risksync wants an item to look like. The body is complete: plan_sync has already merged
// risksync's block into the existing body (merge_managed_block, sync/marker.h), so connectors
// send it as is.
struct ItemSpec {
  std::string title;
  std::string body;                 // the complete body for a create, incl. the marked block
  std::vector<std::string> labels;  // complete label set for a create; merged set for update
};

enum class CloseReason { completed, not_planned };

struct LabelSpec {
  std::string name;
  std::string color;  // "rrggbb"
  std::string description;
};

class Tracker {
 public:
  virtual ~Tracker() = default;

  // e.g. "github (owner/name)"; for messages.
  virtual std::string describe() const = 0;

  // Creates the labels risksync needs when absent (existing ones are left as they are).
  virtual Status ensure_labels(const std::vector<LabelSpec>& labels) = 0;

  // Every managed item, open and closed.
  virtual Result<std::vector<RemoteItem>> list_managed() = 0;

  // Creates an item; `parent` (when set) makes it a child of that item in one call where the
  // platform allows it.
  virtual Result<RemoteItem> create(const ItemSpec& spec, const RemoteItem* parent) = 0;

  // Writes title, body and labels (only those that differ from `current`).
  virtual Result<RemoteItem> update(const RemoteItem& current, const ItemSpec& spec) = 0;

  // Closes with a reason and leaves `comment` on the item. An item already closed is left as
  // it is (people's reason stands), without comment.
  virtual Result<RemoteItem> close(const RemoteItem& item, CloseReason reason,
                                   const std::string& comment) = 0;

  // Reopens and leaves `comment`; nothing (no comment either) when the item is already open.
  virtual Result<RemoteItem> reopen(const RemoteItem& item, const std::string& comment) = 0;

  // Makes `child` a child of `parent` (GitHub sub-issue). Safe to repeat.
  virtual Status link_parent(const RemoteItem& child, const RemoteItem& parent) = 0;
};

}  // namespace risksync
