// The repository's own src/ and connectors/ follow the include rules of ARCHITECTURE.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "architecture/include_rules.h"

namespace risksync::architecture {
namespace {

TEST(SourceTree, FollowsTheIncludeRules) {
  const auto files = load_source_tree(RISKSYNC_SOURCE_DIR);
  // A scan that reads nothing would pass: make sure the tree was found and read.
  ASSERT_GT(files.size(), 50u) << "no sources under " << RISKSYNC_SOURCE_DIR;
  const auto http_client = std::find_if(files.begin(), files.end(), [](const SourceFile& f) {
    return f.path == "src/net/http_client.cpp";
  });
  ASSERT_NE(http_client, files.end());
  const auto incs = parse_includes(http_client->text);
  EXPECT_TRUE(std::any_of(incs.begin(), incs.end(),
                          [](const Include& i) { return i.header == "httplib.h" && i.angled; }));

  for (const Violation& v : check_includes(files)) ADD_FAILURE() << v.to_string();
}

}  // namespace
}  // namespace risksync::architecture
