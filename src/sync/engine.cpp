#include "sync/engine.h"

#include <algorithm>
#include <map>
#include <set>

namespace risksync {
namespace {

// The parent story's item: the one the plan named, else (created earlier in this pass) the
// most recent item with that key.
const RemoteItem* find_parent(const std::vector<RemoteItem>& remote, const Action& a) {
  if (a.parent_remote) return &remote[*a.parent_remote];
  for (auto it = remote.rbegin(); it != remote.rend(); ++it)
    if (it->marker.kind == ItemKind::story && it->marker.key == a.parent_key) return &*it;
  return nullptr;
}

Result<RemoteItem> apply_one(const Action& a, Tracker& tracker,
                             const std::vector<RemoteItem>& remote) {
  switch (a.op) {
    case ActionOp::create: {
      ItemSpec spec = a.spec;
      if (a.kind == ItemKind::measure && !a.parent_key.empty()) {
        const RemoteItem* parent = find_parent(remote, a);
        // Never a measure without its story: it would show under no story until the next run.
        if (!parent)
          return remote_error("not created: its story " + a.parent_key +
                              " has no issue yet (its creation failed); run sync again");
        spec.parent = parent;
      }
      return tracker.create(spec);
    }
    case ActionOp::update:
    case ActionOp::close:
    case ActionOp::reopen:
      return tracker.update(remote[*a.remote], a.change);
    case ActionOp::link_parent:
    case ActionOp::link_related: {
      const RemoteItem* other = find_parent(remote, a);
      if (!other) return remote_error("story " + a.parent_key + " has no issue to link to");
      const bool parent = a.op == ActionOp::link_parent;
      Status st = parent ? tracker.link_parent(remote[*a.remote], *other)
                         : tracker.link_related(remote[*a.remote], *other);
      if (!st) return st.error();
      RemoteItem linked = remote[*a.remote];
      if (parent)
        linked.parent = ParentRef::of(other->id);
      else
        linked.related.push_back(other->id);
      return linked;
    }
  }
  return remote_error("unknown action");
}

// Creates the run of consecutive create actions of one kind starting at `first` (at most
// `max_batch`) in one create_batch() call. Measures whose story has no item yet are left out
// (apply_one reports them). Returns the outcome of each action sent, by index.
std::map<std::size_t, Result<RemoteItem>> create_run(const Plan& plan, std::size_t first,
                                                     std::size_t max_batch, Tracker& tracker,
                                                     const std::vector<RemoteItem>& remote) {
  std::vector<std::size_t> indices;
  std::vector<ItemSpec> specs;
  const ItemKind kind = plan.actions[first].kind;
  for (std::size_t i = first; i < plan.actions.size() && specs.size() < max_batch; ++i) {
    const Action& a = plan.actions[i];
    if (a.op != ActionOp::create || a.kind != kind) break;
    ItemSpec spec = a.spec;
    if (a.kind == ItemKind::measure && !a.parent_key.empty()) {
      const RemoteItem* parent = find_parent(remote, a);
      if (!parent) continue;
      spec.parent = parent;
    }
    indices.push_back(i);
    specs.push_back(std::move(spec));
  }
  std::map<std::size_t, Result<RemoteItem>> out;
  if (specs.empty()) return out;
  auto created = tracker.create_batch(specs);
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (k < created.size())
      out.emplace(indices[k], std::move(created[k]));
    else
      out.emplace(indices[k], remote_error("not created: the tracker gave no result for it"));
  }
  return out;
}

}  // namespace

std::size_t SyncReport::failures() const {
  std::size_t n = 0;
  for (const auto& r : results) n += r.attempted && r.error.has_value();
  return n;
}

std::size_t SyncReport::not_attempted() const {
  std::size_t n = 0;
  for (const auto& r : results) n += !r.attempted;
  return n;
}

std::vector<LabelSpec> managed_label_specs() {
  return {
      {"risksync", "5319e7", "Géré par risksync (analyse de risques)"},
      {"risksync:story", "5319e7", "Abuser story de l'analyse de risques"},
      {"risksync:measure", "0e8a16", "Mesure possible de l'analyse de risques"},
      {std::string(kRetiredLabel), "cccccc", "Retiré de l'analyse de risques (fermé par risksync)"},
      {"gravité:1", "4caf50", "Gravité 1 – Mineure"},
      {"gravité:2", "fbca04", "Gravité 2 – Significative"},
      {"gravité:3", "ff9800", "Gravité 3 – Importante"},
      {"gravité:4", "b60205", "Gravité 4 – Critique"},
      {"mesure:tech", "1d76db", "Mesure technique"},
      {"mesure:orga", "c5def5", "Mesure organisationnelle"},
  };
}

static Error stop_request_error() {
  return run_stopping_error(
      "stop requested: the write in flight finished, no further write was "
      "sent; the next run resumes");
}

std::vector<ActionResult> apply_plan(const Plan& plan, Tracker& tracker,
                                     std::vector<RemoteItem>& remote, const ProgressFn& progress,
                                     const std::function<bool()>& stop_requested) {
  std::vector<ActionResult> results;
  std::set<std::pair<int, std::string>> failed;  // (kind, key) whose earlier action failed
  std::size_t done = 0;
  std::optional<Error> stop;  // a run-stopping error: nothing more is sent
  const std::size_t max_batch = tracker.capabilities().max_batch;
  // Outcomes of the current run of batched creates, by action index.
  std::map<std::size_t, Result<RemoteItem>> batched;
  for (std::size_t index = 0; index < plan.actions.size(); ++index) {
    const Action& a = plan.actions[index];
    if (progress) progress(done, plan.actions.size(), a);
    ++done;
    ActionResult res{a, std::nullopt, {}, true};
    const auto id = std::pair{static_cast<int>(a.kind), a.key};
    if (!stop && !batched.contains(index) && stop_requested && stop_requested())
      stop = stop_request_error();
    // A create already sent in a batch is reported as it went, even after a run-stopping error.
    if (stop && !batched.contains(index)) {
      res.attempted = false;
      res.error = *stop;
      res.error->message = a.summary + ": not attempted (" + stop->message + ")";
      results.push_back(std::move(res));
      continue;
    }
    if (failed.contains(id) && !batched.contains(index)) {
      res.error = remote_error("skipped: an earlier step on " + a.key + " failed");
      results.push_back(std::move(res));
      continue;
    }
    if (max_batch > 1 && a.op == ActionOp::create && !batched.contains(index))
      batched = create_run(plan, index, max_batch, tracker, remote);
    auto outcome =
        batched.contains(index) ? std::move(batched.at(index)) : apply_one(a, tracker, remote);
    if (!outcome) {
      Error e = outcome.error();
      e.message = a.summary + ": " + e.message;
      if (e.stops_run()) stop = e;
      res.error = std::move(e);
      failed.insert(id);
    } else {
      res.url = outcome->url;
      if (a.remote) {
        remote[*a.remote] = std::move(*outcome);
      } else {
        remote.push_back(std::move(*outcome));
      }
    }
    results.push_back(std::move(res));
  }
  if (progress) progress(done, plan.actions.size(), Action{});
  return results;
}

Result<SyncReport> run_sync(const Analysis& analysis, const ZoneGrid& grid, Tracker& tracker,
                            const SyncOptions& options, bool apply, const ProgressFn& progress) {
  auto listed = tracker.list_managed();
  if (!listed) return listed.error();
  SyncReport report;
  report.remote = std::move(*listed);
  const TrackerCapabilities caps = tracker.capabilities();
  SyncOptions opts = options;
  opts.rules.assignment_means_started = caps.assignment_means_started;

  auto evaluate = [&](Plan& plan) {
    report.matching = match_items(analysis, report.remote);
    report.statuses = statuses_from_remote(analysis, report.remote, report.matching, opts.rules);
    report.assessment = assess(analysis, report.statuses, grid);
    plan = plan_sync(analysis, report.assessment, report.remote, report.matching, opts,
                     tracker.codec(), caps);
  };

  Plan plan;
  evaluate(plan);
  report.warnings = plan.warnings;
  if (!apply || plan.empty()) {
    report.first_plan = std::move(plan);  // `plan` only: no copy of every body
    return report;
  }
  report.first_plan = plan;

  bool labels_needed = false;
  for (const auto& a : plan.actions) {
    labels_needed = labels_needed || a.op == ActionOp::create || !a.change.add_labels.empty();
  }
  if (labels_needed) {
    if (auto st = tracker.ensure_labels(managed_label_specs()); !st) return st.error();
  }

  for (report.passes = 1; report.passes <= kMaxPasses; ++report.passes) {
    auto results = apply_plan(plan, tracker, report.remote, progress, opts.stop_requested);
    bool pass_failed = false;
    for (auto& r : results) {
      pass_failed = pass_failed || r.error.has_value();
      if (r.error && r.error->stops_run() && !report.stopped_by) report.stopped_by = r.error;
      report.results.push_back(std::move(r));
    }
    evaluate(plan);
    if (pass_failed || plan.empty()) break;
  }
  if (report.passes > kMaxPasses) report.passes = kMaxPasses;
  return report;
}

}  // namespace risksync
