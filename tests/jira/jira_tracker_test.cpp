// JiraTracker (Cloud and Data Center) against FakeJira, through the real HttpClient of net/
// (loopback only, no real sleeping).
#include "connectors/jira/jira_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "jira/jira_world.h"
#include "sync/engine.h"
#include "sync/sample_analysis.h"
#include "util/base64.h"

namespace risksync {
namespace {

using nlohmann::json;
using testing::FakeJira;
using ::testing::HasSubstr;
using testing::JiraWorld;
using ::testing::Not;

Result<SyncReport> sync(Tracker& tracker, const Analysis& a, bool apply = true) {
  SyncOptions options;
  options.source_file = a.source_file;
  return run_sync(a, ZoneGrid::default_grid(), tracker, options, apply, nullptr);
}

std::string key_of(const JiraWorld& w, const std::string& risksync_key) {
  for (const auto& i : w.jira.issues()) {
    const auto p = i.properties.find("risksync");
    if (p != i.properties.end() && json::parse(p->second).value("key", "") == risksync_key)
      return i.key;
  }
  return "";
}

class JiraFlavors : public ::testing::TestWithParam<FakeJira::Flavor> {
 protected:
  JiraWorld w{GetParam()};
};

INSTANTIATE_TEST_SUITE_P(Both, JiraFlavors,
                         ::testing::Values(FakeJira::Flavor::cloud, FakeJira::Flavor::data_center),
                         [](const auto& p) {
                           return p.param == FakeJira::Flavor::cloud ? "cloud" : "data_center";
                         });

// ---- preflight ----

TEST_P(JiraFlavors, RefusedTokenStopsTheRunBeforeAnyWriteAndNamesTokenEnv) {
  auto client = w.make_client("not-the-token", std::chrono::milliseconds(2000));
  jira::JiraTracker tracker(w.options(), *client, w.codec(), &client->redactor());
  const auto listed = tracker.list_managed();
  ASSERT_FALSE(listed.ok());
  EXPECT_TRUE(listed.error().stops_run());
  EXPECT_EQ(listed.error().field, "tracker.token_env");
  EXPECT_THAT(listed.error().message, HasSubstr("401"));
  EXPECT_THAT(listed.error().message, Not(HasSubstr("not-the-token")));
  EXPECT_EQ(w.jira.count("WRITE", ".*"), 0u);
}

TEST_P(JiraFlavors, UnknownProjectNamesRepository) {
  auto o = w.options();
  o.project = "NOPE";
  w.remake_tracker(o);
  const auto listed = w.tracker->list_managed();
  ASSERT_FALSE(listed.ok());
  EXPECT_TRUE(listed.error().stops_run());
  EXPECT_EQ(listed.error().field, "tracker.repository");
}

TEST_P(JiraFlavors, MissingStoryTypeNamesTheKeyAndListsTheProjectsTypes) {
  auto o = w.options();
  o.story_type = "Risque";
  w.remake_tracker(o);
  const auto r = sync(*w.tracker, testing::sample());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "tracker.story_type");
  EXPECT_THAT(r.error().message, HasSubstr("Risque"));
  EXPECT_THAT(r.error().message, HasSubstr("Story, Task, Sub-task"));
  EXPECT_EQ(w.jira.count("WRITE", ".*"), 0u);
}

TEST_P(JiraFlavors, MissingSubtaskTypeNamesSubtaskType) {
  auto o = w.options();
  o.subtask_type = "Sous-tâche";
  w.remake_tracker(o);
  const auto r = w.tracker->list_managed();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "tracker.subtask_type");
}

TEST_P(JiraFlavors, RequiredCustomFieldIsNamedWithItsConfigKeyThenFilledFromTheConfig) {
  w.jira.require_field("Story", "customfield_10042", "Environnement");
  auto r = sync(*w.tracker, testing::sample());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "tracker.fields.Story");
  EXPECT_THAT(r.error().message, HasSubstr("customfield_10042"));
  EXPECT_EQ(w.jira.count("WRITE", ".*"), 0u);

  auto o = w.options();
  o.static_fields["Story"]["customfield_10042"] = "{\"value\": \"Production\"}";
  w.remake_tracker(o);
  r = sync(*w.tracker, testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  const auto story = w.jira.issue(key_of(w, "AS1"));
  ASSERT_TRUE(story);
  EXPECT_EQ(story->custom_fields.at("customfield_10042"), "{\"value\":\"Production\"}");
}

TEST_P(JiraFlavors, MissingPermissionListsButRefusesEveryWriteBeforeSendingIt) {
  w.jira.set_permission("TRANSITION_ISSUES", false);
  ASSERT_TRUE(w.tracker->list_managed().ok());
  const auto r = sync(*w.tracker, testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_TRUE(r->stopped_by);
  EXPECT_EQ(r->stopped_by->field, "tracker.token_env");
  EXPECT_THAT(r->stopped_by->message, HasSubstr("TRANSITION_ISSUES"));
  EXPECT_EQ(w.jira.count("WRITE", ".*"), 0u);
}

// ---- create, listing, identity ----

TEST_P(JiraFlavors, FirstSyncCreatesInTwoBulkCallsWithPropertiesAndTheSecondWritesNothing) {
  const auto a = testing::sample();
  const auto r = sync(*w.tracker, a);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  for (const auto& res : r->results)
    if (res.error) ADD_FAILURE() << res.error->to_string();
  EXPECT_EQ(w.jira.count("POST", "/issue/bulk"), 2u);  // stories, then sub-tasks
  const auto issues = w.jira.issues();
  ASSERT_EQ(issues.size(), 4u);
  for (const auto& i : issues) {
    EXPECT_TRUE(i.properties.contains("risksync")) << i.key;
    EXPECT_TRUE(std::count(i.labels.begin(), i.labels.end(), "risksync")) << i.key;
  }
  const auto m1 = w.jira.issue(key_of(w, "M1"));
  ASSERT_TRUE(m1);
  EXPECT_EQ(m1->type, "Sub-task");
  EXPECT_EQ(m1->parent, key_of(w, "AS1"));
  // The shared measure is linked to its other story, once.
  ASSERT_EQ(m1->links.size(), 1u);
  EXPECT_EQ(m1->links[0].first, "Relates");
  EXPECT_EQ(m1->links[0].second, key_of(w, "AS2"));
  const auto writes = w.jira.count("WRITE", ".*");
  w.remake_tracker();
  const auto again = sync(*w.tracker, a);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_TRUE(again->first_plan.empty());
  for (const auto& action : again->first_plan.actions) ADD_FAILURE() << action.summary;
  EXPECT_EQ(w.jira.count("WRITE", ".*"), writes);
}

TEST_P(JiraFlavors, ListingPagesThroughEveryIssueWithTheFlavoursPagination) {
  w.jira.set_page_size(1);
  ASSERT_TRUE(sync(*w.tracker, testing::sample()).ok());
  w.jira.clear_log();
  w.remake_tracker();
  const auto listed = w.tracker->list_managed();
  ASSERT_TRUE(listed.ok()) << listed.error().to_string();
  EXPECT_EQ(listed->size(), 4u);
  EXPECT_EQ(w.tracker->last_listing().pages, 4);
  if (w.cloud()) {
    EXPECT_EQ(w.jira.count("POST", "/search/jql"), 5u);  // 4 pages + the newest-key query
    EXPECT_EQ(w.jira.count("*", "/search"), 0u);
  } else {
    EXPECT_EQ(w.jira.count("GET", "/search"), 4u);
  }
  for (const auto& i : *listed) {
    EXPECT_FALSE(i.marker.key.empty());
    EXPECT_EQ(i.url, w.jira.base_url() + "/browse/" + i.number);
  }
}

TEST_P(JiraFlavors, IssuesWithoutTheirPropertyAreLeftAlone) {
  w.jira.add_issue("Une issue étiquetée par quelqu'un", {"risksync"});
  const auto listed = w.tracker->list_managed();
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
  EXPECT_EQ(w.tracker->last_listing().unmarked, 1);
}

TEST_P(JiraFlavors, BulkCreateHalfFailsThenTheRetryCreatesNoDuplicate) {
  const auto a = testing::sample();
  w.jira.fail_bulk_elements_next({1});  // the second story
  const auto first = sync(*w.tracker, a);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_GE(first->failures(), 1u);
  EXPECT_FALSE(first->stopped_by);
  EXPECT_EQ(w.jira.issues().size(), 3u);  // AS1 and its two measures; AS2 refused
  w.remake_tracker();
  const auto second = sync(*w.tracker, a);
  ASSERT_TRUE(second.ok()) << second.error().to_string();
  EXPECT_EQ(second->failures(), 0u);
  EXPECT_EQ(w.jira.issues().size(), 4u);
  w.remake_tracker();
  EXPECT_TRUE(sync(*w.tracker, a, false)->first_plan.empty());
}

TEST_P(JiraFlavors, PlainStringDescriptionIsRefusedOnV3AndAStringOnV2) {
  net::HttpRequest rq;
  rq.method = "POST";
  rq.path_and_query = w.cloud() ? "/rest/api/3/issue/bulk" : "/rest/api/2/issue/bulk";
  rq.body = json{{"issueUpdates", json::array({{{"fields",
                                                 {{"project", {{"key", "SEC"}}},
                                                  {"summary", "x"},
                                                  {"issuetype", {{"name", "Story"}}},
                                                  {"description", "du texte"}}}}})}}
                .dump();
  const auto r = w.client->send(rq);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, w.cloud() ? 400 : 201);
}

TEST(JiraCloud, OldSearchAnswers410) {
  JiraWorld w(FakeJira::Flavor::cloud);
  for (const char* path : {"/rest/api/3/search?jql=x", "/rest/api/2/search?jql=x"}) {
    net::HttpRequest rq;
    rq.path_and_query = path;
    const auto r = w.client->send(rq);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 410) << path;
  }
}

TEST(JiraCloud, CrashedRunRestartedWhileSearchLagsCreatesNoDuplicate) {
  JiraWorld w(FakeJira::Flavor::cloud);
  const auto a = testing::sample();
  w.jira.set_search_lag(true);  // nothing created from now on shows in search
  ASSERT_TRUE(sync(*w.tracker, a).ok());
  ASSERT_EQ(w.jira.issues().size(), 4u);
  w.remake_tracker();  // the restarted run: it remembers nothing
  const auto again = sync(*w.tracker, a);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_EQ(w.jira.issues().size(), 4u);
  EXPECT_EQ(w.tracker->last_listing().found_by_probe, 4);
  EXPECT_EQ(again->failures(), 0u);
}

TEST(JiraCloud, LostBulkAnswerThenTheNextSyncFindsWhatWasCreated) {
  JiraWorld w(FakeJira::Flavor::cloud, std::chrono::milliseconds(300));
  const auto a = testing::sample();
  w.jira.set_search_lag(true);
  w.jira.hang_next("POST", "/issue/bulk");
  ASSERT_TRUE(sync(*w.tracker, a).ok());
  w.jira.clear_faults();
  w.remake_tracker();
  ASSERT_TRUE(sync(*w.tracker, a).ok());
  EXPECT_EQ(w.jira.issues().size(), 4u);
}

// ---- status, transitions, comments ----

TEST_P(JiraFlavors, StatusComesFromTheCategoryAndDropResolutions) {
  const auto a = testing::sample();
  ASSERT_TRUE(sync(*w.tracker, a).ok());
  const std::string m1 = key_of(w, "M1");
  const std::string derived = key_of(w, a.measures[1].key);
  w.jira.set_status(m1, "In Progress");
  w.jira.assign(derived, "quelqu'un");  // assignment alone does not mean started
  auto r = sync(*w.tracker, a, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::in_progress);
  EXPECT_EQ(r->statuses.at(a.measures[1].key), MeasureStatus::todo);
  w.jira.set_status(m1, "Done", "Done");
  w.jira.set_status(derived, "Done", "Won't Do");
  r = sync(*w.tracker, a, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::done);
  EXPECT_EQ(r->statuses.at(a.measures[1].key), MeasureStatus::dropped);
}

TEST_P(JiraFlavors, LivreCountsAsDoneThroughItsCategory) {
  w.jira.set_workflow("livre");
  const auto a = testing::sample();
  ASSERT_TRUE(sync(*w.tracker, a).ok());
  w.jira.set_status(key_of(w, "M1"), "Livré");
  const auto r = sync(*w.tracker, a, false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::done);
}

TEST_P(JiraFlavors, RemovedItemIsClosedWithAResolutionOnlyWhereTheTransitionListsIt) {
  for (const std::string workflow : {"standard", "livre"}) {
    SCOPED_TRACE(workflow);
    JiraWorld world(GetParam());
    world.jira.set_workflow(workflow);
    const auto a = testing::sample();
    ASSERT_TRUE(sync(*world.tracker, a).ok());
    Analysis b = a;
    b.measures.pop_back();
    b.stories[0].possible_measures = {"M1"};
    const auto r = sync(*world.tracker, b);
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    for (const auto& res : r->results)
      if (res.error) ADD_FAILURE() << res.error->to_string();
    const auto gone = world.jira.issue(key_of(world, a.measures[1].key));
    ASSERT_TRUE(gone);
    EXPECT_EQ(gone->status, workflow == "livre" ? "Livré" : "Done");
    EXPECT_EQ(gone->resolution, workflow == "livre" ? "" : "Won't Do");
    EXPECT_TRUE(std::count(gone->labels.begin(), gone->labels.end(), "risksync:retiré"));
    ASSERT_EQ(gone->comments.size(), 1u);
    if (world.cloud()) {
      EXPECT_EQ(json::parse(gone->comments[0]).value("type", ""), "doc");
    }
    world.remake_tracker();
    EXPECT_TRUE(sync(*world.tracker, b, false)->first_plan.empty());
    // Back in the analysis: reopened through a transition to the `new` category.
    ASSERT_TRUE(sync(*world.tracker, a).ok());
    const auto back = world.jira.issue(gone->key);
    EXPECT_EQ(back->status, workflow == "livre" ? "À faire" : "To Do");
    EXPECT_EQ(back->resolution, "");
  }
}

// ---- parents and links ----

TEST(JiraCloud, WrongParentIsRepaired) {
  JiraWorld w(FakeJira::Flavor::cloud);
  const auto a = testing::sample();
  ASSERT_TRUE(sync(*w.tracker, a).ok());
  w.jira.set_parent(key_of(w, "M1"), key_of(w, "AS2"));
  w.remake_tracker();
  const auto r = sync(*w.tracker, a);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(w.jira.issue(key_of(w, "M1"))->parent, key_of(w, "AS1"));
}

TEST(JiraDataCenter, WrongParentIsReportedForAPersonToMove) {
  JiraWorld w(FakeJira::Flavor::data_center);
  const auto a = testing::sample();
  ASSERT_TRUE(sync(*w.tracker, a).ok());
  w.jira.set_parent(key_of(w, "M1"), key_of(w, "AS2"));
  w.remake_tracker();
  const auto r = sync(*w.tracker, a);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->failures(), 1u);
  bool reported = false;
  for (const auto& res : r->results)
    if (res.error) {
      reported = res.error->message.find("by hand") != std::string::npos;
      EXPECT_FALSE(res.error->stops_run());
    }
  EXPECT_TRUE(reported);
}

// ---- faults through net/ ----

TEST_P(JiraFlavors, TooManyRequestsOnBulkCreateWaitsRetryAfterAndGoesOn) {
  w.jira.too_many_requests_next("POST", "/issue/bulk", 2);
  const auto r = sync(*w.tracker, testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(w.jira.issues().size(), 4u);
  EXPECT_TRUE(std::count(w.waits.begin(), w.waits.end(), std::chrono::milliseconds(2000)));
}

TEST_P(JiraFlavors, ServerErrorOnBulkStopsTheRunAndTheNextOneConverges) {
  w.jira.fail_next("POST", "/issue/bulk", 500, 5);
  const auto r = sync(*w.tracker, testing::sample());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->stopped_by);
  w.jira.clear_faults();
  w.remake_tracker();
  ASSERT_TRUE(sync(*w.tracker, testing::sample()).ok());
  EXPECT_EQ(w.jira.issues().size(), 4u);
}

TEST(JiraHeaders, CloudIsBasicEmailTokenAndDataCenterIsBearer) {
  const auto cloud = jira::jira_default_headers(jira::Flavor::cloud, "a@b.c", "tok");
  EXPECT_EQ(net::find_header(cloud, "Authorization"), "Basic " + base64_encode("a@b.c:tok"));
  const auto dc = jira::jira_default_headers(jira::Flavor::data_center, "", "pat");
  EXPECT_EQ(net::find_header(dc, "Authorization"), "Bearer pat");
}

TEST(JiraMarkerProperty, RoundTripsAndRefusesMalformedOnes) {
  const Marker m{"M7", ItemKind::measure, "1a2b3c4d", "9f8e7d6c5b4a3210", false};
  const auto back = jira::marker_from_property_json(jira::marker_property_json(m));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->key, "M7");
  EXPECT_EQ(back->kind, ItemKind::measure);
  EXPECT_EQ(back->fingerprint, "1a2b3c4d");
  EXPECT_EQ(back->block_hash, "9f8e7d6c5b4a3210");
  EXPECT_FALSE(jira::marker_from_property_json("{\"key\":\"M7\",\"kind\":\"epic\"}"));
  EXPECT_FALSE(jira::marker_from_property_json("\"M7\""));
  EXPECT_FALSE(jira::marker_from_property_json("{\"kind\":\"story\"}"));
}

}  // namespace
}  // namespace risksync
