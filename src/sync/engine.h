// One sync cycle against a Tracker: list, match, read statuses, assess, plan, apply.
//
//   run_sync(..., apply=false)  = `risksync plan`: reads only, writes nothing
//   run_sync(..., apply=true)   = `risksync sync`
//
// Contract:
//  - The analysis given has been fully validated before (nothing is written otherwise).
//  - Each action is applied once, in plan order; a failed action is reported and the run goes
//    on with the other items (git-bug bridges); later actions on the same key are skipped.
//  - A run-stopping error (Error::stops_run: refused token, missing permission, rate-limit
//    budget spent, platform unreachable) ends the writes at once: every remaining action is
//    reported as not attempted (ActionResult::attempted false) and the next run resumes.
//  - A stop request (SyncOptions::stop_requested, asked before each write) ends the writes the
//    same way, with a run-stopping error saying so: nothing is left half-done, since each
//    action is one write and the next run resumes from what the tracker shows.
//  - After applying, the plan is recomputed on the in-memory state (no re-listing) and applied
//    again until it is empty (at most kMaxPasses): the second pass adds the links to issues
//    that the first pass created. A pass with failures stops the loop.
//  - Safe to repeat: identity lives in the tracker (markers), so a crash between a create and
//    its follow-up, or a lost local cache, never creates a duplicate.
#pragma once

#include <functional>
#include <vector>

#include "model/assessment.h"
#include "sync/plan.h"
#include "sync/tracker.h"

namespace risksync {

inline constexpr int kMaxPasses = 3;

struct ActionResult {
  Action action;
  std::optional<Error> error;  // empty on success
  std::string url;             // of the item acted on, when known
  bool attempted = true;       // false: not sent, a run-stopping error came first
};

using ProgressFn = std::function<void(std::size_t done, std::size_t total, const Action& action)>;

// Applies `plan` to `tracker`, keeping `remote` (the listing) up to date as actions succeed.
// `stop_requested` (may be empty) is asked before each write.
std::vector<ActionResult> apply_plan(const Plan& plan, Tracker& tracker,
                                     std::vector<RemoteItem>& remote, const ProgressFn& progress,
                                     const std::function<bool()>& stop_requested = {});

struct SyncReport {
  std::vector<RemoteItem> remote;  // the tracker as risksync last saw it
  Matching matching;
  StatusMap statuses;
  Assessment assessment;              // with statuses read back from the tracker
  StatusSource status_source;         // filled by the caller that knows the clock (app/)
  Plan first_plan;                    // what `plan` shows
  std::vector<ActionResult> results;  // every action applied, all passes
  std::vector<Error> warnings;
  int passes = 0;
  std::optional<Error> stopped_by;  // the run-stopping error that ended the writes, if any
  std::size_t failures() const;     // actions attempted that failed
  std::size_t not_attempted() const;
};

// The labels risksync creates (with colours) when absent.
std::vector<LabelSpec> managed_label_specs();

Result<SyncReport> run_sync(const Analysis& analysis, const ZoneGrid& grid, Tracker& tracker,
                            const SyncOptions& options, bool apply, const ProgressFn& progress);

}  // namespace risksync
