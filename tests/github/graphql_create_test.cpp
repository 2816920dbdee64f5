// GitHubTracker's GraphQL create path (create_api = graphql) against FakeGitHub, through the
// real HttpClient: one createIssue per item with its parent, GraphQL errors mapped onto the
// REST scopes, the REST fallback when parentIssueId is refused, GHES's endpoint, and a lost
// answer that the next sync finds by its marker (no duplicate).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/github/github_tracker.h"
#include "github/fake_github.h"
#include "net/http_client.h"
#include "sync/engine.h"
#include "sync/sample_analysis.h"

namespace risksync {
namespace {

using github::CreateApi;
using github::GitHubTracker;
using nlohmann::json;
using std::chrono::milliseconds;
using testing::FakeGitHub;

bool is_measure(const testing::FakeIssue& i) {
  const auto shown = find_block(i.body);
  return shown.block && shown.block->marker.kind == ItemKind::measure;
}

std::string body_of(const std::string& key, ItemKind kind) {
  return merge_managed_block("", Marker{key, kind, "0badf00d", "", false}, "\ntext " + key + "\n");
}

class GraphQLCreate : public ::testing::Test {
 protected:
  explicit GraphQLCreate(std::string prefix = "")
      : gh("octo", "risks", "tok-graphql-test", prefix) {}

  void SetUp() override {
    ASSERT_TRUE(gh.ok());
    net::HttpClientOptions o;
    o.base_url = gh.base_url();
    o.default_headers = github::github_default_headers(gh.token());
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = milliseconds(300);
    o.retry.max_attempts = 2;
    net::NetDeps deps;
    deps.sleep = [](milliseconds) {};
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(o, deps);
    ASSERT_TRUE(created.ok()) << created.error().to_string();
    client = std::move(created).value();
    tracker = make_tracker();
  }

  std::unique_ptr<GitHubTracker> make_tracker() {
    github::GitHubTrackerOptions to;
    to.owner = gh.owner();
    to.repo = gh.repo();
    to.create_api = CreateApi::graphql;
    to.graphql_url = github::github_graphql_url(gh.base_url());
    return std::make_unique<GitHubTracker>(to, *client, nullptr, &client->redactor());
  }

  Result<RemoteItem> story(const std::string& key) {
    return tracker->create(
        ItemSpec{key + " : s", body_of(key, ItemKind::story), {"risksync", "risksync:story"}});
  }
  Result<RemoteItem> measure(const std::string& key, const RemoteItem& parent) {
    ItemSpec m{key + " : m", body_of(key, ItemKind::measure), {"risksync", "risksync:measure"}};
    m.parent = &parent;
    return tracker->create(m);
  }
  Result<SyncReport> sync(const Analysis& a) {
    SyncOptions options;
    options.source_file = a.source_file;
    return run_sync(a, ZoneGrid::default_grid(), *tracker, options, true, nullptr);
  }

  FakeGitHub gh;
  std::unique_ptr<net::HttpClient> client;
  std::unique_ptr<GitHubTracker> tracker;
};

TEST(GitHubGraphQLUrl, GitHubComAndGhes) {
  EXPECT_EQ(github::github_graphql_url(""), "/graphql");
  EXPECT_EQ(github::github_graphql_url("https://api.github.com"), "/graphql");
  EXPECT_EQ(github::github_graphql_url("https://ghes.example/api/v3/"),
            "https://ghes.example/api/graphql");
  EXPECT_EQ(github::github_graphql_url("https://ghes.example:8443/api/v3"),
            "https://ghes.example:8443/api/graphql");
}

TEST_F(GraphQLCreate, MeasureIsCreatedUnderItsStoryInOneCallAndTheListingShowsTheParent) {
  ASSERT_TRUE(tracker->ensure_labels(managed_label_specs()).ok());
  EXPECT_TRUE(tracker->capabilities().create_with_parent);
  auto s = story("AS1");
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  gh.clear_log();
  auto m = measure("M1", *s);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->parent, ParentRef::of(s->id));
  EXPECT_EQ(m->marker.key, "M1");
  EXPECT_EQ(m->id, std::to_string(gh.id_of(std::stoi(m->number))));
  // One request: the mutation (node ids known from the first create); no REST write.
  EXPECT_EQ(gh.count("*", ".*"), 1u);
  EXPECT_EQ(gh.count("POST", "/graphql"), 1u);
  EXPECT_EQ(gh.parent_of(std::stoi(m->number)), std::stoi(s->number));
  // The REST listing shows the parent set through GraphQL (parent_issue_url).
  auto listed = tracker->list_managed();
  ASSERT_TRUE(listed.ok());
  bool seen = false;
  for (const auto& i : *listed) {
    if (i.marker.key != "M1") continue;
    seen = true;
    EXPECT_EQ(i.parent, ParentRef::of(s->id));
    EXPECT_EQ(i.labels, (std::vector<std::string>{"risksync", "risksync:measure"}));
  }
  EXPECT_TRUE(seen);
}

TEST_F(GraphQLCreate, FirstSyncMakesNoSubIssueLinkAndConverges) {
  const auto a = testing::sample();
  auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(gh.count("POST", "/repos/octo/risks/issues"), 0u);
  EXPECT_EQ(gh.count("POST", "/repos/octo/risks/issues/[0-9]+/sub_issues"), 0u);
  for (const auto& i : gh.issues()) {
    if (is_measure(i)) {
      EXPECT_NE(i.parent, 0) << i.title;
    }
  }
  gh.clear_log();
  auto again = sync(a);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->first_plan.empty());
  EXPECT_EQ(gh.count("WRITE", ".*"), 0u);
}

TEST_F(GraphQLCreate, ErrorsAreMappedToTheRestScopes) {
  ASSERT_TRUE(tracker->ensure_labels(managed_label_specs()).ok());
  auto s = story("AS1");
  ASSERT_TRUE(s.ok()) << s.error().to_string();

  gh.graphql_errors_next("createIssue", "FORBIDDEN",
                         "Resource not accessible by personal access token");
  auto forbidden = story("AS2");
  ASSERT_FALSE(forbidden.ok());
  EXPECT_TRUE(forbidden.error().stops_run());
  EXPECT_NE(forbidden.error().message.find("permission"), std::string::npos);

  gh.graphql_errors_next("createIssue", "RATE_LIMITED", "API rate limit exceeded for user ID 1.", 1,
                         {{"x-ratelimit-remaining", "0"}, {"x-ratelimit-reset", "1900000000"}});
  auto limited = story("AS2");
  ASSERT_FALSE(limited.ok());
  EXPECT_TRUE(limited.error().stops_run());
  ASSERT_TRUE(limited.error().retry_at.has_value());
  EXPECT_EQ(limited.error().retry_at->time_since_epoch(), std::chrono::seconds(1900000000));

  gh.graphql_errors_next("createIssue", "UNPROCESSABLE", "Title is too long (maximum is 256)");
  auto refused = story("AS2");
  ASSERT_FALSE(refused.ok());
  EXPECT_FALSE(refused.error().stops_run());
  EXPECT_NE(refused.error().message.find("Title is too long"), std::string::npos);

  // A parent that vanished: NOT_FOUND on that item only.
  RemoteItem gone = *s;
  gone.id = "999";
  gone.number = "999";
  auto orphan = measure("M1", gone);
  ASSERT_FALSE(orphan.ok());
  EXPECT_FALSE(orphan.error().stops_run());

  gh.fail_next("POST", "/graphql", 401, 1, "Bad credentials");
  auto token = story("AS2");
  ASSERT_FALSE(token.ok());
  EXPECT_TRUE(token.error().stops_run());
  EXPECT_EQ(token.error().field, "tracker.token_env");
  EXPECT_EQ(token.error().message.find(gh.token()), std::string::npos);
  EXPECT_EQ(gh.issues().size(), 1u);  // AS1: nothing refused was created
}

TEST_F(GraphQLCreate, UnknownRepositoryStopsTheRun) {
  github::GitHubTrackerOptions to;
  to.owner = "octo";
  to.repo = "nope";
  to.create_api = CreateApi::graphql;
  GitHubTracker other(to, *client);
  auto r = other.create(
      ItemSpec{"AS1 : s", body_of("AS1", ItemKind::story), {"risksync", "risksync:story"}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(r.error().field, "tracker.repository");
}

TEST_F(GraphQLCreate, RefusedParentIssueIdFallsBackToRestForTheRestOfTheRun) {
  gh.set_graphql_parent_supported(false);
  const auto a = testing::sample();
  auto r = sync(a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_TRUE(tracker->graphql_fell_back());
  EXPECT_FALSE(tracker->capabilities().create_with_parent);
  // Stories through GraphQL, then one refused mutation, then REST + sub_issues.
  EXPECT_GE(gh.count("POST", "/repos/octo/risks/issues/[0-9]+/sub_issues"), 1u);
  std::size_t measures = 0;
  for (const auto& i : gh.issues()) {
    if (!is_measure(i)) continue;
    ++measures;
    EXPECT_NE(i.parent, 0) << i.title;
  }
  EXPECT_EQ(measures, a.measures.size());
  EXPECT_EQ(gh.issues().size(), a.stories.size() + a.measures.size());  // no duplicate
  auto again = sync(a);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->first_plan.empty());
}

TEST_F(GraphQLCreate, LostAnswerIsNotRetriedAndTheNextSyncFindsTheIssue) {
  const auto a = testing::sample();
  gh.hang_graphql_next("createIssue");
  auto first = sync(a);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_GE(first->failures(), 1u);
  const auto created = gh.issues().size();
  gh.clear_faults();
  tracker = make_tracker();  // the next run
  auto second = sync(a);
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  EXPECT_EQ(second->failures(), 0u);
  EXPECT_EQ(gh.issues().size(), a.stories.size() + a.measures.size());
  EXPECT_LE(created, gh.issues().size());
  // The mutation whose answer was lost was sent once: not blindly retried.
  std::size_t mutations = 0;
  for (const auto& e : gh.exchanges())
    mutations += e.request.body.find("RisksyncCreateIssue") != std::string::npos;
  EXPECT_EQ(mutations, a.stories.size() + a.measures.size());
}

class GraphQLCreateOnGhes : public GraphQLCreate {
 protected:
  GraphQLCreateOnGhes() : GraphQLCreate("/api/v3") {}
};

TEST_F(GraphQLCreateOnGhes, UsesApiGraphql) {
  ASSERT_TRUE(tracker->ensure_labels(managed_label_specs()).ok());
  auto s = story("AS1");
  ASSERT_TRUE(s.ok()) << s.error().to_string();
  auto m = measure("M1", *s);
  ASSERT_TRUE(m.ok()) << m.error().to_string();
  EXPECT_EQ(m->parent, ParentRef::of(s->id));
  std::size_t at_api_graphql = 0;
  for (const auto& e : gh.exchanges()) at_api_graphql += e.request.path == "/api/graphql";
  EXPECT_EQ(at_api_graphql, 3u);  // repository ids, two creates
}

}  // namespace
}  // namespace risksync
