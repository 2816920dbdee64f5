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

// Issue 6 (Env): only app/ reads the process environment; net/, the connectors and the core
// receive values (tokens, options, the environment a child program starts from).
TEST(SourceTree, OnlyTheAppReadsTheProcessEnvironment) {
  const auto files = load_source_tree(RISKSYNC_SOURCE_DIR);
  ASSERT_GT(files.size(), 50u);
  int app_readers = 0;
  for (const SourceFile& f : files) {
    bool reads = false;
    std::size_t start = 0;
    while (start < f.text.size()) {
      std::size_t end = f.text.find('\n', start);
      if (end == std::string::npos) end = f.text.size();
      std::string line = f.text.substr(start, end - start);
      start = end + 1;
      if (const auto comment = line.find("//"); comment != std::string::npos) line.resize(comment);
      for (const char* call : {"getenv(", "setenv(", "environ;", "environ ", "secure_getenv("}) {
        if (line.find(call) != std::string::npos) reads = true;
      }
    }
    if (!reads) continue;
    if (f.path.rfind("src/app/", 0) == 0) {
      ++app_readers;
    } else {
      ADD_FAILURE() << f.path << " reads the process environment: take it from app/env.h";
    }
  }
  EXPECT_GE(app_readers, 1) << "the scan found no reader at all, not even app/env.cpp";
}

}  // namespace
}  // namespace risksync::architecture
