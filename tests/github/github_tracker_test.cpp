// GitHubTracker against FakeGitHub, through the real HttpClient of net/ (loopback only, no real
// sleeping: NetDeps::sleep records the waits).
#include "connectors/github/github_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "github/fake_github.h"
#include "net/http_client.h"
#include "parse/analysis_parser.h"
#include "support/big_analysis.h"
#include "sync/engine.h"
#include "util/ascii.h"

namespace risksync {
namespace {

using github::GitHubTracker;
using github::GitHubTrackerOptions;
using nlohmann::json;
using std::chrono::milliseconds;
using ::testing::ElementsAre;
using testing::FakeGitHub;
using testing::FakeResponse;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RawTcpServer;
using ::testing::UnorderedElementsAre;

std::string managed_body(const std::string& key, ItemKind kind = ItemKind::story,
                         const std::string& parent = "", const std::string& people_text = "") {
  (void)parent;  // the parent is what GitHub shows, not part of the marker
  Marker m{key, kind, "0badf00d", "", false};
  std::string body = merge_managed_block("", m, "\nrisksync's text for " + key + "\n");
  if (!people_text.empty()) body += people_text;
  return body;
}

ItemSpec story_spec(const std::string& key) {
  return ItemSpec{key + " : an abuser story", managed_body(key), {"risksync", "risksync:story"}};
}

ItemSpec measure_spec(const std::string& key, const std::string& parent) {
  return ItemSpec{key + " : a measure",
                  managed_body(key, ItemKind::measure, parent),
                  {"risksync", "risksync:measure"}};
}

class GitHubTrackerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(gh.ok());
    client = make_client(gh.base_url(), gh.token());
    ASSERT_TRUE(client);
    tracker = std::make_unique<GitHubTracker>(options(), *client, nullptr, &client->redactor());
  }

  // The REST create path (tests/github/graphql_create_test.cpp covers GraphQL's).
  GitHubTrackerOptions options() const {
    GitHubTrackerOptions o;
    o.owner = gh.owner();
    o.repo = gh.repo();
    o.create_api = github::CreateApi::rest;
    return o;
  }

  std::unique_ptr<net::HttpClient> make_client(const std::string& base, const std::string& token,
                                               milliseconds read_timeout = milliseconds(2000),
                                               int max_attempts = 4) {
    net::HttpClientOptions o;
    o.base_url = base;
    o.default_headers = github::github_default_headers(token);
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = read_timeout;
    o.write_timeout = milliseconds(1000);
    o.retry.max_attempts = max_attempts;
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

  RemoteItem listed(const std::string& key) {
    auto items = tracker->list_managed();
    EXPECT_TRUE(items.ok()) << items.error().to_string();
    if (items.ok())
      for (const auto& i : *items)
        if (i.marker.key == key) return i;
    ADD_FAILURE() << key << " not listed";
    return {};
  }

  json last_body(const std::string& method, const std::string& path_regex) {
    const std::regex re(path_regex);
    const auto all = gh.exchanges();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
      if (it->request.method == method && std::regex_match(it->request.path, re))
        return json::parse(it->request.body, nullptr, false);
    ADD_FAILURE() << "no " << method << " " << path_regex;
    return json();
  }

  FakeGitHub gh;
  std::vector<milliseconds> sleeps;
  std::unique_ptr<net::HttpClient> client;
  std::unique_ptr<GitHubTracker> tracker;
};

// ---- helpers of the public API ----

TEST(GitHubHelpers, DefaultHeadersAndApiBase) {
  const auto h = github::github_default_headers("tok");
  EXPECT_EQ(net::find_header(h, "authorization"), "Bearer tok");
  EXPECT_EQ(net::find_header(h, "Accept"), "application/vnd.github+json");
  EXPECT_EQ(net::find_header(h, "X-GitHub-Api-Version"), "2022-11-28");
  EXPECT_EQ(github::github_api_base(""), "https://api.github.com");
  EXPECT_EQ(github::github_api_base("https://github.com/"), "https://api.github.com");
  EXPECT_EQ(github::github_api_base("https://ghes.example/api/v3/"), "https://ghes.example/api/v3");
}

// ---- listing ----

TEST_F(GitHubTrackerTest, ListsAcrossThreePagesSkippingPullRequestsAndUnmarkedIssues) {
  for (int i = 1; i <= 220; ++i)
    gh.add_issue("AS" + std::to_string(i), managed_body("AS" + std::to_string(i)),
                 {"risksync", "risksync:story"}, i % 3 == 0 ? "closed" : "open");
  for (int i = 0; i < 5; ++i)
    gh.add_pull_request("a PR", managed_body("PR" + std::to_string(i)), {"risksync"});
  for (int i = 0; i < 5; ++i) gh.add_issue("labelled by hand", "no marker here", {"risksync"});
  gh.add_issue("marker without label", managed_body("X1"), {"bug"});

  auto items = tracker->list_managed();
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  EXPECT_EQ(items->size(), 220u);
  EXPECT_EQ(gh.count("GET", "/repos/octo/risks/issues"), 3u);
  EXPECT_EQ(tracker->last_listing().pages, 3);
  EXPECT_EQ(tracker->last_listing().pull_requests, 5);
  EXPECT_EQ(tracker->last_listing().unmarked, 5);
  for (const auto& item : *items) {
    EXPECT_THAT(item.marker.key, Not(HasSubstr("PR")));
    EXPECT_NE(item.marker.key, "X1");
  }
  const auto first = gh.exchanges().front().request;
  EXPECT_EQ(first.param("labels"), "risksync");
  EXPECT_EQ(first.param("state"), "all");
  EXPECT_EQ(first.param("per_page"), "100");
  EXPECT_EQ(first.header("Authorization"), "Bearer " + gh.token());
  EXPECT_EQ(first.header("Accept"), "application/vnd.github+json");
  EXPECT_EQ(first.header("X-GitHub-Api-Version"), "2022-11-28");
  // Later pages come from the Link header (page=2, page=3), not from a URL risksync built.
  const auto all = gh.exchanges();
  EXPECT_EQ(all[1].request.param("page"), "2");
  EXPECT_EQ(all[2].request.param("page"), "3");

  const auto as3 = std::find_if(items->begin(), items->end(),
                                [](const RemoteItem& i) { return i.marker.key == "AS3"; });
  ASSERT_NE(as3, items->end());
  EXPECT_EQ(as3->number, "3");
  EXPECT_EQ(as3->id, std::to_string(3 + FakeGitHub::kIdOffset));
  EXPECT_EQ(as3->url, "https://github.com/octo/risks/issues/3");
  EXPECT_EQ(as3->state, RemoteState::closed_completed);
  EXPECT_THAT(as3->labels, UnorderedElementsAre("risksync", "risksync:story"));
}

TEST_F(GitHubTrackerTest, SecondListingIsAnsweredBy304FromTheCache) {
  for (int i = 1; i <= 150; ++i)
    gh.add_issue("AS" + std::to_string(i), managed_body("AS" + std::to_string(i)), {"risksync"});
  net::InMemoryListingCache cache;
  GitHubTracker cached(options(), *client, &cache, &client->redactor());

  auto first = cached.list_managed();
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(gh.count_status(304), 0u);
  EXPECT_EQ(cache.size(), 2u);

  auto second = cached.list_managed();
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  EXPECT_EQ(gh.count_status(304), 2u);  // both pages
  EXPECT_EQ(cached.last_listing().not_modified_pages, 2);
  ASSERT_EQ(first->size(), second->size());
  for (std::size_t i = 0; i < first->size(); ++i) {
    EXPECT_EQ((*first)[i].id, (*second)[i].id);
    EXPECT_EQ((*first)[i].body, (*second)[i].body);
    EXPECT_EQ((*first)[i].marker.key, (*second)[i].marker.key);
  }

  // A person closes AS1 (newest first: AS1 is on the last page); only that page changes.
  gh.close_issue(1, "not_planned");
  gh.clear_log();
  auto third = cached.list_managed();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(gh.count_status(304), 1u);
  EXPECT_EQ(gh.count_status(200), 1u);
  const auto as1 = std::find_if(third->begin(), third->end(),
                                [](const RemoteItem& i) { return i.marker.key == "AS1"; });
  ASSERT_NE(as1, third->end());
  EXPECT_EQ(as1->state, RemoteState::closed_not_planned);
}

// Issue 11: the fake frames like Apache or Rack (FakeHttpServer's strict front), so every 304
// of the no-change sync arrives without Content-Length. One attempt per call and a read timeout
// far above any loopback answer: a client waiting for a body after a 304 would time out and the
// sync would fail (or count a transport error), never pass by luck.
TEST_F(GitHubTrackerTest, NoChangeSyncThroughTheStrictFakeIsAnsweredBy304sWithoutAStall) {
  const ParseOutcome parsed = parse_analysis(testing::big_analysis_markdown(20), "big.md");
  ASSERT_TRUE(parsed.ok());
  const Analysis& analysis = *parsed.analysis;
  const std::size_t items = analysis.stories.size() + analysis.measures.size();
  const int pages = static_cast<int>((items + 99) / 100);
  ASSERT_GE(pages, 2);  // several pages on one keep-alive connection
  auto strict_client = make_client(gh.base_url(), gh.token(), milliseconds(5000), 1);
  ASSERT_TRUE(strict_client);
  net::InMemoryListingCache cache;
  GitHubTracker cached(options(), *strict_client, &cache, &strict_client->redactor());
  SyncOptions so;
  so.source_file = "big.md";
  const auto sync = [&] {
    return run_sync(analysis, ZoneGrid::default_grid(), cached, so, true, nullptr);
  };
  const auto first = sync();  // creates everything
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  ASSERT_EQ(first->failures(), 0u);
  const auto second = sync();  // reads the listing the first one changed, caches its ETags
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  ASSERT_EQ(second->failures(), 0u);

  gh.clear_log();
  const std::size_t heads_before = gh.wire_response_heads().size();
  const net::RequestStats before = strict_client->stats();
  const auto no_change = sync();
  ASSERT_TRUE(no_change.ok()) << no_change.error().to_string();
  EXPECT_EQ(no_change->failures(), 0u);
  EXPECT_TRUE(no_change->first_plan.actions.empty());
  EXPECT_EQ(cached.last_listing().pages, pages);
  EXPECT_EQ(cached.last_listing().not_modified_pages, pages);

  const net::RequestStats& after = strict_client->stats();
  EXPECT_EQ(after.calls - before.calls, static_cast<std::uint64_t>(pages));
  EXPECT_EQ(after.attempts - before.attempts, static_cast<std::uint64_t>(pages));
  EXPECT_EQ(after.not_modified - before.not_modified, static_cast<std::uint64_t>(pages));
  EXPECT_EQ(after.retries, before.retries);
  EXPECT_EQ(after.transport_errors, before.transport_errors) << "a read timed out";
  EXPECT_EQ(gh.count_status(304), static_cast<std::size_t>(pages));
  EXPECT_EQ(gh.exchanges().size(), static_cast<std::size_t>(pages));

  // What went on the wire: 304s with neither Content-Length nor Transfer-Encoding.
  const auto heads = gh.wire_response_heads();
  ASSERT_EQ(heads.size() - heads_before, static_cast<std::size_t>(pages));
  for (std::size_t i = heads_before; i < heads.size(); ++i) {
    const std::string head = ascii::to_lower(heads[i]);
    EXPECT_EQ(head.rfind("http/1.1 304 ", 0), 0u) << heads[i];
    EXPECT_EQ(head.find("content-length"), std::string::npos) << heads[i];
    EXPECT_EQ(head.find("transfer-encoding"), std::string::npos) << heads[i];
  }
}

TEST_F(GitHubTrackerTest, UnreadableCachedPageIsAskedForAgain) {
  gh.add_issue("t", managed_body("AS1"), {"risksync"});
  net::InMemoryListingCache cache;
  GitHubTracker cached(options(), *client, &cache, &client->redactor());
  ASSERT_TRUE(cached.list_managed().ok());
  ASSERT_EQ(cache.size(), 1u);
  const std::string url = gh.exchanges().back().request.target;
  auto page = cache.get(url);
  ASSERT_TRUE(page.has_value());
  page->body = "[{\"truncated";  // e.g. a cache file cut by a crash; the ETag still matches
  cache.put(url, *page);
  gh.clear_log();
  auto items = cached.list_managed();
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ(gh.count_status(304), 1u);
  EXPECT_EQ(gh.count_status(200), 1u);
  EXPECT_FALSE(gh.exchanges().back().request.has_header("If-None-Match"));
  EXPECT_EQ(cache.get(url)->body.front(), '[');
  EXPECT_TRUE(cached.list_managed().ok());  // repaired: the next listing is a 304 again
  EXPECT_EQ(gh.count_status(304), 2u);
}

TEST_F(GitHubTrackerTest, MapsStatesReasonsAssigneesAndParents) {
  const int open = gh.add_issue("o", managed_body("AS1"), {"risksync"});
  const int completed = gh.add_issue("c", managed_body("M1", ItemKind::measure, "AS1"),
                                     {"risksync"}, "closed", "completed");
  const int null_reason = gh.add_issue("n", managed_body("M2"), {"risksync"}, "closed", "");
  const int not_planned =
      gh.add_issue("np", managed_body("M3"), {"risksync"}, "closed", "not_planned");
  const int duplicate = gh.add_issue("d", managed_body("M4"), {"risksync"}, "closed", "duplicate");
  const int in_progress = gh.add_issue("ip", managed_body("M5"), {"risksync", "En cours"});
  const int reopened = gh.add_issue("r", managed_body("M6"), {"risksync"});
  gh.close_issue(reopened);
  gh.reopen_issue(reopened);
  gh.assign(open, "alice");
  gh.add_sub_issue(open, completed);
  gh.edit_body(null_reason, managed_body("M2") + "people's notes");

  auto items = tracker->list_managed();
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  std::map<std::string, RemoteItem> by_key;
  for (const auto& i : *items) by_key[i.marker.key] = i;
  EXPECT_EQ(by_key["AS1"].state, RemoteState::open);
  EXPECT_TRUE(by_key["AS1"].assigned);
  EXPECT_FALSE(by_key["M1"].assigned);
  EXPECT_EQ(by_key["M1"].state, RemoteState::closed_completed);
  EXPECT_EQ(by_key["M1"].parent, ParentRef::of(std::to_string(gh.id_of(open))));
  EXPECT_EQ(by_key["AS1"].parent, ParentRef::none());
  EXPECT_EQ(by_key["AS1"].shown_block, "\nrisksync's text for AS1\n");
  EXPECT_EQ(by_key["M2"].state, RemoteState::closed_completed);
  EXPECT_THAT(by_key["M2"].body, HasSubstr("people's notes"));
  EXPECT_EQ(by_key["M3"].state, RemoteState::closed_not_planned);
  EXPECT_EQ(by_key["M4"].state, RemoteState::closed_duplicate);
  // "In progress" is the core's rule (label or assignment), not the connector's.
  EXPECT_EQ(by_key["M5"].state, RemoteState::open);
  EXPECT_EQ(by_key["M6"].state, RemoteState::open);
  (void)not_planned;
  (void)duplicate;
  (void)in_progress;
}

TEST_F(GitHubTrackerTest, NullBodyIsEmptyAndSkippedAsUnmarked) {
  gh.add_issue("empty", "", {"risksync"});
  auto items = tracker->list_managed();
  ASSERT_TRUE(items.ok());
  EXPECT_TRUE(items->empty());
  EXPECT_EQ(tracker->last_listing().unmarked, 1);
}

TEST_F(GitHubTrackerTest, ItemOfTheWrongShapeIsSkippedTheRestIsKept) {
  gh.respond_next(
      "GET", "/repos/octo/risks/issues",
      FakeResponse::json(200, json::array({
                                              {{"title", "no number"}},
                                              {{"id", 1000001},
                                               {"number", 1},
                                               {"title", "AS1"},
                                               {"state", "open"},
                                               {"body", managed_body("AS1")},
                                               {"labels", json::array({"risksync"})}},
                                              {{"id", 1000002}, {"number", 2}, {"title", 7}},
                                          })
                                  .dump()));
  auto items = tracker->list_managed();
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].marker.key, "AS1");
  EXPECT_EQ(tracker->last_listing().malformed, 2);
}

// ---- create, link ----

TEST_F(GitHubTrackerTest, CreateSendsOnlyDocumentedFieldsThenLinkParentMakesTheSubIssue) {
  auto story = tracker->create(story_spec("AS1"));
  ASSERT_TRUE(story.ok()) << story.error().to_string();
  EXPECT_EQ(story->marker.key, "AS1");
  EXPECT_EQ(story->state, RemoteState::open);
  ItemSpec spec = measure_spec("M1", "AS1");
  spec.parent = &*story;  // a hint GitHub's create cannot take: ignored
  auto measure = tracker->create(spec);
  ASSERT_TRUE(measure.ok()) << measure.error().to_string();
  EXPECT_EQ(measure->parent, ParentRef::none());  // as GitHub would have it
  const json sent = last_body("POST", "/repos/octo/risks/issues");
  EXPECT_FALSE(sent.contains("parent_issue_id"));  // not in GitHub's OpenAPI description
  EXPECT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent["labels"], json::array({"risksync", "risksync:measure"}));
  EXPECT_EQ(gh.issue(std::stoi(measure->number))->body, measure_spec("M1", "AS1").body);
  EXPECT_EQ(listed("M1").parent, ParentRef::none());

  ASSERT_TRUE(tracker->link_parent(*measure, *story).ok());
  EXPECT_THAT(gh.sub_issues(std::stoi(story->number)), ElementsAre(std::stoi(measure->number)));
  // The next listing reports the parent GitHub shows.
  EXPECT_EQ(listed("M1").parent, ParentRef::of(story->id));
  EXPECT_FALSE(tracker->capabilities().create_with_parent);
  EXPECT_TRUE(tracker->capabilities().reports_parents);
}

TEST_F(GitHubTrackerTest, ParentOutsideTheListingIsReportedAsNotTheWantedOne) {
  const int story = gh.add_issue("AS1", managed_body("AS1"), {"risksync"});
  const int stranger = gh.add_issue("a person's epic", "no block", {});
  const int measure = gh.add_issue("M1", managed_body("M1", ItemKind::measure), {"risksync"});
  gh.add_sub_issue(stranger, measure);
  const RemoteItem m1 = listed("M1");
  EXPECT_EQ(m1.parent.known, ParentRef::Known::item);
  EXPECT_FALSE(m1.parent.is(listed("AS1").id));
  EXPECT_NE(m1.parent.id, std::to_string(gh.id_of(story)));
}

TEST_F(GitHubTrackerTest, LinkParentSendsTheIdAndFakeRefusesANumber) {
  auto story = tracker->create(story_spec("AS1"));
  auto measure = tracker->create(measure_spec("M1", "AS1"));
  ASSERT_TRUE(story.ok() && measure.ok());
  ASSERT_TRUE(tracker->link_parent(*measure, *story).ok());
  EXPECT_EQ(gh.parent_of(std::stoi(measure->number)), std::stoi(story->number));
  const json sent = last_body("POST", "/repos/octo/risks/issues/[0-9]+/sub_issues");
  EXPECT_EQ(sent["sub_issue_id"], std::stoll(measure->id));
  EXPECT_EQ(sent["replace_parent"], true);

  // The same request with the number instead of the id is refused: the fake is strict.
  auto other = tracker->create(measure_spec("M2", "AS1"));
  ASSERT_TRUE(other.ok());
  net::HttpRequest raw;
  raw.method = "POST";
  raw.path_and_query = "/repos/octo/risks/issues/" + story->number + "/sub_issues";
  raw.body = json{{"sub_issue_id", std::stoi(other->number)}}.dump();
  auto refused = client->send(raw);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 422);
  EXPECT_EQ(gh.parent_of(std::stoi(other->number)), 0);
}

TEST_F(GitHubTrackerTest, LinkParentIsSafeToRepeatAndMovesToAnotherParent) {
  auto as1 = tracker->create(story_spec("AS1"));
  auto as2 = tracker->create(story_spec("AS2"));
  auto m1 = tracker->create(measure_spec("M1", "AS1"));
  ASSERT_TRUE(as1.ok() && as2.ok() && m1.ok());
  ASSERT_TRUE(tracker->link_parent(*m1, *as1).ok());
  // Already a sub-issue of AS1: GitHub answers 422, the connector checks the parent: fine.
  auto again = tracker->link_parent(*m1, *as1);
  EXPECT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(gh.count("GET", "/repos/octo/risks/issues/[0-9]+/parent"), 1u);
  // Moving under AS2 replaces the parent.
  ASSERT_TRUE(tracker->link_parent(*m1, *as2).ok());
  EXPECT_EQ(gh.parent_of(std::stoi(m1->number)), std::stoi(as2->number));
  EXPECT_TRUE(gh.sub_issues(std::stoi(as1->number)).empty());
}

TEST_F(GitHubTrackerTest, HundredSubIssuesLimitIsExplained) {
  const int parent = gh.add_issue("AS1", managed_body("AS1"), {"risksync"});
  for (int i = 0; i < 100; ++i)
    gh.add_sub_issue(parent,
                     gh.add_issue("m", managed_body("M" + std::to_string(i)), {"risksync"}));
  const RemoteItem story = listed("AS1");
  const int loose = gh.add_issue("m", managed_body("M101"), {"risksync"});
  const RemoteItem child = listed("M101");
  auto linked = tracker->link_parent(child, story);
  ASSERT_FALSE(linked.ok());
  EXPECT_THAT(linked.error().message, HasSubstr("AS1"));
  EXPECT_THAT(linked.error().message, HasSubstr("already has 100 sub-issues, GitHub's limit"));
  EXPECT_THAT(linked.error().message, HasSubstr("split the story"));
  EXPECT_EQ(linked.error().scope, ErrorScope::item);
  EXPECT_EQ(gh.parent_of(loose), 0);
}

TEST_F(GitHubTrackerTest, CreateRefusesWhenGitHubDropsTheLabels) {
  gh.set_drop_labels_without_push(true);
  auto first = tracker->create(story_spec("AS1"));
  ASSERT_FALSE(first.ok());
  EXPECT_THAT(first.error().message, HasSubstr("dropped its labels"));
  EXPECT_THAT(first.error().message, HasSubstr("https://github.com/octo/risks/issues/1"));
  EXPECT_TRUE(first.error().stops_run());
  const auto posts = gh.count("POST", "/repos/octo/risks/issues");
  auto second = tracker->create(story_spec("AS2"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(gh.count("POST", "/repos/octo/risks/issues"), posts);  // no duplicate flood
}

// ---- update ----

TEST_F(GitHubTrackerTest, UpdateWithNoChangeSendsNoRequest) {
  gh.add_issue("AS1 : an abuser story", managed_body("AS1"), {"risksync:story", "risksync"});
  const RemoteItem item = listed("AS1");
  gh.clear_log();
  ItemChange same;
  same.title = item.title;
  same.add_labels = {"RiskSync"};  // already there: label names are case-insensitive
  auto r = tracker->update(item, same);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(gh.exchanges().empty());
  EXPECT_EQ(r->id, item.id);
}

TEST_F(GitHubTrackerTest, UpdateSendsOnlyChangedFieldsAndChangesOnlyOurLabels) {
  const int n = gh.add_issue("AS1 : an abuser story", managed_body("AS1"),
                             {"risksync", "risksync:story", "gravité:2"});
  gh.add_label(n, "urgent");  // a person's label
  const RemoteItem item = listed("AS1");

  ItemChange title_only;
  title_only.title = "AS1 : renamed";
  auto renamed = tracker->update(item, title_only);
  ASSERT_TRUE(renamed.ok()) << renamed.error().to_string();
  json sent = last_body("PATCH", "/repos/octo/risks/issues/1");
  EXPECT_EQ(sent, json({{"title", "AS1 : renamed"}}));

  // Our label changed, the person's label kept (GitHub's `labels` replaces the set).
  ItemChange relabel;
  relabel.add_labels = {"gravité:4"};
  relabel.remove_labels = {"gravité:2"};
  auto relabelled = tracker->update(*renamed, relabel);
  ASSERT_TRUE(relabelled.ok()) << relabelled.error().to_string();
  sent = last_body("PATCH", "/repos/octo/risks/issues/1");
  EXPECT_EQ(sent.size(), 1u);
  EXPECT_THAT(sent["labels"].get<std::vector<std::string>>(),
              UnorderedElementsAre("risksync", "risksync:story", "gravité:4", "urgent"));
  EXPECT_THAT(gh.issue(n)->labels,
              UnorderedElementsAre("risksync", "risksync:story", "gravité:4", "urgent"));
  EXPECT_THAT(relabelled->labels,
              UnorderedElementsAre("risksync", "risksync:story", "gravité:4", "urgent"));

  // Body with the person's text outside the block: sent as given (the codec merged it).
  gh.edit_body(n, managed_body("AS1") + "\nA person's note.\n");
  const RemoteItem edited = listed("AS1");
  ItemChange body;
  body.body = tracker->codec().write(edited.body, edited.marker, ManagedContent{"new text\n"});
  auto rewritten = tracker->update(edited, body);
  ASSERT_TRUE(rewritten.ok());
  EXPECT_THAT(gh.issue(n)->body, HasSubstr("A person's note."));
  EXPECT_THAT(gh.issue(n)->body, HasSubstr("new text"));
  EXPECT_EQ(rewritten->shown_block, "new text\n");
}

TEST_F(GitHubTrackerTest, UpdateRefusesToDropTheManagedLabel) {
  gh.add_issue("t", managed_body("AS1"), {"risksync"});
  const RemoteItem item = listed("AS1");
  ItemChange change;
  change.remove_labels = {"risksync"};
  gh.clear_log();
  auto r = tracker->update(item, change);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::internal);
  EXPECT_TRUE(gh.exchanges().empty());
}

// ---- close, reopen: one PATCH with the state, its reason and the labels ----

ItemChange closing(std::string comment) {
  ItemChange c;
  c.state = ItemChange::State::close;
  c.close_reason = CloseReason::not_planned;
  c.add_labels = {"risksync:retiré"};
  c.comment = std::move(comment);
  return c;
}

TEST_F(GitHubTrackerTest, CloseSendsStateReasonAndLabelInOnePatchThenComments) {
  const int n = gh.add_issue("M1", managed_body("M1"), {"risksync"});
  const RemoteItem item = listed("M1");
  auto closed = tracker->update(item, closing("Removed from the analysis."));
  ASSERT_TRUE(closed.ok()) << closed.error().to_string();
  EXPECT_EQ(closed->state, RemoteState::closed_not_planned);
  const json sent = last_body("PATCH", "/repos/octo/risks/issues/1");
  EXPECT_EQ(sent, json({{"state", "closed"},
                        {"state_reason", "not_planned"},
                        {"labels", {"risksync", "risksync:retiré"}}}));
  EXPECT_EQ(gh.issue(n)->state, "closed");
  EXPECT_EQ(gh.issue(n)->state_reason, "not_planned");
  EXPECT_THAT(gh.comments(n), ElementsAre("Removed from the analysis."));
  // One PATCH, then the comment.
  EXPECT_EQ(gh.count("PATCH", "/repos/octo/risks/issues/1"), 1u);
  const auto all = gh.exchanges();
  EXPECT_EQ(all[all.size() - 2].request.method, "PATCH");
  EXPECT_EQ(all.back().request.path, "/repos/octo/risks/issues/1/comments");
}

TEST_F(GitHubTrackerTest, CloseOfAClosedIssueSendsNoStateAndNoComment) {
  gh.add_issue("M1", managed_body("M1"), {"risksync"}, "closed", "completed");
  const RemoteItem item = listed("M1");
  gh.clear_log();
  ItemChange c = closing("Removed.");
  c.add_labels.clear();
  auto r = tracker->update(item, c);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(gh.exchanges().empty());
  EXPECT_EQ(r->state, RemoteState::closed_completed);  // the person's reason stands
}

TEST_F(GitHubTrackerTest, ReopenSendsStateReopenedAndLabelRemovalThenComments) {
  const int n = gh.add_issue("M1", managed_body("M1"), {"risksync", "risksync:retiré"}, "closed",
                             "not_planned");
  const RemoteItem item = listed("M1");
  ItemChange c;
  c.state = ItemChange::State::reopen;
  c.remove_labels = {"risksync:retiré"};
  c.comment = "Back in the analysis.";
  auto r = tracker->update(item, c);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->state, RemoteState::open);
  EXPECT_EQ(last_body("PATCH", "/repos/octo/risks/issues/1"),
            json({{"state", "open"}, {"state_reason", "reopened"}, {"labels", {"risksync"}}}));
  EXPECT_EQ(gh.issue(n)->state_reason, "reopened");
  EXPECT_THAT(gh.comments(n), ElementsAre("Back in the analysis."));

  gh.clear_log();
  ASSERT_TRUE(tracker->update(*r, c).ok());
  EXPECT_TRUE(gh.exchanges().empty());
}

// ---- labels ----

TEST_F(GitHubTrackerTest, EnsureLabelsCreatesOnlyMissingOnes) {
  gh.add_repo_label({"RiskSync", "000000", ""});  // label names are case-insensitive
  // Someone else creates gravité:1 between our listing and our POST.
  gh.respond_next("POST", "/repos/octo/risks/labels",
                  FakeResponse::json(422, R"({"message":"Validation Failed","errors":)"
                                          R"([{"resource":"Label","code":"already_exists",)"
                                          R"("field":"name"}]})"));
  const std::vector<LabelSpec> wanted{{"risksync", "5319e7", "managed"},
                                      {"gravité:1", "#4caf50", "Gravité 1"},
                                      {"mesure:tech", "1d76db", "Mesure technique"}};
  auto st = tracker->ensure_labels(wanted);
  ASSERT_TRUE(st.ok()) << st.error().to_string();
  EXPECT_EQ(gh.count("GET", "/repos/octo/risks/labels"), 1u);
  EXPECT_EQ(gh.count("POST", "/repos/octo/risks/labels"), 2u);
  const auto labels = gh.labels();
  const auto tech = std::find_if(labels.begin(), labels.end(),
                                 [](const auto& l) { return l.name == "mesure:tech"; });
  ASSERT_NE(tech, labels.end());
  EXPECT_EQ(tech->color, "1d76db");
  EXPECT_EQ(tech->description, "Mesure technique");

  // A second run lists once and creates nothing.
  gh.clear_log();
  ASSERT_TRUE(tracker->ensure_labels({{"mesure:tech", "1d76db", ""}}).ok());
  EXPECT_EQ(gh.exchanges().size(), 1u);
}

TEST_F(GitHubTrackerTest, EnsureLabelsReportsOtherRefusals) {
  gh.respond_next("POST", "/repos/octo/risks/labels",
                  FakeResponse::json(422, R"({"message":"Validation Failed","errors":)"
                                          R"([{"resource":"Label","code":"invalid",)"
                                          R"("field":"color"}]})"));
  auto st = tracker->ensure_labels({{"x", "zzzzzz", ""}});
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.error().message, HasSubstr("creating label 'x'"));
  EXPECT_THAT(st.error().message, HasSubstr("Label.color invalid"));
}

// ---- errors ----

TEST_F(GitHubTrackerTest, BadTokenIs401WithAnExplicitMessageAndNoToken) {
  const std::string wrong = "wrong-token-for-tests";
  auto bad_client = make_client(gh.base_url(), wrong);
  GitHubTracker bad(options(), *bad_client, nullptr, &bad_client->redactor());
  auto r = bad.list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_EQ(r.error().field, "tracker.token_env");
  EXPECT_THAT(r.error().message, HasSubstr("GitHub rejected the token (401"));
  EXPECT_THAT(r.error().message, HasSubstr("Bad credentials"));
  EXPECT_THAT(r.error().message, HasSubstr("github (octo/risks)"));
  EXPECT_THAT(r.error().to_string(), Not(HasSubstr(wrong)));
}

TEST_F(GitHubTrackerTest, UnknownRepositoryIs404NamingIt) {
  GitHubTrackerOptions o = options();
  o.repo = "nope";
  GitHubTracker t(o, *client);
  auto r = t.list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "tracker.repository");
  EXPECT_THAT(r.error().message, HasSubstr("the repository octo/nope does not exist or the token "
                                           "cannot see it"));
}

TEST_F(GitHubTrackerTest, ValidationFailureQuotesGitHub) {
  gh.respond_next("POST", "/repos/octo/risks/issues",
                  FakeResponse::json(422, R"({"message":"Validation Failed","errors":)"
                                          R"([{"resource":"Issue","field":"title",)"
                                          R"("code":"custom","message":"title is too long"}]})"));
  auto r = tracker->create(story_spec("AS1"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("422 Validation Failed"));
  EXPECT_THAT(r.error().message, HasSubstr("title is too long"));
  EXPECT_THAT(r.error().message, HasSubstr("creating issue 'AS1 : an abuser story'"));
}

TEST_F(GitHubTrackerTest, DeletedIssueIs410) {
  const int n = gh.add_issue("t", managed_body("AS1"), {"risksync"});
  const RemoteItem item = listed("AS1");
  gh.delete_issue(n);
  ItemChange change;
  change.title = "new title";
  auto r = tracker->update(item, change);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("410 Gone"));
  EXPECT_THAT(r.error().message, HasSubstr("issue #1 was deleted"));

  gh.fail_next("GET", "/repos/octo/risks/issues", 410, 1, "Issues are disabled for this repo");
  auto listing = tracker->list_managed();
  ASSERT_FALSE(listing.ok());
  EXPECT_THAT(listing.error().message, HasSubstr("Issues are disabled for this repo"));
  EXPECT_THAT(listing.error().message, HasSubstr("issues are disabled on octo/risks"));
}

TEST_F(GitHubTrackerTest, ForbiddenWithoutRateLimitIsAPermissionProblem) {
  gh.fail_next("POST", "/repos/octo/risks/issues", 403, 1,
               "Resource not accessible by integration");
  auto r = tracker->create(story_spec("AS1"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("Resource not accessible by integration"));
  EXPECT_THAT(r.error().message, HasSubstr("the token lacks a permission on octo/risks"));
  EXPECT_TRUE(sleeps.empty());
}

TEST_F(GitHubTrackerTest, MalformedJsonPageIsAnErrorNamingTheUrl) {
  gh.respond_next("GET", "/repos/octo/risks/issues", FakeResponse::json(200, "[{\"id\": 1,"));
  auto r = tracker->list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_THAT(r.error().message, HasSubstr("GET /repos/octo/risks/issues?labels=risksync"));
  EXPECT_THAT(r.error().message, HasSubstr("not a JSON array"));
  EXPECT_THAT(r.error().message, HasSubstr("not JSON"));

  gh.respond_next("GET", "/repos/octo/risks/issues",
                  FakeResponse::json(200, R"({"message":"not a list"})"));
  r = tracker->list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("not a JSON array of issues but a JSON object"));
}

TEST_F(GitHubTrackerTest, HtmlBodyIsRecognised) {
  FakeResponse html;
  html.status = 200;
  html.content_type = "text/html";
  html.body = "<!DOCTYPE html><html><body>Sign in</body></html>";
  gh.respond_next("GET", "/repos/octo/risks/issues", html);
  auto r = tracker->list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("an HTML page instead of JSON"));

  html.status = 404;
  gh.respond_next("PATCH", "/repos/octo/risks/issues/.*", html);
  RemoteItem item;
  item.number = "9";
  item.title = "old";
  ItemChange retitle;
  retitle.title = "new";
  auto u = tracker->update(item, retitle);
  ASSERT_FALSE(u.ok());
  EXPECT_THAT(u.error().message, HasSubstr("404 Not Found for issue #9"));
}

// ---- transient failures (net/ retries; the connector sees the final answer) ----

TEST_F(GitHubTrackerTest, ServerErrorThenSuccessIsRetriedByNet) {
  gh.add_issue("t", managed_body("AS1"), {"risksync"});
  gh.fail_next("GET", "/repos/octo/risks/issues", 500);
  gh.fail_next("GET", "/repos/octo/risks/issues", 502);
  auto r = tracker->list_managed();
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->size(), 1u);
  EXPECT_EQ(gh.count("GET", "/repos/octo/risks/issues"), 3u);
  EXPECT_EQ(sleeps.size(), 2u);
}

TEST_F(GitHubTrackerTest, ServerErrorOnCreateIsNotRetriedAndSaysSo) {
  gh.fail_next("POST", "/repos/octo/risks/issues", 502);
  auto r = tracker->create(story_spec("AS1"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("GitHub failed (HTTP 502"));
  EXPECT_THAT(r.error().message, HasSubstr("may have been applied"));
  EXPECT_EQ(gh.count("POST", "/repos/octo/risks/issues"), 1u);
}

TEST_F(GitHubTrackerTest, PersistentServerErrorBecomesARemoteError) {
  gh.fail_next("GET", "/repos/octo/risks/issues", 503, 10);
  auto r = tracker->list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_THAT(r.error().message, HasSubstr("github (octo/risks): listing managed issues"));
  EXPECT_THAT(r.error().message, HasSubstr("503"));
  EXPECT_EQ(gh.count("GET", "/repos/octo/risks/issues"), 4u);
}

TEST_F(GitHubTrackerTest, SecondaryRateLimitIsWaitedOutThenSucceeds) {
  gh.secondary_rate_limit_next("POST", "/repos/octo/risks/issues", 7);
  auto r = tracker->create(story_spec("AS1"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_EQ(sleeps[0], milliseconds(7000));
  EXPECT_EQ(gh.issues().size(), 1u);  // the rate-limited POST did nothing, the retry created
}

TEST_F(GitHubTrackerTest, TooManyRequestsIsWaitedOut) {
  gh.too_many_requests_next("GET", "/repos/octo/risks/issues", 3);
  auto r = tracker->list_managed();
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(sleeps.size(), 1u);
  EXPECT_EQ(sleeps[0], milliseconds(3000));
  EXPECT_EQ(gh.count_status(429), 1u);
}

TEST_F(GitHubTrackerTest, SlowResponseBeyondTheTimeoutIsAnError) {
  auto slow_client = make_client(gh.base_url(), gh.token(), milliseconds(200), 2);
  GitHubTracker t(options(), *slow_client);
  gh.delay_next("GET", "/repos/octo/risks/issues", milliseconds(1500), 2);
  auto r = t.list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_THAT(r.error().message, HasSubstr("listing managed issues"));
  EXPECT_EQ(gh.count("GET", "/repos/octo/risks/issues"), 2u);

  // Slow but within the timeout: fine.
  gh.delay_next("GET", "/repos/octo/risks/issues", milliseconds(50));
  EXPECT_TRUE(t.list_managed().ok());
}

TEST_F(GitHubTrackerTest, CreateWhoseAnswerIsLostIsNotRetriedAndIsFoundByTheNextListing) {
  auto short_client = make_client(gh.base_url(), gh.token(), milliseconds(200));
  GitHubTracker t(options(), *short_client);
  gh.hang_next("POST", "/repos/octo/risks/issues");
  auto r = t.create(story_spec("AS1"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("not retried"));
  EXPECT_EQ(gh.count("POST", "/repos/octo/risks/issues"), 1u);
  // GitHub did create it: identity lives in the tracker, the next listing finds it.
  auto items = t.list_managed();
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].marker.key, "AS1");
}

TEST_F(GitHubTrackerTest, DroppedConnectionIsAnError) {
  RawTcpServer closing;  // reads the request, closes without a byte of answer
  ASSERT_TRUE(closing.ok());
  auto dead_client = make_client(closing.base_url(), gh.token(), milliseconds(500), 2);
  GitHubTracker t(options(), *dead_client);
  auto r = t.list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_THAT(r.error().message, HasSubstr("github (octo/risks): listing managed issues"));
  EXPECT_EQ(closing.connections(), 2u);  // a GET is retried once (max_attempts 2)

  // Cut in the middle of the body: the answer announced more than it sent.
  RawTcpServer truncated(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      "Content-Length: 500\r\n\r\n[{\"id\": 1");
  ASSERT_TRUE(truncated.ok());
  auto cut_client = make_client(truncated.base_url(), gh.token(), milliseconds(500), 1);
  GitHubTracker cut(options(), *cut_client);
  auto c = cut.list_managed();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::remote);
  EXPECT_THAT(c.error().to_string(), Not(HasSubstr(gh.token())));
}

// ---- secrets ----

TEST_F(GitHubTrackerTest, TokenNeverAppearsInErrorsOrLogs) {
  std::ostringstream captured;
  auto previous = spdlog::default_logger();
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::trace);
  spdlog::set_default_logger(logger);

  std::vector<std::string> messages;
  const auto keep = [&](const auto& result) {
    if (!result.ok()) messages.push_back(result.error().to_string());
  };
  // A proxy-ish error page that echoes the request headers back.
  gh.respond_next(
      "GET", "/repos/octo/risks/issues",
      FakeResponse::json(400, "Authorization: Bearer " + gh.token() + "\nX-Echo: " + gh.token()));
  keep(tracker->list_managed());
  gh.respond_next(
      "POST", "/repos/octo/risks/issues",
      FakeResponse::json(422, json{{"message", "token " + gh.token() + " invalid"}}.dump()));
  keep(tracker->create(story_spec("AS1")));
  gh.fail_next("GET", "/repos/octo/risks/issues", 500, 4);
  keep(tracker->list_managed());
  gh.add_issue("t", managed_body("AS1"), {"risksync"});
  gh.respond_next("GET", "/repos/octo/risks/issues",
                  FakeResponse::json(200, json::array({{{"id", gh.token()}}}).dump()));
  keep(tracker->list_managed());
  auto wrong_client = make_client(gh.base_url(), "ghp_another_SECRET_value");
  GitHubTracker wrong(options(), *wrong_client, nullptr, &wrong_client->redactor());
  keep(wrong.list_managed());
  spdlog::set_default_logger(previous);

  ASSERT_EQ(messages.size(), 4u);
  for (const auto& m : messages) {
    EXPECT_THAT(m, Not(HasSubstr(gh.token())));
    EXPECT_THAT(m, Not(HasSubstr("ghp_another_SECRET_value")));
  }
  EXPECT_THAT(captured.str(), Not(HasSubstr(gh.token())));
  EXPECT_THAT(captured.str(), Not(HasSubstr("ghp_another_SECRET_value")));
  EXPECT_THAT(captured.str(), HasSubstr("skipped item 0"));  // the logs did capture something
}

// ---- GHES ----

TEST(GitHubTrackerGhes, WorksUnderAnApiV3Prefix) {
  FakeGitHub ghes("corp", "app", "ghes_token", "/api/v3");
  ASSERT_TRUE(ghes.ok());
  for (int i = 1; i <= 120; ++i)
    ghes.add_issue("AS", managed_body("AS" + std::to_string(i)), {"risksync"});
  net::HttpClientOptions o;
  o.base_url = ghes.base_url();
  o.default_headers = github::github_default_headers(ghes.token());
  o.min_write_interval = milliseconds(0);
  net::NetDeps deps;
  deps.sleep = [](milliseconds) {};
  auto client = net::HttpClient::create(std::move(o), std::move(deps));
  ASSERT_TRUE(client.ok());
  GitHubTracker t({"corp", "app", "risksync"}, **client);
  auto items = t.list_managed();
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  EXPECT_EQ(items->size(), 120u);
  EXPECT_EQ(ghes.count("GET", "/repos/corp/app/issues"), 2u);
  EXPECT_EQ(ghes.exchanges().front().request.path, "/api/v3/repos/corp/app/issues");
}

// ---- the fake itself behaves like GitHub where it matters ----

class FakeGitHubTest : public GitHubTrackerTest {
 protected:
  net::HttpResponse call(const std::string& method, const std::string& path,
                         const std::string& body = "") {
    net::HttpRequest r;
    r.method = method;
    r.path_and_query = path;
    r.body = body;
    auto out = client->send(r);
    EXPECT_TRUE(out.ok());
    return out.ok() ? *out : net::HttpResponse{};
  }
};

TEST_F(FakeGitHubTest, StateReasonIsIgnoredWithoutAStateChange) {
  const int n = gh.add_issue("t", "b");
  EXPECT_EQ(call("PATCH", "/repos/octo/risks/issues/1", R"({"state_reason":"not_planned"})").status,
            200);
  EXPECT_EQ(gh.issue(n)->state, "open");
  EXPECT_EQ(gh.issue(n)->state_reason, "");
  call("PATCH", "/repos/octo/risks/issues/1", R"({"state":"closed"})");
  EXPECT_EQ(gh.issue(n)->state_reason, "completed");
  call("PATCH", "/repos/octo/risks/issues/1", R"({"state":"closed","state_reason":"not_planned"})");
  EXPECT_EQ(gh.issue(n)->state_reason, "completed");  // no state change: reason ignored
}

TEST_F(FakeGitHubTest, ListingDefaultsLabelsFilterAndLinks) {
  for (int i = 0; i < 35; ++i) gh.add_issue("t", "b", {"a", i % 2 ? "b" : "c"});
  gh.close_issue(1);
  auto r = call("GET", "/repos/octo/risks/issues");
  EXPECT_EQ(json::parse(r.body).size(), 30u);  // per_page default 30, state default open
  const auto links = net::parse_link_header(*r.header("Link"));
  EXPECT_TRUE(links.contains("next"));
  EXPECT_TRUE(links.contains("last"));
  EXPECT_THAT(links.at("next"), HasSubstr("http://127.0.0.1:"));
  r = call("GET", "/repos/octo/risks/issues?labels=a,b&state=all&per_page=500");
  EXPECT_EQ(json::parse(r.body).size(), 17u);  // both labels required; per_page capped
  EXPECT_FALSE(r.header("Link").has_value());
  r = call("GET", "/repos/octo/risks/issues?state=closed");
  EXPECT_EQ(json::parse(r.body).size(), 1u);
  EXPECT_EQ(call("GET", "/repos/other/repo/issues").status, 404);
  EXPECT_EQ(call("GET", "/repos/octo/risks/issues?state=bogus").status, 422);
}

TEST_F(FakeGitHubTest, RejectsBadTokenAndUnknownApiVersion) {
  net::HttpRequest r;
  r.path_and_query = "/repos/octo/risks/issues";
  r.headers.emplace("Authorization", "Bearer nope");
  auto out = client->send(r);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->status, 401);
  EXPECT_EQ(json::parse(out->body)["message"], "Bad credentials");
  net::HttpRequest v;
  v.path_and_query = "/repos/octo/risks/issues";
  v.headers.emplace("X-GitHub-Api-Version", "2020-01-01");
  EXPECT_EQ(client->send(v)->status, 400);
}

TEST_F(FakeGitHubTest, ConditionalListing) {
  gh.add_issue("t", "b");
  auto first = call("GET", "/repos/octo/risks/issues");
  const auto etag = first.header("ETag");
  ASSERT_TRUE(etag.has_value());
  net::HttpRequest r;
  r.path_and_query = "/repos/octo/risks/issues";
  r.headers.emplace("If-None-Match", *etag);
  auto again = client->send(r);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  gh.add_label(1, "x");
  EXPECT_EQ(client->send(r)->status, 200);
}

TEST_F(FakeGitHubTest, ContentsApiReadsAndWritesFilesBySha) {
  gh.add_file("docs/a.md", "hello");
  auto r = call("GET", "/repos/octo/risks/contents/docs/a.md");
  ASSERT_EQ(r.status, 200);
  const json file = json::parse(r.body);
  EXPECT_EQ(file["type"], "file");
  EXPECT_EQ(file["encoding"], "base64");
  EXPECT_EQ(file["content"], "aGVsbG8=\n");
  EXPECT_EQ(file["sha"], "b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0");  // git hash-object
  EXPECT_TRUE(json::parse(call("GET", "/repos/octo/risks/contents/docs").body).is_array());
  EXPECT_EQ(call("GET", "/repos/octo/risks/contents/docs/b.md").status, 404);
  EXPECT_EQ(call("GET", "/repos/octo/risks/contents/docs/a.md?ref=nope").status, 404);

  // An existing file needs its current sha; a new one does not.
  EXPECT_EQ(
      call("PUT", "/repos/octo/risks/contents/docs/a.md", R"({"message":"m","content":"Ynll"})")
          .status,
      422);
  EXPECT_EQ(call("PUT", "/repos/octo/risks/contents/docs/a.md",
                 R"({"message":"m","content":"Ynll","sha":"0000"})")
                .status,
            409);
  EXPECT_EQ(
      call("PUT", "/repos/octo/risks/contents/docs/a.md",
           R"({"message":"m","content":"Ynll","sha":"b6fc4c620b67d95f953a5c1c1230aaab5db5a1b0"})")
          .status,
      200);
  EXPECT_EQ(gh.file("docs/a.md"), "bye");
  EXPECT_EQ(call("PUT", "/repos/octo/risks/contents/docs/b.md", R"({"message":"m","content":"@@"})")
                .status,
            422);
  EXPECT_EQ(call("PUT", "/repos/octo/risks/contents/docs/b.md",
                 R"({"message":"m","content":"Ynll","branch":"pages"})")
                .status,
            404);
  gh.add_branch("pages");
  EXPECT_EQ(call("PUT", "/repos/octo/risks/contents/docs/b.md",
                 R"({"message":"m","content":"Ynll","branch":"pages"})")
                .status,
            201);
  EXPECT_EQ(gh.file("docs/b.md", "pages"), "bye");
  EXPECT_FALSE(gh.file("docs/b.md").has_value());
  EXPECT_EQ(gh.commits(), 2u);
}

}  // namespace
}  // namespace risksync
