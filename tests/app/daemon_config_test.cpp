// [daemon] of the configuration (docs/DESIGN.md §9): names, defaults, and errors at file/line/key.
#include <gtest/gtest.h>

#include "app/config.h"

namespace risksync {
namespace {

using std::chrono::seconds;

TEST(DaemonConfig, DefaultsWithoutTheTable) {
  const auto cfg = parse_config("", "/etc/risksync/audioconf.toml", "/etc/risksync");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->name, "audioconf");
  EXPECT_EQ(cfg->daemon.interval, seconds(900));
  EXPECT_EQ(cfg->daemon.jitter, seconds(90));
  EXPECT_EQ(cfg->daemon.listen_host, "127.0.0.1");
  EXPECT_EQ(cfg->daemon.listen_port, 8787);
  EXPECT_EQ(cfg->daemon.max_body_bytes, 1024u * 1024u);
  EXPECT_FALSE(cfg->daemon.secret_for("github").configured());
}

TEST(DaemonConfig, EveryKey) {
  const auto cfg = parse_config(R"(name = "payments"
[daemon]
interval = "30s"
jitter = "5s"
listen = "127.0.0.1:9000"
webhook_secret_env = "RISKSYNC_WEBHOOK_SECRET"
github_secret_file = "secrets/github"
gitlab_secret_env = "GITLAB_HOOK_KEY"
max_body_bytes = 4096
)",
                                "r.toml", "/srv");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->name, "payments");
  EXPECT_EQ(cfg->daemon.interval, seconds(30));
  EXPECT_EQ(cfg->daemon.jitter, seconds(5));
  EXPECT_EQ(cfg->daemon.listen_port, 9000);
  EXPECT_EQ(cfg->daemon.max_body_bytes, 4096u);
  EXPECT_EQ(cfg->daemon.secret_for("github").file, "/srv/secrets/github");
  EXPECT_EQ(cfg->daemon.secret_for("gitlab").env, "GITLAB_HOOK_KEY");
  // jira has no secret of its own: the shared one applies.
  EXPECT_EQ(cfg->daemon.secret_for("jira").env, "RISKSYNC_WEBHOOK_SECRET");
}

TEST(DaemonConfig, Durations) {
  EXPECT_EQ(parse_duration("30s"), seconds(30));
  EXPECT_EQ(parse_duration("15m"), seconds(900));
  EXPECT_EQ(parse_duration("1h"), seconds(3600));
  for (const char* bad : {"", "s", "15", "-1m", "1.5h", "1h30m", "10 s", "3d", "m5"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
  const auto one_hour = parse_config("[daemon]\ninterval = \"1h\"\n", "r.toml", ".");
  ASSERT_TRUE(one_hour.ok());
  EXPECT_EQ(one_hour->daemon.jitter, seconds(360));  // a tenth of the interval by default
}

TEST(DaemonConfig, ErrorsNameFileLineAndKey) {
  struct Case {
    const char* toml;
    const char* field;
    int line;
  };
  const Case cases[] = {
      {"[daemon]\ninterval = \"15\"\n", "daemon.interval", 2},
      {"[daemon]\n\ninterval = \"5s\"\n", "daemon.interval", 3},
      {"[daemon]\ninterval = 15\n", "daemon.interval", 2},
      {"[daemon]\ninterval = \"1m\"\njitter = \"2m\"\n", "daemon.jitter", 3},
      {"[daemon]\nlisten = \"8787\"\n", "daemon.listen", 2},
      {"[daemon]\nlisten = \"example.com:80\"\n", "daemon.listen", 2},
      {"[daemon]\nlisten = \"127.0.0.1:99999\"\n", "daemon.listen", 2},
      {"[daemon]\nmax_body_bytes = 10\n", "daemon.max_body_bytes", 2},
      {"[daemon]\nsecret = \"x\"\n", "daemon.secret", 2},
      {"[daemon]\ngithub_secret_env = \"A\"\ngithub_secret_file = \"f\"\n",
       "daemon.github_secret_file", 3},
      {"name = \"a b\"\n", "name", 1},
      {"daemon = 3\n", "daemon", 1},
  };
  for (const Case& c : cases) {
    const auto cfg = parse_config(c.toml, "p.toml", ".");
    ASSERT_FALSE(cfg.ok()) << c.toml;
    EXPECT_EQ(cfg.error().kind, ErrorKind::bad_input) << c.toml;
    EXPECT_EQ(cfg.error().where.file, "p.toml") << c.toml;
    EXPECT_EQ(cfg.error().field, c.field) << c.toml;
    EXPECT_EQ(cfg.error().where.line, c.line) << c.toml;
  }
}

TEST(DaemonConfig, ListenAcceptsIpv6Loopback) {
  const auto cfg = parse_config("[daemon]\nlisten = \"[::1]:8080\"\n", "r.toml", ".");
  ASSERT_TRUE(cfg.ok()) << cfg.error().to_string();
  EXPECT_EQ(cfg->daemon.listen_host, "::1");
  EXPECT_EQ(cfg->daemon.listen_port, 8080);
}

}  // namespace
}  // namespace risksync
