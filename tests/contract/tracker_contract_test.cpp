// The Tracker contract (sync/tracker.h), run on every Tracker: the in-memory one and GitHub
// (through the real HttpClient against the fake GitHub), GitLab (against the fake GitLab, with
// the work-item hierarchy and with the relates_to fallback), Jira Cloud (standard workflow and a
// custom one whose done status is "Livré") and Jira Data Center (against FakeJira). Each scenario
// drives real syncs (run_sync) and then checks what the platform SHOWS through a fresh listing:
// after any people's edit, refused write, lost answer or crash, one clean sync converges and a
// second plan is empty.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "connectors/github/github_tracker.h"
#include "connectors/gitlab/gitlab_tracker.h"
#include "github/fake_github.h"
#include "gitlab/fake_gitlab.h"
#include "jira/jira_world.h"
#include "net/http_client.h"
#include "sync/engine.h"
#include "sync/memory_tracker.h"
#include "sync/sample_analysis.h"

namespace risksync {
namespace {

using std::chrono::milliseconds;

// A platform as people and failures change it. Items are named by the key their block shows.
class Platform {
 public:
  virtual ~Platform() = default;
  virtual Tracker& tracker() = 0;
  virtual void person_closes(const std::string& key, bool completed) = 0;
  virtual void person_moves_under(const std::string& key, const std::string& story_key) = 0;
  virtual void person_detaches(const std::string& key) = 0;
  virtual void person_edits_body(const std::string& key,
                                 const std::function<std::string(std::string)>& edit) = 0;
  virtual void person_adds_label(const std::string& key, const std::string& label) = 0;
  virtual void refuse_next_write() = 0;       // an item-scoped refusal (422-like)
  virtual void refuse_every_write_401() = 0;  // the token lost its write permission
  virtual void lose_next_write_answer() = 0;  // the write lands, its answer is lost
  virtual void clear_faults() = 0;
  virtual int write_requests() const = 0;  // writes that reached the platform
  // Whether risksync can put a measure back under its story once people moved it (Jira Data
  // Center cannot move a sub-task through REST: the run reports it for a person to do).
  virtual bool parents_repairable() const { return true; }
};

class MemoryPlatform : public Platform {
 public:
  MemoryPlatform() { t_.caps.create_with_parent = false; }
  Tracker& tracker() override { return t_; }
  void person_closes(const std::string& key, bool completed) override {
    item(key).state = completed ? RemoteState::closed_completed : RemoteState::closed_not_planned;
  }
  void person_moves_under(const std::string& key, const std::string& story_key) override {
    item(key).parent = ParentRef::of(item(story_key).id);
  }
  void person_detaches(const std::string& key) override { item(key).parent = ParentRef::none(); }
  void person_edits_body(const std::string& key,
                         const std::function<std::string(std::string)>& edit) override {
    item(key).body = edit(item(key).body);
  }
  void person_adds_label(const std::string& key, const std::string& label) override {
    item(key).labels.push_back(label);
  }
  void refuse_next_write() override { t_.fail_next("write"); }
  void refuse_every_write_401() override {
    for (const char* op : {"labels", "create", "update", "state", "link", "comment"})
      t_.fail_always(op, ErrorScope::run);
  }
  void lose_next_write_answer() override { t_.fail_next("after-write"); }
  void clear_faults() override { t_.clear_failures(); }
  int write_requests() const override { return t_.writes + t_.refused; }

 private:
  RemoteItem& item(const std::string& key) {
    RemoteItem* i = t_.find_key(key);
    if (!i) throw std::runtime_error("no item " + key);
    return *i;
  }
  testing::MemoryTracker t_;
};

class GitHubPlatform : public Platform {
 public:
  explicit GitHubPlatform(github::CreateApi create_api) : create_api_(create_api) {
    net::HttpClientOptions o;
    o.base_url = gh_.base_url();
    o.default_headers = github::github_default_headers(gh_.token());
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = milliseconds(300);  // a lost answer is noticed quickly
    o.write_timeout = milliseconds(1000);
    o.retry.max_attempts = 2;
    net::NetDeps deps;
    deps.sleep = [](milliseconds) {};
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(std::move(o), std::move(deps));
    if (!created.ok()) throw std::runtime_error(created.error().to_string());
    client_ = std::move(created).value();
    github::GitHubTrackerOptions to;
    to.owner = gh_.owner();
    to.repo = gh_.repo();
    to.create_api = create_api;
    tracker_ = std::make_unique<github::GitHubTracker>(to, *client_, nullptr, &client_->redactor());
  }
  Tracker& tracker() override { return *tracker_; }
  void person_closes(const std::string& key, bool completed) override {
    gh_.close_issue(number(key), completed ? "completed" : "not_planned");
  }
  void person_moves_under(const std::string& key, const std::string& story_key) override {
    gh_.move_sub_issue(number(key), number(story_key));
  }
  void person_detaches(const std::string& key) override { gh_.move_sub_issue(number(key), 0); }
  void person_edits_body(const std::string& key,
                         const std::function<std::string(std::string)>& edit) override {
    const int n = number(key);
    gh_.edit_body(n, edit(gh_.issue(n)->body));
  }
  void person_adds_label(const std::string& key, const std::string& label) override {
    gh_.add_label(number(key), label);
  }
  void refuse_next_write() override {
    if (create_api_ == github::CreateApi::graphql)
      gh_.graphql_errors_next("createIssue", "UNPROCESSABLE", "Title is too long");
    else
      gh_.fail_next("WRITE", "/repos/octo/risks/issues.*", 422, 1, "Validation Failed");
  }
  void refuse_every_write_401() override {
    gh_.fail_next("WRITE", ".*", 401, 1000, "Bad credentials");
  }
  void lose_next_write_answer() override {
    if (create_api_ == github::CreateApi::graphql)
      gh_.hang_graphql_next("createIssue");
    else
      gh_.hang_next("WRITE", "/repos/octo/risks/issues.*");
  }
  void clear_faults() override { gh_.clear_faults(); }
  int write_requests() const override { return static_cast<int>(gh_.count("WRITE", ".*")); }

 private:
  int number(const std::string& key) {
    for (const auto& i : gh_.issues()) {
      const auto shown = find_block(i.body);
      if (shown.block && shown.block->marker.key == key) return i.number;
    }
    throw std::runtime_error("no issue " + key);
  }
  github::CreateApi create_api_;
  testing::FakeGitHub gh_;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<github::GitHubTracker> tracker_;
};

class GitLabPlatform : public Platform {
 public:
  explicit GitLabPlatform(testing::FakeGitLab::GraphQl graphql) {
    gl_.set_graphql(graphql);
    net::HttpClientOptions o;
    o.base_url = gl_.base_url();
    o.default_headers = gitlab::gitlab_default_headers(gl_.token());
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = milliseconds(300);
    o.write_timeout = milliseconds(1000);
    o.retry.max_attempts = 2;
    net::NetDeps deps;
    deps.sleep = [](milliseconds) {};
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(std::move(o), std::move(deps));
    if (!created.ok()) throw std::runtime_error(created.error().to_string());
    client_ = std::move(created).value();
    gitlab::GitLabTrackerOptions to;
    to.project = gl_.project_path();
    to.graphql_url = gl_.graphql_url();
    tracker_ = std::make_unique<gitlab::GitLabTracker>(to, *client_, &cache_, &client_->redactor());
  }
  Tracker& tracker() override { return *tracker_; }
  void person_closes(const std::string& key, bool completed) override {
    gl_.close_issue(iid(key), completed ? "" : "abandonnée");
  }
  void person_moves_under(const std::string& key, const std::string& story_key) override {
    gl_.set_parent(iid(key), iid(story_key));
  }
  void person_detaches(const std::string& key) override { gl_.set_parent(iid(key), 0); }
  void person_edits_body(const std::string& key,
                         const std::function<std::string(std::string)>& edit) override {
    const int n = iid(key);
    gl_.edit_description(n, edit(gl_.issue(n)->description));
  }
  void person_adds_label(const std::string& key, const std::string& label) override {
    gl_.add_label(iid(key), label);
  }
  void refuse_next_write() override {
    gl_.fail_next("WRITE", "/projects/[^/]+/issues.*", 422, 1, "Validation failed");
  }
  void refuse_every_write_401() override {
    gl_.fail_next("WRITE", "/projects/.*", 401, 1000, "401 Unauthorized");
  }
  void lose_next_write_answer() override { gl_.hang_next("WRITE", "/projects/[^/]+/issues.*"); }
  void clear_faults() override { gl_.clear_faults(); }
  // REST writes and GraphQL mutations (a GraphQL query is a POST that writes nothing).
  int write_requests() const override {
    int n = 0;
    for (const auto& e : gl_.exchanges())
      n += e.request.method != "GET" && (e.request.path != "/api/graphql" ||
                                         e.request.body.find("mutation") != std::string::npos);
    return n;
  }

 private:
  int iid(const std::string& key) {
    for (const auto& i : gl_.issues()) {
      const auto shown = find_block(i.description);
      if (shown.block && shown.block->marker.key == key) return i.iid;
    }
    throw std::runtime_error("no issue " + key);
  }
  testing::FakeGitLab gl_;
  std::unique_ptr<net::HttpClient> client_;
  net::InMemoryListingCache cache_;  // listings after the first ask only for what changed
  std::unique_ptr<gitlab::GitLabTracker> tracker_;
};

class JiraPlatform : public Platform {
 public:
  JiraPlatform(testing::FakeJira::Flavor flavor, std::string workflow)
      : w_(flavor, milliseconds(300)), workflow_(std::move(workflow)) {
    w_.jira.set_workflow(workflow_);
  }
  Tracker& tracker() override { return *w_.tracker; }
  void person_closes(const std::string& key, bool completed) override {
    const bool livre = workflow_ == "livre";
    w_.jira.set_status(issue_key(key), livre ? "Livré" : "Done",
                       completed ? (livre ? "" : "Done") : "Won't Do");
  }
  void person_moves_under(const std::string& key, const std::string& story_key) override {
    w_.jira.set_parent(issue_key(key), issue_key(story_key));
  }
  void person_detaches(const std::string& key) override { w_.jira.set_parent(issue_key(key), ""); }
  void person_edits_body(const std::string& key,
                         const std::function<std::string(std::string)>& edit) override {
    const std::string k = issue_key(key);
    std::string edited = edit(w_.jira.issue(k)->description);
    if (w_.cloud() && nlohmann::json::parse(edited, nullptr, false).is_discarded()) {
      // Text appended after the ADF document: a paragraph of the document, as Jira's editor.
      const auto end = edited.rfind('}');
      std::string tail = edited.substr(end + 1);
      while (!tail.empty() && (tail.front() == '\n' || tail.front() == ' ')) tail.erase(0, 1);
      nlohmann::json doc = nlohmann::json::parse(edited.substr(0, end + 1));
      doc["content"].push_back(
          {{"type", "paragraph"},
           {"content", nlohmann::json::array({{{"type", "text"}, {"text", tail}}})}});
      edited = doc.dump();
    }
    w_.jira.edit_description(k, edited);
  }
  void person_adds_label(const std::string& key, const std::string& label) override {
    w_.jira.add_label(issue_key(key), label);
  }
  void refuse_next_write() override {
    w_.jira.fail_next("WRITE", "/issue.*", 400, 1, "Refused by a workflow validator");
  }
  void refuse_every_write_401() override { w_.jira.fail_next("WRITE", "/issue.*", 401, 1000); }
  void lose_next_write_answer() override { w_.jira.hang_next("POST", "/issue/bulk"); }
  void clear_faults() override { w_.jira.clear_faults(); }
  int write_requests() const override { return static_cast<int>(w_.jira.count("WRITE", ".*")); }
  bool parents_repairable() const override { return w_.cloud(); }

 private:
  std::string issue_key(const std::string& key) const {
    for (const auto& i : w_.jira.issues()) {
      const auto p = i.properties.find("risksync");
      if (p != i.properties.end() && nlohmann::json::parse(p->second).value("key", "") == key)
        return i.key;
    }
    throw std::runtime_error("no issue " + key);
  }
  testing::JiraWorld w_;
  std::string workflow_;
};

using PlatformFactory = std::function<std::unique_ptr<Platform>()>;
struct NamedFactory {
  std::string name;
  PlatformFactory make;
};

class TrackerContract : public ::testing::TestWithParam<NamedFactory> {
 protected:
  void SetUp() override { p = GetParam().make(); }

  Result<SyncReport> sync(const Analysis& a, bool apply = true) {
    SyncOptions options;
    options.source_file = a.source_file;
    return run_sync(a, ZoneGrid::default_grid(), p->tracker(), options, apply, nullptr);
  }

  std::vector<RemoteItem> shown() {
    auto items = p->tracker().list_managed();
    EXPECT_TRUE(items.ok()) << items.error().to_string();
    return items.ok() ? *items : std::vector<RemoteItem>{};
  }

  // The platform shows the analysis: each key on one active open item, measures under their
  // first story, and nothing left to plan.
  void expect_shows(const Analysis& a) {
    const auto items = shown();
    std::map<std::string, std::vector<const RemoteItem*>> active;
    for (const auto& i : items)
      if (!is_retired(i)) active[i.marker.key].push_back(&i);
    std::map<std::string, std::string> story_ids;
    for (const auto& s : a.stories) {
      ASSERT_EQ(active[s.id].size(), 1u) << s.id;
      EXPECT_EQ(active[s.id][0]->state, RemoteState::open) << s.id;
      story_ids[s.id] = active[s.id][0]->id;
    }
    const TrackerCapabilities caps = p->tracker().capabilities();
    for (const auto& m : a.measures) {
      ASSERT_EQ(active[m.key].size(), 1u) << m.key;
      if (m.stories.empty()) continue;
      if (caps.reports_parents) {
        EXPECT_EQ(active[m.key][0]->parent, ParentRef::of(story_ids[m.stories.front()])) << m.key;
      } else {  // the parent stands as a related link (GitLab's relates_to fallback)
        const auto& related = active[m.key][0]->related;
        EXPECT_TRUE(std::count(related.begin(), related.end(), story_ids[m.stories.front()]))
            << m.key;
      }
    }
    const auto again = sync(a, /*apply=*/false);
    ASSERT_TRUE(again.ok()) << again.error().to_string();
    for (const auto& action : again->first_plan.actions) ADD_FAILURE() << action.summary;
  }

  std::unique_ptr<Platform> p;
};

TEST_P(TrackerContract, FirstSyncShowsTheAnalysisAndTheSecondWritesNothing) {
  const auto a = testing::sample();
  const auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  for (const auto& res : r->results)
    if (res.error) ADD_FAILURE() << res.error->to_string();
  expect_shows(a);
  const int writes = p->write_requests();
  ASSERT_TRUE(sync(a).ok());
  EXPECT_EQ(p->write_requests(), writes);
}

TEST_P(TrackerContract, PeoplesEditsOfWhatRisksyncOwnsAreRepairedTheirOwnAreKept) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  if (p->parents_repairable()) {
    p->person_moves_under("M1", "AS2");
    p->person_detaches(a.measures[1].key);
  }
  p->person_edits_body("AS1", [](std::string b) {
    const auto at = b.find("Très probable");
    if (at != std::string::npos) b.replace(at, 13, "Improbable");
    return b + "\n\nNotes de l'équipe.";
  });
  p->person_adds_label("AS1", "priorité haute");
  const auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  expect_shows(a);
  for (const auto& i : shown()) {
    if (i.marker.key != "AS1") continue;
    EXPECT_NE(i.body.find("Notes de l'équipe."), std::string::npos);
    EXPECT_NE(i.body.find("Très probable"), std::string::npos);
    EXPECT_TRUE(std::count(i.labels.begin(), i.labels.end(), "priorité haute"));
  }
}

TEST_P(TrackerContract, MeasureClosedByPeopleIsDoneAndStaysClosed) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  p->person_closes("M1", /*completed=*/true);
  const auto r = sync(a);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::done);
  for (const auto& i : shown()) {
    if (i.marker.key == "M1") {
      EXPECT_EQ(i.state, RemoteState::closed_completed);
    }
  }
  EXPECT_TRUE(sync(a, false)->first_plan.empty());
}

TEST_P(TrackerContract, RemovedItemIsClosedRetiredThenReopenedWhenItComesBack) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  Analysis b = a;
  b.stories.pop_back();
  b.measures[0].stories = {"AS1"};
  ASSERT_TRUE(sync(b).ok());
  for (const auto& i : shown()) {
    if (i.marker.key != "AS2") continue;
    EXPECT_EQ(i.state, RemoteState::closed_not_planned);
    EXPECT_TRUE(is_retired(i));
  }
  EXPECT_TRUE(sync(b, false)->first_plan.empty());
  ASSERT_TRUE(sync(a).ok());
  expect_shows(a);
}

TEST_P(TrackerContract, RefusedWriteThenOneCleanSyncConverges) {
  const auto a = testing::sample();
  p->refuse_next_write();
  const auto first = sync(a);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_GE(first->failures(), 1u);
  p->clear_faults();
  ASSERT_TRUE(sync(a).ok());
  expect_shows(a);
}

TEST_P(TrackerContract, LostAnswerThenOneCleanSyncConvergesWithoutDuplicate) {
  const auto a = testing::sample();
  p->lose_next_write_answer();
  ASSERT_TRUE(sync(a).ok());
  p->clear_faults();
  ASSERT_TRUE(sync(a).ok());
  expect_shows(a);
  EXPECT_EQ(shown().size(), 4u);
}

TEST_P(TrackerContract, RefusedTokenStopsTheRunAfterOneWrite) {
  const auto a = testing::sample();
  p->refuse_every_write_401();
  const auto r = sync(a);
  if (r.ok()) {
    EXPECT_TRUE(r->stopped_by.has_value());
    // The one write refused: one item, or every item of the first batch (the stories) where
    // the tracker creates in batches.
    const bool batched = p->tracker().capabilities().max_batch > 1;
    EXPECT_EQ(r->failures(), batched ? a.stories.size() : 1u);
  } else {
    EXPECT_TRUE(r.error().stops_run()) << r.error().to_string();
  }
  EXPECT_EQ(p->write_requests(), 1);
}

std::unique_ptr<Platform> make_memory() {
  return std::make_unique<MemoryPlatform>();
}
std::unique_ptr<Platform> make_github_rest() {
  return std::make_unique<GitHubPlatform>(github::CreateApi::rest);
}
std::unique_ptr<Platform> make_github_graphql() {
  return std::make_unique<GitHubPlatform>(github::CreateApi::graphql);
}

std::unique_ptr<Platform> make_gitlab() {
  return std::make_unique<GitLabPlatform>(testing::FakeGitLab::GraphQl::full);
}
std::unique_ptr<Platform> make_gitlab_relates_to() {
  return std::make_unique<GitLabPlatform>(testing::FakeGitLab::GraphQl::refuse_hierarchy);
}

std::unique_ptr<Platform> make_jira_cloud() {
  return std::make_unique<JiraPlatform>(testing::FakeJira::Flavor::cloud, "standard");
}
std::unique_ptr<Platform> make_jira_cloud_livre() {
  return std::make_unique<JiraPlatform>(testing::FakeJira::Flavor::cloud, "livre");
}
std::unique_ptr<Platform> make_jira_data_center() {
  return std::make_unique<JiraPlatform>(testing::FakeJira::Flavor::data_center, "standard");
}

INSTANTIATE_TEST_SUITE_P(
    EveryTracker, TrackerContract,
    ::testing::Values(NamedFactory{"memory", make_memory},
                      NamedFactory{"github_rest", make_github_rest},
                      NamedFactory{"github_graphql", make_github_graphql},
                      NamedFactory{"gitlab", make_gitlab},
                      NamedFactory{"gitlab_relates_to", make_gitlab_relates_to},
                      NamedFactory{"jira_cloud", make_jira_cloud},
                      NamedFactory{"jira_cloud_livre", make_jira_cloud_livre},
                      NamedFactory{"jira_data_center", make_jira_data_center}),
    [](const ::testing::TestParamInfo<NamedFactory>& param) { return param.param.name; });

}  // namespace
}  // namespace risksync
