#include "sync/marker.h"

#include "sync/body_codec.h"

#include <gtest/gtest.h>

namespace risksync {
namespace {

TEST(Marker, RoundTripCarriesIdentityOnly) {
  const Marker m{"AS1-3fa2b1c0", ItemKind::measure, "0badcafe", "0123456789abcdef", false};
  EXPECT_EQ(format_marker(m),
            "<!-- risksync:key=AS1-3fa2b1c0 kind=measure fp=0badcafe h=0123456789abcdef -->");
  const auto parsed = parse_marker("intro\n" + format_marker(m) + "\nrest");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->key, "AS1-3fa2b1c0");
  EXPECT_EQ(parsed->kind, ItemKind::measure);
  EXPECT_EQ(parsed->fingerprint, "0badcafe");
  EXPECT_EQ(parsed->block_hash, "0123456789abcdef");
  EXPECT_FALSE(parsed->legacy_removed);
}

TEST(Marker, OlderAttributesAreReadNotWritten) {
  const auto parsed = parse_marker("<!-- risksync:key=M1 kind=measure parent=AS1 removed -->");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->legacy_removed);
  EXPECT_EQ(format_marker(*parsed).find("removed"), std::string::npos);
  EXPECT_EQ(format_marker(*parsed).find("parent"), std::string::npos);
}

TEST(Block, OnlyTheMarkerThatOpensTheBlockCounts) {
  const Marker mine{"M3", ItemKind::measure, "", "", false};
  const std::string block = merge_managed_block("", mine, "text\n");
  // A person pasted a story marker at the top, and another one in a note below.
  const std::string body = "<!-- risksync:key=AS9 kind=story -->\n" + block +
                           "\n\nSee <!-- risksync:key=AS2 kind=story --> too.\n";
  const BlockScan scan = find_block(body);
  ASSERT_TRUE(scan.block);
  EXPECT_EQ(scan.block->marker.key, "M3");
  EXPECT_EQ(scan.block->marker.kind, ItemKind::measure);
  EXPECT_EQ(scan.block->content, "text\n");
  EXPECT_EQ(scan.stray_markers, 2);
  // Rewriting the block keeps the pasted text (it is people's) and replaces only the block.
  const std::string merged = merge_managed_block(body, mine, "new\n");
  EXPECT_EQ(merged.find("<!-- risksync:key=AS9 kind=story -->\n"), 0u);
  EXPECT_EQ(find_block(merged).block->content, "new\n");
}

TEST(Block, MarkerWithoutEndIsNoBlock) {
  const BlockScan scan = find_block("<!-- risksync:key=AS1 kind=story -->\nno end line");
  EXPECT_FALSE(scan.block);
  EXPECT_EQ(scan.stray_markers, 1);
  EXPECT_FALSE(find_block("nothing at all").block);
  EXPECT_EQ(find_block("nothing at all").stray_markers, 0);
}

TEST(Marker, DesignFormIsAccepted) {
  const auto m = parse_marker("<!-- risksync:key=AS1 -->");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->key, "AS1");
  EXPECT_EQ(m->kind, ItemKind::story);
}

TEST(Marker, AttributesAreSeparatedByAnyRunOfSpaces) {
  const auto m = parse_marker("<!-- risksync:key=M7\t kind=measure\n\r  fp=0a1b2c3d  h=ff -->");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->key, "M7");
  EXPECT_EQ(m->kind, ItemKind::measure);
  EXPECT_EQ(m->fingerprint, "0a1b2c3d");
  EXPECT_EQ(m->block_hash, "ff");
  EXPECT_FALSE(parse_marker("<!-- risksync:key= kind=story -->"));  // an empty key is no key
  // "fp" without '=' has an empty value, which is not a valid token: no marker.
  EXPECT_FALSE(parse_marker("<!-- risksync:key=AS2 fp -->"));
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
  EXPECT_EQ(find_block(merged).block->content, "new block\n");
}

TEST(Marker, MergeIntoBodyWithoutBlockPrependsIt) {
  const Marker m{"M1", ItemKind::measure, "", "", false};
  const std::string merged = merge_managed_block("human text", m, "block");
  EXPECT_EQ(merged, format_marker(m) + "\nblock\n<!-- risksync:end -->\n\nhuman text");
  EXPECT_EQ(merge_managed_block(merged, m, "block"), merged);  // idempotent
}

TEST(MarkdownCodec, ReserialisationIsNotAChangeWordsAre) {
  const MarkdownBodyCodec codec;
  const ManagedContent wanted{"**Gravité** : 4 – Critique\n\n- [ ] [M1](https://x/1) *Revue*\n"};
  EXPECT_TRUE(
      codec.same_content("__Gravité__ : 4 – Critique\n- [ ] [M1](https://x/1) _Revue_", wanted));
  EXPECT_TRUE(
      codec.same_content("**Gravité** :  4 – Critique\r\n\r\n* [ ] [M1](https://x/1) "
                         "*Revue*\n",
                         wanted));
  EXPECT_FALSE(codec.same_content("**Gravité** : 3 – Importante\n\n- [ ] [M1](https://x/1) *Revue*",
                                  wanted));
  EXPECT_FALSE(
      codec.same_content("**Gravité** : 4 – Critique\n\n- [x] [M1](https://x/1) *Revue*", wanted));
  EXPECT_FALSE(
      codec.same_content("**Gravité** : 4 – Critique\n\n- [ ] [M1](https://x/2) *Revue*", wanted));
  EXPECT_EQ(markdown_comparison_form("a \\* b &amp; c<br>d"), "a * b & c d");
}

TEST(MarkdownCodec, WriteThenReadGivesTheMarkerAndTheContentBack) {
  const MarkdownBodyCodec codec;
  const ManagedContent content{"block text\n"};
  const Marker m{"AS1", ItemKind::story, "0badcafe", content.hash(), false};
  const std::string body = codec.write("people's text", m, content);
  const ShownBlock shown = codec.read(body);
  ASSERT_TRUE(shown.marker);
  EXPECT_EQ(shown.marker->block_hash, content.hash());
  EXPECT_TRUE(codec.same_content(shown.content, content));
  EXPECT_NE(body.find("people's text"), std::string::npos);
  EXPECT_EQ(content.hash().size(), 16u);
  EXPECT_NE(content.hash(), ManagedContent{"block text 2\n"}.hash());
}

TEST(Similarity, Jaccard) {
  EXPECT_DOUBLE_EQ(text_similarity("a b c", "a b c"), 1.0);
  EXPECT_DOUBLE_EQ(text_similarity("a b", "c d"), 0.0);
  EXPECT_DOUBLE_EQ(text_similarity("Lancer un bug bounty", "lancer un bug-bounty public"), 0.8);
}

}  // namespace
}  // namespace risksync
