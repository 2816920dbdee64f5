// Lookups by key (model/key_index.h) behind Analysis::find_story / find_measure and
// Assessment::find_story / status_of: right for the first, the last and a missing key, after a
// copy, and after the vectors changed without a reindex; and the work a lookup costs, counted
// in key reads (never timed).
#include "model/key_index.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/analysis.h"
#include "model/assessment.h"

namespace risksync {
namespace {

// n stories AS1..ASn, each with its own measure M1..Mn; M1 also serves the last story.
Analysis numbered(int n) {
  Analysis a;
  for (int i = 1; i <= n; ++i) {
    AbuserStory s;
    s.id = "AS" + std::to_string(i);
    s.number = i;
    s.current_likelihood = Likelihood::likely;
    s.possible_measures = {"M" + std::to_string(i)};
    a.stories.push_back(s);
    Measure m;
    m.key = "M" + std::to_string(i);
    m.text = "Mesure " + std::to_string(i);
    m.weight = i;
    m.checked = i % 2 == 0;
    m.stories = {s.id};
    a.measures.push_back(m);
  }
  a.stories.back().possible_measures.push_back("M1");
  a.measures.front().stories.push_back(a.stories.back().id);
  a.reindex();
  return a;
}

TEST(AnalysisLookup, FindsFirstLastAndNotMissing) {
  const Analysis a = numbered(100);
  ASSERT_TRUE(a.indexed());
  EXPECT_EQ(a.find_story("AS1"), &a.stories.front());
  EXPECT_EQ(a.find_story("AS100"), &a.stories.back());
  EXPECT_EQ(a.find_story("AS10"), &a.stories[9]);  // "AS10" sorts before "AS2": order is by key
  EXPECT_EQ(a.find_measure("M1"), &a.measures.front());
  EXPECT_EQ(a.find_measure("M100"), &a.measures.back());
  EXPECT_EQ(a.find_story("AS101"), nullptr);
  EXPECT_EQ(a.find_story(""), nullptr);
  EXPECT_EQ(a.find_measure("M0"), nullptr);
  EXPECT_EQ(a.find_measure("AS1"), nullptr);  // a story id is not a measure key
}

TEST(AnalysisLookup, ACopyFindsItsOwnRecords) {
  Analysis original = numbered(50);
  Analysis copy = original;
  EXPECT_TRUE(copy.indexed());
  EXPECT_EQ(copy.find_measure("M50"), &copy.measures.back());
  EXPECT_EQ(copy.find_story("AS7"), &copy.stories[6]);
  // Changing or destroying the original does not reach the copy.
  original.measures.clear();
  original.stories.clear();
  EXPECT_EQ(copy.find_measure("M1")->text, "Mesure 1");
  EXPECT_EQ(original.find_measure("M1"), nullptr);

  const Analysis moved = std::move(copy);
  EXPECT_TRUE(moved.indexed());
  EXPECT_EQ(moved.find_measure("M25"), &moved.measures[24]);
}

TEST(AnalysisLookup, StaysRightWhenTheVectorsChangeWithoutReindex) {
  Analysis a = numbered(20);
  a.measures.erase(a.measures.begin());  // every position shifts
  EXPECT_FALSE(a.indexed());
  EXPECT_EQ(a.find_measure("M1"), nullptr);
  EXPECT_EQ(a.find_measure("M2"), &a.measures.front());
  EXPECT_EQ(a.find_measure("M20"), &a.measures.back());

  Measure extra;
  extra.key = "M99";
  a.measures.push_back(extra);
  EXPECT_EQ(a.find_measure("M99"), &a.measures.back());

  a.stories[3].id = "AS404";  // renamed in place: same size, stale index
  EXPECT_EQ(a.find_story("AS404"), &a.stories[3]);
  EXPECT_EQ(a.find_story("AS4"), nullptr);
  std::swap(a.stories[0], a.stories[1]);
  EXPECT_EQ(a.find_story("AS1"), &a.stories[1]);
  EXPECT_EQ(a.find_story("AS2"), &a.stories[0]);

  a.reindex();
  EXPECT_TRUE(a.indexed());
  EXPECT_EQ(a.find_story("AS404"), &a.stories[3]);
  EXPECT_EQ(a.find_measure("M99"), &a.measures.back());
}

TEST(AnalysisLookup, AnAnalysisNeverIndexedIsStillRight) {
  Analysis a;
  EXPECT_EQ(a.find_story("AS1"), nullptr);
  a.stories.resize(3);
  a.stories[2].id = "AS3";
  EXPECT_FALSE(a.indexed());
  EXPECT_EQ(a.find_story("AS3"), &a.stories[2]);
}

TEST(AssessmentLookup, StatusOfFirstLastMissingAndAfterCopy) {
  Analysis a = numbered(64);
  const Assessment result = assess(a, statuses_from_checkboxes(a), ZoneGrid::default_grid());
  ASSERT_TRUE(result.indexed());
  EXPECT_EQ(result.status_of("M1"), MeasureStatus::todo);   // 1 is odd: not ticked
  EXPECT_EQ(result.status_of("M2"), MeasureStatus::done);   // ticked
  EXPECT_EQ(result.status_of("M64"), MeasureStatus::done);  // the last one
  EXPECT_EQ(result.status_of("M65"), MeasureStatus::todo);  // missing: todo
  EXPECT_EQ(result.find_story("AS1"), &result.stories.front());
  EXPECT_EQ(result.find_story("AS64"), &result.stories.back());
  EXPECT_EQ(result.find_story("AS0"), nullptr);
  // AS64 has M64 (weight 64, done) and M1 (weight 1, todo).
  EXPECT_EQ(result.find_story("AS64")->measures_done, 1);
  EXPECT_EQ(result.find_story("AS64")->measures_total, 2);

  Assessment copy = result;
  EXPECT_TRUE(copy.indexed());
  EXPECT_EQ(copy.find_story("AS33"), &copy.stories[32]);
  copy.measures.back().status = MeasureStatus::dropped;
  EXPECT_EQ(copy.status_of("M64"), MeasureStatus::dropped);
  EXPECT_EQ(result.status_of("M64"), MeasureStatus::done);
}

TEST(AssessmentLookup, StatusOfAfterTheMeasuresChangedWithoutReindex) {
  Analysis a = numbered(10);
  Assessment result = assess(a, statuses_from_checkboxes(a), ZoneGrid::default_grid());
  result.measures.insert(result.measures.begin(), {"M0", MeasureStatus::dropped});
  EXPECT_EQ(result.status_of("M0"), MeasureStatus::dropped);
  EXPECT_EQ(result.status_of("M10"), MeasureStatus::done);
  result.reindex();
  EXPECT_TRUE(result.indexed());
  EXPECT_EQ(result.status_of("M0"), MeasureStatus::dropped);
}

// ---- work, counted in key reads ----

struct Record {
  std::string key;
};

struct CountingKey {
  int* reads;
  const std::string& operator()(const Record& r) const {
    ++*reads;
    return r.key;
  }
};

std::vector<Record> records(int n) {
  std::vector<Record> out;
  for (int i = 0; i < n; ++i) out.push_back({"K" + std::to_string(i)});
  return out;
}

TEST(KeyIndexWork, AHitReadsLogarithmicallyManyKeys) {
  const auto items = records(1024);
  KeyIndex index;
  int reads = 0;
  index.rebuild(items, CountingKey{&reads});
  EXPECT_EQ(index.size(), items.size());
  for (const int at : {0, 1, 511, 1000, 1023}) {
    reads = 0;
    const auto found =
        index.find(items, items[static_cast<std::size_t>(at)].key, CountingKey{&reads});
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(*found, static_cast<std::size_t>(at));
    EXPECT_LE(reads, 12) << "key K" << at;  // log2(1024) = 10 halvings, then the check
  }
  // A copy of the vector and of the index: the same positions, the same cost.
  const auto items_copy = items;
  const KeyIndex index_copy = index;
  reads = 0;
  EXPECT_EQ(index_copy.find(items_copy, "K1023", CountingKey{&reads}), 1023u);
  EXPECT_LE(reads, 12);
}

TEST(KeyIndexWork, WithoutAnIndexOrForAMissingKeyTheSearchIsLinear) {
  const auto items = records(300);
  KeyIndex never_built;
  int reads = 0;
  EXPECT_EQ(never_built.find(items, "K299", CountingKey{&reads}), 299u);
  EXPECT_EQ(reads, 300);  // what every lookup cost before the index

  KeyIndex index;
  index.rebuild(items, [](const Record& r) -> const std::string& { return r.key; });
  reads = 0;
  EXPECT_FALSE(index.find(items, "K300", CountingKey{&reads}).has_value());
  EXPECT_LE(reads, 300 + 10);  // the binary search, then the linear check that it is absent
  EXPECT_GE(reads, 300);
}

TEST(KeyIndexWork, DuplicateKeysGiveTheFirstRecordAsALinearSearchWould) {
  std::vector<Record> items{{"b"}, {"a"}, {"b"}, {"a"}};
  KeyIndex index;
  index.rebuild(items, [](const Record& r) -> const std::string& { return r.key; });
  int reads = 0;
  EXPECT_EQ(index.find(items, "a", CountingKey{&reads}), 1u);
  EXPECT_EQ(index.find(items, "b", CountingKey{&reads}), 0u);
}

}  // namespace
}  // namespace risksync
