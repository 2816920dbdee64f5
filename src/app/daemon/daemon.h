// `risksync daemon` (issue 9): several products (one per --config), each synced on its own
// schedule (app/daemon/scheduler.h) and on webhook deliveries (app/daemon/webhooks.h), with
// /healthz, /readyz and /metrics on one listener (net/http_server.h).
//
// Contract:
//  - load() reads every configuration and its webhook secrets (through Env: variables, or
//    files); any failure refuses the start (an Error naming file/line/key). reload() (SIGHUP)
//    does the same and, when one configuration is broken, keeps every old one running and
//    returns the error. Products keep their state across a reload; a product whose file is gone
//    from the list is dropped. The listener's address is the first configuration's and is not
//    changed by a reload.
//  - run_due_cycles() runs, one after the other on the caller's thread, every cycle that is due
//    at env.now(), and starts no more once `stop` is set; the cycle in flight finishes the write
//    it is sending and sends no other (Env::stop_requested), then ends without publishing; the
//    documents are read again at each cycle (load_inputs), so a broken analysis fails that cycle
//    and no other. A failing cycle is logged and backs off; it never throws out of here (exceptions
//    from a cycle count as a failure).
//  - run() loops: due cycles, then waits until the next one, a webhook trigger, or `stop`. A
//    stop request lets the cycle in flight finish, then returns 0.
//  - One summary log line per cycle (spdlog, info): product, result, duration, actions,
//    residual zones and their changes. No secret is logged.
//  - Handlers of the listener (thread-safe): POST /hooks/{github,gitlab,jira}[?product=NAME]
//    (NAME may be omitted when there is one product), GET /healthz, /readyz, /metrics.
//  - /metrics counts, per product, every HTTP response of the cycle's tracker/wiki clients by
//    platform and status code, and every rate-limit wait: each cycle gets env_ with an
//    Env::observe_http (net::NetDeps::observe) that adds to the daemon's counters.
// Thread safety: run()/run_due_cycles()/reload() on one thread; handlers on the listener's.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "app/config.h"
#include "app/daemon/scheduler.h"
#include "app/daemon/webhooks.h"
#include "app/env.h"
#include "model/analysis.h"
#include "model/zones.h"
#include "net/http_server.h"
#include "util/result.h"

namespace risksync::daemon {

// What one cycle of a product gave.
struct CycleOutcome {
  bool ok = false;
  std::string summary;  // "3 created, 1 updated, 0 closed, wiki updated" or the error, redacted
  // The residual zone of each story and the status of each measure, from the last report
  // (empty when the cycle stopped before assessing).
  std::optional<std::map<Zone, int>> residual_by_zone;
  std::optional<std::map<MeasureStatus, int>> measures_by_status;
};

using CycleFn = std::function<CycleOutcome(const Config& config, const Env& env)>;

// The real cycle: load_inputs(config), then run_sync_job (sync and publish).
CycleOutcome run_product_cycle(const Config& config, const Env& env);

struct DaemonOptions {
  std::vector<std::filesystem::path> config_files;
  CycleFn cycle = run_product_cycle;
};

class Daemon {
 public:
  Daemon(DaemonOptions options, Env env);
  ~Daemon();

  Status load();
  Status reload();

  // Binds the listener (the first configuration's daemon.listen); returns the port.
  Result<int> start_listener();
  void stop_listener();

  void run_due_cycles(const std::atomic<bool>* stop = nullptr);
  // Loops until `stop`; `reload` set → reload() (the flag is cleared). Both flags may be set
  // from another thread (the signal thread), which then calls wake().
  int run(const std::atomic<bool>& stop, std::atomic<bool>& reload_requested);
  void wake();

  // For tests and the listener.
  net::ServerResponse handle_hook(HookPlatform platform, const net::ServerRequest& request);
  net::ServerResponse readiness() const;
  std::string metrics() const;
  std::optional<ProductState> product_state(const std::string& name) const;

 private:
  struct Product {
    std::filesystem::path file;
    Config config;
    std::map<HookPlatform, std::string> secrets;  // resolved at load; never logged
    CycleOutcome last;                            // the last cycle's outcome
    std::optional<std::map<Zone, int>> zones;     // from the last cycle that assessed
    std::optional<std::map<MeasureStatus, int>> measures;
  };
  struct RateLimitWaits {
    std::uint64_t count = 0;
    std::chrono::milliseconds waited{0};
  };
  Result<std::vector<Product>> read_products() const;
  // env_ with an HTTP observer counting the product's requests and rate-limit waits.
  // env_ for one cycle of `product`: its HTTP events counted, and `stop` (may be null) asked
  // before each write (Env::stop_requested).
  Env cycle_env(const std::string& product, const std::atomic<bool>* stop);
  void install(std::vector<Product> products);

  DaemonOptions options_;
  Env env_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;
  Scheduler scheduler_;
  std::map<std::string, Product> products_;
  ReplayGuard replays_;
  std::map<std::pair<std::string, int>, std::uint64_t> deliveries_;  // (platform, status) -> n
  // (product, platform, status code or "error") -> responses, from the cycles' HTTP clients.
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> http_responses_;
  std::map<std::pair<std::string, std::string>, RateLimitWaits> rate_limit_waits_;
  std::unique_ptr<net::HttpServer> server_;
};

}  // namespace risksync::daemon
