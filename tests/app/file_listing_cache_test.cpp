// FileListingCache (app/file_listing_cache.h): pages kept between runs in one file, never
// required, and not rewritten by a run that put nothing new.
#include <gtest/gtest.h>

#include <filesystem>

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

TEST(FileListingCache, ACorruptFileIsAnEmptyCache) {
  TempDir dir;
  dir.write("listing.json",
            "{\"version\":1,\"pages\":{\"/a\":{\"etag\":5,\"body\":\"[]\"},\"/b\":{\"etag\":"
            "\"W/\\\"b\\\"\",\"body\":7},\"/c\":3}}");
  FileListingCache cache(dir / "listing.json");
  EXPECT_FALSE(cache.get("/a").has_value());
  const auto b = cache.get("/b");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->body, "");
  EXPECT_FALSE(cache.get("/c").has_value());
  dir.write("broken.json", "{\"pages\": [");
  EXPECT_FALSE(FileListingCache(dir / "broken.json").get("/a").has_value());
}

}  // namespace
}  // namespace risksync
