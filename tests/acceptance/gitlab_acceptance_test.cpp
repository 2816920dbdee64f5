// Acceptance scenarios of the GitLab loop, through the real `risksync` binary against a fake
// GitLab on loopback: configuration -> issues and tasks -> listing cache -> page.
#include <gtest/gtest.h>

#include "gitlab/fake_gitlab.h"
#include "support/run_cli.h"
#include "sync/marker.h"

namespace risksync {
namespace {

using testing::FakeGitLab;
using testing::read_file;
using testing::run_risksync;
using testing::TempDir;

const std::string kAudioConf = std::string(RISKSYNC_TEST_DATA) + "/../../examples/audioconf.md";

class GitLabSync : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(gl.ok());
    dir.write("docs/analyse.md", read_file(kAudioConf));
    dir.write("risksync.toml",
              "analysis = \"docs/analyse.md\"\nstate_dir = \"cache\"\n"
              "[tracker]\nkind = \"gitlab\"\nrepository = \"" +
                  gl.project_path() + "\"\napi_url = \"" + gl.base_url() +
                  "\"\ntimeout_s = 2\nwrite_interval_ms = 0\n"
                  "[wiki]\nkind = \"folder\"\npath = \"wiki\"\n");
  }
  testing::CliRun sync(const std::string& command = "sync") {
    auto r = run_risksync({command, "--config", (dir / "risksync.toml").string(), "-v"},
                          {{"GITLAB_TOKEN", gl.token()}});
    EXPECT_EQ(r.out.find(gl.token()), std::string::npos);
    EXPECT_EQ(r.err.find(gl.token()), std::string::npos) << "the token leaked into the logs";
    return r;
  }
  std::size_t writes() const {
    std::size_t n = 0;
    for (const auto& e : gl.exchanges())
      n += e.request.method != "GET" && (e.request.path != "/api/graphql" ||
                                         e.request.body.find("mutation") != std::string::npos);
    return n;
  }

  FakeGitLab gl;
  TempDir dir;
};

TEST_F(GitLabSync, FirstSyncCreatesIssuesAndTasksThenNothingAndTheCacheKeepsListingsSmall) {
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::size_t stories = 0, tasks = 0;
  for (const auto& i : gl.issues()) {
    const auto shown = find_block(i.description);
    ASSERT_TRUE(shown.block.has_value()) << i.title;
    if (shown.block->marker.kind == ItemKind::story) {
      ++stories;
      EXPECT_EQ(i.issue_type, "issue");
    } else {
      ++tasks;
      EXPECT_EQ(i.issue_type, "task");
      EXPECT_NE(i.parent, 0) << i.title << " has no parent";
    }
  }
  EXPECT_EQ(stories, 2u);
  EXPECT_EQ(tasks, 3u);
  EXPECT_NE(read_file(dir / "wiki" / "Cartographie-des-risques.md").find("AS1"), std::string::npos);

  gl.clear_log();
  auto again = sync();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(writes(), 0u);
  EXPECT_NE(again.out.find("up to date"), std::string::npos) << again.out;

  // From now on an unchanged project costs the project, one updated_after page and a count.
  gl.clear_log();
  again = sync();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(writes(), 0u);
  EXPECT_EQ(gl.count("GET", ".*"), 3u);
  EXPECT_EQ(gl.count("*", "/graphql"), 0u);

  // A lost cache: one full listing, no duplicate.
  std::filesystem::remove_all(dir / "cache");
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_EQ(gl.issues().size(), 5u);
}

TEST_F(GitLabSync, FallbackModeIsSaidInTheSummary) {
  gl.set_graphql(FakeGitLab::GraphQl::refuse_hierarchy);
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("relates_to"), std::string::npos) << r.out;
  for (const auto& i : gl.issues()) {
    if (i.issue_type == "task") {
      EXPECT_FALSE(i.links.empty()) << i.title;
    }
  }
  gl.clear_log();
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_EQ(writes(), 0u);
}

TEST_F(GitLabSync, RefusedTokenExitsWithTheKeyNamedAndWritesNothing) {
  auto r = run_risksync({"sync", "--config", (dir / "risksync.toml").string()},
                        {{"GITLAB_TOKEN", "fake-gitlab-wrong-token"}});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("tracker.token_env"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("fake-gitlab-wrong-token"), std::string::npos);
  EXPECT_EQ(writes(), 0u);
  r = run_risksync({"sync", "--config", (dir / "risksync.toml").string()}, {});
  EXPECT_EQ(r.exit_code, 2) << r.err;  // no token: bad configuration
  EXPECT_NE(r.err.find("GITLAB_TOKEN"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace risksync
