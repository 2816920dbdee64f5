// Acceptance of the Confluence wiki, through the real `risksync` binary against FakeConfluence
// on loopback (both flavours), with the tracker of kind none: configuration -> storage page
// with the maps as coloured tables -> attachments -> nothing written when nothing changed.
#include <gtest/gtest.h>

#include "confluence/fake_confluence.h"
#include "support/run_cli.h"

namespace risksync {
namespace {

using testing::FakeConfluence;
using testing::FakeConfluenceFlavor;
using testing::read_file;
using testing::run_risksync;
using testing::TempDir;

const std::string kAudioConf = std::string(RISKSYNC_TEST_DATA) + "/../../examples/audioconf.md";

class ConfluenceSync : public ::testing::TestWithParam<FakeConfluenceFlavor> {
 protected:
  ConfluenceSync() : fake(GetParam()) {}
  void SetUp() override {
    fake.add_page("Sécurité", "<p>Les pages de sécurité.</p>");
    dir.write("docs/analyse.md", read_file(kAudioConf));
    write_config("SEC", "Sécurité");
  }
  bool cloud() const { return GetParam() == FakeConfluenceFlavor::cloud; }
  void write_config(const std::string& space, const std::string& parent) {
    dir.write("risksync.toml",
              "analysis = \"docs/analyse.md\"\nstate_dir = \"cache\"\n"
              "[wiki]\nkind = \"confluence\"\nflavor = \"" +
                  std::string(cloud() ? "cloud" : "data-center") + "\"\napi_url = \"" +
                  fake.base_url() + "\"\nspace = \"" + space + "\"\nparent_page = \"" + parent +
                  "\"\ntoken_env = \"CONF_TOKEN\"\n" +
                  (cloud() ? "email_env = \"CONF_EMAIL\"\n" : ""));
  }
  testing::CliRun run(const std::string& command = "sync") {
    auto r = run_risksync({command, "--config", (dir / "risksync.toml").string(), "-v"},
                          {{"CONF_TOKEN", fake.token()}, {"CONF_EMAIL", fake.email()}});
    EXPECT_EQ(r.out.find(fake.token()), std::string::npos);
    EXPECT_EQ(r.err.find(fake.token()), std::string::npos) << "the token leaked into the logs";
    return r;
  }

  FakeConfluence fake;
  TempDir dir;
};

TEST_P(ConfluenceSync, PublishesTheStoragePageOnceThenNothing) {
  const auto r = run();
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto page = fake.page("Cartographie des risques");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->version, 1);
  EXPECT_EQ(page->parent_id, fake.page("Sécurité")->id);
  EXPECT_NE(page->body.find("data-highlight-colour=\"#"), std::string::npos);
  EXPECT_NE(page->body.find("AS1"), std::string::npos);
  EXPECT_NE(page->body.find("ac:name=\"anchor\""), std::string::npos);
  EXPECT_EQ(page->body.find("<!--"), std::string::npos);
  EXPECT_TRUE(fake.attachment("Cartographie des risques", "Cartographie-des-risques.svg"));
  // The PNG twin (librsvg) is attached and shown; the SVG is linked for download.
  const auto png = fake.attachment("Cartographie des risques", "Cartographie-des-risques.png");
  ASSERT_TRUE(png);
  EXPECT_EQ(png->content.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(png->media_type, "image/png");
  EXPECT_NE(page->body.find("<ac:image"), std::string::npos);
  EXPECT_NE(page->body.find("ri:filename=\"Cartographie-des-risques.png\""), std::string::npos);

  const std::size_t writes = fake.count("WRITE", ".*");
  const auto again = run();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(fake.count("WRITE", ".*"), writes);
  EXPECT_EQ(fake.page("Cartographie des risques")->version, 1);
}

TEST_P(ConfluenceSync, MissingSpaceOrRefusedTokenStopsWithBadInput) {
  write_config("NOPE", "Sécurité");
  auto r = run();
  EXPECT_EQ(r.exit_code, 2) << r.err << r.out;
  EXPECT_NE((r.err + r.out).find("wiki.space"), std::string::npos) << r.err << r.out;

  write_config("SEC", "Sécurité");
  fake.fail_next("*", ".*", 401, 10);
  r = run();
  EXPECT_EQ(r.exit_code, 2) << r.err << r.out;
  EXPECT_NE((r.err + r.out).find("token"), std::string::npos) << r.err << r.out;
  EXPECT_FALSE(fake.page("Cartographie des risques"));
}

TEST_P(ConfluenceSync, ValidateNamesAMissingTokenWithoutConnecting) {
  auto r = run_risksync({"sync", "--config", (dir / "risksync.toml").string()},
                        {{"CONF_EMAIL", fake.email()}});
  EXPECT_EQ(r.exit_code, 2) << r.err << r.out;
  EXPECT_NE((r.err + r.out).find("CONF_TOKEN"), std::string::npos) << r.err << r.out;
  EXPECT_EQ(fake.requests().size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Flavors, ConfluenceSync,
                         ::testing::Values(FakeConfluenceFlavor::cloud,
                                           FakeConfluenceFlavor::data_center),
                         [](const ::testing::TestParamInfo<FakeConfluenceFlavor>& param_info) {
                           return param_info.param == FakeConfluenceFlavor::cloud ? "cloud"
                                                                                  : "data_center";
                         });

}  // namespace
}  // namespace risksync
