#include "sync/plan.h"

#include <algorithm>
#include <set>

#include "sync/issue_body.h"
#include "sync/marker.h"

namespace risksync {
namespace {

bool has_label(const RemoteItem& item, std::string_view label) {
  if (label.empty()) return false;
  const std::string want = normalize_text(label);
  for (const auto& l : item.labels)
    if (normalize_text(l) == want) return true;
  return false;
}

// Greedy one-to-one matching of documents items to remote items by a predicate, in document
// order, preferring the lowest remote index (the oldest issue).
template <class DocItems, class Pred>
void match_pass(const DocItems& docs, const std::vector<RemoteItem>& remote,
                const std::vector<std::size_t>& candidates, std::set<std::size_t>& taken,
                std::map<std::string, std::size_t, std::less<>>& out, Pred pred) {
  for (const auto& [key, doc] : docs) {
    if (out.contains(key)) continue;
    for (const std::size_t r : candidates) {
      if (taken.contains(r)) continue;
      if (pred(*doc, remote[r])) {
        out[key] = r;
        taken.insert(r);
        break;
      }
    }
  }
}

// Best-similarity pass: for each unmatched document item, the most similar free candidate
// above the threshold.
template <class DocItems, class TitleOf, class Allowed>
void similarity_pass(const DocItems& docs, const std::vector<RemoteItem>& remote,
                     const std::vector<std::size_t>& candidates, std::set<std::size_t>& taken,
                     std::map<std::string, std::size_t, std::less<>>& out, TitleOf text_of,
                     Allowed allowed) {
  for (const auto& [key, doc] : docs) {
    if (out.contains(key)) continue;
    double best = kSimilarityThreshold;
    std::optional<std::size_t> best_r;
    for (const std::size_t r : candidates) {
      if (taken.contains(r) || !allowed(*doc, remote[r])) continue;
      // Titles are compared with titles: both shortened the same way (sync/issue_body.h).
      const double sim = text_similarity(text_of(*doc), remote[r].title);
      if (sim >= best) {
        if (!best_r || sim > best) best_r = r;
        best = sim;
      }
    }
    if (best_r) {
      out[key] = *best_r;
      taken.insert(*best_r);
    }
  }
}

std::vector<std::string> merged_labels(const std::vector<std::string>& current,
                                       const std::vector<std::string>& desired) {
  std::vector<std::string> out;
  for (const auto& l : current)
    if (!is_owned_label(l)) out.push_back(l);
  for (const auto& l : desired) out.push_back(l);
  return out;
}

bool same_label_set(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto norm = [](const std::vector<std::string>& v) {
    std::set<std::string> s;
    for (const auto& l : v) s.insert(l);
    return s;
  };
  return norm(a) == norm(b);
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
  }
  return "update";
}

bool is_closed(RemoteState s) {
  return s == RemoteState::closed_completed || s == RemoteState::closed_not_planned ||
         s == RemoteState::closed_duplicate;
}

bool is_owned_label(std::string_view label) {
  return label == "risksync" || label.starts_with("risksync:") || label.starts_with("gravité:") ||
         label.starts_with("mesure:");
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

Matching match_items(const Analysis& analysis, const std::vector<RemoteItem>& remote) {
  Matching m;
  std::vector<std::size_t> story_items;
  std::vector<std::size_t> measure_items;
  {
    // Active items come first so that they win over retired ones (closed by risksync because
    // they left the document, `removed` in their marker) carrying the same key: a renumbered
    // story may take the key of a retired one. A second *active* item with a key already seen
    // is a duplicate (e.g. made by hand): reported and left alone.
    std::set<std::pair<int, std::string>> seen;
    std::vector<std::size_t> retired;
    for (std::size_t i = 0; i < remote.size(); ++i) {
      const auto& mk = remote[i].marker;
      if (mk.removed) {
        retired.push_back(i);
        continue;
      }
      const int kind = mk.kind == ItemKind::story ? 0 : 1;
      if (!seen.insert({kind, mk.key}).second) {
        m.duplicates.push_back(i);
        continue;
      }
      (mk.kind == ItemKind::story ? story_items : measure_items).push_back(i);
    }
    for (const std::size_t i : retired)
      (remote[i].marker.kind == ItemKind::story ? story_items : measure_items).push_back(i);
  }
  std::set<std::size_t> taken;

  std::vector<std::pair<std::string, const AbuserStory*>> stories;
  for (const auto& s : analysis.stories) stories.emplace_back(s.id, &s);
  auto fp_of_story = [](const AbuserStory& s) { return text_fingerprint(s.text); };
  match_pass(stories, remote, story_items, taken, m.story,
             [&](const AbuserStory& s, const RemoteItem& r) {
               return r.marker.key == s.id && r.marker.fingerprint == fp_of_story(s);
             });
  match_pass(stories, remote, story_items, taken, m.story,
             [&](const AbuserStory& s, const RemoteItem& r) {
               return !r.marker.fingerprint.empty() && r.marker.fingerprint == fp_of_story(s);
             });
  match_pass(stories, remote, story_items, taken, m.story,
             [&](const AbuserStory& s, const RemoteItem& r) { return r.marker.key == s.id; });
  similarity_pass(
      stories, remote, story_items, taken, m.story,
      [](const AbuserStory& s) { return story_title(s); },
      [](const AbuserStory&, const RemoteItem&) { return true; });

  // The document story each remote story key now stands for (renumbering).
  std::map<std::string, std::string> story_key_now;
  for (const auto& [id, r] : m.story) story_key_now[remote[r].marker.key] = id;
  auto same_story = [&](const Measure& mes, const RemoteItem& r) {
    const auto it = story_key_now.find(r.marker.parent);
    const std::string parent_now = it == story_key_now.end() ? r.marker.parent : it->second;
    return std::find(mes.stories.begin(), mes.stories.end(), parent_now) != mes.stories.end();
  };

  std::vector<std::pair<std::string, const Measure*>> measures;
  for (const auto& mes : analysis.measures) measures.emplace_back(mes.key, &mes);
  match_pass(measures, remote, measure_items, taken, m.measure,
             [](const Measure& mes, const RemoteItem& r) { return r.marker.key == mes.key; });
  match_pass(measures, remote, measure_items, taken, m.measure,
             [&](const Measure& mes, const RemoteItem& r) {
               return !r.marker.fingerprint.empty() &&
                      r.marker.fingerprint == text_fingerprint(mes.text) && same_story(mes, r);
             });
  // Text edits: only for measures without an explicit id on both sides (an explicit id is
  // the identity; two different ids are two different measures).
  similarity_pass(
      measures, remote, measure_items, taken, m.measure,
      [](const Measure& mes) { return measure_title(mes); },
      [&](const Measure& mes, const RemoteItem& r) {
        const bool remote_derived = r.marker.key.find('-') != std::string::npos;
        return !mes.explicit_key && remote_derived && same_story(mes, r);
      });

  for (const std::size_t i : story_items)
    if (!taken.contains(i)) m.orphans.push_back(i);
  for (const std::size_t i : measure_items)
    if (!taken.contains(i)) m.orphans.push_back(i);
  std::sort(m.orphans.begin(), m.orphans.end());
  return m;
}

MeasureStatus measure_status_of(const RemoteItem& item, const StatusRules& rules) {
  switch (item.state) {
    case RemoteState::open:
      return item.assigned || has_label(item, rules.in_progress_label) ? MeasureStatus::in_progress
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
               const SyncOptions& options) {
  Plan plan;
  ItemUrls urls;
  for (const auto& [key, r] : matching.story) urls[key] = remote[r].url;
  for (const auto& [key, r] : matching.measure) urls[key] = remote[r].url;

  for (const std::size_t d : matching.duplicates) {
    plan.warnings.push_back(remote_error("duplicate managed item " + item_ref(remote[d]) +
                                         " for key " + remote[d].marker.key +
                                         ": left untouched, close it by hand"));
  }

  // Makes the remote item `r` (or a new one) look like the desired item.
  auto ensure = [&](ItemKind kind, const std::string& key, Marker marker, std::string title,
                    const std::string& block, std::vector<std::string> labels,
                    const std::string& parent_key) {
    const auto r = matching.remote_of(kind, key);
    if (!r) {
      Action a;
      a.op = ActionOp::create;
      a.kind = kind;
      a.key = key;
      a.parent_key = parent_key;
      if (!parent_key.empty()) a.parent_remote = matching.remote_of(ItemKind::story, parent_key);
      a.spec = ItemSpec{std::move(title), merge_managed_block("", marker, block), labels};
      a.changes = {"new"};
      a.summary = "create " + key;
      plan.actions.push_back(std::move(a));
      return;
    }
    const RemoteItem& item = remote[*r];
    const bool readded = item.marker.removed;
    marker.removed = false;
    Action a;
    a.op = ActionOp::update;
    a.kind = kind;
    a.key = key;
    a.remote = r;
    a.spec.title = std::move(title);
    a.spec.body = merge_managed_block(item.body, marker, block);
    a.spec.labels = merged_labels(item.labels, labels);
    if (item.marker.key != key) a.changes.push_back("key " + item.marker.key + "→" + key);
    if (a.spec.title != item.title) a.changes.emplace_back("title");
    if (a.spec.body != item.body) a.changes.emplace_back("body");
    if (!same_label_set(a.spec.labels, item.labels)) a.changes.emplace_back("labels");
    if (!a.changes.empty()) {
      a.summary = "update " + key + " (" + item_ref(item) + "):";
      for (const auto& c : a.changes) a.summary += " " + c;
      plan.actions.push_back(a);
    }
    if (readded && is_closed(item.state)) {
      Action re;
      re.op = ActionOp::reopen;
      re.kind = kind;
      re.key = key;
      re.remote = r;
      re.comment = std::string(words(options.lang).readded) + " (`" + options.source_file + "`).";
      re.summary = "reopen " + key + " (" + item_ref(item) + ")";
      plan.actions.push_back(std::move(re));
    }
  };

  for (const auto& story : analysis.stories) {
    Marker mk{story.id, ItemKind::story, text_fingerprint(story.text), "", false};
    ensure(ItemKind::story, story.id, mk, story_title(story),
           story_block(analysis, story, assessment, urls, options.lang, options.source_file),
           story_labels(story), "");
  }
  for (const auto& m : analysis.measures) {
    const std::string parent = m.stories.empty() ? "" : m.stories.front();
    Marker mk{m.key, ItemKind::measure, text_fingerprint(m.text), parent, false};
    ensure(ItemKind::measure, m.key, mk, measure_title(m),
           measure_block(analysis, m, urls, options.lang, options.source_file), measure_labels(m),
           parent);
    // An existing measure whose parent story is another issue than the one it hangs under.
    const auto r = matching.remote_of(ItemKind::measure, m.key);
    const auto desired_parent = matching.remote_of(ItemKind::story, parent);
    if (r && desired_parent) {
      std::optional<std::size_t> current_parent;
      for (const auto& [id, s] : matching.story)
        if (remote[s].marker.key == remote[*r].marker.parent) current_parent = s;
      const bool known_parent_differs =
          !remote[*r].parent_id.empty() && remote[*r].parent_id != remote[*desired_parent].id;
      if (current_parent != desired_parent || known_parent_differs) {
        Action link;
        link.op = ActionOp::link_parent;
        link.kind = ItemKind::measure;
        link.key = m.key;
        link.remote = r;
        link.parent_key = parent;
        link.parent_remote = desired_parent;
        link.summary = "link " + m.key + " under " + parent;
        plan.actions.push_back(std::move(link));
      }
    }
  }

  for (const std::size_t o : matching.orphans) {
    const RemoteItem& item = remote[o];
    if (item.marker.removed || is_closed(item.state)) continue;  // already closed: leave it
    Marker mk = item.marker;
    mk.removed = true;
    Action mark;
    mark.op = ActionOp::update;
    mark.kind = item.marker.kind;
    mark.key = item.marker.key;
    mark.remote = o;
    mark.spec.title = item.title;
    mark.spec.body =
        merge_managed_block(item.body, mk, managed_block(item.body).value_or(std::string{}));
    mark.spec.labels = item.labels;
    mark.changes = {"marker removed"};
    mark.summary = "update " + item.marker.key + " (" + item_ref(item) + "): marker removed";
    plan.actions.push_back(std::move(mark));
    Action close;
    close.op = ActionOp::close;
    close.kind = item.marker.kind;
    close.key = item.marker.key;
    close.remote = o;
    close.close_reason = CloseReason::not_planned;
    close.comment = std::string(words(options.lang).removed) + " (`" + options.source_file + "`).";
    close.summary = "close " + item.marker.key + " (" + item_ref(item) + ") as not planned";
    plan.actions.push_back(std::move(close));
  }
  return plan;
}

}  // namespace risksync
