// Helpers for the wiki tests: temporary folders, a hermetic git runner, spdlog capture.
#pragma once

#include "support/process_environment.h"
#include "support/temp_dir.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "net/subprocess.h"

namespace risksync::testing {

// Makes every git the tests start (theirs and GitWiki's) ignore the developer's global and
// system configuration (default branch names, hooks, signing...).
inline void make_git_hermetic() {
  ::setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
  ::setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
}

struct GitRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `git args...` in `cwd` as "a human" (identity given on the command line).
inline GitRun git(const std::filesystem::path& cwd, std::vector<std::string> args) {
  net::SubprocessOptions o;
  o.argv = {"git",
            "-c",
            "user.name=Human",
            "-c",
            "user.email=human@example.org",
            "-c",
            "init.defaultBranch=master"};
  for (auto& a : args) o.argv.push_back(std::move(a));
  o.working_dir = cwd;
  o.base_environment = process_environment();
  o.timeout = std::chrono::seconds(20);
  o.unset_env = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"};
  auto r = net::run_subprocess(o, net::Redactor());
  if (!r) return GitRun{-1, "", r.error().message};
  return GitRun{r->exit_code, r->out, r->err};
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
}

// Captures spdlog's default logger (trace level) for its lifetime.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    auto logger = std::make_shared<spdlog::logger>("wiki-capture", sink);
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace risksync::testing
