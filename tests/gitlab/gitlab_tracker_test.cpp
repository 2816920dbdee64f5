// GitLabTracker against FakeGitLab, through the real HttpClient of net/ (loopback only, no real
// sleeping: NetDeps::sleep records the waits).
#include "connectors/gitlab/gitlab_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "connectors/gitlab/gitlab_connector.h"
#include "gitlab/fake_gitlab.h"
#include "net/http_client.h"
#include "sync/engine.h"
#include "sync/issue_body.h"
#include "sync/sample_analysis.h"

namespace risksync {
namespace {

using gitlab::GitLabTracker;
using gitlab::GitLabTrackerOptions;
using gitlab::ParentMode;
using nlohmann::json;
using std::chrono::milliseconds;
using testing::FakeGitLab;
using ::testing::HasSubstr;
using ::testing::Not;

std::string managed_body(const std::string& key, ItemKind kind = ItemKind::story) {
  Marker m{key, kind, "0badf00d", "", false};
  return merge_managed_block("", m, "\nrisksync's text for " + key + "\n");
}

class GitLabTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(gl.ok());
    client = make_client(gl.token());
    ASSERT_TRUE(client);
    remake_tracker();
  }

  GitLabTrackerOptions options() const {
    GitLabTrackerOptions o;
    o.project = project;
    o.graphql_url = gl.graphql_url();
    return o;
  }

  void remake_tracker(net::ListingCache* cache = nullptr) {
    tracker = std::make_unique<GitLabTracker>(options(), *client, cache, &client->redactor());
  }

  std::unique_ptr<net::HttpClient> make_client(const std::string& token,
                                               milliseconds read_timeout = milliseconds(2000)) {
    net::HttpClientOptions o;
    o.base_url = gitlab::gitlab_api_base(gl.base_url());
    o.default_headers = gitlab::gitlab_default_headers(token);
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = read_timeout;
    o.write_timeout = milliseconds(1000);
    o.retry.max_attempts = 3;
    net::NetDeps deps;
    deps.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(std::move(o), std::move(deps));
    if (!created.ok()) {
      ADD_FAILURE() << created.error().to_string();
      return nullptr;
    }
    return std::move(created).value();
  }

  Result<SyncReport> sync(const Analysis& a, bool apply = true) {
    SyncOptions o;
    o.source_file = a.source_file;
    return run_sync(a, ZoneGrid::default_grid(), *tracker, o, apply, nullptr);
  }

  // REST writes and GraphQL mutations (GraphQL queries are POSTs that write nothing).
  std::size_t writes() const {
    std::size_t n = 0;
    for (const auto& e : gl.exchanges())
      n += e.request.method != "GET" && (e.request.path != "/api/graphql" ||
                                         e.request.body.find("mutation") != std::string::npos);
    return n;
  }

  int iid_of(const std::string& key) const {
    for (const auto& i : gl.issues()) {
      const auto shown = find_block(i.description);
      if (shown.block && shown.block->marker.key == key) return i.iid;
    }
    ADD_FAILURE() << "no issue for " << key;
    return 0;
  }

  json last_body(const std::string& method, const std::string& path_regex) const {
    const std::regex re(path_regex);
    const auto all = gl.exchanges();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
      if (it->request.method == method && std::regex_match(it->request.path, re))
        return json::parse(it->request.body, nullptr, false);
    ADD_FAILURE() << "no " << method << " " << path_regex;
    return json();
  }

  FakeGitLab gl;
  std::string project = "secu/sub/risques";
  std::vector<milliseconds> sleeps;
  std::unique_ptr<net::HttpClient> client;
  std::unique_ptr<GitLabTracker> tracker;
};

TEST(GitLabUrls, RestBaseAndGraphQlEndpoint) {
  EXPECT_EQ(gitlab::gitlab_api_base(""), "https://gitlab.com/api/v4");
  EXPECT_EQ(gitlab::gitlab_api_base("https://gitlab.example/"), "https://gitlab.example/api/v4");
  EXPECT_EQ(gitlab::gitlab_api_base("https://h.example/gitlab/api/v4"),
            "https://h.example/gitlab/api/v4");
  EXPECT_EQ(gitlab::gitlab_graphql_url("https://gitlab.com/api/v4"),
            "https://gitlab.com/api/graphql");
  EXPECT_EQ(gitlab::gitlab_graphql_url("https://h.example/gitlab/api/v4"),
            "https://h.example/gitlab/api/graphql");
  const auto headers = gitlab::gitlab_default_headers("tok");
  EXPECT_EQ(net::find_header(headers, "PRIVATE-TOKEN"), "tok");
  EXPECT_FALSE(net::find_header(headers, "Authorization"));
}

TEST_F(GitLabTrackerTest, FirstSyncCreatesIssuesAndTasksUnderTheirStoriesSecondWritesNothing) {
  const auto a = testing::sample();
  const auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  const auto issues = gl.issues();
  ASSERT_EQ(issues.size(), 4u);
  const int as1 = iid_of("AS1");
  for (const auto& i : issues) {
    const auto marker = find_block(i.description).block->marker;
    const std::string& key = marker.key;
    EXPECT_TRUE(std::count(i.labels.begin(), i.labels.end(), "risksync")) << key;
    if (marker.kind == ItemKind::story) {
      EXPECT_EQ(i.issue_type, "issue") << key;
    } else {
      EXPECT_EQ(i.issue_type, "task") << key;
      EXPECT_EQ(i.parent, as1) << key;  // both measures hang under AS1
    }
  }
  // M1 is shared with AS2: one task, related to AS2.
  EXPECT_TRUE(gl.issue(iid_of("M1"))->links.contains(iid_of("AS2")));
  // Labels went as a comma string, the measure as a task.
  int tasks_posted = 0;
  for (const auto& e : gl.exchanges()) {
    if (e.request.method != "POST" || !e.request.path.ends_with("/issues")) continue;
    const json create = json::parse(e.request.body, nullptr, false);
    EXPECT_TRUE(create["labels"].is_string());
    tasks_posted += create.value("issue_type", "") == "task";
  }
  EXPECT_EQ(tasks_posted, 2);
  EXPECT_EQ(tracker->parent_mode(), ParentMode::hierarchy);

  const std::size_t before = writes();
  const auto again = sync(a);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_TRUE(again->first_plan.empty());
  EXPECT_EQ(writes(), before);
  // The listing asked for every state, 100 per page, with the managed label.
  bool listed = false;
  for (const auto& e : gl.exchanges()) {
    if (e.request.method != "GET" || !e.request.path.ends_with("/issues")) continue;
    listed = true;
    EXPECT_EQ(e.request.param("labels"), "risksync");
    EXPECT_EQ(e.request.param("state"), "all");
    EXPECT_EQ(e.request.param("per_page"), "100");
  }
  EXPECT_TRUE(listed);
}

TEST_F(GitLabTrackerTest, ProjectByNumericIdWorksToo) {
  project = std::to_string(FakeGitLab::kProjectId);
  remake_tracker();
  const auto r = sync(testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(gl.issues().size(), 4u);
}

TEST_F(GitLabTrackerTest, RefusedTokenStopsBeforeAnyWriteNamingTokenEnv) {
  client = make_client("fake-gitlab-wrong-token-value");
  remake_tracker();
  const auto r = sync(testing::sample());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(r.error().field, "tracker.token_env");
  EXPECT_THAT(r.error().message, HasSubstr("401"));
  EXPECT_THAT(r.error().message, Not(HasSubstr("fake-gitlab-wrong-token-value")));
  EXPECT_EQ(writes(), 0u);
}

TEST_F(GitLabTrackerTest, MissingProjectStopsNamingRepository) {
  project = "secu/autre";
  remake_tracker();
  const auto r = sync(testing::sample());
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(r.error().field, "tracker.repository");
  EXPECT_THAT(r.error().message, HasSubstr("secu/autre"));
  EXPECT_EQ(writes(), 0u);
}

TEST_F(GitLabTrackerTest, DisabledIssuesStopNamingRepository) {
  gl.set_issues_enabled(false);
  const auto r = sync(testing::sample());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "tracker.repository");
  EXPECT_THAT(r.error().message, HasSubstr("issues are disabled"));
}

TEST_F(GitLabTrackerTest, GuestRolePlansButStopsAtTheFirstWriteWithoutSendingIt) {
  gl.set_access_level(10);  // Guest
  const auto a = testing::sample();
  const auto plan = sync(a, /*apply=*/false);
  ASSERT_TRUE(plan.ok()) << plan.error().to_string();
  EXPECT_EQ(plan->first_plan.actions.size(), 4u);
  const auto r = sync(a);
  ASSERT_FALSE(r.ok());  // ensure_labels is the first write
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(r.error().field, "tracker.token_env");
  EXPECT_THAT(r.error().message, HasSubstr("Planner"));
  EXPECT_EQ(writes(), 0u);
}

TEST_F(GitLabTrackerTest, NotAMemberIsRefusedBeforeWriting) {
  gl.set_access_level(-1);
  auto created = tracker->create(ItemSpec{"AS1 : x", managed_body("AS1"), {"risksync"}});
  ASSERT_FALSE(created.ok());
  EXPECT_TRUE(created.error().stops_run());
  EXPECT_THAT(created.error().message, HasSubstr("not a member"));
  EXPECT_EQ(writes(), 0u);
}

TEST_F(GitLabTrackerTest, ListingFollowsLinkPagesTasksIncludedAndSkipsUnmarked) {
  for (int n = 1; n <= 130; ++n)
    gl.add_issue("AS" + std::to_string(n), managed_body("AS" + std::to_string(n)), {"risksync"});
  gl.add_issue("M1", managed_body("M1", ItemKind::measure), {"risksync"}, "task");
  gl.add_issue("people's", "no block", {"risksync"});
  gl.add_issue("other", managed_body("AS999"), {"bug"});
  auto items = tracker->list_managed();
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  EXPECT_EQ(items->size(), 131u);
  EXPECT_EQ(tracker->last_listing().pages, 2);
  EXPECT_EQ(tracker->last_listing().unmarked, 1);
  for (const auto& i : *items) {
    EXPECT_NE(i.id, i.number);  // id is the global id, number the iid
    if (i.marker.key == "M1") {
      EXPECT_EQ(i.parent, ParentRef::none());
    }
  }
}

TEST_F(GitLabTrackerTest, CachedListingAsksOnlyForWhatChangedAndListsAgainAfterADeletion) {
  net::InMemoryListingCache cache;
  remake_tracker(&cache);
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  ASSERT_TRUE(sync(a).ok());  // sees risksync's own writes once
  gl.clear_log();
  auto items = tracker->list_managed();
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  EXPECT_EQ(items->size(), 4u);
  EXPECT_TRUE(tracker->last_listing().incremental);
  EXPECT_EQ(tracker->last_listing().graphql_queries, 0);
  std::size_t issue_gets = 0;
  for (const auto& e : gl.exchanges()) {
    if (e.request.path.ends_with("/issues")) {
      ++issue_gets;
      EXPECT_TRUE(!e.request.param("updated_after").empty() || e.request.param("per_page") == "1")
          << e.request.target;
    }
  }
  EXPECT_EQ(issue_gets, 2u);

  // A person closes M1 with the drop label: seen through updated_after.
  gl.close_issue(iid_of("M1"), "abandonnée");
  auto r = sync(a, false);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(tracker->last_listing().incremental);
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::dropped);

  // A deleted issue does not show in updated_after: the count differs, everything is listed.
  gl.delete_issue(iid_of("AS2"));
  items = tracker->list_managed();
  ASSERT_TRUE(items.ok());
  EXPECT_FALSE(tracker->last_listing().incremental);
  EXPECT_EQ(items->size(), 3u);

  // A lost cache: one full listing, no duplicate.
  cache.clear();
  remake_tracker(&cache);
  const auto after = sync(a);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(gl.issues().size(), 4u);  // AS2 created again (it was deleted), nothing else
}

TEST_F(GitLabTrackerTest, StatusesFromStateLabelsAndAssignment) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  const std::string derived = a.measures[1].key;
  gl.close_issue(iid_of("M1"));
  auto r = sync(a, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::done);
  EXPECT_EQ(r->statuses.at(derived), MeasureStatus::todo);
  gl.assign(iid_of(derived), "alice");
  r = sync(a, false);
  EXPECT_EQ(r->statuses.at(derived), MeasureStatus::in_progress);
  gl.reopen_issue(iid_of("M1"));
  gl.add_label(iid_of("M1"), "en cours");
  r = sync(a, false);
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::in_progress);
  gl.close_issue(iid_of("M1"), "wontfix");
  r = sync(a, false);
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::dropped);
  // A closed measure lowers the residual only when done; closing stays people's choice.
  ASSERT_TRUE(sync(a).ok());
  EXPECT_EQ(gl.issue(iid_of("M1"))->state, "closed");
}

TEST_F(GitLabTrackerTest, RemovedMeasureIsClosedWithNoteAndDropLabelThenReopened) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  Analysis b = a;
  const std::string derived = b.measures[1].key;
  b.measures.pop_back();
  b.stories[0].possible_measures = {"M1"};
  ASSERT_TRUE(sync(b).ok());
  auto gone = gl.issue(iid_of(derived));
  EXPECT_EQ(gone->state, "closed");
  EXPECT_TRUE(std::count(gone->labels.begin(), gone->labels.end(), "abandonnée"));
  EXPECT_EQ(gone->notes.size(), 1u);
  // The close went in one PUT with the labels.
  const json put = last_body("PUT", "/api/v4/projects/[^/]+/issues/[0-9]+");
  EXPECT_EQ(put["state_event"], "close");
  EXPECT_THAT(put["add_labels"].get<std::string>(), HasSubstr("abandonnée"));
  auto plan = sync(b, false);
  EXPECT_TRUE(plan->first_plan.empty());

  ASSERT_TRUE(sync(a).ok());
  gone = gl.issue(iid_of(derived));
  EXPECT_EQ(gone->state, "opened");
  EXPECT_FALSE(std::count(gone->labels.begin(), gone->labels.end(), "abandonnée"));
  EXPECT_TRUE(sync(a, false)->first_plan.empty());
}

TEST_F(GitLabTrackerTest, PeoplesLabelsAreNeverSent) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  gl.add_label(iid_of("AS1"), "priorité haute");
  gl.remove_label(iid_of("AS1"), "gravité:4");
  ASSERT_TRUE(sync(a).ok());
  const json put = last_body("PUT", "/api/v4/projects/[^/]+/issues/[0-9]+");
  EXPECT_FALSE(put.contains("labels"));
  EXPECT_EQ(put["add_labels"], "gravité:4");
  const auto as1 = gl.issue(iid_of("AS1"));
  EXPECT_TRUE(std::count(as1->labels.begin(), as1->labels.end(), "priorité haute"));
}

TEST_F(GitLabTrackerTest, WrongParentIsReadBackAndRepaired) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  gl.set_parent(iid_of("M1"), iid_of("AS2"));
  auto r = sync(a);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(gl.issue(iid_of("M1"))->parent, iid_of("AS1"));
  EXPECT_TRUE(sync(a, false)->first_plan.empty());
}

TEST_F(GitLabTrackerTest, GraphQlRefusedFallsBackToRelatesToLinksAndKeepsThatMode) {
  net::InMemoryListingCache cache;
  remake_tracker(&cache);
  gl.set_graphql(FakeGitLab::GraphQl::refuse_hierarchy);
  const auto a = testing::sample();
  const auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(tracker->parent_mode(), ParentMode::relates_to);
  EXPECT_THAT(tracker->describe(), HasSubstr("relates_to"));
  EXPECT_FALSE(tracker->capabilities().reports_parents);
  const auto m1 = gl.issue(iid_of("M1"));
  EXPECT_TRUE(m1->links.contains(iid_of("AS1")));
  EXPECT_TRUE(m1->links.contains(iid_of("AS2")));
  EXPECT_TRUE(gl.issue(iid_of(a.measures[1].key))->links.contains(iid_of("AS1")));
  EXPECT_EQ(m1->parent, 0);

  // The next run (a new tracker, same cache) starts in relates_to mode: no GraphQL at all.
  remake_tracker(&cache);
  EXPECT_EQ(tracker->parent_mode(), ParentMode::relates_to);
  gl.clear_log();
  const std::size_t before = writes();
  const auto again = sync(a);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->first_plan.empty());
  EXPECT_EQ(writes(), before);
  EXPECT_EQ(gl.count("*", "/graphql"), 0u);
}

TEST_F(GitLabTrackerTest, FallbackChosenWhileListingRelatesNewMeasuresToTheirFirstStory) {
  const auto a = testing::sample();
  Analysis first = a;
  first.measures.pop_back();  // the derived measure comes later
  first.stories[0].possible_measures = {"M1"};
  ASSERT_TRUE(sync(first).ok());
  gl.set_graphql(FakeGitLab::GraphQl::refuse_hierarchy);
  remake_tracker();  // a new run without a cache: the listing's query finds GraphQL refusing
  const auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(tracker->parent_mode(), ParentMode::relates_to);
  const std::string derived = a.measures[1].key;
  EXPECT_TRUE(gl.issue(iid_of(derived))->links.contains(iid_of("AS1")));
  EXPECT_EQ(gl.issue(iid_of("M1"))->parent, iid_of("AS1"));  // set before, left as it is
  EXPECT_TRUE(sync(a, false)->first_plan.empty());
}

TEST_F(GitLabTrackerTest, OlderGitLabHidingTasksGetsIssuesAndNoDuplicates) {
  gl.set_tasks_hidden(true);  // GitLab 16.5: REST lists no task
  const auto a = testing::sample();
  const auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(tracker->parent_mode(), ParentMode::relates_to);
  for (const auto& i : gl.issues()) EXPECT_EQ(i.issue_type, "issue") << i.title;
  EXPECT_TRUE(gl.issue(iid_of("M1"))->links.contains(iid_of("AS1")));
  remake_tracker();
  ASSERT_TRUE(sync(a).ok());
  EXPECT_EQ(gl.issues().size(), 4u);
  EXPECT_TRUE(sync(a, false)->first_plan.empty());
}

TEST_F(GitLabTrackerTest, UnknownVersionMeansTasks) {
  gl.set_version("");
  ASSERT_TRUE(sync(testing::sample()).ok());
  EXPECT_EQ(tracker->parent_mode(), ParentMode::hierarchy);
  EXPECT_EQ(gl.issue(iid_of("M1"))->issue_type, "task");
}

TEST_F(GitLabTrackerTest, NoGraphQlEndpointFallsBackToo) {
  gl.set_graphql(FakeGitLab::GraphQl::absent);
  const auto a = testing::sample();
  const auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(tracker->parent_mode(), ParentMode::relates_to);
  EXPECT_TRUE(sync(a, false)->first_plan.empty());
}

TEST_F(GitLabTrackerTest, ExistingLinkIsReadFirstAndAConflictCountsAsDone) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  RemoteItem m1, as2;
  const auto items = tracker->list_managed();
  ASSERT_TRUE(items.ok());
  for (const auto& i : *items) {
    if (i.marker.key == "M1") m1 = i;
    if (i.marker.key == "AS2") as2 = i;
  }
  const std::size_t before = writes();
  EXPECT_TRUE(tracker->link_related(m1, as2).ok());
  EXPECT_EQ(writes(), before);  // read before writing: already linked
  gl.respond_next("GET", ".*/links", testing::FakeResponse::json(200, "[]"));
  EXPECT_TRUE(tracker->link_related(m1, as2).ok());  // 409 "already assigned" = done
}

TEST_F(GitLabTrackerTest, TooManyRequestsIsWaitedOutWithAndWithoutRetryAfter) {
  gl.too_many_requests_next("GET", "/projects/[^/]+", 7);
  gl.too_many_requests_next("POST", "/projects/[^/]+/issues", -1);
  const auto r = sync(testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(gl.issues().size(), 4u);  // the refused POST was not applied, then sent again
  ASSERT_GE(sleeps.size(), 2u);
  EXPECT_EQ(sleeps[0], milliseconds(7000));
  EXPECT_GE(sleeps[1], milliseconds(1000));
}

TEST_F(GitLabTrackerTest, ServerErrorsStopTheRunAndARefusedItemDoesNot) {
  gl.fail_next("POST", "/projects/[^/]+/issues", 422, 1, "title is too long");
  auto r = sync(testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_GE(r->failures(), 1u);
  EXPECT_FALSE(r->stopped_by.has_value());
  bool quoted = false;
  for (const auto& res : r->results)
    if (res.error)
      quoted = quoted || res.error->message.find("title is too long") != std::string::npos;
  EXPECT_TRUE(quoted);

  gl.fail_next("PUT", ".*", 500, 10);
  gl.remove_label(iid_of("AS2"), "gravité:2");
  r = sync(testing::sample());
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->stopped_by.has_value());
  EXPECT_TRUE(r->stopped_by->stops_run());
}

TEST_F(GitLabTrackerTest, ForbiddenWriteStopsTheRunNamingTheToken) {
  gl.fail_next("POST", "/projects/[^/]+/issues", 403, 1, "403 Forbidden - insufficient_scope");
  const auto r = sync(testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_TRUE(r->stopped_by.has_value());
  EXPECT_EQ(r->stopped_by->field, "tracker.token_env");
  EXPECT_THAT(r->stopped_by->message, HasSubstr("insufficient_scope"));
  EXPECT_EQ(gl.issues().size(), 0u);
}

TEST_F(GitLabTrackerTest, MalformedListingPageIsAnErrorNamingWhatCame) {
  gl.respond_next("GET", "/projects/[^/]+/issues",
                  testing::FakeResponse::json(200, "<html>proxy login</html>"));
  const auto items = tracker->list_managed();
  ASSERT_FALSE(items.ok());
  EXPECT_THAT(items.error().message, HasSubstr("HTML page"));
  EXPECT_EQ(writes(), 0u);
}

TEST_F(GitLabTrackerTest, SlowAnswersWithinTheTimeoutAreWaitedFor) {
  gl.delay_next("*", ".*", milliseconds(150), 3);
  const auto r = sync(testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(gl.issues().size(), 4u);
}

TEST_F(GitLabTrackerTest, ExistingLabelsAreNotCreatedAgainAndA409CountsAsThere) {
  gl.add_issue("other", "", {"risksync"});  // the label exists already
  gl.fail_next("POST", "/projects/[^/]+/labels", 409, 1, "Label already exists");
  ASSERT_TRUE(tracker->ensure_labels(managed_label_specs()).ok());
  EXPECT_EQ(gl.count("POST", "/projects/[^/]+/labels"), managed_label_specs().size() - 1);
}

TEST_F(GitLabTrackerTest, LostCreateAnswerThenOneCleanSyncWithoutDuplicate) {
  client = make_client(gl.token(), milliseconds(300));
  remake_tracker();
  gl.hang_next("POST", "/projects/[^/]+/issues");
  const auto a = testing::sample();
  ASSERT_TRUE(sync(a).ok());
  gl.clear_faults();
  ASSERT_TRUE(sync(a).ok());
  EXPECT_EQ(gl.issues().size(), 4u);
  EXPECT_TRUE(sync(a, false)->first_plan.empty());
}

TEST_F(GitLabTrackerTest, ErrorsNeverQuoteTheToken) {
  gl.respond_next("GET", "/projects/[^/]+",
                  testing::FakeResponse::json(
                      500, "{\"message\":\"token " + gl.token() + " leaked by a proxy\"}"),
                  5);
  const auto r = sync(testing::sample());
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, Not(HasSubstr(gl.token())));
}

TEST_F(GitLabTrackerTest, NeverAsksForAConditionalListing) {
  net::InMemoryListingCache cache;
  remake_tracker(&cache);
  ASSERT_TRUE(sync(testing::sample()).ok());
  ASSERT_TRUE(sync(testing::sample()).ok());
  for (const auto& e : gl.exchanges()) {
    EXPECT_FALSE(e.request.has_header("If-None-Match"));
    EXPECT_NE(e.status, 304);
  }
}

TEST(GitLabConnector, DefaultWriteIntervalKeepsCreationBelow200AMinute) {
  EXPECT_GT(gitlab::default_write_interval(true), milliseconds(300));
  EXPECT_GT(gitlab::default_write_interval(false), milliseconds(0));
}

}  // namespace
}  // namespace risksync
