// `risksync daemon` as a service manager runs it: the real binary, a folder wiki and no tracker,
// /healthz over loopback, SIGHUP with a broken configuration, SIGTERM → exit 0. JSON logs.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <thread>

#include "support/run_cli.h"
#include "support/temp_dir.h"

extern char** environ;

namespace risksync {
namespace {

using testing::read_file;
using testing::TempDir;

const std::string kAudioConf = std::string(RISKSYNC_TEST_DATA) + "/../../examples/audioconf.md";

// The daemon process, killed (SIGKILL) by the destructor if a test left it running.
struct DaemonProcess {
  pid_t pid = -1;
  std::filesystem::path err;

  DaemonProcess(const std::vector<std::string>& args, const std::filesystem::path& err_path)
      : err(err_path) {
    std::vector<std::string> argv_s{RISKSYNC_BINARY, "daemon"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~DaemonProcess() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
  // Waits (bounded) until stderr matches `pattern`; returns the first capture or "".
  std::string wait_for_log(const std::string& pattern) const {
    const std::regex re(pattern);
    for (int i = 0; i < 400; ++i) {
      std::smatch m;
      const std::string text = read_file(err);
      if (std::regex_search(text, m, re)) return m.size() > 1 ? m[1].str() : m[0].str();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }
  // Exit code after `sig`, or -1 if it did not exit within the bound.
  int signal_and_wait(int sig) {
    kill(pid, sig);
    for (int i = 0; i < 400; ++i) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }
};

std::string config(const TempDir& dir) {
  return "name = \"audioconf\"\nanalysis = \"" + kAudioConf +
         "\"\n[tracker]\nkind = \"none\"\n[wiki]\nkind = \"folder\"\npath = \"" +
         (dir / "out").string() + "\"\n[daemon]\ninterval = \"1h\"\nlisten = \"127.0.0.1:0\"\n";
}

TEST(DaemonCli, HealthzThenSighupWithABrokenConfigThenSigtermExitsZero) {
  TempDir dir;
  dir.write("risksync.toml", config(dir));
  DaemonProcess daemon({"--config", (dir / "risksync.toml").string()}, dir / "stderr");
  ASSERT_GT(daemon.pid, 0);
  const std::string port = daemon.wait_for_log("listening on 127\\.0\\.0\\.1:([0-9]+)");
  ASSERT_FALSE(port.empty()) << read_file(dir / "stderr");
  httplib::Client client("127.0.0.1", std::stoi(port));
  client.set_read_timeout(5, 0);
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  // The first cycle publishes to the folder and logs one summary line.
  ASSERT_FALSE(daemon.wait_for_log("cycle audioconf: ok").empty()) << read_file(dir / "stderr");
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "Cartographie-des-risques.md"));
  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200) << ready->body;

  dir.write("risksync.toml", "[daemon]\ninterval = \"sometimes\"\n");
  kill(daemon.pid, SIGHUP);
  ASSERT_FALSE(daemon.wait_for_log("reload refused").empty()) << read_file(dir / "stderr");
  EXPECT_NE(read_file(dir / "stderr").find("daemon.interval"), std::string::npos);
  health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);

  EXPECT_EQ(daemon.signal_and_wait(SIGTERM), 0) << read_file(dir / "stderr");
}

TEST(DaemonCli, JsonLogLinesAndSigint) {
  TempDir dir;
  dir.write("risksync.toml", config(dir));
  DaemonProcess daemon({"--config", (dir / "risksync.toml").string(), "--log-format", "json"},
                       dir / "stderr");
  ASSERT_GT(daemon.pid, 0);
  ASSERT_FALSE(daemon.wait_for_log("cycle audioconf: ok").empty()) << read_file(dir / "stderr");
  EXPECT_EQ(daemon.signal_and_wait(SIGINT), 0);
  std::istringstream lines(read_file(dir / "stderr"));
  int count = 0;
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    EXPECT_TRUE(j.contains("time") && j.contains("level") && j.contains("message")) << line;
    ++count;
  }
  EXPECT_GE(count, 2);
}

TEST(DaemonCli, UsageAndBadConfig) {
  EXPECT_EQ(testing::run_risksync({"daemon"}).exit_code, 64);
  EXPECT_EQ(
      testing::run_risksync({"daemon", "--config", "x.toml", "--log-format", "xml"}).exit_code, 64);
  TempDir dir;
  dir.write("bad.toml", "[daemon]\nlisten = \"nowhere\"\n");
  const auto r = testing::run_risksync({"daemon", "--config", (dir / "bad.toml").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("daemon.listen"), std::string::npos) << r.err;
  EXPECT_EQ(testing::run_risksync({"daemon", "--help"}).exit_code, 0);
}

}  // namespace
}  // namespace risksync
