// Acceptance scenarios of the GitHub loop, through the real `risksync` binary against a fake
// GitHub on loopback: document -> issues -> status -> residual likelihood -> page.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "github/fake_github.h"
#include "support/run_cli.h"

namespace risksync {
namespace {

using testing::FakeGitHub;
using testing::read_file;
using testing::run_risksync;
using testing::TempDir;

const std::string kAudioConf = std::string(RISKSYNC_TEST_DATA) + "/../../examples/audioconf.md";

class GitHubSync : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(gh.ok());
    dir.write("docs/analyse.md", read_file(kAudioConf));
    write_config();
  }
  void write_config(const std::string& extra_tracker = "") {
    dir.write("risksync.toml",
              "analysis = \"docs/analyse.md\"\nstate_dir = \"cache\"\n"
              "[tracker]\nkind = \"github\"\nrepository = \"octo/risks\"\n"
              "api_url = \"" +
                  gh.base_url() +
                  "\"\ntoken_env = \"RS_TOKEN\"\n"
                  "timeout_s = 1\n" +
                  extra_tracker + "[wiki]\nkind = \"folder\"\npath = \"wiki\"\n");
  }
  testing::CliRun sync(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"sync", "--config", (dir / "risksync.toml").string(), "-v"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_risksync(args, {{"RS_TOKEN", gh.token()}});
    EXPECT_EQ(r.out.find(gh.token()), std::string::npos);
    EXPECT_EQ(r.err.find(gh.token()), std::string::npos) << "the token leaked into the logs";
    return r;
  }
  std::size_t writes() const {
    return gh.count("POST", ".*") + gh.count("PATCH", ".*") + gh.count("PUT", ".*") +
           gh.count("DELETE", ".*");
  }
  const testing::FakeIssue* find(const std::string& title_prefix) {
    issues_ = gh.issues();
    for (const auto& i : issues_)
      if (i.title.rfind(title_prefix, 0) == 0) return &i;
    return nullptr;
  }
  std::size_t managed_issues() const {
    std::size_t n = 0;
    for (const auto& i : gh.issues())
      if (!i.pull_request) ++n;
    return n;
  }
  std::string page() const { return read_file(dir / "wiki" / "Cartographie-des-risques.md"); }
  void edit_document(const std::string& from, const std::string& to) {
    std::string doc = read_file(dir / "docs/analyse.md");
    const auto pos = doc.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    doc.replace(pos, from.size(), to);
    dir.write("docs/analyse.md", doc);
  }

  FakeGitHub gh;
  TempDir dir;
  std::vector<testing::FakeIssue> issues_;
};

TEST_F(GitHubSync, FirstSyncCreatesExactlyOneIssuePerStoryAndMeasure) {
  gh.add_pull_request("Unrelated PR", "", {"risksync"});
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The default create_api (graphql): one createIssue per item, the measure under its story.
  std::size_t creates = 0;
  for (const auto& e : gh.exchanges())
    creates += e.request.body.find("mutation RisksyncCreateIssue") != std::string::npos;
  EXPECT_EQ(creates, 5u);  // 2 stories + 3 measures
  EXPECT_EQ(gh.count("POST", "/repos/octo/risks/issues$"), 0u);
  EXPECT_EQ(gh.count("POST", "/repos/octo/risks/issues/[0-9]+/sub_issues"), 0u);
  const auto* as1 = find("AS1 — ");
  ASSERT_NE(as1, nullptr);
  const auto* bounty = find("[Tech] Lancer un programme de bug bounty");
  ASSERT_NE(bounty, nullptr);
  EXPECT_EQ(gh.parent_of(bounty->number), as1->number);  // measure = sub-issue of its story
  EXPECT_NE(as1->body.find("issues/" + std::to_string(bounty->number) + ")"), std::string::npos)
      << "the story's task list links its measure";
  EXPECT_NE(page().find("AS1"), std::string::npos);
  EXPECT_FALSE(gh.labels().empty());
}

TEST_F(GitHubSync, SecondSyncWritesNothing) {
  ASSERT_EQ(sync().exit_code, 0);
  gh.clear_log();
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(writes(), 0u);
  EXPECT_NE(r.out.find("up to date"), std::string::npos) << r.out;
  // The first sync changed the listing after reading it, so the second one reads it in full
  // and caches its ETag; from then on an unchanged listing costs only 304s.
  gh.clear_log();
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_EQ(writes(), 0u);
  EXPECT_EQ(gh.count_status(304), gh.count("GET", ".*"))
      << "the unchanged listing is answered from the ETag cache";
  EXPECT_GE(gh.count_status(304), 1u);
}

TEST_F(GitHubSync, DeletingTheLocalCacheThenSyncingCreatesNothing) {
  ASSERT_EQ(sync().exit_code, 0);
  std::filesystem::remove_all(dir / "cache");
  gh.clear_log();
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_EQ(writes(), 0u);
  EXPECT_EQ(managed_issues(), 5u);
}

TEST_F(GitHubSync, CrashBetweenCreateAndFollowUpLeavesNoDuplicate) {
  // GitHub creates the measure's issue but the answer never arrives (connection dead).
  gh.hang_graphql_next("createIssue", 1);
  const auto first = sync();
  EXPECT_EQ(first.exit_code, 3) << first.out << first.err;
  const auto second = sync();
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(managed_issues(), 5u);
  gh.clear_log();
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_EQ(writes(), 0u);
}

TEST_F(GitHubSync, RenumberedStoryKeepsItsIssue) {
  ASSERT_EQ(sync().exit_code, 0);
  const int as2 = find("AS2 — ")->number;
  // The team puts AS2 first: AS2 becomes AS1 and AS1 becomes AS2, same texts.
  std::string doc = read_file(dir / "docs/analyse.md");
  const auto a1 = doc.find("### AS1 — ");
  const auto a2 = doc.find("### AS2 — ");
  ASSERT_TRUE(a1 != std::string::npos && a2 != std::string::npos && a1 < a2);
  std::string s1 = doc.substr(a1, a2 - a1);
  std::string s2 = doc.substr(a2);
  s1.replace(4, 3, "AS2");
  s2.replace(4, 3, "AS1");
  if (s2.back() != '\n') s2 += "\n";
  dir.write("docs/analyse.md", doc.substr(0, a1) + s2 + "\n" + s1);
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(managed_issues(), 5u);
  EXPECT_EQ(gh.issue(as2)->title.rfind("AS1 — ", 0), 0u) << gh.issue(as2)->title;
  EXPECT_EQ(gh.issue(as2)->state, "open");
}

TEST_F(GitHubSync, ClosingAMeasureAsCompletedLowersTheResidualOnPageAndBody) {
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_NE(page().find("| **4 – Critique** | 🟧 | 🟧 AS1 |"), std::string::npos);
  gh.close_issue(find("[Tech] Lancer un programme de bug bounty")->number, "completed");
  const auto r = sync({"--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["stories"][0]["likelihood"]["residual"], 1);
  EXPECT_EQ(j["stories"][0]["measures"][0]["status"], "done");
  const std::string body = find("AS1 — ")->body;
  EXPECT_NE(body.find("**1 – Peu probable**"), std::string::npos) << body;
  EXPECT_NE(body.find("- [x] "), std::string::npos);
  // Residual map: AS1 now at (4, 1).
  const std::string p = page();
  const auto residual = p.find("## Cartographie résiduelle");
  ASSERT_NE(residual, std::string::npos);
  EXPECT_NE(p.find("| **4 – Critique** | 🟧 AS1 |", residual), std::string::npos);
}

TEST_F(GitHubSync, ClosingAsNotPlannedShowsTheMeasureDropped) {
  ASSERT_EQ(sync().exit_code, 0);
  gh.close_issue(find("[Tech] Bannissement")->number, "not_planned");
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_NE(page().find("❌ abandonnée"), std::string::npos);
  EXPECT_NE(find("AS2 — ")->body.find("❌"), std::string::npos);
}

TEST_F(GitHubSync, RemovedMeasureIsClosedNotPlannedWithACommentAndReopenedWhenBack) {
  ASSERT_EQ(sync().exit_code, 0);
  const int n = find("[Orga] Proposer des outils alternatifs")->number;
  const std::string line =
      "  - [ ] [Orga] Proposer des outils alternatifs pour les réunions distancielles\n";
  edit_document(line, "");
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_EQ(gh.issue(n)->state, "closed");
  EXPECT_EQ(gh.issue(n)->state_reason, "not_planned");
  ASSERT_EQ(gh.comments(n).size(), 1u);
  edit_document("- Vraisemblance actuelle : 1/4 🟩\n- Mesures possibles :\n",
                "- Vraisemblance actuelle : 1/4 🟩\n- Mesures possibles :\n" + line);
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(gh.issue(n)->state, "open");
  EXPECT_EQ(gh.comments(n).size(), 2u);
  EXPECT_EQ(managed_issues(), 5u);
}

TEST_F(GitHubSync, HumanParagraphLabelsAndAssigneesSurvive) {
  ASSERT_EQ(sync().exit_code, 0);
  const int n = find("AS1 — ")->number;
  gh.edit_body(n, gh.issue(n)->body + "\n\nNote de l'équipe : voir aussi le ticket #42.\n");
  gh.add_label(n, "priorité haute");
  gh.assign(n, "alice");
  edit_document("Gravité : 4/4 🟥", "Gravité : 3/4 🟧");
  ASSERT_EQ(sync().exit_code, 0);
  const auto issue = *gh.issue(n);
  EXPECT_NE(issue.body.find("Note de l'équipe : voir aussi le ticket #42."), std::string::npos);
  EXPECT_NE(issue.body.find("3 – Importante"), std::string::npos);
  EXPECT_TRUE(std::count(issue.labels.begin(), issue.labels.end(), "priorité haute"));
  EXPECT_TRUE(std::count(issue.labels.begin(), issue.labels.end(), "gravité:3"));
  EXPECT_FALSE(std::count(issue.labels.begin(), issue.labels.end(), "gravité:4"));
  EXPECT_EQ(issue.assignees, std::vector<std::string>{"alice"});
}

TEST_F(GitHubSync, RejectedTokenIsARemoteFailureWithAClearMessageAndNothingWritten) {
  const auto r = run_risksync({"sync", "--config", (dir / "risksync.toml").string()},
                              {{"RS_TOKEN", "ghs_wrong_token_value_123"}});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("401"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("ghs_wrong_token_value_123"), std::string::npos);
  EXPECT_EQ(writes(), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir / "wiki"));
}

TEST_F(GitHubSync, PlanShowsActionsAndWritesNothing) {
  const auto r =
      run_risksync({"plan", "--config", (dir / "risksync.toml").string(), "--format", "json"},
                   {{"RS_TOKEN", gh.token()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["actions"].size(), 5u);
  EXPECT_EQ(j["actions"][0]["op"], "create");
  EXPECT_EQ(j["actions"][0]["key"], "AS1");
  EXPECT_EQ(writes(), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir / "wiki"));
}

TEST_F(GitHubSync, VerificationLabelIsRequiredWhenConfigured) {
  write_config("done_label = \"vérifiée\"\n");
  ASSERT_EQ(sync().exit_code, 0);
  const int n = find("[Tech] Lancer un programme de bug bounty")->number;
  gh.close_issue(n, "completed");
  const auto r = sync({"--format", "json"});
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["stories"][0]["measures"][0]["status"], "closed_unverified");
  EXPECT_EQ(j["stories"][0]["likelihood"]["residual"], 2);
  gh.add_label(n, "vérifiée");
  j = nlohmann::json::parse(sync({"--format", "json"}).out);
  EXPECT_EQ(j["stories"][0]["measures"][0]["status"], "done");
}

TEST_F(GitHubSync, InvalidDocumentWritesNothingToGitHub) {
  edit_document("Vraisemblance cible : 1/4", "Vraisemblance cible : 3/4");  // above current
  const auto r = sync();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(gh.exchanges().size(), 0u) << "nothing is even sent before validation";
}

// Runs git with the developer's configuration ignored; returns its exit code.
int git(const std::string& args) {
  const std::string cmd =
      "GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git " + args + " >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

TEST_F(GitHubSync, PublishesThePageAndMapToTheGitHubWikiRepository) {
  // A wiki repository with a first page, as GitHub creates it from the web interface.
  const std::string bare = (dir / "wiki.git").string();
  const std::string seed = (dir / "seed").string();
  ASSERT_EQ(git("init -q --bare -b master " + bare), 0);
  ASSERT_EQ(git("clone -q " + bare + " " + seed), 0);
  dir.write("seed/Home.md", "Bienvenue\n");
  ASSERT_EQ(git("-C " + seed + " add Home.md"), 0);
  ASSERT_EQ(git("-C " + seed + " -c user.name=t -c user.email=t@t commit -q -m first"), 0);
  ASSERT_EQ(git("-C " + seed + " push -q origin master"), 0);

  std::string config = read_file(dir / "risksync.toml");
  config.replace(config.find("[wiki]"), std::string::npos,
                 "[wiki]\nkind = \"github-wiki\"\ngit_url = \"file://" + bare +
                     "\"\ncache_dir = \"wiki-cache\"\n");
  dir.write("risksync.toml", config);
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(updated)"), std::string::npos) << r.out;
  ASSERT_EQ(git("-C " + seed + " pull -q"), 0);
  EXPECT_NE(read_file(dir / "seed/Cartographie-des-risques.md").find("AS1"), std::string::npos);
  EXPECT_NE(read_file(dir / "seed/Cartographie-des-risques.svg").find("<svg"), std::string::npos);
  EXPECT_EQ(read_file(dir / "seed/Home.md"), "Bienvenue\n");
  EXPECT_EQ(read_file(dir / "wiki-cache/.git/config").find(gh.token()), std::string::npos);
  // Nothing changed: no new commit.
  const auto again = sync();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("(unchanged)"), std::string::npos) << again.out;
}

// Issue 10 §2: a wiki that has no first page yet used to fail AFTER the tracker writes. It is
// read first, by plan and by sync: the error says what to do and nothing is written.
TEST_F(GitHubSync, AnUninitialisedWikiStopsPlanAndSyncBeforeAnyTrackerWrite) {
  const std::string bare = (dir / "empty-wiki.git").string();
  ASSERT_EQ(git("init -q --bare -b master " + bare), 0);
  std::string config = read_file(dir / "risksync.toml");
  config.replace(config.find("[wiki]"), std::string::npos,
                 "[wiki]\nkind = \"github-wiki\"\ngit_url = \"file://" + bare +
                     "\"\ncache_dir = \"wiki-cache\"\n");
  dir.write("risksync.toml", config);

  const auto plan = run_risksync({"plan", "--config", (dir / "risksync.toml").string()},
                                 {{"RS_TOKEN", gh.token()}});
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.err.find("first page"), std::string::npos) << plan.err;

  const auto r = sync();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("first page"), std::string::npos) << r.err;
  EXPECT_EQ(writes(), 0u);
  EXPECT_EQ(managed_issues(), 0u);

  // --no-publish does not need the wiki.
  const auto without = sync({"--no-publish"});
  EXPECT_EQ(without.exit_code, 0) << without.err;
  EXPECT_GT(managed_issues(), 0u);
}

TEST_F(GitHubSync, PublishesThePageAndMapAsRepositoryFilesThroughTheContentsApi) {
  std::string config = read_file(dir / "risksync.toml");
  config.replace(config.find("[wiki]"), std::string::npos,
                 "[wiki]\nkind = \"github-contents\"\npath = \"docs/risques.md\"\n");
  dir.write("risksync.toml", config);
  const auto r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(updated)"), std::string::npos) << r.out;
  const auto page = gh.file("docs/risques.md");
  ASSERT_TRUE(page);
  EXPECT_NE(page->find("AS1"), std::string::npos);
  EXPECT_NE(page->find("Cartographie-des-risques.svg"), std::string::npos);
  const auto svg = gh.file("docs/Cartographie-des-risques.svg");
  ASSERT_TRUE(svg);
  EXPECT_NE(svg->find("<svg"), std::string::npos);
  EXPECT_EQ(gh.count("PUT", ".*/contents/.*"), 2u);  // the map, then the page

  // Nothing changed: the files are read, none is written.
  const auto again = sync();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("(unchanged)"), std::string::npos) << again.out;
  EXPECT_EQ(gh.count("PUT", ".*/contents/.*"), 2u);
  EXPECT_EQ(gh.file("docs/risques.md"), page);
}

TEST_F(GitHubSync, GitHubContentsWithoutPathIsBadConfigurationNamingTheKey) {
  std::string config = read_file(dir / "risksync.toml");
  config.replace(config.find("[wiki]"), std::string::npos, "[wiki]\nkind = \"github-contents\"\n");
  dir.write("risksync.toml", config);
  const auto r = sync();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("wiki.path"), std::string::npos) << r.err;
  EXPECT_EQ(gh.count("PUT", ".*"), 0u);
}

TEST_F(GitHubSync, GitHubContentsWithoutAGitHubTrackerNamesTrackerRepository) {
  dir.write("risksync.toml",
            "analysis = \"docs/analyse.md\"\nstate_dir = \"cache\"\n[tracker]\nkind = \"none\"\n"
            "[wiki]\nkind = \"github-contents\"\npath = \"docs/risques.md\"\n");
  const auto r = sync();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("tracker.repository"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace risksync
