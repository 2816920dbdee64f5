#include "sync/engine.h"

#include <gtest/gtest.h>

#include "sync/memory_tracker.h"
#include "sync/sample_analysis.h"

namespace risksync {
namespace {

using testing::measure;
using testing::MemoryTracker;
using testing::sample;
using testing::story;

Result<SyncReport> sync(const Analysis& a, MemoryTracker& t, bool apply = true) {
  SyncOptions options;
  options.source_file = a.source_file;
  return run_sync(a, ZoneGrid::default_grid(), t, options, apply, nullptr);
}

TEST(Engine, FirstSyncCreatesOneItemPerStoryAndMeasure) {
  MemoryTracker t;
  const auto a = sample();
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failures(), 0u);
  ASSERT_EQ(t.items.size(), 4u);  // 2 stories + 2 measures (M1 shared: one issue)
  const RemoteItem* m1 = t.find_key("M1");
  const RemoteItem* as1 = t.find_key("AS1");
  ASSERT_TRUE(m1 && as1);
  EXPECT_EQ(m1->parent, ParentRef::of(as1->id));  // sub-issue of its first story
  // The story's task list links its measures (second pass).
  EXPECT_NE(as1->body.find("(" + m1->url + ")"), std::string::npos);
  const RemoteItem* as2 = t.find_key("AS2");
  EXPECT_NE(as2->body.find("(" + m1->url + ")"), std::string::npos);  // listed in the other too
  EXPECT_TRUE(std::count(as1->labels.begin(), as1->labels.end(), "gravité:4"));
  EXPECT_FALSE(t.known_labels.empty());
}

TEST(Engine, SecondSyncWritesNothing) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const int writes = t.writes;
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->first_plan.empty());
  EXPECT_EQ(t.writes, writes);
}

// SIGTERM in the daemon: the write in flight finishes, no other is sent, and the next run
// converges from what the tracker shows (no duplicate).
TEST(Engine, AStopRequestEndsTheWritesAndTheNextRunConverges) {
  MemoryTracker t;
  const auto a = sample();
  SyncOptions options;
  options.source_file = a.source_file;
  int asked = 0;
  options.stop_requested = [&] { return ++asked > 1; };  // after the first action
  const auto r = run_sync(a, ZoneGrid::default_grid(), t, options, true, nullptr);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->stopped_by.has_value());
  EXPECT_NE(r->stopped_by->message.find("stop requested"), std::string::npos);
  EXPECT_EQ(r->passes, 1);
  EXPECT_EQ(t.items.size(), 1u);  // the first create only
  EXPECT_EQ(r->not_attempted(), r->first_plan.actions.size() - 1);
  EXPECT_EQ(r->failures(), 0u);

  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_EQ(t.items.size(), 4u);
  const auto again = sync(a, t);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->first_plan.empty());
}

TEST(Engine, PlanWritesNothing) {
  MemoryTracker t;
  const auto r = sync(sample(), t, /*apply=*/false);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first_plan.actions.size(), 4u);
  EXPECT_EQ(t.writes, 0);
  EXPECT_TRUE(t.items.empty());
}

TEST(Engine, FailureBetweenCreateAndFollowUpLeavesNoDuplicate) {
  MemoryTracker t;
  const auto a = sample();
  t.fail_next("after-create");  // the first item is created, but the answer is lost
  const auto first = sync(a, t);
  ASSERT_TRUE(first.ok());
  EXPECT_GT(first->failures(), 0u);
  const auto second = sync(a, t);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->failures(), 0u);
  EXPECT_EQ(t.items.size(), 4u);
  const auto third = sync(a, t);
  EXPECT_TRUE(third->first_plan.empty());
}

TEST(Engine, FailedStoryCreateSkipsItsMeasuresAndTheRunGoesOn) {
  MemoryTracker t;
  const auto a = sample();
  t.fail_next("create");  // AS1 fails
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(t.find_key("AS1"), nullptr);
  EXPECT_NE(t.find_key("AS2"), nullptr);  // the other item went on
  EXPECT_GE(r->failures(), 1u);
  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_EQ(t.items.size(), 4u);
  EXPECT_EQ(t.find_key("M1")->parent, ParentRef::of(t.find_key("AS1")->id));
}

TEST(Engine, RenumberedStoryKeepsItsIssue) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const std::string as2_id = t.find_key("AS2")->id;
  // AS1 leaves the document; AS2 becomes AS1 with the same text.
  Analysis b;
  b.source_file = a.source_file;
  AbuserStory s = a.stories[1];
  s.id = "AS1";
  s.number = 1;
  b.stories = {s};
  Measure m1 = a.measures[0];
  m1.stories = {"AS1"};
  b.measures = {m1};
  const auto r = sync(b, t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(t.items.size(), 4u);  // nothing created
  const RemoteItem& renamed = t.find(as2_id);
  EXPECT_EQ(parse_marker(renamed.body)->key, "AS1");
  EXPECT_EQ(renamed.title.substr(0, 3), "AS1");
  EXPECT_EQ(renamed.state, RemoteState::open);
  // The former AS1 issue is closed as not planned with a comment.
  int closed = 0;
  for (const auto& i : t.items) {
    if (i.state == RemoteState::closed_not_planned) {
      ++closed;
      EXPECT_FALSE(t.comments[i.id].empty());
      EXPECT_TRUE(MemoryTracker::has_label(i, "risksync:retiré"));
    }
  }
  EXPECT_EQ(closed, 2);  // old AS1 and its derived measure
  // M1 now hangs under the renamed issue.
  EXPECT_EQ(t.find_key("M1")->parent, ParentRef::of(as2_id));
  EXPECT_TRUE(sync(b, t)->first_plan.empty());
}

TEST(Engine, MeasureWithIdKeepsItsIssueWhenTextChanges) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  a.measures[0].text = "Revue de code obligatoire par un autre développeur";
  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_EQ(t.items.size(), 4u);
  EXPECT_NE(t.find_key("M1")->title.find("obligatoire"), std::string::npos);
}

TEST(Engine, MeasureWithoutIdMatchedBySimilarityWithinItsStory) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const std::string old_key = a.measures[1].key;
  const std::string old_id = t.find_key(old_key)->id;
  const std::string new_text = "Lancer un programme de bug bounty public";
  const std::string new_key = derive_measure_key("AS1", new_text);
  a.measures[1].text = new_text;
  a.measures[1].key = new_key;
  a.stories[0].possible_measures[1] = new_key;
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(t.items.size(), 4u);
  EXPECT_EQ(parse_marker(t.find(old_id).body)->key, new_key);
  EXPECT_EQ(t.find(old_id).state, RemoteState::open);
}

TEST(Engine, UnrelatedNewMeasureIsCreatedNotMatched) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const std::string text = "Chiffrer les sauvegardes de la base de données";
  const std::string key = derive_measure_key("AS1", text);
  a.measures[1] = measure(key, false, text, {"AS1"});
  a.stories[0].possible_measures[1] = key;
  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_EQ(t.items.size(), 5u);
}

TEST(Engine, RemovedThenReaddedIsClosedThenReopened) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  Analysis without = a;
  without.stories.pop_back();  // AS2 leaves
  without.measures[0].stories = {"AS1"};
  ASSERT_TRUE(sync(without, t).ok());
  EXPECT_EQ(t.find_key("AS2")->state, RemoteState::closed_not_planned);
  const std::string id = t.find_key("AS2")->id;
  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_EQ(t.find(id).state, RemoteState::open);
  EXPECT_FALSE(MemoryTracker::has_label(t.find(id), "risksync:retiré"));
  EXPECT_EQ(t.comments[id].size(), 2u);
  EXPECT_EQ(t.items.size(), 4u);
}

TEST(Engine, ItemClosedByPeopleIsNotReopenedOrRemarked) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  t.find_key("M1")->state = RemoteState::closed_completed;
  Analysis without = a;
  without.measures.erase(without.measures.begin());
  without.stories[0].possible_measures = {a.measures[1].key};
  without.stories[1].possible_measures = {};
  const int writes = t.writes;
  ASSERT_TRUE(sync(without, t).ok());
  EXPECT_EQ(t.find_key("M1")->state, RemoteState::closed_completed);
  EXPECT_FALSE(MemoryTracker::has_label(*t.find_key("M1"), "risksync:retiré"));
  EXPECT_GT(t.writes, writes);  // story bodies changed (measure list)
}

TEST(Engine, ClosingMeasureAsCompletedLowersResidualInStoryBody) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_NE(t.find_key("AS1")->body.find("**3 – Très probable**"), std::string::npos);
  t.find_key("M1")->state = RemoteState::closed_completed;
  t.find_key(a.measures[1].key)->state = RemoteState::closed_completed;
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->assessment.find_story("AS1")->residual, Likelihood::unlikely);
  EXPECT_NE(t.find_key("AS1")->body.find("**1 – Peu probable**"), std::string::npos);
  EXPECT_NE(t.find_key("AS1")->body.find("- [x] "), std::string::npos);
}

TEST(Engine, ClosedAsNotPlannedIsDropped) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  t.find_key("M1")->state = RemoteState::closed_not_planned;
  const auto r = sync(a, t);
  EXPECT_EQ(r->statuses.at("M1"), MeasureStatus::dropped);
  EXPECT_EQ(r->assessment.find_story("AS2")->residual, Likelihood::likely);
  EXPECT_NE(t.find_key("AS1")->body.find("❌"), std::string::npos);
}

TEST(Engine, PeoplesTextLabelsAndAssigneesSurvive) {
  MemoryTracker t;
  auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  RemoteItem* as1 = t.find_key("AS1");
  as1->body += "\n\nNote de l'équipe : voir le ticket d'architecture.";
  as1->labels.push_back("priorité haute");
  as1->assigned = true;
  a.stories[0].gravity = Gravity::important;  // forces a rewrite of the block and labels
  ASSERT_TRUE(sync(a, t).ok());
  as1 = t.find_key("AS1");
  EXPECT_NE(as1->body.find("Note de l'équipe : voir le ticket d'architecture."), std::string::npos);
  EXPECT_TRUE(std::count(as1->labels.begin(), as1->labels.end(), "priorité haute"));
  EXPECT_TRUE(std::count(as1->labels.begin(), as1->labels.end(), "gravité:3"));
  EXPECT_FALSE(std::count(as1->labels.begin(), as1->labels.end(), "gravité:4"));
  EXPECT_TRUE(as1->assigned);
}

TEST(StatusRules, PlatformStatesMapToMeasureStatuses) {
  StatusRules rules;
  RemoteItem i;
  i.state = RemoteState::open;
  EXPECT_EQ(measure_status_of(i, rules), MeasureStatus::todo);
  i.assigned = true;
  EXPECT_EQ(measure_status_of(i, rules), MeasureStatus::in_progress);
  i.assigned = false;
  i.labels = {"En cours"};
  EXPECT_EQ(measure_status_of(i, rules), MeasureStatus::in_progress);
  i.state = RemoteState::closed_completed;
  EXPECT_EQ(measure_status_of(i, rules), MeasureStatus::done);
  rules.done_label = "vérifiée";
  EXPECT_EQ(measure_status_of(i, rules), MeasureStatus::closed_unverified);
  i.labels.push_back("vérifiée");
  EXPECT_EQ(measure_status_of(i, rules), MeasureStatus::done);
  i.state = RemoteState::closed_not_planned;
  EXPECT_EQ(measure_status_of(i, rules), MeasureStatus::dropped);
  i.state = RemoteState::closed_duplicate;
  EXPECT_EQ(measure_status_of(i, rules), MeasureStatus::dropped);
}

}  // namespace
}  // namespace risksync
