// /metrics after a real cycle against the fake GitHub (loopback): requests by platform and
// status code, and rate-limit waits, counted through the observer app/ gives net/
// (Env::observe_http -> net::NetDeps::observe). Fake clock, no sleeping: a rate limit's wait is
// counted, not slept. And SIGTERM during a cycle: the write in flight finishes, no other.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <map>
#include <set>

#include "app/daemon/daemon.h"
#include "github/fake_github.h"
#include "support/temp_dir.h"

namespace risksync::daemon {
namespace {

using std::chrono::seconds;
using testing::TempDir;

const std::string kAudioConf = std::string(RISKSYNC_TEST_DATA) + "/../../examples/audioconf.md";

// The value of the one sample of `series` (name and labels exactly), or -1 when absent.
double sample(const std::string& text, const std::string& series) {
  const auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

// The sum of every risksync_http_requests_total sample of product alpha.
double requests_total(const std::string& text) {
  const std::string prefix = "\nrisksync_http_requests_total{product=\"alpha\",";
  double total = 0;
  for (auto at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at + 1)) {
    const auto space = text.find("} ", at);
    total += std::stod(text.substr(space + 2));
  }
  return total;
}

// Product alpha: AudioConf synced to the fake GitHub, published to a folder, every minute.
void write_alpha_config(const TempDir& dir, const testing::FakeGitHub& gh) {
  dir.write("alpha.toml", "name = \"alpha\"\nanalysis = \"" + kAudioConf + "\"\nstate_dir = \"" +
                              (dir / "state").string() +
                              "\"\n[tracker]\nkind = \"github\"\nrepository = \"octo/risks\"\n"
                              "api_url = \"" +
                              gh.base_url() +
                              "\"\ntoken_env = \"RS_TOKEN\"\ntimeout_s = 1\n"
                              "[wiki]\nkind = \"folder\"\npath = \"" +
                              (dir / "out").string() +
                              "\"\n[daemon]\ninterval = \"1m\"\njitter = \"0\"\n"
                              "listen = \"127.0.0.1:0\"\nwebhook_secret_env = \"RS_SECRET\"\n");
}

// An Env on a fake clock (`now_s`) with `vars` as its environment; no randomness, no sleep
// (tests that count waits replace `sleep`).
Env fake_env(const std::map<std::string, std::string>& vars, std::atomic<std::int64_t>& now_s) {
  Env env;
  env.get = [&vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  env.now = [&now_s] { return std::chrono::system_clock::time_point(seconds(now_s.load())); };
  env.sleep = [](std::chrono::milliseconds) {};
  env.random = [] { return 0.0; };
  env.environment = [] { return std::vector<std::string>{}; };
  return env;
}

TEST(DaemonGithubMetrics, RequestsByStatusAndRateLimitWaitsAfterACycle) {
  testing::FakeGitHub gh;
  ASSERT_TRUE(gh.ok());
  TempDir dir;
  write_alpha_config(dir, gh);
  // The first listing is rate limited once (429, Retry-After: 7), then answered.
  gh.too_many_requests_next("GET", ".*/issues.*", 7);

  std::atomic<std::int64_t> now_s{1'800'000'000};
  std::atomic<std::int64_t> slept_ms{0};
  const std::map<std::string, std::string> vars{{"RS_TOKEN", gh.token()},
                                                {"RS_SECRET", "metrics-test-secret"}};
  Env env = fake_env(vars, now_s);
  env.sleep = [&slept_ms](std::chrono::milliseconds d) { slept_ms += d.count(); };

  DaemonOptions options;
  options.config_files.push_back(dir / "alpha.toml");
  Daemon daemon(std::move(options), env);
  ASSERT_TRUE(daemon.load());
  auto port = daemon.start_listener();
  ASSERT_TRUE(port) << port.error().to_string();
  daemon.run_due_cycles();
  ASSERT_TRUE(daemon.product_state("alpha").has_value());
  EXPECT_EQ(daemon.product_state("alpha")->cycles_succeeded, 1u);

  httplib::Client client("127.0.0.1", *port);
  client.set_read_timeout(5, 0);
  auto m = client.Get("/metrics");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->status, 200);
  const std::string text = "\n" + m->body;
  EXPECT_EQ(text.find(gh.token()), std::string::npos);

  // Every response the fake GitHub sent is counted once, by status.
  std::map<int, double> sent;
  for (const auto& exchange : gh.exchanges()) sent[exchange.status] += 1;
  ASSERT_EQ(sent[429], 1) << "the fault was not used";
  ASSERT_GT(sent[200] + sent[201], 0);
  for (const auto& [status, n] : sent) {
    const std::string series =
        "risksync_http_requests_total{product=\"alpha\",platform=\"github\","
        "status=\"" +
        std::to_string(status) + "\"}";
    EXPECT_EQ(sample(text, series), n) << series << "\n" << m->body;
  }
  EXPECT_NE(text.find("# TYPE risksync_http_requests_total counter"), std::string::npos);
  // One rate-limit wait of 7 s (the sleeper was asked for it, the fake clock did not move).
  EXPECT_EQ(sample(text, "risksync_rate_limit_waits_total{product=\"alpha\",platform=\"github\"}"),
            1)
      << m->body;
  EXPECT_EQ(
      sample(text, "risksync_rate_limit_wait_seconds_total{product=\"alpha\",platform=\"github\"}"),
      7)
      << m->body;
  EXPECT_GE(slept_ms.load(), 7000);

  // A second cycle adds to the counters, it does not replace them: their sum is every
  // response the fake GitHub sent over both cycles.
  EXPECT_EQ(requests_total(text), static_cast<double>(gh.exchanges().size()));
  now_s += 120;
  daemon.run_due_cycles();
  auto m2 = client.Get("/metrics");
  ASSERT_TRUE(m2);
  EXPECT_EQ(requests_total("\n" + m2->body), static_cast<double>(gh.exchanges().size()))
      << m2->body;
  EXPECT_GT(requests_total("\n" + m2->body), requests_total(text));
  EXPECT_EQ(sample("\n" + m2->body,
                   "risksync_rate_limit_waits_total{product=\"alpha\",platform=\"github\"}"),
            1);
  daemon.stop_listener();
}

// The daemon's stop request (SIGTERM) arrives while a cycle is writing: that cycle sends no
// further write after the one in flight and does not publish; the next cycle converges from
// what GitHub shows, without a duplicate.
TEST(DaemonGithubStop, AStopDuringACycleEndsItsWritesAndTheNextCycleConverges) {
  testing::FakeGitHub gh;
  ASSERT_TRUE(gh.ok());
  TempDir dir;
  write_alpha_config(dir, gh);
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> now_s{1'800'000'000};
  const std::map<std::string, std::string> vars{{"RS_TOKEN", gh.token()},
                                                {"RS_SECRET", "stop-test-secret"}};
  Env env = fake_env(vars, now_s);
  // SIGTERM lands as soon as GitHub holds the first issue.
  std::atomic<bool> signalled{false};
  env.observe_http = [&](const std::string&, const net::HttpEvent&) {
    if (!signalled && !gh.issues().empty()) stop = signalled = true;
  };

  DaemonOptions options;
  options.config_files.push_back(dir / "alpha.toml");
  Daemon daemon(std::move(options), env);
  ASSERT_TRUE(daemon.load());
  daemon.run_due_cycles(&stop);
  ASSERT_TRUE(daemon.product_state("alpha").has_value());
  EXPECT_EQ(daemon.product_state("alpha")->cycles_failed, 1u);
  EXPECT_EQ(gh.issues().size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir / "out" / "Cartographie-des-risques.md"));

  stop = false;
  now_s += 3600;
  daemon.run_due_cycles(&stop);
  EXPECT_EQ(daemon.product_state("alpha")->cycles_succeeded, 1u);
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "Cartographie-des-risques.md"));
  const auto issues = gh.issues();
  ASSERT_GT(issues.size(), 1u);
  std::set<std::string> titles;
  for (const auto& issue : issues) titles.insert(issue.title);
  EXPECT_EQ(titles.size(), issues.size()) << "a duplicate was created";

  const auto rest_writes = [&gh] {
    return gh.count("PATCH", ".*") + gh.count("POST", ".*/repos/.*") + gh.count("DELETE", ".*");
  };
  const std::size_t writes = rest_writes();
  now_s += 3600;
  daemon.run_due_cycles(&stop);
  EXPECT_EQ(daemon.product_state("alpha")->cycles_succeeded, 2u);
  EXPECT_EQ(gh.issues().size(), issues.size());
  EXPECT_EQ(rest_writes(), writes) << "the third cycle wrote";
}

}  // namespace
}  // namespace risksync::daemon
