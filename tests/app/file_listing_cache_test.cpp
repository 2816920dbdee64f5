// FileListingCache (app/file_listing_cache.h): pages kept between runs in one file, byte for
// byte, never required (a corrupt or older file is an empty cache), and not rewritten by a run
// that put nothing new.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "app/file_listing_cache.h"
#include "support/run_cli.h"

namespace risksync {
namespace {

using testing::TempDir;

TEST(FileListingCache, KeepsThePagesPutAcrossRuns) {
  TempDir dir;
  const auto file = dir / "state" / "listing.json";
  {
    FileListingCache cache(file);
    EXPECT_FALSE(cache.get("/issues?page=1").has_value());
    cache.put("/issues?page=1", {"W/\"a\"", "[{\"id\":1}]", "/issues?page=2"});
    ASSERT_TRUE(cache.save().ok());
  }
  FileListingCache again(file);
  const auto page = again.get("/issues?page=1");
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->etag, "W/\"a\"");
  EXPECT_EQ(page->body, "[{\"id\":1}]");
  EXPECT_EQ(page->next_url, "/issues?page=2");
}

TEST(FileListingCache, WritesNothingWhenNoPageChanged) {
  TempDir dir;
  const auto file = dir / "listing.json";
  {
    FileListingCache cache(file);
    cache.put("/issues", {"W/\"a\"", "[]", ""});
    ASSERT_TRUE(cache.save().ok());
  }
  FileListingCache unchanged(file);
  unchanged.put("/issues", {"W/\"a\"", "[]", ""});  // the same page again
  std::filesystem::remove(file);
  ASSERT_TRUE(unchanged.save().ok());
  EXPECT_FALSE(std::filesystem::exists(file));

  FileListingCache changed(dir / "other.json");
  changed.put("/issues", {"W/\"b\"", "[]", ""});
  ASSERT_TRUE(changed.save().ok());
  EXPECT_TRUE(std::filesystem::exists(dir / "other.json"));
}

TEST(FileListingCache, BodiesComeBackByteForByte) {
  TempDir dir;
  const auto file = dir / "listing.json";
  // Quotes, backslashes, newlines, a NUL, digits and spaces: nothing is escaped or lost.
  const std::string body = std::string("[{\"body\":\"a\\\"b\\n\"}]\n12 34\n") + '\0' + "end";
  {
    FileListingCache cache(file);
    cache.put("/issues?page=1", {"W/\"x y\"", body, "/issues?page=2"});
    cache.put("/issues?page=2", {"\"z\"", "[]", ""});
    ASSERT_TRUE(cache.save().ok());
  }
  FileListingCache again(file);
  const auto first = again.get("/issues?page=1");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->etag, "W/\"x y\"");
  EXPECT_EQ(first->body, body);
  EXPECT_EQ(first->next_url, "/issues?page=2");
  const auto last = again.get("/issues?page=2");
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->body, "[]");
  EXPECT_EQ(last->next_url, "");
}

TEST(FileListingCache, ACorruptFileIsAnEmptyCache) {
  std::map<std::string, net::CachedPage> pages;
  pages["/a"] = {"W/\"a\"", "[1]", ""};
  const std::string good = FileListingCache::encode(pages);
  ASSERT_TRUE(FileListingCache::decode(good).has_value());
  EXPECT_FALSE(FileListingCache::decode(good.substr(0, good.size() - 1)).has_value());  // cut
  EXPECT_FALSE(FileListingCache::decode(good.substr(0, good.size() - 3)).has_value());
  EXPECT_FALSE(FileListingCache::decode(good + "2 1 0 0\n").has_value());  // a count too large
  EXPECT_FALSE(FileListingCache::decode(good + "x 1 1 1\n/bEBN\n").has_value());
  EXPECT_FALSE(FileListingCache::decode(good + "2 0 0 0\n/b\n").has_value());  // no ETag
  EXPECT_FALSE(FileListingCache::decode(std::string("risksync-listing-cache 3\n")).has_value());

  TempDir dir;
  // Version 1 was JSON: an older file reads as an empty cache (the next listing is full).
  dir.write("listing.json",
            "{\"version\":1,\"pages\":{\"/b\":{\"etag\":\"W/\\\"b\\\"\",\"body\":\"[]\"}}}");
  EXPECT_FALSE(FileListingCache(dir / "listing.json").get("/b").has_value());
  dir.write("broken.json", good.substr(0, good.size() - 2));
  EXPECT_FALSE(FileListingCache(dir / "broken.json").get("/a").has_value());
  dir.write("fine.json", good);
  EXPECT_TRUE(FileListingCache(dir / "fine.json").get("/a").has_value());
}

}  // namespace
}  // namespace risksync
