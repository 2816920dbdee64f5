// One truth for every command (issue 10): with a tracker configured, `check`, `render` and
// `export` count the tracker's statuses, read-only, exactly as `sync` does; the checkboxes count
// only without a tracker (or with --offline) and one that disagrees is a warning at its line.
// Through the real `risksync` binary against a fake GitHub on loopback.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "github/fake_github.h"
#include "support/run_cli.h"

namespace risksync {
namespace {

using testing::FakeGitHub;
using testing::read_file;
using testing::run_risksync;
using testing::TempDir;

// One story, gravity 4: residual 3 (inacceptable) while M1 is not done, 2 (important) once done.
const std::string kAnalysis =
    "# Analyse de risques — Gate\n"
    "\n"
    "## Abuser stories\n"
    "\n"
    "### AS1 — En tant qu'attaquant, je souhaite lire les codes afin d'espionner\n"
    "\n"
    "- Gravité : 4/4\n"
    "- Vraisemblance actuelle : 3/4\n"
    "- Mesures possibles :\n"
    "  - [ ] [Tech] Chiffrer les codes (M1)\n"
    "- Vraisemblance cible : 2/4\n";
constexpr int kMeasureLine = 10;

const std::string kEpoch = "1795000000";  // 2026-11-18

class OneTruth : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(gh.ok());
    dir.write("docs/analyse.md", kAnalysis);
    write_config(gh.base_url());
  }
  void write_config(const std::string& api_url) {
    dir.write("risksync.toml",
              "analysis = \"docs/analyse.md\"\nstate_dir = \"cache\"\n"
              "[tracker]\nkind = \"github\"\nrepository = \"octo/risks\"\n"
              "api_url = \"" +
                  api_url +
                  "\"\ntoken_env = \"RS_TOKEN\"\ntimeout_s = 1\n"
                  "[wiki]\nkind = \"folder\"\npath = \"wiki\"\n");
  }
  testing::CliRun run(std::vector<std::string> args, bool with_token = true) {
    args.insert(args.begin() + 1, {"--config", (dir / "risksync.toml").string()});
    std::map<std::string, std::string> env{{"SOURCE_DATE_EPOCH", kEpoch}};
    if (with_token) env["RS_TOKEN"] = gh.token();
    auto r = run_risksync(args, env);
    EXPECT_EQ(r.out.find(gh.token()), std::string::npos);
    EXPECT_EQ(r.err.find(gh.token()), std::string::npos) << "the token leaked";
    return r;
  }
  std::size_t writes() const {
    return gh.count("POST", ".*") + gh.count("PATCH", ".*") + gh.count("PUT", ".*") +
           gh.count("DELETE", ".*");
  }
  int measure_issue() const {
    for (const auto& i : gh.issues())
      if (i.title.find("Chiffrer les codes") != std::string::npos) return i.number;
    return 0;
  }
  void tick_the_box() {
    std::string doc = kAnalysis;
    doc.replace(doc.find("- [ ] [Tech]"), 5, "- [x]");
    dir.write("docs/analyse.md", doc);
  }

  FakeGitHub gh;
  TempDir dir;
};

TEST_F(OneTruth, CheckPassesOnTheTrackersDoneAlthoughTheBoxIsNotTicked) {
  ASSERT_EQ(run({"sync"}).exit_code, 0);
  ASSERT_NE(measure_issue(), 0);
  gh.close_issue(measure_issue(), "completed");
  gh.clear_log();

  const auto r = run({"check", "--fail-on", "unacceptable"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("statuses: read from github (octo/risks) on 2026-11-18"), std::string::npos)
      << r.out;
  EXPECT_EQ(writes(), 0u) << "check reads the tracker, it never writes";
  EXPECT_GE(gh.count("GET", ".*"), 1u);
  // The box says otherwise: a warning naming the measure and its line.
  EXPECT_NE(r.err.find("analyse.md:" + std::to_string(kMeasureLine)), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("M1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not ticked"), std::string::npos) << r.err;

  // --offline counts the box (not ticked: residual 3, inacceptable), and says so.
  const auto offline = run({"check", "--fail-on", "unacceptable", "--offline"});
  EXPECT_EQ(offline.exit_code, 1) << offline.out << offline.err;
  EXPECT_NE(offline.out.find("from the document's checkboxes (--offline"), std::string::npos)
      << offline.out;
}

TEST_F(OneTruth, CheckFailsOnTheTrackersOpenIssueAlthoughTheBoxIsTicked) {
  ASSERT_EQ(run({"sync"}).exit_code, 0);
  tick_the_box();  // the tracker's issue stays open

  const auto r = run({"check", "--fail-on", "unacceptable"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAILED: 1 residual risk(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("residual likelihood 3"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("analyse.md:" + std::to_string(kMeasureLine)), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the checkbox is ticked but github (octo/risks) says todo"),
            std::string::npos)
      << r.err;

  const auto offline = run({"check", "--fail-on", "unacceptable", "--from-checkboxes"});
  EXPECT_EQ(offline.exit_code, 0) << offline.out << offline.err;
}

TEST_F(OneTruth, RenderAndExportAgreeWithTheWikiPageOfASync) {
  ASSERT_EQ(run({"sync"}).exit_code, 0);
  gh.close_issue(measure_issue(), "completed");
  ASSERT_EQ(run({"sync"}).exit_code, 0);
  const std::string wiki_page = read_file(dir / "wiki" / "Cartographie-des-risques.md");
  EXPECT_NE(wiki_page.find("Statuts lus dans github (octo/risks) le 2026-11-18"), std::string::npos)
      << wiki_page;

  gh.clear_log();
  const auto rendered = run({"render", "--out", (dir / "printed").string()});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  EXPECT_EQ(writes(), 0u);
  EXPECT_EQ(read_file(dir / "printed" / "Cartographie-des-risques.md"), wiki_page)
      << "render shows what the wiki shows";
  const std::string html = read_file(dir / "printed" / "Cartographie-des-risques.html");
  EXPECT_NE(html.find("Statuts lus dans github (octo/risks) le 2026-11-18"), std::string::npos);

  const auto exported = run({"export"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto j = nlohmann::json::parse(exported.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << exported.out;
  EXPECT_EQ(j["stories"][0]["likelihood"]["residual"], 2);
  EXPECT_EQ(j["measures"][0]["status"], "done");
  EXPECT_EQ(j["statuses_source"]["from"], "tracker");
  EXPECT_EQ(j["statuses_source"]["tracker"], "github (octo/risks)");
  EXPECT_EQ(j["statuses_source"]["read_at"].get<std::string>().rfind("2026-11-18", 0), 0u);
  EXPECT_EQ(writes(), 0u);
}

TEST_F(OneTruth, UnreachableTrackerExitsThreeAndWritesNothing) {
  write_config("http://127.0.0.1:1");  // nothing listens there
  const auto check = run({"check"});
  EXPECT_EQ(check.exit_code, 3) << check.out << check.err;
  EXPECT_NE(check.err.find("could not be read"), std::string::npos) << check.err;
  EXPECT_EQ(check.out.find("ok:"), std::string::npos) << check.out;

  const auto render = run({"render", "--out", (dir / "printed").string()});
  EXPECT_EQ(render.exit_code, 3) << render.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "printed"));

  const auto exported = run({"export"});
  EXPECT_EQ(exported.exit_code, 3) << exported.err;
  EXPECT_TRUE(exported.out.empty()) << exported.out;
}

TEST_F(OneTruth, MissingTokenIsBadInputUnlessOffline) {
  const auto check = run({"check"}, /*with_token=*/false);
  EXPECT_EQ(check.exit_code, 2) << check.err;

  const auto offline = run({"check", "--offline"}, /*with_token=*/false);
  EXPECT_EQ(offline.exit_code, 1) << offline.out << offline.err;  // box not ticked: residual 3
  EXPECT_NE(offline.out.find("--offline: github (octo/risks) not read"), std::string::npos)
      << offline.out;

  const auto rendered =
      run({"render", "--offline", "--out", (dir / "printed").string()}, /*with_token=*/false);
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  EXPECT_NE(read_file(dir / "printed" / "Cartographie-des-risques.md")
                .find("Statuts lus dans les cases à cocher de l'analyse, pas dans github "
                      "(octo/risks) (--offline)."),
            std::string::npos);

  const auto exported = run({"export", "--offline"}, /*with_token=*/false);
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto j = nlohmann::json::parse(exported.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << exported.out;
  EXPECT_EQ(j["statuses_source"]["from"], "checkboxes");
  EXPECT_EQ(j["statuses_source"]["offline"], true);
  EXPECT_EQ(gh.count("GET", ".*"), 0u) << "--offline sends nothing";
}

TEST_F(OneTruth, ValidateStaysLocalAndSaysSo) {
  const auto r = run({"validate"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("validate is local (no network)"), std::string::npos) << r.out;
  EXPECT_EQ(gh.count("GET", ".*"), 0u);
}

}  // namespace
}  // namespace risksync
