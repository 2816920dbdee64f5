// `risksync sync --fail-on ZONE`: the CI gate after publishing, in text and in JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run_cli.h"

namespace risksync {
namespace {

using testing::read_file;
using testing::run_risksync;
using testing::TempDir;

const std::string kAudioConf = std::string(RISKSYNC_TEST_DATA) + "/../../examples/audioconf.md";

// AudioConf from its checkboxes (tracker none): one residual risk to watch, one acceptable.
std::string write_config(const TempDir& dir) {
  dir.write("risksync.toml", "analysis = \"" + kAudioConf +
                                 "\"\n[tracker]\nkind = \"none\"\n[wiki]\nkind = \"folder\"\n"
                                 "path = \"" +
                                 (dir / "out").string() + "\"\n");
  return (dir / "risksync.toml").string();
}

TEST(SyncFailOn, ExitsOneAfterPublishingWhenARiskLiesInTheZoneOrWorse) {
  TempDir dir;
  const std::string config = write_config(dir);
  const auto failed = run_risksync({"sync", "--config", config, "--fail-on", "watch"});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
  EXPECT_NE(failed.out.find("FAILED: 1 residual risk(s)"), std::string::npos) << failed.out;
  // Published first.
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "Cartographie-des-risques.md"));

  const auto passed = run_risksync({"sync", "--config", config, "--fail-on", "important"});
  EXPECT_EQ(passed.exit_code, 0) << passed.err;
  EXPECT_NE(passed.out.find("ok: no residual risk"), std::string::npos) << passed.out;

  // The zone names of `check`, French included; an unknown zone is a usage error.
  EXPECT_EQ(run_risksync({"sync", "--config", config, "--fail-on", "à surveiller"}).exit_code, 1);
  EXPECT_EQ(run_risksync({"sync", "--config", config, "--fail-on", "purple"}).exit_code, 64);
  // Without --fail-on the gate does not apply.
  EXPECT_EQ(run_risksync({"sync", "--config", config}).exit_code, 0);
}

TEST(SyncFailOn, JsonSaysSoToo) {
  TempDir dir;
  const std::string config = write_config(dir);
  const auto r =
      run_risksync({"sync", "--config", config, "--fail-on", "watch", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto doc = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.out;
  EXPECT_EQ(doc["fail_on"]["zone"], "watch");
  EXPECT_EQ(doc["fail_on"]["failed"], true);
  EXPECT_EQ(doc["fail_on"]["stories"].size(), 1u);
  EXPECT_EQ(doc["exit_code"], 1);
  EXPECT_TRUE(doc.contains("wiki"));
}

}  // namespace
}  // namespace risksync
