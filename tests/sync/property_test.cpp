// Seeded, randomised property test of convergence (issue 6, acceptance): random analyses,
// random platform states made by people (closing, reopening, re-parenting, editing bodies and
// labels), random lost answers, refused writes and interruptions. Property: after ONE clean
// sync the platform matches the analysis and a second plan is empty.
//
// Bounded: kSeeds seeds × kRounds rounds of a few small analyses, on the in-memory tracker (no
// I/O, well under a second); then kGitLabSeeds seeds on GitLab (the real connector and HTTP
// client against FakeGitLab on loopback, hierarchy and relates_to modes, a few seconds). A failure
// prints the seed and round: rerun with that seed to reproduce (`--gtest_filter=Property.*`; the
// seed list is fixed, so every run is the same).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "connectors/gitlab/gitlab_tracker.h"
#include "gitlab/fake_gitlab.h"
#include "jira/jira_world.h"
#include "net/http_client.h"
#include "sync/engine.h"
#include "sync/memory_tracker.h"
#include "sync/sample_analysis.h"

namespace risksync {
namespace {

using testing::MemoryTracker;

constexpr int kSeeds = 150;
constexpr int kRounds = 4;

const std::vector<std::string> kWords = {
    "attaquant",   "récupérer", "codes",    "conférence", "saturer",  "appels",     "données",
    "santé",       "usurper",   "identité", "journaux",   "chiffrer", "sauvegarde", "interne",
    "prestataire", "mot",       "passe",    "jeton",      "annuaire", "exfiltrer"};

class Random {
 public:
  explicit Random(unsigned seed) : engine_(seed) {}
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(engine_); }
  bool chance(int percent) { return between(1, 100) <= percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(between(0, static_cast<int>(v.size()) - 1))];
  }
  std::string sentence(int words) {
    std::string s;
    for (int i = 0; i < words; ++i) s += (i ? " " : "") + pick(kWords);
    return s;
  }

 private:
  std::mt19937 engine_;
};

// Links stories and measures both ways, in story order, from measure.stories.
void relink(Analysis& a) {
  for (auto& s : a.stories) s.possible_measures.clear();
  std::erase_if(a.measures, [](const Measure& m) { return m.stories.empty(); });
  for (auto& m : a.measures) {
    std::sort(m.stories.begin(), m.stories.end(), [&](const std::string& x, const std::string& y) {
      return std::stoi(x.substr(2)) < std::stoi(y.substr(2));
    });
    for (auto& s : a.stories)
      if (std::find(m.stories.begin(), m.stories.end(), s.id) != m.stories.end())
        s.possible_measures.push_back(m.key);
  }
}

Analysis random_analysis(Random& r) {
  Analysis a;
  a.source_file = "analyse.md";
  const int stories = r.between(1, 5);
  for (int n = 1; n <= stories; ++n) {
    a.stories.push_back(testing::story(n, "En tant qu'attaquant " + r.sentence(6),
                                       static_cast<Gravity>(r.between(1, 4)),
                                       Likelihood::very_likely, Likelihood::unlikely, {}));
  }
  const int measures = r.between(1, 6);
  for (int k = 1; k <= measures; ++k) {
    std::vector<std::string> on = {"AS" + std::to_string(r.between(1, stories))};
    if (r.chance(30)) {
      const std::string other = "AS" + std::to_string(r.between(1, stories));
      if (other != on[0]) on.push_back(other);
    }
    a.measures.push_back(testing::measure("M" + std::to_string(k), true, r.sentence(4), on));
  }
  relink(a);
  return a;
}

// The team edits its analysis between two syncs.
Analysis evolve(Analysis a, Random& r) {
  const int what = r.between(0, 4);
  if (what == 0 && a.stories.size() > 1) {  // a story leaves the analysis
    const std::string gone = a.stories.back().id;
    a.stories.pop_back();
    for (auto& m : a.measures) std::erase(m.stories, gone);
  } else if (what == 1 && a.stories.size() > 1) {  // two story numbers swapped
    std::swap(a.stories[0].text, a.stories[1].text);
  } else if (what == 2) {  // a new measure, maybe shared
    int n = 10;            // a key no measure has (the parser refuses duplicate keys)
    while (a.find_measure("M" + std::to_string(n))) ++n;
    const std::string key = "M" + std::to_string(n);
    std::vector<std::string> on = {r.pick(a.stories).id};
    const std::string other = r.pick(a.stories).id;
    if (other != on[0]) on.push_back(other);
    a.measures.push_back(testing::measure(key, true, r.sentence(4), on));
  } else if (what == 3 && !a.measures.empty()) {  // a shared measure moves to another story
    auto& m = a.measures[static_cast<std::size_t>(r.between(0, int(a.measures.size()) - 1))];
    m.stories = {r.pick(a.stories).id};
  } else if (!a.measures.empty()) {  // a measure is reworded
    a.measures.back().text = r.sentence(5);
  }
  relink(a);
  return a;
}

// People act on the tracker.
void people_act(MemoryTracker& t, Random& r, std::set<std::string>& closed_by_people) {
  if (t.items.empty()) return;
  const int actions = r.between(0, 4);
  for (int i = 0; i < actions; ++i) {
    RemoteItem& item = t.items[static_cast<std::size_t>(r.between(0, int(t.items.size()) - 1))];
    switch (r.between(0, 6)) {
      case 0:
        item.state = r.chance(70) ? RemoteState::closed_completed : RemoteState::closed_not_planned;
        closed_by_people.insert(item.id);
        break;
      case 1:
        item.state = RemoteState::open;
        closed_by_people.erase(item.id);
        break;
      case 2:
        item.parent = r.chance(50) ? ParentRef::none() : ParentRef::of(r.pick(t.items).id);
        break;
      case 3:
        item.body += "\n\nNote de l'équipe : " + r.sentence(3) + "\n";
        break;
      case 4: {  // an edit inside risksync's block
        const auto pos = item.body.find("\n", item.body.find("-->") + 4);
        if (pos != std::string::npos) item.body.insert(pos, " (modifié)");
        break;
      }
      case 5:
        item.labels.push_back("bug");
        break;
      default:  // one of risksync's own labels removed (never `risksync` itself: that unmanages)
        std::erase_if(item.labels, [](const std::string& l) { return l.starts_with("gravité:"); });
        break;
    }
  }
}

// An interrupted or faulty sync: refused writes, lost answers, a kill after k writes.
void faulty_sync(const Analysis& a, MemoryTracker& t, Random& r) {
  static const std::vector<std::string> kOps = {
      "create",       "update",       "state",       "comment",    "link",
      "after-create", "after-update", "after-state", "after-link", "write"};
  const int faults = r.between(0, 3);
  for (int i = 0; i < faults; ++i)
    t.fail_next(r.pick(kOps), r.chance(25) ? ErrorScope::run : ErrorScope::item);
  if (r.chance(40)) t.crash_after_writes = t.writes + r.between(0, 6);
  SyncOptions options;
  options.source_file = a.source_file;
  (void)run_sync(a, ZoneGrid::default_grid(), t, options, /*apply=*/true, nullptr);
  t.clear_failures();
  t.crash_after_writes = -1;
}

std::string active_item_of(MemoryTracker& t, const std::string& key, std::size_t& count) {
  count = 0;
  std::string id;
  for (const auto& i : t.items) {
    const auto shown = t.codec().read(i.body);
    if (shown.marker && shown.marker->key == key && !is_retired(t.find(i.id))) {
      ++count;
      if (id.empty()) id = i.id;
    }
  }
  return id;
}

void expect_matches(const Analysis& a, MemoryTracker& t,
                    const std::set<std::string>& closed_by_people, const std::string& where) {
  SyncOptions options;
  options.source_file = a.source_file;
  const auto again = run_sync(a, ZoneGrid::default_grid(), t, options, /*apply=*/false, nullptr);
  ASSERT_TRUE(again.ok()) << where;
  for (const auto& action : again->first_plan.actions)
    ADD_FAILURE() << where << ": second plan not empty: " << action.summary;
  std::set<std::string> wanted;
  std::map<std::string, std::string> item_of;
  for (const auto& s : a.stories) {
    std::size_t n = 0;
    item_of[s.id] = active_item_of(t, s.id, n);
    EXPECT_EQ(n, 1u) << where << ": " << s.id;
    wanted.insert(s.id);
  }
  for (const auto& m : a.measures) {
    std::size_t n = 0;
    const std::string id = active_item_of(t, m.key, n);
    EXPECT_EQ(n, 1u) << where << ": " << m.key;
    wanted.insert(m.key);
    if (id.empty()) continue;
    const RemoteItem& item = t.find(id);
    EXPECT_EQ(item.parent, ParentRef::of(item_of[m.stories.front()]))
        << where << ": " << m.key << " not under " << m.stories.front();
    // A measure a person closed stays closed: its status comes from the tracker.
    if (closed_by_people.contains(id)) {
      EXPECT_TRUE(is_closed(item.state)) << where << ": " << m.key << " reopened";
    }
  }
  // Whatever left the analysis is closed.
  for (const auto& i : t.items) {
    const auto shown = t.codec().read(i.body);
    if (!shown.marker || !MemoryTracker::has_label(i, "risksync")) continue;
    if (!wanted.contains(shown.marker->key)) {
      EXPECT_TRUE(is_closed(i.state)) << where << ": " << shown.marker->key << " still open";
    }
  }
}

TEST(Property, OneCleanSyncConvergesWhateverPeopleAndFailuresDid) {
  for (int seed = 1; seed <= kSeeds; ++seed) {
    Random r(static_cast<unsigned>(seed));
    MemoryTracker t;
    t.caps.create_with_parent = r.chance(50);
    t.newest_first = r.chance(50);
    t.caps.related_links = r.chance(50);
    std::set<std::string> closed_by_people;
    Analysis a = random_analysis(r);
    for (int round = 1; round <= kRounds; ++round) {
      const std::string where = "seed " + std::to_string(seed) + " round " + std::to_string(round);
      people_act(t, r, closed_by_people);
      if (round > 1) a = evolve(a, r);
      faulty_sync(a, t, r);
      people_act(t, r, closed_by_people);
      SyncOptions options;
      options.source_file = a.source_file;
      const auto clean = run_sync(a, ZoneGrid::default_grid(), t, options, true, nullptr);
      ASSERT_TRUE(clean.ok()) << where;
      EXPECT_EQ(clean->failures(), 0u) << where;
      if (std::getenv("RISKSYNC_PROPERTY_TRACE")) {
        for (const auto& res : clean->results)
          std::fprintf(stderr, "%s: pass action %s%s\n", where.c_str(), res.action.summary.c_str(),
                       res.error ? (" FAILED " + res.error->message).c_str() : "");
        std::fprintf(stderr, "%s: passes %d\n", where.c_str(), clean->passes);
        for (const auto& st : a.stories)
          std::fprintf(stderr, "  %s fp=%s %s\n", st.id.c_str(), text_fingerprint(st.text).c_str(),
                       st.text.c_str());
        for (const auto& m : a.measures) {
          std::string on;
          for (const auto& x : m.stories) on += x + " ";
          std::fprintf(stderr, "  %s on %s\n", m.key.c_str(), on.c_str());
        }
        for (const auto& i : t.items)
          std::fprintf(stderr, "  item %s #%s %s state=%d parent=%s\n%s\n", i.id.c_str(),
                       i.number.c_str(), i.title.c_str(), static_cast<int>(i.state),
                       i.parent.id.c_str(), i.body.substr(0, 200).c_str());
      }
      expect_matches(a, t, closed_by_people, where);
      if (::testing::Test::HasFailure()) return;  // one seed's story is enough to debug
    }
  }
}

// ---- the same property on GitLab ----

constexpr int kGitLabSeeds = 12;
constexpr int kGitLabRounds = 3;

class GitLabWorld {
 public:
  explicit GitLabWorld(bool hierarchy) {
    if (!hierarchy) gl.set_graphql(testing::FakeGitLab::GraphQl::refuse_hierarchy);
    net::HttpClientOptions o;
    o.base_url = gl.base_url();
    o.default_headers = gitlab::gitlab_default_headers(gl.token());
    o.min_write_interval = std::chrono::milliseconds(0);
    o.connect_timeout = std::chrono::milliseconds(1000);
    o.read_timeout = std::chrono::milliseconds(250);
    o.write_timeout = std::chrono::milliseconds(1000);
    o.retry.max_attempts = 2;
    net::NetDeps deps;
    deps.sleep = [](std::chrono::milliseconds) {};
    deps.jitter = [] { return 0.0; };
    client = std::move(net::HttpClient::create(std::move(o), std::move(deps)).value());
    new_run();
  }
  // Every sync is a new process: a new tracker, the listing cache kept (or lost).
  void new_run() {
    gitlab::GitLabTrackerOptions to;
    to.project = gl.project_path();
    to.graphql_url = gl.graphql_url();
    tracker = std::make_unique<gitlab::GitLabTracker>(to, *client, &cache, &client->redactor());
  }
  Result<SyncReport> sync(const Analysis& a, bool apply) {
    SyncOptions options;
    options.source_file = a.source_file;
    return run_sync(a, ZoneGrid::default_grid(), *tracker, options, apply, nullptr);
  }

  testing::FakeGitLab gl;
  std::unique_ptr<net::HttpClient> client;
  net::InMemoryListingCache cache;
  std::unique_ptr<gitlab::GitLabTracker> tracker;
};

void people_act_on_gitlab(testing::FakeGitLab& gl, Random& r, std::set<int>& closed_by_people) {
  const auto issues = gl.issues();
  if (issues.empty()) return;
  const int actions = r.between(0, 3);
  for (int i = 0; i < actions; ++i) {
    const auto& issue = r.pick(issues);
    switch (r.between(0, 5)) {
      case 0:
        gl.close_issue(issue.iid, r.chance(60) ? "" : "abandonnée");
        closed_by_people.insert(issue.iid);
        break;
      case 1:
        gl.reopen_issue(issue.iid);
        closed_by_people.erase(issue.iid);
        break;
      case 2:
        gl.set_parent(issue.iid, r.chance(50) ? 0 : r.pick(issues).iid);
        break;
      case 3:
        gl.edit_description(issue.iid, issue.description + "\n\nNote : " + r.sentence(3) + "\n");
        break;
      case 4:
        gl.add_label(issue.iid, "bug");
        break;
      default:
        for (const auto& l : issue.labels)
          if (l.starts_with("gravité:")) gl.remove_label(issue.iid, l);
        break;
    }
  }
}

TEST(Property, GitLabOneCleanSyncConvergesWhateverPeopleAndFailuresDid) {
  for (int seed = 1; seed <= kGitLabSeeds; ++seed) {
    Random r(static_cast<unsigned>(1000 + seed));
    GitLabWorld w(/*hierarchy=*/seed % 3 != 0);
    std::set<int> closed_by_people;
    Analysis a = random_analysis(r);
    for (int round = 1; round <= kGitLabRounds; ++round) {
      const std::string where =
          "gitlab seed " + std::to_string(seed) + " round " + std::to_string(round);
      people_act_on_gitlab(w.gl, r, closed_by_people);
      if (round > 1) a = evolve(a, r);
      // A faulty sync: refused writes, a failing server, a lost answer, a lost cache.
      switch (r.between(0, 4)) {
        case 0:
          w.gl.fail_next("WRITE", "/projects/.*", 422, r.between(1, 2));
          break;
        case 1:
          w.gl.fail_next("WRITE", "/projects/.*", 503, 2);
          break;
        case 2:
          w.gl.hang_next("POST", "/projects/[^/]+/issues");
          break;
        case 3:
          w.cache.clear();
          break;
        default:
          break;
      }
      w.new_run();
      (void)w.sync(a, true);
      w.gl.clear_faults();
      people_act_on_gitlab(w.gl, r, closed_by_people);
      w.new_run();
      const auto clean = w.sync(a, true);
      ASSERT_TRUE(clean.ok()) << where << ": " << clean.error().to_string();
      EXPECT_EQ(clean->failures(), 0u) << where;
      for (const auto& res : clean->results)
        if (res.error) ADD_FAILURE() << where << ": " << res.error->message;
      w.new_run();
      const auto again = w.sync(a, false);
      ASSERT_TRUE(again.ok()) << where;
      for (const auto& action : again->first_plan.actions)
        ADD_FAILURE() << where << ": second plan not empty: " << action.summary;
      // Exactly one active item per story and measure, measures under (or related to) their
      // first story, people's closes standing.
      std::map<std::string, std::vector<const RemoteItem*>> active;
      for (const auto& i : again->remote)
        if (!is_retired(i)) active[i.marker.key].push_back(&i);
      for (const auto& st : a.stories) EXPECT_EQ(active[st.id].size(), 1u) << where << " " << st.id;
      const bool parents = w.tracker->capabilities().reports_parents;
      for (const auto& m : a.measures) {
        ASSERT_EQ(active[m.key].size(), 1u) << where << " " << m.key;
        const RemoteItem& item = *active[m.key][0];
        // What GitLab itself holds, not only what the connector reports.
        const auto& story = active[m.stories.front()];
        const int story_iid = story.empty() ? 0 : std::stoi(story[0]->number);
        const auto shown = w.gl.issue(std::stoi(item.number));
        ASSERT_TRUE(shown.has_value()) << where << " " << m.key;
        if (parents) {
          EXPECT_EQ(shown->parent, story_iid) << where << " " << m.key;
        } else {
          EXPECT_TRUE(shown->links.contains(story_iid)) << where << " " << m.key;
        }
        EXPECT_EQ(shown->issue_type, "task") << where << " " << m.key;
        if (closed_by_people.contains(std::stoi(item.number))) {
          EXPECT_TRUE(is_closed(item.state)) << where << ": " << m.key << " reopened";
        }
      }
      if (::testing::Test::HasFailure()) return;
    }
  }
}

// ---- the same property on Jira ----
// Cloud: people close (done, Won't Do), reopen, start, move sub-tasks, edit and label; the
// analysis evolves; search may lag. Data Center cannot move a sub-task through REST, so there
// people do not move them and the analysis keeps each measure's first story (risksync would only
// report the move for a person to make).

constexpr int kJiraSeeds = 8;
constexpr int kJiraRounds = 3;

void people_act_on_jira(testing::FakeJira& jira, Random& r, bool move_parents,
                        std::set<std::string>& closed_by_people) {
  const auto issues = jira.issues();
  if (issues.empty()) return;
  const int actions = r.between(0, 3);
  for (int i = 0; i < actions; ++i) {
    const auto& issue = r.pick(issues);
    switch (r.between(0, 5)) {
      case 0:
        jira.set_status(issue.key, "Done", r.chance(60) ? "Done" : "Won't Do");
        closed_by_people.insert(issue.key);
        break;
      case 1:
        jira.set_status(issue.key, "To Do");
        closed_by_people.erase(issue.key);
        break;
      case 2:
        if (move_parents && !issue.parent.empty()) {
          const auto& other = r.pick(issues);
          if (other.type == "Story") jira.set_parent(issue.key, other.key);
        }
        break;
      case 3:
        if (!issue.description.empty()) {
          nlohmann::json doc = nlohmann::json::parse(issue.description, nullptr, false);
          if (doc.is_object()) {
            doc["content"].push_back(
                {{"type", "paragraph"},
                 {"content", nlohmann::json::array(
                                 {{{"type", "text"}, {"text", "Note : " + r.sentence(3)}}})}});
            jira.edit_description(issue.key, doc.dump());
          } else {
            jira.edit_description(issue.key, issue.description + "\n\nNote : " + r.sentence(3));
          }
        }
        break;
      case 4:
        jira.add_label(issue.key, "bug");
        break;
      default:
        jira.set_status(issue.key, "In Progress");
        closed_by_people.erase(issue.key);
        break;
    }
  }
}

TEST(Property, JiraOneCleanSyncConvergesWhateverPeopleAndFailuresDid) {
  for (int seed = 1; seed <= kJiraSeeds; ++seed) {
    Random r(static_cast<unsigned>(2000 + seed));
    const bool cloud = seed % 2 == 1;
    testing::JiraWorld w(
        cloud ? testing::FakeJira::Flavor::cloud : testing::FakeJira::Flavor::data_center,
        std::chrono::milliseconds(250));
    std::set<std::string> closed_by_people;
    Analysis a = random_analysis(r);
    const auto sync = [&](bool apply) {
      SyncOptions options;
      options.source_file = a.source_file;
      return run_sync(a, ZoneGrid::default_grid(), *w.tracker, options, apply, nullptr);
    };
    for (int round = 1; round <= kJiraRounds; ++round) {
      const std::string where = std::string(cloud ? "jira cloud" : "jira dc") + " seed " +
                                std::to_string(seed) + " round " + std::to_string(round);
      people_act_on_jira(w.jira, r, cloud, closed_by_people);
      if (round > 1 && cloud) a = evolve(a, r);
      switch (r.between(0, 4)) {
        case 0:
          w.jira.fail_next("WRITE", "/issue.*", 400, r.between(1, 2));
          break;
        case 1:
          w.jira.fail_next("WRITE", "/issue.*", 503, 2);
          break;
        case 2:
          w.jira.hang_next("POST", "/issue/bulk");
          break;
        case 3:
          if (cloud) w.jira.set_search_lag(true);  // Cloud's index lags; DC's search is read as is
          break;
        default:
          break;
      }
      w.remake_tracker();
      (void)sync(true);
      w.jira.clear_faults();
      people_act_on_jira(w.jira, r, cloud, closed_by_people);
      w.remake_tracker();
      const auto clean = sync(true);
      ASSERT_TRUE(clean.ok()) << where << ": " << clean.error().to_string();
      EXPECT_EQ(clean->failures(), 0u) << where;
      for (const auto& res : clean->results)
        if (res.error) ADD_FAILURE() << where << ": " << res.error->message;
      w.jira.set_search_lag(false);
      w.remake_tracker();
      const auto again = sync(false);
      ASSERT_TRUE(again.ok()) << where;
      for (const auto& action : again->first_plan.actions)
        ADD_FAILURE() << where << ": second plan not empty: " << action.summary;
      std::map<std::string, std::vector<const RemoteItem*>> active;
      for (const auto& i : again->remote)
        if (!is_retired(i)) active[i.marker.key].push_back(&i);
      for (const auto& st : a.stories) EXPECT_EQ(active[st.id].size(), 1u) << where << " " << st.id;
      for (const auto& m : a.measures) {
        ASSERT_EQ(active[m.key].size(), 1u) << where << " " << m.key;
        const RemoteItem& item = *active[m.key][0];
        const auto& story = active[m.stories.front()];
        const auto shown = w.jira.issue(item.number);
        ASSERT_TRUE(shown.has_value()) << where << " " << m.key;
        EXPECT_EQ(shown->type, "Sub-task") << where << " " << m.key;
        EXPECT_EQ(shown->parent, story.empty() ? "" : story[0]->number) << where << " " << m.key;
        if (closed_by_people.contains(item.number)) {
          EXPECT_TRUE(is_closed(item.state)) << where << ": " << m.key << " reopened";
        }
      }
      if (::testing::Test::HasFailure()) return;
    }
  }
}

}  // namespace
}  // namespace risksync
