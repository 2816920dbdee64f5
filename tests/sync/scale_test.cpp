// Matching and planning on a large analysis (tests/support/big_analysis.h), counted in items
// and writes, never timed: after one sync on an empty tracker, the tracker holds one item per
// story and measure, every item is matched to its own key, and a second plan is empty.
#include <gtest/gtest.h>

#include "parse/analysis_parser.h"
#include "support/big_analysis.h"
#include "sync/engine.h"
#include "sync/memory_tracker.h"

namespace risksync {
namespace {

TEST(SyncAtScale, OneSyncThenNothingToDoAndEveryItemMatchedToItsKey) {
  const int n = 150;
  const ParseOutcome parsed = parse_analysis(testing::big_analysis_markdown(n), "big.md");
  ASSERT_TRUE(parsed.ok());
  const Analysis& a = *parsed.analysis;
  testing::MemoryTracker t;
  SyncOptions options;
  options.source_file = "big.md";
  const auto first = run_sync(a, ZoneGrid::default_grid(), t, options, true, nullptr);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->failures(), 0u);
  const std::size_t items = a.stories.size() + a.measures.size();
  EXPECT_EQ(t.items.size(), items);

  const int writes = t.writes;
  const auto again = run_sync(a, ZoneGrid::default_grid(), t, options, true, nullptr);
  ASSERT_TRUE(again.ok());
  for (const auto& action : again->first_plan.actions) ADD_FAILURE() << action.summary;
  EXPECT_EQ(t.writes, writes);
  const Matching& m = again->matching;
  EXPECT_EQ(m.story.size(), a.stories.size());
  EXPECT_EQ(m.measure.size(), a.measures.size());
  EXPECT_TRUE(m.orphans.empty());
  EXPECT_TRUE(m.conflicts.empty());
  for (const auto& [key, r] : m.story) EXPECT_EQ(again->remote[r].marker.key, key);
  for (const auto& [key, r] : m.measure) EXPECT_EQ(again->remote[r].marker.key, key);
}

TEST(SyncAtScale, RenumberedStoriesAreMatchedByTheirText) {
  // The same stories, each renumbered (AS1 becomes AS1001, ...): matched by fingerprint, so
  // the plan updates the items in place and creates no story.
  const int n = 60;
  const ParseOutcome parsed = parse_analysis(testing::big_analysis_markdown(n), "big.md");
  ASSERT_TRUE(parsed.ok());
  const Analysis& a = *parsed.analysis;
  testing::MemoryTracker t;
  SyncOptions options;
  options.source_file = "big.md";
  ASSERT_TRUE(run_sync(a, ZoneGrid::default_grid(), t, options, true, nullptr).ok());

  Analysis renumbered = a;
  for (auto& s : renumbered.stories) s.id = "AS" + std::to_string(1000 + s.number);
  for (auto& m : renumbered.measures)
    for (auto& id : m.stories) id = "AS" + std::to_string(1000 + std::stoi(id.substr(2)));
  renumbered.reindex();
  const auto plan = run_sync(renumbered, ZoneGrid::default_grid(), t, options, false, nullptr);
  ASSERT_TRUE(plan.ok());
  for (const auto& s : renumbered.stories) {
    const auto r = plan->matching.remote_of(ItemKind::story, s.id);
    ASSERT_TRUE(r.has_value()) << s.id;
    EXPECT_EQ(plan->remote[*r].marker.key, "AS" + std::to_string(s.number)) << s.id;
  }
  for (const auto& action : plan->first_plan.actions)
    EXPECT_FALSE(action.op == ActionOp::create && action.kind == ItemKind::story) << action.summary;
}

}  // namespace
}  // namespace risksync
