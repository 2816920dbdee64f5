#include "sync/marker.h"

#include <gtest/gtest.h>

namespace risksync {
namespace {

TEST(Marker, RoundTrip) {
  const Marker m{"AS1-3fa2b1c0", ItemKind::measure, "0badcafe", "AS1", true};
  const auto parsed = parse_marker("intro\n" + format_marker(m) + "\nrest");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->key, "AS1-3fa2b1c0");
  EXPECT_EQ(parsed->kind, ItemKind::measure);
  EXPECT_EQ(parsed->fingerprint, "0badcafe");
  EXPECT_EQ(parsed->parent, "AS1");
  EXPECT_TRUE(parsed->removed);
}

TEST(Marker, DesignFormIsAccepted) {
  const auto m = parse_marker("<!-- risksync:key=AS1 -->");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->key, "AS1");
  EXPECT_EQ(m->kind, ItemKind::story);
}

TEST(Marker, MalformedIsIgnored) {
  EXPECT_FALSE(parse_marker("no marker here"));
  EXPECT_FALSE(parse_marker("<!-- risksync:key=AS1"));
  EXPECT_FALSE(parse_marker("<!-- risksync:kind=story -->"));
  EXPECT_FALSE(parse_marker("<!-- risksync:key=<script> kind=story -->"));
  EXPECT_FALSE(parse_marker("<!-- risksync:key=AS1 kind=epic -->"));
}

TEST(Marker, MergeKeepsPeoplesTextByteForByte) {
  const Marker m{"AS1", ItemKind::story, "", "", false};
  const std::string body = "Before, by a human.\n" + format_marker(m) +
                           "\nold block\n<!-- risksync:end -->\n\nAfter, by a human. ✍️\n";
  const std::string merged = merge_managed_block(body, m, "new block\n");
  EXPECT_EQ(merged, "Before, by a human.\n" + format_marker(m) +
                        "\nnew block\n<!-- risksync:end -->\n\nAfter, by a human. ✍️\n");
  EXPECT_EQ(managed_block(merged), "\nnew block\n");
}

TEST(Marker, MergeIntoBodyWithoutBlockPrependsIt) {
  const Marker m{"M1", ItemKind::measure, "", "AS1", false};
  const std::string merged = merge_managed_block("human text", m, "block");
  EXPECT_EQ(merged, format_marker(m) + "\nblock\n<!-- risksync:end -->\n\nhuman text");
  EXPECT_EQ(merge_managed_block(merged, m, "block"), merged);  // idempotent
}

TEST(Similarity, Jaccard) {
  EXPECT_DOUBLE_EQ(text_similarity("a b c", "a b c"), 1.0);
  EXPECT_DOUBLE_EQ(text_similarity("a b", "c d"), 0.0);
  EXPECT_DOUBLE_EQ(text_similarity("Lancer un bug bounty", "lancer un bug-bounty public"), 0.8);
}

}  // namespace
}  // namespace risksync
