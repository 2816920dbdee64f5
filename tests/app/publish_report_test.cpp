// publish_report (app/sync_job.h) builds the dashboard once: the page it publishes must be, byte
// for byte, the page built with the date it shows, and its stamp's fingerprint the one of the
// page built with no date (the stamps already on wikis keep matching).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "app/dashboard.h"
#include "app/folder_wiki.h"
#include "app/sync_job.h"
#include "parse/analysis_parser.h"
#include "support/run_cli.h"
#include "sync/page_stamp.h"
#include "util/hash.h"

namespace risksync {
namespace {

using testing::read_file;
using testing::TempDir;

const std::string kAudioConf = std::string(RISKSYNC_TEST_DATA) + "/../../examples/audioconf.md";

Inputs audioconf_inputs() {
  Inputs in;
  in.config.analysis_as_written = "audioconf.md";
  in.config.wiki.page = "Cartographie des risques";
  ParseOutcome parsed = parse_analysis(read_file(kAudioConf), "audioconf.md", {});
  EXPECT_TRUE(parsed.analysis.has_value());
  if (parsed.analysis) in.analysis = std::move(*parsed.analysis);
  return in;
}

// The report of a tracker holding the analysis' first story (so the page links to it).
SyncReport report_for(const Inputs& in) {
  SyncReport report;
  report.assessment = assess(in.analysis, statuses_from_checkboxes(in.analysis), in.grid);
  RemoteItem item;
  item.url = "https://github.com/o/r/issues/7";
  report.remote.push_back(item);
  if (!in.analysis.stories.empty()) report.matching.story[in.analysis.stories.front().id] = 0;
  return report;
}

Env env_at(std::chrono::hours since_epoch) {
  Env env;
  env.get = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  env.now = [since_epoch] { return std::chrono::system_clock::time_point(since_epoch); };
  env.sleep = [](std::chrono::milliseconds) {};
  env.random = [] { return 0.25; };
  return env;
}

// The page as built for one date, the straightforward way.
WikiPage built_with(const Inputs& in, const SyncReport& report, const std::string& date) {
  PageContext ctx;
  ctx.lang = in.config.lang;
  ctx.source_file = in.config.analysis_as_written;
  ctx.generated_at = date;
  for (const auto& [key, r] : report.matching.story) ctx.item_urls[key] = report.remote[r].url;
  return build_dashboard(in.analysis, report.assessment, in.grid, ctx,
                         {in.config.wiki.page, /*with_html=*/true});
}

std::string fingerprint_of(const WikiPage& page) {
  Fnv1a64 h;
  h.feed_field(page.title);
  h.feed_field(page.content);
  for (const auto& a : page.attachments) {
    h.feed_field(a.file_name);
    h.feed_field(a.content);
  }
  return h.hex();
}

// Every file of the page on the folder wiki is what building it with `date` gives.
void expect_published_as_built(const TempDir& dir, const WikiPage& expected,
                               const PublicationStamp& stamp) {
  const std::string md = read_file((dir / "wiki" / "Cartographie-des-risques.md").string());
  EXPECT_EQ(md, with_page_stamp(expected.content, stamp, PageFormat::markdown));
  for (const auto& a : expected.attachments) {
    EXPECT_EQ(read_file((dir / "wiki" / a.file_name).string()), a.content) << a.file_name;
  }
}

TEST(PublishReport, PublishesThePageBuiltWithItsDateStampedWithTheFingerprintOfTheUndatedPage) {
  const Inputs in = audioconf_inputs();
  const SyncReport report = report_for(in);
  ASSERT_FALSE(report.matching.story.empty());
  const std::string fingerprint = fingerprint_of(built_with(in, report, ""));

  TempDir dir;
  FolderWiki wiki(dir / "wiki");
  const Env env = env_at(std::chrono::hours(500000));
  const std::string now = env.timestamp();
  auto first = publish_report(in, report, wiki, env, /*with_html=*/true);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_TRUE(first->changed);
  const WikiPage dated = built_with(in, report, now);
  ASSERT_NE(dated.content.find(now), std::string::npos);
  expect_published_as_built(dir, dated, {fingerprint, now});

  // Later, same content: the page keeps its date and nothing is written.
  auto again = publish_report(in, report, wiki, env_at(std::chrono::hours(500100)), true);
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_FALSE(again->changed);
  expect_published_as_built(dir, dated, {fingerprint, now});
}

TEST(PublishReport, KeepsADateTheEmittersEscapeAsBuiltWithIt) {
  const Inputs in = audioconf_inputs();
  const SyncReport report = report_for(in);
  const std::string fingerprint = fingerprint_of(built_with(in, report, ""));
  // The wiki shows this content since a date written with markup characters and accents.
  const std::string shown = "3 *déc.* 2026 & [CI]_1";
  TempDir dir;
  std::filesystem::create_directories(dir / "wiki");
  dir.write("wiki/Cartographie-des-risques.md",
            "edited by hand\n" + page_stamp_line({fingerprint, shown}) + "\n");

  FolderWiki wiki(dir / "wiki");
  auto r = publish_report(in, report, wiki, env_at(std::chrono::hours(500000)), true);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  const WikiPage dated = built_with(in, report, shown);
  expect_published_as_built(dir, dated, {fingerprint, shown});
}

}  // namespace
}  // namespace risksync
