// The command line as users and CI jobs drive it: exit codes, outputs, nothing written on
// bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_cli.h"

namespace risksync {
namespace {

using testing::read_file;
using testing::run_risksync;
using testing::TempDir;

const std::string kExamples = std::string(RISKSYNC_TEST_DATA) + "/../../examples/";
const std::string kAudioConf = kExamples + "audioconf.md";

TEST(Cli, HelpOnEveryCommand) {
  for (const std::string cmd : {"validate", "render", "check", "export", "plan", "sync"}) {
    const auto r = run_risksync({cmd, "--help"});
    EXPECT_EQ(r.exit_code, 0) << cmd;
    EXPECT_NE(r.out.find("risksync " + cmd), std::string::npos) << cmd;
  }
  const auto top = run_risksync({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("exit codes"), std::string::npos);
}

TEST(Cli, UsageErrorsExit64) {
  EXPECT_EQ(run_risksync({}).exit_code, 64);
  EXPECT_EQ(run_risksync({"frobnicate"}).exit_code, 64);
  EXPECT_EQ(run_risksync({"render", "--no-such-option"}).exit_code, 64);
  EXPECT_EQ(run_risksync({"check", kAudioConf, "--fail-on", "purple"}).exit_code, 64);
  EXPECT_EQ(run_risksync({"render", kAudioConf, "--lang", "de"}).exit_code, 64);
}

TEST(Cli, ValidateTheExample) {
  const auto r = run_risksync({"validate", kAudioConf});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 abuser stories"), std::string::npos);
}

TEST(Cli, RenderWritesPageSvgAndHtmlAndSaysWhere) {
  TempDir dir;
  const auto r = run_risksync({"render", kAudioConf, "--out", (dir / "out").string()},
                              {{"SOURCE_DATE_EPOCH", "1795000000"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find((dir / "out").string()), std::string::npos);
  const std::string page = read_file(dir / "out" / "Cartographie-des-risques.md");
  EXPECT_NE(page.find("Cartographie des risques"), std::string::npos);
  EXPECT_NE(page.find("| **4 – Critique** | 🟧 | 🟧 AS1 |"), std::string::npos);  // initial
  EXPECT_NE(page.find("| **4 – Critique** | 🟧 AS1 | 🟧 |"), std::string::npos);  // target
  EXPECT_NE(page.find("| **2 – Significative** | 🟩 AS2 |"), std::string::npos);
  EXPECT_NE(page.find("2026-11-18"), std::string::npos);  // SOURCE_DATE_EPOCH is honoured
  EXPECT_NE(read_file(dir / "out" / "Cartographie-des-risques.svg").find("<svg"),
            std::string::npos);
  const std::string html = read_file(dir / "out" / "Cartographie-des-risques.html");
  EXPECT_NE(html.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(Cli, RenderInEnglish) {
  TempDir dir;
  const auto r = run_risksync({"render", kAudioConf, "--out", dir.path().string(), "--lang", "en"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string page = read_file(dir / "Cartographie-des-risques.md");
  EXPECT_NE(page.find("Risk map"), std::string::npos);
  EXPECT_EQ(page.find("Vraisemblance résiduelle"), std::string::npos);
}

TEST(Cli, TickingTheOnlyMeasureOfAs1MovesItsResidualTo1) {
  TempDir dir;
  std::string doc = read_file(kAudioConf);
  const std::string unticked = "- [ ] [Tech] Lancer un programme de bug bounty";
  const auto pos = doc.find(unticked);
  ASSERT_NE(pos, std::string::npos);
  doc.replace(pos, unticked.size(), "- [x] [Tech] Lancer un programme de bug bounty");
  dir.write("analyse.md", doc);
  const auto r = run_risksync({"export", (dir / "analyse.md").string(), "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["stories"][0]["id"], "AS1");
  EXPECT_EQ(j["stories"][0]["likelihood"]["current"], 2);
  EXPECT_EQ(j["stories"][0]["likelihood"]["residual"], 1);
  EXPECT_EQ(j["stories"][0]["likelihood"]["target"], 1);
  EXPECT_EQ(j["stories"][0]["measures"][0]["status"], "done");
}

TEST(Cli, ExportJsonContract) {
  const auto r = run_risksync({"export", kAudioConf, "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["stories"].size(), 2u);
  const auto& as1 = j["stories"][0];
  EXPECT_EQ(as1["gravity"], 4);
  EXPECT_EQ(as1["likelihood"]["current"], 2);
  EXPECT_EQ(as1["likelihood"]["residual"], 2);
  EXPECT_EQ(as1["likelihood"]["target"], 1);
  EXPECT_EQ(as1["zone"], "watch");
  EXPECT_EQ(as1["measures"][0]["kind"], "tech");
  EXPECT_EQ(as1["measures"][0]["status"], "todo");
  EXPECT_TRUE(j["actions"].is_array());
  EXPECT_TRUE(r.err.empty()) << "logs go to stderr, and there are none here: " << r.err;
}

TEST(Cli, CheckGate) {
  EXPECT_EQ(run_risksync({"check", kAudioConf, "--fail-on", "inacceptable"}).exit_code, 0);
  const auto watch = run_risksync({"check", kAudioConf, "--fail-on", "à surveiller"});
  EXPECT_EQ(watch.exit_code, 1);
  EXPECT_NE(watch.out.find("AS1"), std::string::npos);
  EXPECT_EQ(watch.out.find("AS2"), std::string::npos);
  EXPECT_EQ(run_risksync({"check", kAudioConf}).exit_code, 0);  // default: blocking zones
}

TEST(Cli, CheckUsesTheGridsBlockingZones) {
  TempDir dir;
  std::string grid = read_file(std::string(RISKSYNC_TEST_DATA) + "/../../config/zones.toml");
  const auto pos = grid.find("blocking = [\"unacceptable\"]");
  ASSERT_NE(pos, std::string::npos);
  grid.replace(pos, std::string("blocking = [\"unacceptable\"]").size(),
               "blocking = [\"watch\", \"important\", \"unacceptable\"]");
  dir.write("zones.toml", grid);
  const auto r = run_risksync({"check", kAudioConf, "--zones", (dir / "zones.toml").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
}

TEST(Cli, BadAnalysisExits2WithFileLineFieldAndWritesNothing) {
  TempDir dir;
  std::string doc = read_file(kAudioConf);
  const auto pos = doc.find("Gravité : 4/4");
  ASSERT_NE(pos, std::string::npos);
  doc.replace(pos, std::string("Gravité : 4/4").size(), "Gravité : 5/4");
  dir.write("analyse.md", doc);
  const auto r =
      run_risksync({"render", (dir / "analyse.md").string(), "--out", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("analyse.md:69"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Gravit"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(Cli, MissingFileExits2) {
  const auto r = run_risksync({"validate", "/nonexistent/analyse.md"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/analyse.md"), std::string::npos);
}

TEST(Cli, BadConfigExits2WithLineAndKey) {
  TempDir dir;
  dir.write("risksync.toml", "analysis = \"a.md\"\n[tracker]\nkind = \"github\"\nrepo = \"x\"\n");
  const auto r = run_risksync({"validate", "--config", (dir / "risksync.toml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("risksync.toml:4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tracker.repo"), std::string::npos) << r.err;
}

TEST(Cli, ConfigNamesAnalysisLanguageAndOutput) {
  TempDir dir;
  dir.write("docs/analyse.md", read_file(kAudioConf));
  dir.write("risksync.toml",
            "analysis = \"docs/analyse.md\"\nlang = \"en\"\n[wiki]\nkind = \"folder\"\n"
            "path = \"public\"\npage = \"Risk map\"\n");
  const auto r = run_risksync({"render", "--config", (dir / "risksync.toml").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir / "public" / "Risk-map.md"));
  // The default ./risksync.toml is found from the current folder.
  const auto sync = run_risksync({"sync"}, {}, dir.path());
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_NE(sync.out.find("unchanged"), std::string::npos) << sync.out;
}

TEST(Cli, SyncWithoutTrackerPublishesToTheFolder) {
  TempDir dir;
  dir.write("analyse.md", read_file(kAudioConf));
  dir.write("risksync.toml",
            "analysis = \"analyse.md\"\n[tracker]\nkind = \"none\"\n[wiki]\nkind = \"folder\"\n"
            "path = \"out\"\n");
  const auto r = run_risksync({"sync", "--config", (dir / "risksync.toml").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("(updated)"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "Cartographie-des-risques.md"));
  const auto again = run_risksync({"sync", "--config", (dir / "risksync.toml").string()});
  EXPECT_NE(again.out.find("(unchanged)"), std::string::npos);
}

TEST(Cli, ALaterRunWithoutChangeDoesNotRepublishThePage) {
  TempDir dir;
  dir.write("analyse.md", read_file(kAudioConf));
  dir.write("risksync.toml",
            "analysis = \"analyse.md\"\nstate_dir = \"state\"\n[wiki]\nkind = \"folder\"\n"
            "path = \"out\"\n");
  const std::string cfg = (dir / "risksync.toml").string();
  const auto first = run_risksync({"sync", "--config", cfg}, {{"SOURCE_DATE_EPOCH", "1795000000"}});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string page = read_file(dir / "out" / "Cartographie-des-risques.md");
  // One day later, nothing changed: the page (and its date) stay as they are.
  const auto later = run_risksync({"sync", "--config", cfg}, {{"SOURCE_DATE_EPOCH", "1795086400"}});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_NE(later.out.find("(unchanged)"), std::string::npos) << later.out;
  EXPECT_EQ(read_file(dir / "out" / "Cartographie-des-risques.md"), page);
  // A real change is published with the new date.
  std::string doc = read_file(dir / "analyse.md");
  doc.replace(doc.find("- [ ] [Tech] Lancer"), 5, "- [x]");
  dir.write("analyse.md", doc);
  const auto changed =
      run_risksync({"sync", "--config", cfg}, {{"SOURCE_DATE_EPOCH", "1795086400"}});
  EXPECT_NE(changed.out.find("(updated)"), std::string::npos) << changed.out;
  EXPECT_NE(read_file(dir / "out" / "Cartographie-des-risques.md").find("2026-11-19"),
            std::string::npos);
}

// A missing token is bad configuration (exit 2), found before anything is sent, by `validate`
// too; the port is closed, so a request would fail with exit 3.
TEST(Cli, MissingTokenIsBadConfigurationFoundByValidateAndNothingIsSent) {
  TempDir dir;
  dir.write("analyse.md", read_file(kAudioConf));
  dir.write("risksync.toml",
            "analysis = \"analyse.md\"\n[tracker]\nkind = \"github\"\nrepository = \"o/r\"\n"
            "api_url = \"http://127.0.0.1:9\"\ntoken_env = \"RISKSYNC_TEST_NO_SUCH_TOKEN\"\n");
  for (const char* command : {"validate", "plan", "sync"}) {
    const auto r = run_risksync({command, "--config", (dir / "risksync.toml").string()});
    EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
    EXPECT_NE(r.err.find("RISKSYNC_TEST_NO_SUCH_TOKEN"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("tracker.token_env"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("risksync.toml:2"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out"));
}

TEST(Cli, UnreadableOrEmptyTokenFileIsBadConfiguration) {
  TempDir dir;
  dir.write("analyse.md", read_file(kAudioConf));
  dir.write("empty-token", "\n");
  for (const char* file : {"no-such-token-file", "empty-token"}) {
    dir.write("risksync.toml",
              std::string("analysis = \"analyse.md\"\n[tracker]\nkind = \"github\"\n"
                          "repository = \"o/r\"\napi_url = \"http://127.0.0.1:9\"\n"
                          "token_file = \"") +
                  file + "\"\n");
    const auto r = run_risksync({"validate", "--config", (dir / "risksync.toml").string()});
    EXPECT_EQ(r.exit_code, 2) << file << ": " << r.err;
    EXPECT_NE(r.err.find("tracker.token_file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  }
}

}  // namespace
}  // namespace risksync
