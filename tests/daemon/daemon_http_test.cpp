// The daemon through real loopback HTTP: webhooks signed here, /healthz, /readyz, /metrics,
// with a fake clock (Env::now) and no sleeping. Cycles run when the test calls
// run_due_cycles(), on the test's thread.
#include <gtest/gtest.h>
#include <httplib.h>

#include <openssl/hmac.h>

#include <atomic>
#include <map>
#include <set>

#include "app/daemon/daemon.h"
#include "support/temp_dir.h"

namespace risksync::daemon {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::TempDir;

const std::string kAudioConf = std::string(RISKSYNC_TEST_DATA) + "/../../examples/audioconf.md";
const std::string kSecret = "daemon-test-secret-0123456789";

std::string signature(std::string_view body, std::string_view secret = kSecret) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), out, &n);
  static const char* d = "0123456789abcdef";
  std::string hex = "sha256=";
  for (unsigned int i = 0; i < n; ++i) {
    hex += d[out[i] >> 4];
    hex += d[out[i] & 15];
  }
  return hex;
}

const std::string kManaged =
    R"({"action":"edited","issue":{"number":1,"labels":[{"name":"risksync:story"}]}})";

struct FakeWorld {
  std::atomic<std::int64_t> now_s{1'800'000'000};
  std::map<std::string, std::string> vars{{"RS_TEST_GH_SECRET", kSecret}};

  Env env() {
    Env e;
    e.get = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = vars.find(name);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
    e.now = [this] { return std::chrono::system_clock::time_point(seconds(now_s.load())); };
    e.sleep = [](std::chrono::milliseconds) {};
    e.random = [] { return 0.0; };
    e.environment = [] { return std::vector<std::string>{}; };
    return e;
  }
  void advance(seconds s) { now_s += s.count(); }
};

std::string config_text(const std::string& name, const TempDir& dir,
                        const std::string& extra = "") {
  return "name = \"" + name + "\"\nanalysis = \"" + kAudioConf +
         "\"\n[wiki]\nkind = \"folder\"\npath = \"" + (dir / ("out-" + name)).string() +
         "\"\n[daemon]\ninterval = \"1m\"\njitter = \"0\"\nlisten = \"127.0.0.1:0\"\n"
         "github_secret_env = \"RS_TEST_GH_SECRET\"\nmax_body_bytes = 2048\n" +
         extra;
}

// A daemon whose cycles are counted and succeed unless the product's name is in `failing`.
struct Harness {
  TempDir dir;
  FakeWorld world;
  std::map<std::string, int> cycles;
  std::set<std::string> failing;
  std::unique_ptr<Daemon> daemon;
  int port = 0;

  explicit Harness(std::vector<std::string> names, bool real_cycles = false) {
    DaemonOptions options;
    for (const auto& n : names) {
      dir.write(n + ".toml", config_text(n, dir));
      options.config_files.push_back(dir / (n + ".toml"));
    }
    if (!real_cycles) {
      options.cycle = [this](const Config& c, const Env&) {
        ++cycles[c.name];
        CycleOutcome o;
        o.ok = !failing.contains(c.name);
        o.summary = o.ok ? "fake ok" : "fake failure";
        return o;
      };
    }
    daemon = std::make_unique<Daemon>(std::move(options), world.env());
  }
  bool start() {
    if (Status s = daemon->load(); !s) {
      ADD_FAILURE() << s.error().to_string();
      return false;
    }
    auto bound = daemon->start_listener();
    if (!bound) {
      ADD_FAILURE() << bound.error().to_string();
      return false;
    }
    port = *bound;
    return true;
  }
  httplib::Result get(const std::string& path) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(5, 0);
    return c.Get(path);
  }
  httplib::Result post_github(const std::string& body, const std::string& delivery,
                              const std::string& sig, const std::string& query = "") {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(5, 0);
    httplib::Headers h{{"X-GitHub-Event", "issues"}, {"X-GitHub-Delivery", delivery}};
    if (!sig.empty()) h.emplace("X-Hub-Signature-256", sig);
    return c.Post(("/hooks/github" + query).c_str(), h, body, "application/json");
  }
};

TEST(DaemonHttp, HealthzAndTheFirstCycle) {
  Harness h({"alpha"});
  ASSERT_TRUE(h.start());
  auto health = h.get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  auto ready = h.get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);  // no cycle yet
  h.daemon->run_due_cycles();     // the first cycle runs at once
  EXPECT_EQ(h.cycles["alpha"], 1);
  ready = h.get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;
  EXPECT_EQ(h.get("/nope")->status, 404);
}

TEST(DaemonHttp, SignedDeliveryTriggersAndOneByteChangeIsRefused) {
  Harness h({"alpha"});
  ASSERT_TRUE(h.start());
  h.daemon->run_due_cycles();
  h.world.advance(seconds(5));
  h.daemon->run_due_cycles();
  EXPECT_EQ(h.cycles["alpha"], 1);  // not due yet

  std::string tampered = kManaged;
  tampered[10] = 'X';
  auto refused = h.post_github(tampered, "d-0", signature(kManaged));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->body.find(kSecret), std::string::npos);
  auto missing = h.post_github(kManaged, "d-00", "");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 401);
  h.daemon->run_due_cycles();
  EXPECT_EQ(h.cycles["alpha"], 1);

  auto ok = h.post_github(kManaged, "d-1", signature(kManaged));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 202);
  h.daemon->run_due_cycles();
  EXPECT_EQ(h.cycles["alpha"], 2);
  // Replayed: accepted, no cycle.
  auto replay = h.post_github(kManaged, "d-1", signature(kManaged));
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 202);
  h.daemon->run_due_cycles();
  EXPECT_EQ(h.cycles["alpha"], 2);
}

TEST(DaemonHttp, BurstOfDeliveriesIsOneCycle) {
  Harness h({"alpha"});
  ASSERT_TRUE(h.start());
  h.daemon->run_due_cycles();
  for (int i = 0; i < 6; ++i) {
    auto r = h.post_github(kManaged, "burst-" + std::to_string(i), signature(kManaged));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 202);
  }
  h.daemon->run_due_cycles();
  h.daemon->run_due_cycles();
  EXPECT_EQ(h.cycles["alpha"], 2);
}

TEST(DaemonHttp, OversizeBodyIs413AndUnknownProductIs404) {
  Harness h({"alpha"});
  ASSERT_TRUE(h.start());
  const std::string big(4096, 'x');
  auto r = h.post_github(big, "big", signature(big));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  auto unknown = h.post_github(kManaged, "u", signature(kManaged), "?product=nope");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST(DaemonHttp, ReadinessFalseAfterAFailureTrueAfterRecoveryFalseWhenStale) {
  Harness h({"alpha", "beta"});
  ASSERT_TRUE(h.start());
  h.failing.insert("beta");
  h.daemon->run_due_cycles();
  auto ready = h.get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  EXPECT_NE(ready->body.find("beta: last cycle failed"), std::string::npos) << ready->body;
  EXPECT_NE(ready->body.find("alpha: ok"), std::string::npos) << ready->body;

  // alpha keeps syncing every minute while beta backs off.
  for (int i = 0; i < 5; ++i) {
    h.world.advance(seconds(61));
    h.daemon->run_due_cycles();
  }
  EXPECT_EQ(h.cycles["alpha"], 6);
  EXPECT_GE(h.daemon->product_state("beta")->consecutive_failures, 2);

  h.failing.clear();
  h.world.advance(seconds(61));
  h.daemon->run_due_cycles();
  ready = h.get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;

  // Several products: a webhook must say which.
  auto which = h.post_github(kManaged, "w", signature(kManaged));
  ASSERT_TRUE(which);
  EXPECT_EQ(which->status, 400);
  auto named = h.post_github(kManaged, "w2", signature(kManaged), "?product=beta");
  ASSERT_TRUE(named);
  EXPECT_EQ(named->status, 202);

  // No success for more than 2 × the interval: not ready.
  h.world.advance(minutes(3));
  ready = h.get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
}

TEST(DaemonHttp, MetricsAfterARealCycle) {
  Harness h({"alpha"}, /*real_cycles=*/true);
  ASSERT_TRUE(h.start());
  h.daemon->run_due_cycles();
  auto m = h.get("/metrics");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 200);
  EXPECT_NE(m->get_header_value("Content-Type").find("version=0.0.4"), std::string::npos);
  const std::string& text = m->body;
  EXPECT_NE(text.find("risksync_last_success_timestamp_seconds{product=\"alpha\"} 1800000000\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("risksync_cycles_total{product=\"alpha\",result=\"success\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE risksync_cycle_duration_seconds gauge"), std::string::npos);
  // AudioConf from its checkboxes: one story to watch, one acceptable.
  EXPECT_NE(text.find("risksync_residual_risks{product=\"alpha\",zone=\"watch\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("risksync_measures{product=\"alpha\",status=\"todo\"}"), std::string::npos);
  // The page was published to the folder wiki.
  EXPECT_TRUE(std::filesystem::exists(h.dir / "out-alpha" / "Cartographie-des-risques.md"));
}

TEST(DaemonHttp, ReloadWithABrokenConfigKeepsTheOldOne) {
  Harness h({"alpha"});
  ASSERT_TRUE(h.start());
  h.daemon->run_due_cycles();
  h.dir.write("alpha.toml", "name = \"alpha\"\n[daemon]\ninterval = \"often\"\n");
  const Status reloaded = h.daemon->reload();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_EQ(reloaded.error().field, "daemon.interval");
  // Still the old product, old secret, old schedule.
  auto ok = h.post_github(kManaged, "after-reload", signature(kManaged));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 202);
  h.daemon->run_due_cycles();
  EXPECT_EQ(h.cycles["alpha"], 2);
  // A good new configuration is taken.
  h.dir.write("alpha.toml", config_text("alpha", h.dir, ""));
  EXPECT_TRUE(h.daemon->reload().ok());
}

TEST(DaemonHttp, AStopRequestStartsNoFurtherCycle) {
  Harness h({"alpha", "beta"});
  ASSERT_TRUE(h.start());
  const std::atomic<bool> stop{true};
  h.daemon->run_due_cycles(&stop);
  EXPECT_EQ(h.cycles["alpha"] + h.cycles["beta"], 0);
  h.daemon->run_due_cycles();  // given back: still due
  EXPECT_EQ(h.cycles["alpha"] + h.cycles["beta"], 2);
}

TEST(DaemonHttp, AMissingSecretVariableRefusesTheStart) {
  Harness h({"alpha"});
  h.world.vars.clear();
  const Status s = h.daemon->load();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "daemon.github_secret_env");
  EXPECT_NE(s.error().message.find("RS_TEST_GH_SECRET"), std::string::npos);
}

}  // namespace
}  // namespace risksync::daemon
