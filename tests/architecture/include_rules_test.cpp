// The rule checker itself, on synthetic trees: each rule of ARCHITECTURE.md is shown to fail on
// a file that breaks it, so the source-tree test below can fail.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "architecture/include_rules.h"

namespace risksync::architecture {
namespace {

std::vector<Violation> check(std::string path, std::string text) {
  return check_includes({SourceFile{std::move(path), std::move(text)}});
}

// Exactly one violation, on `line`, whose rule mentions `words`.
void expect_one(const std::vector<Violation>& v, int line, std::string_view words) {
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].line, line);
  EXPECT_NE(v[0].rule.find(words), std::string::npos) << v[0].to_string();
}

TEST(ParseIncludes, ReadsQuotedAndAngledIncludesWithTheirLines) {
  const auto incs = parse_includes(
      "// #include \"net/commented.h\"\n"
      "#include \"sync/plan.h\"\n"
      "  #  include <httplib.h>\n"
      "\n"
      "#include<string>\n"
      "#define X \"#include \\\"net/http.h\\\"\"\n"
      "#include \"model/analysis.h\"  // why");
  ASSERT_EQ(incs.size(), 4u);
  EXPECT_EQ(incs[0].header, "sync/plan.h");
  EXPECT_FALSE(incs[0].angled);
  EXPECT_EQ(incs[0].line, 2);
  EXPECT_EQ(incs[1].header, "httplib.h");
  EXPECT_TRUE(incs[1].angled);
  EXPECT_EQ(incs[1].line, 3);
  EXPECT_EQ(incs[2].header, "string");
  EXPECT_EQ(incs[2].line, 5);
  EXPECT_EQ(incs[3].header, "model/analysis.h");
  EXPECT_EQ(incs[3].line, 7);
}

TEST(IncludeRules, ACleanTreeHasNoViolation) {
  const std::vector<SourceFile> tree = {
      {"src/util/ascii.cpp", "#include \"util/ascii.h\"\n#include <string>\n"},
      {"src/model/analysis.cpp", "#include \"model/analysis.h\"\n#include \"util/utf8.h\"\n"},
      {"src/parse/markdown_ast.cpp",
       "#include <cmark-gfm.h>\n#include <toml++/toml.h>\n#include \"model/zones.h\"\n"},
      {"src/render/model_json.h", "#include <nlohmann/json.hpp>\n#include \"model/analysis.h\"\n"},
      {"src/sync/issue_body.cpp", "#include \"render/escape.h\"\n#include \"sync/marker.h\"\n"},
      {"src/net/http_client.cpp",
       "#include <httplib.h>\n#include <openssl/ssl.h>\n#include \"util/ascii.h\"\n"},
      {"connectors/github/git_wiki.cpp",
       "#include \"connectors/github/git_wiki.h\"\n#include \"net/subprocess.h\"\n"
       "#include \"sync/wiki.h\"\n#include <openssl/evp.h>\n"},
      {"src/app/cli.cpp",
       "#include <cxxopts.hpp>\n#include \"connectors/github/github_tracker.h\"\n"
       "#include \"net/http_client.h\"\n"},
      {"tests/net/anything_test.cpp", "#include <httplib.h>\n#include <cxxopts.hpp>\n"},
  };
  const auto v = check_includes(tree);
  for (const auto& x : v) ADD_FAILURE() << x.to_string();
  EXPECT_TRUE(v.empty());
}

TEST(IncludeRules, TheCoreNeverIncludesNet) {
  for (const char* folder : {"parse", "render", "sync"}) {
    const auto v = check(std::string("src/") + folder + "/x.cpp",
                         "#include <string>\n#include \"net/http.h\"\n");
    expect_one(v, 2, "never includes net/");
    EXPECT_EQ(v[0].file, std::string("src/") + folder + "/x.cpp");
    EXPECT_EQ(v[0].header, "net/http.h");
  }
}

TEST(IncludeRules, TheCoreNeverIncludesAConnectorOrApp) {
  expect_one(check("src/sync/engine.cpp", "#include \"connectors/github/github_tracker.h\"\n"), 1,
             "never includes net/, app/ or a connector");
  expect_one(check("src/render/page.h", "#include \"app/config.h\"\n"), 1,
             "never includes net/, app/ or a connector");
}

TEST(IncludeRules, ModelAndUtilIncludeOnlyThemselvesAndTheStandardLibrary) {
  expect_one(check("src/model/zones.cpp", "#include \"parse/zone_grid_file.h\"\n"), 1,
             "src/model may include only src/model, src/util");
  expect_one(check("src/util/utf8.cpp", "#include \"model/analysis.h\"\n"), 1,
             "src/util may include only src/util");
  expect_one(check("src/model/x.h", "#include <nlohmann/json.hpp>\n"), 1, "standard library");
  expect_one(check("src/util/x.cpp", "#include <arpa/inet.h>\n"), 1, "standard library");
}

TEST(IncludeRules, NetUsesOnlyUtil) {
  expect_one(check("src/net/retry.cpp", "#include \"sync/tracker.h\"\n"), 1,
             "src/net may include only src/net, src/util");
}

TEST(IncludeRules, LayersFollowTheTargetGraph) {
  expect_one(check("src/parse/fields.cpp", "#include \"render/escape.h\"\n"), 1,
             "src/parse may include only");
  expect_one(check("src/render/x.cpp", "#include \"sync/plan.h\"\n"), 1,
             "src/render may include only");
}

TEST(IncludeRules, ConnectorsNeverIncludeAppOrEachOther) {
  expect_one(
      check("connectors/gitlab/gitlab_tracker.cpp", "#include \"connectors/github/base64.h\"\n"), 1,
      "never includes another connector");
  expect_one(check("connectors/github/github_tracker.cpp", "#include \"app/config.h\"\n"), 1,
             "never app/");
  EXPECT_TRUE(check("connectors/jira/jira_tracker.cpp",
                    "#include \"connectors/jira/jira_tracker.h\"\n#include \"net/http.h\"\n")
                  .empty());
}

TEST(IncludeRules, OnlyNetIncludesHttplib) {
  expect_one(check("src/render/x.cpp", "#include <httplib.h>\n"), 1, "only src/net");
  expect_one(check("src/app/cli.cpp", "#include \"httplib.h\"\n"), 1, "only src/net");
  expect_one(check("connectors/github/x.cpp", "#include <httplib.h>\n"), 1, "only src/net");
}

TEST(IncludeRules, OnlyParseIncludesCmark) {
  expect_one(check("src/render/x.cpp", "#include <cmark-gfm.h>\n"), 1, "only src/parse");
  expect_one(check("src/app/x.cpp", "#include <cmark-gfm-core-extensions.h>\n"), 1,
             "only src/parse");
}

TEST(IncludeRules, OnlyAppIncludesCxxopts) {
  expect_one(check("src/net/x.cpp", "#include <cxxopts.hpp>\n"), 1, "only src/app");
  expect_one(check("connectors/github/x.cpp", "#include <cxxopts.hpp>\n"), 1, "only src/app");
}

TEST(IncludeRules, OnlyRasterIncludesLibrsvgAndCairo) {
  expect_one(check("src/render/x.cpp", "#include <librsvg/rsvg.h>\n"), 1, "only src/raster");
  expect_one(check("src/app/x.cpp", "#include <cairo.h>\n"), 1, "only src/raster");
  expect_one(check("src/raster/x.cpp", "#include \"render/page.h\"\n"), 1,
             "src/raster may include");
  EXPECT_TRUE(
      check("src/raster/x.cpp", "#include <librsvg/rsvg.h>\n#include \"util/result.h\"\n").empty());
}

TEST(IncludeRules, OpenSslStaysInNetAndConnectors) {
  expect_one(check("src/sync/x.cpp", "#include <openssl/evp.h>\n"), 1, "OpenSSL");
}

TEST(IncludeRules, RelativeOrFolderlessProjectIncludesAreRefused) {
  expect_one(check("src/sync/x.cpp", "#include \"../net/http.h\"\n"), 1, "never relatively");
  expect_one(check("src/sync/x.cpp", "#include \"plan.h\"\n"), 1, "by their folder");
  expect_one(check("src/sync/x.cpp", "#include \"github/fake_github.h\"\n"), 1,
             "not a header of src/");
}

TEST(IncludeRules, AFolderMissingFromTheTableIsReported) {
  expect_one(check("src/daemon/loop.cpp", "#include \"util/result.h\"\n"), 1,
             "not in the rule table");
}

TEST(IncludeRules, ReportsEveryViolationWithFileAndLine) {
  const auto v = check_includes({
      {"src/sync/a.cpp", "#include \"sync/a.h\"\n#include \"net/http.h\"\n"},
      {"src/model/b.cpp", "#include <httplib.h>\n#include \"net/retry.h\"\n"},
  });
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].to_string(),
            "src/sync/a.cpp:2: #include net/http.h: the core (src/sync) never includes net/, "
            "app/ or a connector");
  EXPECT_EQ(v[1].file, "src/model/b.cpp");
  EXPECT_EQ(v[1].line, 1);
  EXPECT_EQ(v[2].line, 2);
}

}  // namespace
}  // namespace risksync::architecture
