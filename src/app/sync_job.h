// The sync job: one cycle of risksync — connect, list, plan, apply, recompute, publish — as
// one function that `risksync plan`, `risksync sync` and the daemon all call.
//
// Contract:
//  - `inputs` were loaded and validated by load_inputs(); the job checks the credentials
//    (check_credentials) before anything is sent, so a missing token is bad input (exit 2)
//    and nothing is written anywhere.
//  - Before the tracker is listed, the wiki's page is read (Wiki::published_stamp) when the
//    job publishes (plan included, so that it sees what sync would meet): a wiki that cannot
//    be read (missing, not initialised, disabled, token refused) stops the job before any
//    tracker write, with that error.
//  - plan (apply=false) reads the tracker and writes nothing, wiki included (the listing
//    cache excepted); with publish=false it does not read the wiki either: `check`, `render`
//    and `export` read the tracker's statuses this way.
//  - With a tracker, the report's statuses are the tracker's (status_source says which and
//    when, Env::timestamp()); a measure whose checkbox disagrees adds a warning at its line.
//  - sync (apply=true) applies the plan (sync/engine.h), saves the listing cache, then
//    publishes the dashboard through publish_dashboard() (sync/wiki.h): the page keeps the
//    date it shows while its content is unchanged, and nothing is written then. The page is
//    published even when some items failed (it shows what the tracker shows), but not when a
//    run-stopping error ended the writes before listing.
//  - Env::stop_requested (the daemon's SIGTERM) is asked before each tracker write and before
//    publishing: once true, no further write is sent and the page is not published.
//  - Every message in the outcome (errors, warnings, results) has passed the Redactor with
//    the run's secrets: callers may print them as they are.
//  - All side effects go through `env` (environment, clock, sleep, randomness).
#pragma once

#include <optional>
#include <string>

#include "app/env.h"
#include "app/inputs.h"
#include "sync/engine.h"
#include "sync/wiki.h"

namespace risksync {

struct SyncJobOptions {
  bool apply = true;    // false: `plan`
  bool publish = true;  // sync only: publish the dashboard to the wiki
  ProgressFn progress;  // may be empty
};

struct SyncJobOutcome {
  std::string tracker = "none";  // Tracker::describe(), "none" without a tracker
  bool has_tracker = false;
  SyncReport report;           // statuses from the checkboxes without a tracker
  std::optional<Error> error;  // the job stopped before planning (connect, list)
  std::optional<PublishResult> published;
  std::optional<Error> publish_error;

  // 0 ok; the error's code when the job stopped; 3 when an action failed or was not
  // attempted, or publishing failed with a remote error (its own code otherwise).
  int exit_code() const;
};

// Publishes the dashboard of `report` (its assessment, and the issue URLs of its matching) to
// `wiki` through publish_dashboard(); `with_html` adds the printable HTML page. Used by the job
// and by `risksync render` (a folder), so both write the same stamped page.
Result<PublishResult> publish_report(const Inputs& inputs, const SyncReport& report, Wiki& wiki,
                                     const Env& env, bool with_html);

SyncJobOutcome run_sync_job(const Inputs& inputs, const SyncJobOptions& options, const Env& env);

}  // namespace risksync
