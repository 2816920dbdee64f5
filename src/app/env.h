// Env: every side effect of the process that risksync's logic depends on — environment
// variables (and the environment handed to child programs), the clock, sleeping, randomness —
// behind one injected value (leveldb's Env). app/ builds Env::process() once in main and passes it
// down; tests build their own. Nothing in net/, a connector or the core reads the real clock or
// environment on its own: net/ receives Env::net_deps(), connectors receive values (tokens,
// options) read through Env.
//
// Contract: every member is set (process() sets the real ones); calls happen on the caller's
// thread. Files are read and written by the components that own them (FolderWiki, caches),
// under paths that come from the configuration or from Env (XDG_CACHE_HOME, HOME).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/http_client.h"

namespace risksync {

struct Env {
  std::function<std::optional<std::string>(const std::string& name)> get;
  std::function<std::chrono::system_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> random;  // uniform in [0,1)
  // The environment a child program (git) starts from, as "NAME=value" entries
  // (net::SubprocessOptions::base_environment); the process's own for process().
  std::function<std::vector<std::string>()> environment;
  // Optional: told of every HTTP response and rate-limit wait of the clients built from
  // net_deps(platform), with that platform ("github", "gitlab"); the daemon counts them for
  // /metrics. Empty (process(), the one-shot commands): nothing is observed.
  std::function<void(const std::string& platform, const net::HttpEvent&)> observe_http;
  // Optional: true once the process was asked to stop (SIGTERM/SIGINT in the daemon). The sync
  // job then sends no further write: the one in flight finishes, the others are reported as not
  // attempted, and the wiki is not published. Empty: never asked.
  std::function<bool()> stop_requested;

  // The real process: getenv, system_clock, this_thread::sleep_for, a seeded engine.
  static Env process();

  // The variable's value, or "" when unset.
  std::string get_or_empty(const std::string& name) const;
  // Clock, sleeper and jitter for net/ (HttpClient), taken from this Env; its observer reports
  // to observe_http under `platform`.
  net::NetDeps net_deps(const std::string& platform = "") const;
  // The run's date as pages show it ("2026-12-03 07:05 UTC"): SOURCE_DATE_EPOCH when set to a
  // non-negative integer (reproducible builds), else now().
  std::string timestamp() const;
};

}  // namespace risksync
