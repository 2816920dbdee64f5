#include "sync/plan.h"

#include <algorithm>
#include <set>

#include "sync/issue_body.h"
#include "sync/marker.h"
#include "util/ascii.h"

namespace risksync {
namespace {

// Label names compare as the platforms do: case-insensitively (normalize_text also folds
// accents and spaces, so "En cours" and "en-cours" are one label for people's labels).
bool has_label(const RemoteItem& item, std::string_view label) {
  if (label.empty()) return false;
  const std::string want = normalize_text(label);
  for (const auto& l : item.labels)
    if (normalize_text(l) == want) return true;
  return false;
}

bool same_owned_label(std::string_view a, std::string_view b) {
  return ascii::iequals(a, b);
}

// Greedy one-to-one matching of document items to remote items by a predicate, in document
// order, preferring the earliest candidate (active before retired, older before newer). A
// pass only pairs items whose bucket keys are equal (the key, or the text fingerprint, that
// the predicate requires to be equal): candidates are grouped by bucket once, so a pass costs
// O((D + R) log R) instead of O(D × R). Remote items with an empty bucket key never match.
template <class DocItems, class DocBucket, class RemoteBucket, class Pred>
void match_pass(const DocItems& docs, const std::vector<RemoteItem>& remote,
                const std::vector<std::size_t>& candidates, std::vector<char>& taken,
                std::map<std::string, std::size_t, std::less<>>& out, DocBucket doc_bucket,
                RemoteBucket remote_bucket, Pred pred) {
  std::map<std::string_view, std::vector<std::size_t>> by_bucket;  // candidate order kept
  for (const std::size_t r : candidates) {
    if (taken[r]) continue;
    const std::string_view bucket = remote_bucket(remote[r]);
    if (!bucket.empty()) by_bucket[bucket].push_back(r);
  }
  if (by_bucket.empty()) return;
  for (const auto& [key, doc] : docs) {
    if (out.contains(key)) continue;
    const auto it = by_bucket.find(doc_bucket(*doc));
    if (it == by_bucket.end()) continue;
    for (const std::size_t r : it->second) {
      if (taken[r]) continue;
      if (pred(*doc, remote[r])) {
        out[key] = r;
        taken[r] = 1;
        break;
      }
    }
  }
}

std::string_view shown_key(const RemoteItem& r) {
  return r.marker.key;
}
std::string_view shown_fingerprint(const RemoteItem& r) {
  return r.marker.fingerprint;
}

// Best-similarity pass: for each unmatched document item, the most similar free candidate
// above the threshold.
template <class DocItems, class TitleOf, class Allowed>
void similarity_pass(const DocItems& docs, const std::vector<RemoteItem>& remote,
                     const std::vector<std::size_t>& candidates, std::vector<char>& taken,
                     std::map<std::string, std::size_t, std::less<>>& out, TitleOf text_of,
                     Allowed allowed) {
  for (const auto& [key, doc] : docs) {
    if (out.contains(key)) continue;
    double best = kSimilarityThreshold;
    std::optional<std::size_t> best_r;
    for (const std::size_t r : candidates) {
      if (taken[r] || !allowed(*doc, remote[r])) continue;
      // Titles are compared with titles: both shortened the same way (sync/issue_body.h).
      const double sim = text_similarity(text_of(*doc), remote[r].title);
      if (sim >= best) {
        if (!best_r || sim > best) best_r = r;
        best = sim;
      }
    }
    if (best_r) {
      out[key] = *best_r;
      taken[*best_r] = 1;
    }
  }
}

std::string item_ref(const RemoteItem& item) {
  if (item.number.empty()) return item.id;
  if (item.number.find('-') != std::string::npos) return item.number;  // Jira keys
  return "#" + item.number;
}

struct Words {
  std::string_view removed, readded;
};
const Words& words(Lang lang) {
  static const Words fr{
      "Fermé par risksync : cet élément n'est plus dans l'analyse de risques",
      "Rouvert par risksync : cet élément est de retour dans l'analyse de risques"};
  static const Words en{"Closed by risksync: this item is no longer in the risk analysis",
                        "Reopened by risksync: this item is back in the risk analysis"};
  return lang == Lang::fr ? fr : en;
}

// Candidates of one kind in matching order: active before retired, older before newer.
std::vector<std::size_t> candidates_of(const std::vector<RemoteItem>& remote, ItemKind kind) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < remote.size(); ++i)
    if (remote[i].marker.kind == kind) out.push_back(i);
  // Retirement read once per item, not once per comparison (it scans the labels).
  std::vector<char> retired(remote.size(), 0);
  for (const std::size_t i : out) retired[i] = is_retired(remote[i]) ? 1 : 0;
  std::stable_sort(out.begin(), out.end(), [&](std::size_t a, std::size_t b) {
    if (retired[a] != retired[b]) return retired[a] == 0;
    return older_than(remote[a], remote[b]);
  });
  return out;
}

std::string summary_of(std::string_view verb, const std::string& key, const RemoteItem& item,
                       const std::vector<std::string>& changes) {
  std::string out = std::string(verb) + " " + key + " (" + item_ref(item) + ")";
  if (!changes.empty()) {
    out += ":";
    for (const auto& c : changes) out += " " + c;
  }
  return out;
}

}  // namespace

std::optional<std::size_t> Matching::remote_of(ItemKind kind, std::string_view key) const {
  const auto& m = kind == ItemKind::story ? story : measure;
  const auto it = m.find(key);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

std::string_view to_string(ActionOp op) {
  switch (op) {
    case ActionOp::create:
      return "create";
    case ActionOp::update:
      return "update";
    case ActionOp::close:
      return "close";
    case ActionOp::reopen:
      return "reopen";
    case ActionOp::link_parent:
      return "link";
    case ActionOp::link_related:
      return "relate";
  }
  return "update";
}

bool is_closed(RemoteState s) {
  return s == RemoteState::closed_completed || s == RemoteState::closed_not_planned ||
         s == RemoteState::closed_duplicate;
}

bool is_owned_label(std::string_view label) {
  const std::string l = ascii::to_lower(label);
  return l == "risksync" || l.starts_with("risksync:") || label.starts_with("gravité:") ||
         label.starts_with("Gravité:") || l.starts_with("mesure:");
}

bool is_retired(const RemoteItem& item) {
  if (item.marker.legacy_removed) return true;
  for (const auto& l : item.labels)
    if (same_owned_label(l, kRetiredLabel)) return true;
  return false;
}

std::vector<std::string> story_labels(const AbuserStory& story) {
  return {"risksync", "risksync:story", "gravité:" + std::to_string(to_int(story.gravity))};
}

std::vector<std::string> measure_labels(const Measure& measure) {
  std::vector<std::string> out{"risksync", "risksync:measure"};
  if (measure.kind == MeasureKind::tech) out.emplace_back("mesure:tech");
  if (measure.kind == MeasureKind::orga) out.emplace_back("mesure:orga");
  return out;
}

std::vector<const AbuserStory*> stories_gravest_first(const Analysis& analysis) {
  std::vector<const AbuserStory*> out;
  out.reserve(analysis.stories.size());
  for (const auto& s : analysis.stories) out.push_back(&s);
  std::stable_sort(out.begin(), out.end(), [](const AbuserStory* a, const AbuserStory* b) {
    if (a->gravity != b->gravity) return to_int(a->gravity) > to_int(b->gravity);
    return to_int(a->current_likelihood) > to_int(b->current_likelihood);
  });
  return out;
}

Matching match_items(const Analysis& analysis, const std::vector<RemoteItem>& remote) {
  Matching m;
  const std::vector<std::size_t> story_items = candidates_of(remote, ItemKind::story);
  const std::vector<std::size_t> measure_items = candidates_of(remote, ItemKind::measure);
  std::vector<char> taken(remote.size(), 0);  // remote index -> already matched

  std::vector<std::pair<std::string, const AbuserStory*>> stories;
  stories.reserve(analysis.stories.size());
  for (const auto& s : analysis.stories) stories.emplace_back(s.id, &s);
  std::vector<std::string> story_fp;  // by position in analysis.stories
  story_fp.reserve(analysis.stories.size());
  for (const auto& s : analysis.stories) story_fp.push_back(text_fingerprint(s.text));
  auto fp_of_story = [&](const AbuserStory& s) -> const std::string& {
    return story_fp[static_cast<std::size_t>(&s - analysis.stories.data())];
  };
  auto id_of_story = [](const AbuserStory& s) -> const std::string& { return s.id; };
  // Same key and text; same text (renumbered); same key (text edited).
  match_pass(stories, remote, story_items, taken, m.story, id_of_story, shown_key,
             [&](const AbuserStory& s, const RemoteItem& r) {
               return r.marker.fingerprint == fp_of_story(s);
             });
  match_pass(stories, remote, story_items, taken, m.story, fp_of_story, shown_fingerprint,
             [](const AbuserStory&, const RemoteItem&) { return true; });
  match_pass(stories, remote, story_items, taken, m.story, id_of_story, shown_key,
             [](const AbuserStory&, const RemoteItem&) { return true; });
  similarity_pass(
      stories, remote, story_items, taken, m.story,
      [](const AbuserStory& s) { return story_title(s); },
      [](const AbuserStory&, const RemoteItem&) { return true; });

  // The document story each remote story stands for: by platform id (the parent a measure
  // shows) and by the key its marker shows (derived measure keys start with it).
  std::map<std::string, std::string> story_of_id;
  std::map<std::string, std::string> story_of_shown_key;
  for (const auto& [id, r] : m.story) {
    story_of_id[remote[r].id] = id;
    story_of_shown_key[remote[r].marker.key] = id;
  }
  auto same_story = [&](const Measure& mes, const RemoteItem& r) {
    std::string parent_now;
    if (r.parent.known == ParentRef::Known::item) {
      const auto it = story_of_id.find(r.parent.id);
      if (it != story_of_id.end()) parent_now = it->second;
    }
    if (parent_now.empty()) {
      const auto dash = r.marker.key.find('-');
      if (dash != std::string::npos) {
        const std::string prefix = r.marker.key.substr(0, dash);
        const auto it = story_of_shown_key.find(prefix);
        parent_now = it == story_of_shown_key.end() ? prefix : it->second;
      }
    }
    return std::find(mes.stories.begin(), mes.stories.end(), parent_now) != mes.stories.end();
  };

  std::vector<std::pair<std::string, const Measure*>> measures;
  measures.reserve(analysis.measures.size());
  for (const auto& mes : analysis.measures) measures.emplace_back(mes.key, &mes);
  // Same key; same text under the same story.
  match_pass(
      measures, remote, measure_items, taken, m.measure,
      [](const Measure& mes) -> const std::string& { return mes.key; }, shown_key,
      [](const Measure&, const RemoteItem&) { return true; });
  match_pass(
      measures, remote, measure_items, taken, m.measure,
      [](const Measure& mes) { return text_fingerprint(mes.text); }, shown_fingerprint,
      [&](const Measure& mes, const RemoteItem& r) { return same_story(mes, r); });
  // Text edits: only for measures without an explicit id on both sides (an explicit id is
  // the identity; two different ids are two different measures).
  similarity_pass(
      measures, remote, measure_items, taken, m.measure,
      [](const Measure& mes) { return measure_title(mes); },
      [&](const Measure& mes, const RemoteItem& r) {
        const bool remote_derived = r.marker.key.find('-') != std::string::npos;
        return !mes.explicit_key && remote_derived && same_story(mes, r);
      });

  // Unmatched items: a conflict when a matched item shows the same key (a copy of its body,
  // an older duplicate), else an orphan (left the document).
  std::set<std::pair<int, std::string_view>> matched_keys;
  for (std::size_t i = 0; i < remote.size(); ++i)
    if (taken[i])
      matched_keys.insert({static_cast<int>(remote[i].marker.kind), remote[i].marker.key});
  for (std::size_t i = 0; i < remote.size(); ++i) {
    if (taken[i]) continue;
    const bool same_key =
        matched_keys.contains({static_cast<int>(remote[i].marker.kind), remote[i].marker.key});
    if (same_key && !is_retired(remote[i]))
      m.conflicts.push_back(i);
    else
      m.orphans.push_back(i);
  }
  return m;
}

MeasureStatus measure_status_of(const RemoteItem& item, const StatusRules& rules) {
  switch (item.state) {
    case RemoteState::open:
      return (rules.assignment_means_started && item.assigned) ||
                     has_label(item, rules.in_progress_label)
                 ? MeasureStatus::in_progress
                 : MeasureStatus::todo;
    case RemoteState::in_progress:
      return MeasureStatus::in_progress;
    case RemoteState::closed_completed:
      if (!rules.done_label.empty() && !has_label(item, rules.done_label))
        return MeasureStatus::closed_unverified;
      return MeasureStatus::done;
    case RemoteState::closed_not_planned:
    case RemoteState::closed_duplicate:
      return MeasureStatus::dropped;
  }
  return MeasureStatus::todo;
}

StatusMap statuses_from_remote(const Analysis& analysis, const std::vector<RemoteItem>& remote,
                               const Matching& matching, const StatusRules& rules) {
  StatusMap out;
  for (const auto& m : analysis.measures) {
    const auto r = matching.remote_of(ItemKind::measure, m.key);
    out[m.key] = r ? measure_status_of(remote[*r], rules) : MeasureStatus::todo;
  }
  return out;
}

Plan plan_sync(const Analysis& analysis, const Assessment& assessment,
               const std::vector<RemoteItem>& remote, const Matching& matching,
               const SyncOptions& options, const BodyCodec& codec,
               const TrackerCapabilities& capabilities) {
  Plan plan;
  ItemUrls urls;
  for (const auto& [key, r] : matching.story) urls[key] = remote[r].url;
  for (const auto& [key, r] : matching.measure) urls[key] = remote[r].url;

  for (const std::size_t d : matching.conflicts) {
    plan.warnings.push_back(remote_error(
        "conflict: " + item_ref(remote[d]) + " carries the key " + remote[d].marker.key +
        " of an older item: left untouched (close it by hand, or remove its risksync block)"));
  }
  for (std::size_t i = 0; i < remote.size(); ++i) {
    if (remote[i].stray_markers > 0)
      plan.warnings.push_back(
          remote_error(item_ref(remote[i]) + " (" + remote[i].marker.key +
                       "): risksync marker text outside risksync's block is ignored (" +
                       std::to_string(remote[i].stray_markers) + " found)"));
  }

  std::vector<Action> items;  // creates and updates, in order
  std::vector<Action> links;
  std::vector<Action> closes;

  // Makes the remote item of `key` (or a new one) show the desired title, block and labels,
  // and be open when risksync had retired it.
  auto ensure = [&](ItemKind kind, const std::string& key, const std::string& fingerprint,
                    std::string title, const ManagedContent& content,
                    const std::vector<std::string>& labels, const std::string& parent_key) {
    const Marker marker{key, kind, fingerprint, content.hash(), false};
    const auto r = matching.remote_of(kind, key);
    if (!r) {
      Action a;
      a.op = ActionOp::create;
      a.kind = kind;
      a.key = key;
      a.parent_key = parent_key;
      if (!parent_key.empty()) a.parent_remote = matching.remote_of(ItemKind::story, parent_key);
      a.spec =
          ItemSpec{std::move(title), codec.write("", marker, content), labels, nullptr, marker};
      a.changes = {"new"};
      a.summary = "create " + key;
      items.push_back(std::move(a));
      return;
    }
    const RemoteItem& item = remote[*r];
    Action a;
    a.kind = kind;
    a.key = key;
    a.remote = r;
    ItemChange& c = a.change;
    if (item.marker.key != key) a.changes.push_back("key " + item.marker.key + "→" + key);
    if (title != item.title) {
      c.title = std::move(title);
      a.changes.emplace_back("title");
    }
    const bool block_same =
        item.marker.key == key && item.marker.kind == kind &&
        item.marker.fingerprint == fingerprint && item.marker.block_hash == marker.block_hash &&
        !item.marker.legacy_removed && codec.same_content(item.shown_block, content);
    if (!block_same) {
      c.body = codec.write(item.body, marker, content);
      if (*c.body == item.body)
        c.body.reset();
      else
        a.changes.emplace_back("body");
      const bool same_marker = item.marker.key == marker.key && item.marker.kind == marker.kind &&
                               item.marker.fingerprint == marker.fingerprint &&
                               item.marker.block_hash == marker.block_hash &&
                               !item.marker.legacy_removed;
      if (!same_marker) {
        c.marker = marker;
        if (!c.body) a.changes.emplace_back("marker");
      }
    }
    for (const auto& want : labels) {
      const bool shown =
          std::any_of(item.labels.begin(), item.labels.end(),
                      [&](const std::string& l) { return same_owned_label(l, want); });
      if (!shown) c.add_labels.push_back(want);
    }
    for (const auto& l : item.labels) {
      if (!is_owned_label(l)) continue;
      const bool wanted = std::any_of(labels.begin(), labels.end(),
                                      [&](const std::string& w) { return same_owned_label(l, w); });
      if (!wanted) c.remove_labels.push_back(l);
    }
    if (!c.add_labels.empty() || !c.remove_labels.empty()) a.changes.emplace_back("labels");
    a.op = ActionOp::update;
    if (is_retired(item) && is_closed(item.state)) {
      a.op = ActionOp::reopen;
      c.state = ItemChange::State::reopen;
      c.comment = std::string(words(options.lang).readded) + " (`" + options.source_file + "`).";
      a.changes.emplace_back("reopen");
    }
    if (c.empty()) return;
    a.summary = summary_of(a.op == ActionOp::reopen ? "reopen" : "update", key, item,
                           a.op == ActionOp::reopen ? std::vector<std::string>{} : a.changes);
    items.push_back(std::move(a));
  };

  std::map<std::string, std::vector<const Measure*>, std::less<>> measures_of_story;
  std::vector<const Measure*> unattached;
  for (const auto& m : analysis.measures) {
    if (m.stories.empty())
      unattached.push_back(&m);
    else
      measures_of_story[m.stories.front()].push_back(&m);
  }
  auto ensure_measure = [&](const Measure& m) {
    const std::string parent = m.stories.empty() ? "" : m.stories.front();
    ensure(ItemKind::measure, m.key, text_fingerprint(m.text), measure_title(m),
           ManagedContent{measure_block(analysis, m, urls, options.lang, options.source_file)},
           measure_labels(m), parent);
    const auto r = matching.remote_of(ItemKind::measure, m.key);
    if (!r) return;
    const RemoteItem& item = remote[*r];
    // The parent the platform shows, repaired when wrong or missing.
    const auto desired_parent = matching.remote_of(ItemKind::story, parent);
    if (desired_parent && capabilities.reports_parents &&
        item.parent.known != ParentRef::Known::unknown &&
        !item.parent.is(remote[*desired_parent].id)) {
      Action link;
      link.op = ActionOp::link_parent;
      link.kind = ItemKind::measure;
      link.key = m.key;
      link.remote = r;
      link.parent_key = parent;
      link.parent_remote = desired_parent;
      link.changes = {"parent"};
      link.summary = "link " + m.key + " (" + item_ref(item) + ") under " + parent + " (" +
                     item_ref(remote[*desired_parent]) + ")";
      links.push_back(std::move(link));
    }
    // A shared measure: related to its other stories where the tracker has such links. A
    // tracker that cannot show parents (GitLab without the work-item hierarchy) relates the
    // measure to its first story too: that link stands for the parent.
    if (capabilities.related_links) {
      const std::size_t first = capabilities.reports_parents ? 1 : 0;
      for (std::size_t i = first; i < m.stories.size(); ++i) {
        const auto other = matching.remote_of(ItemKind::story, m.stories[i]);
        if (!other) continue;
        const std::string& other_id = remote[*other].id;
        if (std::find(item.related.begin(), item.related.end(), other_id) != item.related.end())
          continue;
        Action rel;
        rel.op = ActionOp::link_related;
        rel.kind = ItemKind::measure;
        rel.key = m.key;
        rel.remote = r;
        rel.parent_key = m.stories[i];
        rel.parent_remote = other;
        rel.changes = {"related"};
        rel.summary = "relate " + m.key + " (" + item_ref(item) + ") to " + m.stories[i];
        links.push_back(std::move(rel));
      }
    }
  };

  const auto ordered = stories_gravest_first(analysis);
  const bool batched = capabilities.max_batch > 1;  // stories in one batch, measures in another
  for (const AbuserStory* story : ordered) {
    ensure(ItemKind::story, story->id, text_fingerprint(story->text), story_title(*story),
           ManagedContent{
               story_block(analysis, *story, assessment, urls, options.lang, options.source_file)},
           story_labels(*story), "");
    if (batched) continue;
    if (const auto it = measures_of_story.find(story->id); it != measures_of_story.end())
      for (const Measure* m : it->second) ensure_measure(*m);
  }
  if (batched)
    for (const AbuserStory* story : ordered)
      if (const auto it = measures_of_story.find(story->id); it != measures_of_story.end())
        for (const Measure* m : it->second) ensure_measure(*m);
  for (const Measure* m : unattached) ensure_measure(*m);

  for (const std::size_t o : matching.orphans) {
    const RemoteItem& item = remote[o];
    const bool retired = is_retired(item);
    // Closed by people before it left the analysis: their state stands, nothing to do.
    if (is_closed(item.state) && !retired) continue;
    // Retired and closed: converged.
    if (is_closed(item.state)) continue;
    Action close;
    close.op = ActionOp::close;
    close.kind = item.marker.kind;
    close.key = item.marker.key;
    close.remote = o;
    close.change.state = ItemChange::State::close;
    close.change.close_reason = CloseReason::not_planned;
    if (!retired) close.change.add_labels.emplace_back(kRetiredLabel);
    close.change.comment =
        std::string(words(options.lang).removed) + " (`" + options.source_file + "`).";
    close.changes = {"close"};
    close.summary = "close " + item.marker.key + " (" + item_ref(item) + ") as not planned";
    closes.push_back(std::move(close));
  }

  plan.actions = std::move(items);
  for (auto& a : links) plan.actions.push_back(std::move(a));
  for (auto& a : closes) plan.actions.push_back(std::move(a));
  return plan;
}

}  // namespace risksync
