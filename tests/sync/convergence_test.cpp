// The scenarios of issue 6 "What was found", each reproduced on the in-memory tracker: a sync
// interrupted between two writes, people's edits that look like identity, run-stopping errors.
// After any of them, one clean sync converges: the platform shows what the analysis wants and
// a second plan is empty.
#include <gtest/gtest.h>

#include <algorithm>

#include "sync/engine.h"
#include "sync/memory_tracker.h"
#include "sync/sample_analysis.h"

namespace risksync {
namespace {

using testing::MemoryTracker;
using testing::sample;

Result<SyncReport> sync(const Analysis& a, MemoryTracker& t, bool apply = true) {
  SyncOptions options;
  options.source_file = a.source_file;
  return run_sync(a, ZoneGrid::default_grid(), t, options, apply, nullptr);
}

// Items (not retired) whose block shows `key`.
std::size_t active_with_key(MemoryTracker& t, const std::string& key) {
  std::size_t n = 0;
  for (const auto& i : t.items) {
    const auto shown = t.codec().read(i.body);
    if (shown.marker && shown.marker->key == key && !MemoryTracker::has_label(i, kRetiredLabel))
      ++n;
  }
  return n;
}

// One clean sync has converged: nothing left to do, each key on exactly one active item.
void expect_converged(const Analysis& a, MemoryTracker& t) {
  const auto again = sync(a, t, /*apply=*/false);
  ASSERT_TRUE(again.ok());
  for (const auto& action : again->first_plan.actions) ADD_FAILURE() << action.summary;
  for (const auto& s : a.stories) EXPECT_EQ(active_with_key(t, s.id), 1u) << s.id;
  for (const auto& m : a.measures) EXPECT_EQ(active_with_key(t, m.key), 1u) << m.key;
}

Analysis without_as2(const Analysis& a) {
  Analysis out = a;
  out.stories.pop_back();
  out.measures[0].stories = {"AS1"};
  return out;
}

// ---- 1. measures become sub-issues through a documented call ----

TEST(Convergence, MeasureBecomesASubIssueWhenTheCreateCannotCarryAParent) {
  MemoryTracker t;
  t.caps.create_with_parent = false;  // GitHub: POST /issues has no parent field
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const std::string as1 = t.find_key("AS1")->id;
  EXPECT_EQ(t.find_key("M1")->parent, ParentRef::of(as1));
  EXPECT_EQ(t.find_key(a.measures[1].key)->parent, ParentRef::of(as1));
  expect_converged(a, t);
}

TEST(Convergence, ParentChangedOrRemovedOnThePlatformIsRepaired) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  t.find_key("M1")->parent = ParentRef::of(t.find_key("AS2")->id);  // a person moved it
  t.find_key(a.measures[1].key)->parent = ParentRef::none();        // a person detached it
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failures(), 0u);
  EXPECT_EQ(t.find_key("M1")->parent, ParentRef::of(t.find_key("AS1")->id));
  EXPECT_EQ(t.find_key(a.measures[1].key)->parent, ParentRef::of(t.find_key("AS1")->id));
  expect_converged(a, t);
}

TEST(Convergence, FailedParentLinkIsRetriedByTheNextSync) {
  MemoryTracker t;
  t.caps.create_with_parent = false;
  const auto a = sample();
  t.fail_next("link");
  const auto first = sync(a, t);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->failures(), 1u);
  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_EQ(t.find_key("M1")->parent, ParentRef::of(t.find_key("AS1")->id));
  expect_converged(a, t);
}

// ---- 2. a sync interrupted between two writes converges ----

TEST(Convergence, RemovedItemWhoseCloseWasRefusedIsClosedNextSync) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const auto b = without_as2(a);
  t.fail_next("state");
  ASSERT_TRUE(sync(b, t).ok());
  EXPECT_EQ(t.find_key("AS2")->state, RemoteState::open);
  ASSERT_TRUE(sync(b, t).ok());
  EXPECT_EQ(t.find_key("AS2")->state, RemoteState::closed_not_planned);
  EXPECT_TRUE(MemoryTracker::has_label(*t.find_key("AS2"), kRetiredLabel));
  expect_converged(b, t);
}

TEST(Convergence, RemovedItemWhoseCloseAnswerWasLostIsNotClosedTwice) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const auto b = without_as2(a);
  t.fail_next("after-state");  // the close landed, its answer did not
  ASSERT_TRUE(sync(b, t).ok());
  EXPECT_EQ(t.find_key("AS2")->state, RemoteState::closed_not_planned);
  const int writes = t.writes;
  expect_converged(b, t);
  ASSERT_TRUE(sync(b, t).ok());
  EXPECT_EQ(t.writes, writes);
  EXPECT_EQ(t.comments[t.find_key("AS2")->id].size(), 1u);
}

TEST(Convergence, CloseWhoseCommentFailedStaysClosedAndConverges) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const auto b = without_as2(a);
  t.fail_next("comment");  // state and label landed in one write; the comment did not
  ASSERT_TRUE(sync(b, t).ok());
  EXPECT_EQ(t.find_key("AS2")->state, RemoteState::closed_not_planned);
  expect_converged(b, t);
}

TEST(Convergence, ItemBackInTheAnalysisWhoseReopenWasRefusedIsReopenedNextSync) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  ASSERT_TRUE(sync(without_as2(a), t).ok());
  ASSERT_EQ(t.find_key("AS2")->state, RemoteState::closed_not_planned);
  t.fail_next("state");
  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_EQ(t.find_key("AS2")->state, RemoteState::closed_not_planned);
  ASSERT_TRUE(sync(a, t).ok());
  EXPECT_EQ(t.find_key("AS2")->state, RemoteState::open);
  EXPECT_FALSE(MemoryTracker::has_label(*t.find_key("AS2"), kRetiredLabel));
  EXPECT_EQ(t.items.size(), 4u);
  expect_converged(a, t);
}

TEST(Convergence, RetiredItemReopenedByAPersonIsClosedAgain) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const auto b = without_as2(a);
  ASSERT_TRUE(sync(b, t).ok());
  t.find_key("AS2")->state = RemoteState::open;  // reopened by hand, still not in the analysis
  ASSERT_TRUE(sync(b, t).ok());
  EXPECT_EQ(t.find_key("AS2")->state, RemoteState::closed_not_planned);
  expect_converged(b, t);
}

TEST(Convergence, SharedMeasureMovedToAnotherStoryWhoseLinkFailedIsMovedNextSync) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  Analysis b = a;
  b.measures[0].stories = {"AS2", "AS1"};  // M1's first story is now AS2
  t.fail_next("link");
  ASSERT_TRUE(sync(b, t).ok());
  EXPECT_EQ(t.find_key("M1")->parent, ParentRef::of(t.find_key("AS1")->id));
  ASSERT_TRUE(sync(b, t).ok());
  EXPECT_EQ(t.find_key("M1")->parent, ParentRef::of(t.find_key("AS2")->id));
  expect_converged(b, t);
}

// AS1 <-> AS2: the texts keep their issues, whichever write is lost.
Analysis swapped(const Analysis& a) {
  Analysis b = a;
  std::swap(b.stories[0].text, b.stories[1].text);
  std::swap(b.stories[0].gravity, b.stories[1].gravity);
  std::swap(b.stories[0].current_likelihood, b.stories[1].current_likelihood);
  std::swap(b.stories[0].possible_measures, b.stories[1].possible_measures);
  const std::string derived = derive_measure_key("AS2", a.measures[1].text);
  b.measures[1].key = derived;
  b.measures[1].stories = {"AS2"};
  b.measures[0].stories = {"AS2", "AS1"};
  b.stories[1].possible_measures = {"M1", derived};
  b.stories[0].possible_measures = {"M1"};
  return b;
}

class InterruptedRenumbering : public ::testing::TestWithParam<const char*> {};

TEST_P(InterruptedRenumbering, SwappedNumbersConvergeWithoutANewIssue) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  const std::string text_of_as1 = t.find_key("AS1")->id;
  const std::string text_of_as2 = t.find_key("AS2")->id;
  const auto b = swapped(a);
  t.fail_next(GetParam());
  ASSERT_TRUE(sync(b, t).ok());
  const auto clean = sync(b, t);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(clean->failures(), 0u);
  EXPECT_EQ(t.items.size(), 4u);  // nothing created, nothing orphaned
  EXPECT_EQ(t.codec().read(t.find(text_of_as1).body).marker->key, "AS2");
  EXPECT_EQ(t.codec().read(t.find(text_of_as2).body).marker->key, "AS1");
  expect_converged(b, t);
}

INSTANTIATE_TEST_SUITE_P(OneWriteLost, InterruptedRenumbering,
                         ::testing::Values("update", "after-update"));

TEST(Convergence, SyncKilledAfterAnyNumberOfWritesConvergesOnTheNextRun) {
  const auto a = sample();
  MemoryTracker reference;
  ASSERT_TRUE(sync(a, reference).ok());
  const int total = reference.writes;
  ASSERT_GT(total, 4);
  for (int k = 0; k < total; ++k) {
    SCOPED_TRACE("killed after " + std::to_string(k) + " writes");
    MemoryTracker t;
    t.caps.create_with_parent = false;
    t.crash_after_writes = k;
    const auto killed = sync(a, t);
    if (killed.ok())
      EXPECT_TRUE(killed->stopped_by.has_value());
    else
      EXPECT_TRUE(killed.error().stops_run());  // killed before the first write (labels)
    t.crash_after_writes = -1;
    const auto clean = sync(a, t);
    ASSERT_TRUE(clean.ok());
    EXPECT_EQ(clean->failures(), 0u);
    EXPECT_EQ(t.items.size(), 4u);
    expect_converged(a, t);
  }
}

// ---- 3. people cannot hijack identity by accident ----

TEST(Identity, MarkerPastedAtTheTopOfPeoplesTextIsIgnoredWithAWarning) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  RemoteItem* measure = t.find_key(a.measures[1].key);
  const std::string id = measure->id;
  measure->body = "<!-- risksync:key=AS9 kind=story -->\n" + measure->body +
                  "\nVoir aussi <!-- risksync:key=AS7 kind=story -->\n";
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(t.items.size(), 4u);
  EXPECT_EQ(t.find(id).state, RemoteState::open);
  EXPECT_FALSE(MemoryTracker::has_label(t.find(id), kRetiredLabel));
  const bool warned = std::any_of(r->warnings.begin(), r->warnings.end(), [](const Error& e) {
    return e.message.find("outside risksync's block") != std::string::npos;
  });
  EXPECT_TRUE(warned);
  expect_converged(a, t);
}

TEST(Identity, CopiedBodyLeavesTheKeyWithTheOldestItemAndTheCopyUntouched) {
  for (const bool newest_first : {true, false}) {
    SCOPED_TRACE(newest_first ? "listed newest first" : "listed oldest first");
    MemoryTracker t;
    t.newest_first = newest_first;
    auto a = sample();
    ASSERT_TRUE(sync(a, t).ok());
    RemoteItem copy = *t.find_key("AS1");
    copy.id = "9999";
    copy.number = "99";
    copy.created_at = "2026-06-01T00:00:00Z";
    t.items.push_back(copy);
    const std::string original = t.find_key("AS1")->id;
    a.stories[0].gravity = Gravity::important;  // an update AS1 must receive
    const auto r = sync(a, t);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(MemoryTracker::has_label(t.find(original), "gravité:3"));
    EXPECT_EQ(t.find("9999").body, copy.body);  // never written to
    EXPECT_EQ(t.find("9999").labels, copy.labels);
    EXPECT_EQ(t.find("9999").state, RemoteState::open);
    EXPECT_EQ(t.items.size(), 5u);
    const bool warned = std::any_of(r->warnings.begin(), r->warnings.end(), [](const Error& e) {
      return e.message.find("conflict: #99") != std::string::npos;
    });
    EXPECT_TRUE(warned);
    const auto again = sync(a, t, false);
    EXPECT_TRUE(again->first_plan.empty());
  }
}

// ---- 4. a run-level failure stops the run ----

TEST(RunScope, RefusedTokenOnTheFirstCreateStopsEveryOtherWrite) {
  MemoryTracker t;
  const auto a = sample();
  t.fail_always("create", ErrorScope::run);
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(t.refused, 1);  // one request sent, then the run stopped
  ASSERT_TRUE(r->stopped_by.has_value());
  EXPECT_EQ(r->failures(), 1u);
  EXPECT_EQ(r->not_attempted(), 3u);
  EXPECT_EQ(r->passes, 1);
  t.clear_failures();
  ASSERT_TRUE(sync(a, t).ok());
  expect_converged(a, t);
}

TEST(RunScope, ItemScopedFailuresLetTheRunGoOn) {
  MemoryTracker t;
  const auto a = sample();
  t.fail_always("create", ErrorScope::item);
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->stopped_by.has_value());
  EXPECT_EQ(t.refused, 2);  // both stories tried; their measures wait for them
  EXPECT_EQ(r->not_attempted(), 0u);
}

TEST(RunScope, APartialFirstSyncCoversTheGravestStoryFirst) {
  MemoryTracker t;
  auto a = sample();
  std::swap(a.stories[0].gravity, a.stories[1].gravity);  // AS2 is now the gravest
  t.crash_after_writes = 1;
  ASSERT_TRUE(sync(a, t).ok());
  ASSERT_EQ(t.items.size(), 1u);
  EXPECT_EQ(t.codec().read(t.items[0].body).marker->key, "AS2");
}

// ---- 5. the platform's re-serialisation is not a change ----

TEST(Convergence, PlatformReserialisationOfTheBlockPlansNoUpdate) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  for (auto& item : t.items) {
    std::string& b = item.body;
    for (auto at = b.find("**"); at != std::string::npos; at = b.find("**", at + 2))
      b.replace(at, 2, "__");
    for (auto at = b.find("\n- "); at != std::string::npos; at = b.find("\n- ", at + 3))
      b.replace(at, 3, "\n* ");
  }
  const auto r = sync(a, t, false);
  ASSERT_TRUE(r.ok());
  for (const auto& action : r->first_plan.actions) ADD_FAILURE() << action.summary;
}

TEST(Convergence, EditInsideTheBlockIsRepaired) {
  MemoryTracker t;
  const auto a = sample();
  ASSERT_TRUE(sync(a, t).ok());
  RemoteItem* as1 = t.find_key("AS1");
  const auto at = as1->body.find("Très probable");
  ASSERT_NE(at, std::string::npos);
  as1->body.replace(at, 13, "Improbable");
  const auto r = sync(a, t);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(t.find_key("AS1")->body.find("Très probable"), std::string::npos);
  expect_converged(a, t);
}

}  // namespace
}  // namespace risksync
