// The Tracker interface: what a connector (GitHub, GitLab, Jira) offers to the sync engine.
// docs/DESIGN.md §5–6. The core decides *what* to do (sync/plan.h) from what the platform SHOWS; a
// connector only knows *how* to do one small thing on its platform.
//
// Contract for implementations:
//  - Every method is one small, repeatable step; it returns a value or an Error of kind remote.
//    Nothing throws across this interface. An Error says whether it stops the run
//    (Error::scope: refused token, missing permission, rate-limit budget spent, platform
//    unreachable or failing) or only its item (a 422 on one issue). Error::field names the
//    configuration key when one is to blame ("tracker.token_env", "tracker.repository").
//  - Retries, back-off and rate-limit pacing are NOT done here: they belong to net/ (the HTTP
//    transport a connector is given) and to the sync engine.
//  - list_managed() finds every managed item with one filtered, paginated listing (the
//    `risksync` label) and reports each item as the platform shows it: state, risksync's own
//    labels and people's, assignment, parent (ParentRef::unknown when the platform did not
//    say), related items, and risksync's block as read by the tracker's codec(). Items without
//    a valid marker are left out, never touched.
//  - update() applies one ItemChange in as few requests as the platform allows (GitHub: one
//    PATCH carries title, body, labels and state), then posts the comment when there is one.
//    Labels change by difference (add/remove), never by replacing people's labels.
//  - Connectors never overwrite what people own: text outside risksync's block, labels
//    risksync does not own, assignees, milestones, due dates, comments.
// Thread safety: used from one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sync/body_codec.h"
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

// What the platform says about an item's parent.
struct ParentRef {
  enum class Known { unknown, none, item };
  Known known = Known::unknown;
  std::string id;  // the parent's platform id when known == item

  static ParentRef unknown() { return {}; }
  static ParentRef none() { return {Known::none, {}}; }
  static ParentRef of(std::string id) { return {Known::item, std::move(id)}; }
  bool is(std::string_view parent_id) const { return known == Known::item && id == parent_id; }
  bool operator==(const ParentRef&) const = default;
};

// An item as it stands in the tracker.
struct RemoteItem {
  Marker marker;            // identity: key, kind, fp, h (sync/marker.h)
  std::string shown_block;  // risksync's block as the platform shows it (codec format)
  int stray_markers = 0;    // marker-looking text people left outside the block
  std::string id;      // platform's stable id (GitHub numeric `id`, GitLab global `id`, Jira key)
  std::string number;  // what people type: "12" (GitHub/GitLab), "SEC-12" (Jira)
  std::string url;     // web URL, shown on pages and in task lists
  std::string created_at;  // ISO-8601 UTC as the platform gives it; orders conflicts
  std::string title;
  std::string body;  // whole body, people's text included
  RemoteState state = RemoteState::open;
  bool assigned = false;
  std::vector<std::string> labels;
  ParentRef parent;
  std::vector<std::string> related;  // platform ids of related items (related_links trackers)
};

// Which of two items with the same key is the oldest (keeps the key in a conflict):
// created_at, then the numeric id, then the id as text.
bool older_than(const RemoteItem& a, const RemoteItem& b);

// A new item. `body` is complete (the codec has written risksync's block into it).
struct ItemSpec {
  std::string title;
  std::string body;
  std::vector<std::string> labels;  // the complete label set
  // The parent story, for platforms that set it in the create call (create_with_parent);
  // others create the item alone and the engine links it afterwards. Also set, for a measure,
  // in create_batch() calls (trackers whose sub-tasks name their parent on create).
  const RemoteItem* parent = nullptr;
  // The identity the new item carries. Markdown codecs also wrote it into `body`; trackers
  // whose codec keeps no marker in the body (Jira) store it where the platform keeps machine
  // data (an issue property).
  Marker marker{};
};

enum class CloseReason { completed, not_planned };

// A change to an existing item: only what differs from what the platform shows.
struct ItemChange {
  std::optional<std::string> title;
  std::optional<std::string> body;  // the complete new body
  std::vector<std::string> add_labels;
  std::vector<std::string> remove_labels;
  enum class State { keep, close, reopen };
  State state = State::keep;
  CloseReason close_reason = CloseReason::not_planned;
  std::string comment;  // left on the item after the change; empty: none
  // The identity to store, when it differs from the one the item shows (key, kind, fp, h).
  // Markdown trackers find it in `body` too; marker-outside-the-body trackers (Jira) write it.
  std::optional<Marker> marker;
  bool empty() const {
    return !title && !body && add_labels.empty() && remove_labels.empty() && state == State::keep &&
           !marker;
  }
};

struct LabelSpec {
  std::string name;
  std::string color;  // "rrggbb"
  std::string description;
};

// What a tracker can do, declared by it; the core plans accordingly.
struct TrackerCapabilities {
  std::size_t max_batch = 1;        // items per create_batch call
  bool create_with_parent = false;  // create() sets ItemSpec::parent itself
  bool reports_parents = true;      // list_managed() reports ParentRef (else unknown)
  // link_related() and RemoteItem::related are supported. With reports_parents false, a
  // measure is related to every one of its stories (the first one stands for the parent).
  bool related_links = false;
  bool assignment_means_started = true;  // open + assigned = in progress
  std::size_t max_children = 0;          // children per parent (GitHub: 100); 0 = no limit
};

class Tracker {
 public:
  virtual ~Tracker() = default;

  // e.g. "github (owner/name)"; for messages.
  virtual std::string describe() const = 0;
  virtual TrackerCapabilities capabilities() const = 0;
  virtual const BodyCodec& codec() const = 0;

  // Creates the labels risksync needs when absent (existing ones are left as they are).
  virtual Status ensure_labels(const std::vector<LabelSpec>& labels) = 0;

  // Every managed item, open and closed.
  virtual Result<std::vector<RemoteItem>> list_managed() = 0;

  virtual Result<RemoteItem> create(const ItemSpec& spec) = 0;

  // Creates several items; one result per spec, in order. The default calls create() one by
  // one and stops at a run-stopping error (the rest get that error too, unattempted). The
  // engine calls it with runs of at most capabilities().max_batch creates of one kind when
  // max_batch > 1 (stories first, then measures, whose ItemSpec::parent is set).
  virtual std::vector<Result<RemoteItem>> create_batch(const std::vector<ItemSpec>& specs);

  // Applies `change` to `current`; returns the item as it now stands.
  virtual Result<RemoteItem> update(const RemoteItem& current, const ItemChange& change) = 0;

  // Makes `child` a child of `parent` (GitHub sub-issue), replacing any other parent. Safe to
  // repeat.
  virtual Status link_parent(const RemoteItem& child, const RemoteItem& parent) = 0;

  // Links two items as related (GitLab relates_to, Jira "Relates"). Safe to repeat. The
  // default says the tracker has no such links.
  virtual Status link_related(const RemoteItem& a, const RemoteItem& b);
};

}  // namespace risksync
