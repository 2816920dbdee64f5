// The large generated document (tests/support/big_analysis.h) that the scale benchmark parses:
// it parses cleanly, with the counts its shape announces, and comes back indexed.
#include "support/big_analysis.h"

#include <gtest/gtest.h>

#include "parse/catalog.h"
#include "parse_test_support.h"

namespace risksync {
namespace {

TEST(BigAnalysis, ParsesCleanlyWithTheAnnouncedShape) {
  auto segur =
      parse_catalog(testing::read_file(testing::config_path("catalogs/segur.tsv")), "segur.tsv");
  ASSERT_TRUE(segur.ok());
  ParseOptions options;
  options.catalog = &*segur;
  for (const int n : {1, 2, 25, 300}) {
    const std::string text = testing::big_analysis_markdown(n);
    EXPECT_EQ(text, testing::big_analysis_markdown(n)) << "deterministic";
    const Analysis a = testing::parse_clean(text, options);
    const auto shape = testing::big_analysis_shape(n);
    EXPECT_EQ(a.stories.size(), shape.stories) << n;
    EXPECT_EQ(a.measures.size(), shape.measures) << n;
    std::size_t shared = 0;
    for (const auto& m : a.measures) shared += m.stories.size() > 1;
    EXPECT_EQ(shared, shape.shared_measures) << n;
    EXPECT_TRUE(a.indexed()) << n;
    for (const auto& s : a.stories) {
      EXPECT_EQ(s.possible_measures.size(), 5u) << s.id;
      for (const auto& key : s.possible_measures) {
        const Measure* m = a.find_measure(key);
        ASSERT_NE(m, nullptr) << key;
        EXPECT_EQ(m->key, key);
      }
    }
  }
}

TEST(BigAnalysis, HasSharedDerivedWeightedAndTickedMeasures) {
  const Analysis a = testing::parse_ok(testing::big_analysis_markdown(40));
  // A socle of 40 / 10 = 4 measures, each serving every 4th story.
  const Measure* socle = a.find_measure("socle-4");
  ASSERT_NE(socle, nullptr);
  EXPECT_EQ(socle->stories.size(), 10u);
  EXPECT_EQ(socle->stories.front(), "AS4");
  EXPECT_EQ(socle->stories.back(), "AS40");
  EXPECT_EQ(a.find_measure("socle-5"), nullptr);
  EXPECT_EQ(a.find_measure("M2")->weight, 2);
  EXPECT_TRUE(a.find_measure("M2")->checked);
  EXPECT_FALSE(a.find_measure("M1")->catalog_refs.empty());
  const AbuserStory* as3 = a.find_story("AS3");
  ASSERT_NE(as3, nullptr);
  const Measure* derived = a.find_measure(as3->possible_measures.back());
  ASSERT_NE(derived, nullptr);
  EXPECT_FALSE(derived->explicit_key);
  EXPECT_EQ(derived->key, derive_measure_key("AS3", derived->text));
}

}  // namespace
}  // namespace risksync
