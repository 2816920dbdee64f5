#include "app/daemon/daemon.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "app/inputs.h"
#include "app/sync_job.h"
#include "model/assessment.h"
#include "util/ascii.h"

namespace risksync::daemon {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

constexpr Zone kZones[] = {Zone::unacceptable, Zone::important, Zone::watch, Zone::acceptable};
constexpr MeasureStatus kStatuses[] = {MeasureStatus::todo, MeasureStatus::in_progress,
                                       MeasureStatus::done, MeasureStatus::dropped,
                                       MeasureStatus::closed_unverified};
constexpr HookPlatform kPlatforms[] = {HookPlatform::github, HookPlatform::gitlab,
                                       HookPlatform::jira};

double seconds_since_epoch(system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

std::string format_seconds(std::chrono::milliseconds d) {
  std::ostringstream out;
  out.precision(3);
  out << std::fixed << static_cast<double>(d.count()) / 1000.0;
  return out.str();
}

// The secret `source` names, read through `env` (a variable) or from its file (trailing
// blanks and line breaks dropped). Empty when not configured.
Result<std::string> read_secret(const SecretSource& source, const std::string& key,
                                const Config& config, const Env& env) {
  const SourceLocation where{config.file.string(), config.daemon.line};
  if (!source.env.empty()) {
    const auto value = env.get(source.env);
    if (!value || value->empty())
      return bad_input("the variable " + source.env + " is not set", where,
                       "daemon." + key + "_env");
    return *value;
  }
  if (!source.file.empty()) {
    auto text = read_text_file(source.file);
    if (!text)
      return bad_input("cannot read " + source.file.string(), where, "daemon." + key + "_file");
    std::string value = *text;
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ' ||
                              value.back() == '\t'))
      value.pop_back();
    if (value.empty()) return bad_input("is empty", where, "daemon." + key + "_file");
    return value;
  }
  return std::string();
}

std::string zones_text(const std::map<Zone, int>& now,
                       const std::optional<std::map<Zone, int>>& before) {
  std::string out;
  for (const Zone z : kZones) {
    const auto it = now.find(z);
    const int n = it == now.end() ? 0 : it->second;
    out += (out.empty() ? "" : ", ") + std::string(to_string(z)) + " " + std::to_string(n);
    if (before) {
      const auto b = before->find(z);
      const int was = b == before->end() ? 0 : b->second;
      if (was != n) out += " (was " + std::to_string(was) + ")";
    }
  }
  return out;
}

}  // namespace

CycleOutcome run_product_cycle(const Config& config, const Env& env) {
  CycleOutcome out;
  InputsOutcome loaded = load_inputs(config);
  if (!loaded.inputs) {
    out.summary =
        loaded.errors.empty() ? "the inputs could not be read" : loaded.errors.front().to_string();
    if (loaded.errors.size() > 1)
      out.summary += " (and " + std::to_string(loaded.errors.size() - 1) + " more)";
    return out;
  }
  SyncJobOptions options;
  options.apply = true;
  options.publish = true;
  const SyncJobOutcome job = run_sync_job(*loaded.inputs, options, env);
  if (job.error) {
    out.summary = job.error->to_string();
    return out;
  }
  const SyncReport& report = job.report;
  std::map<Zone, int> zones;
  for (const auto& s : report.assessment.stories) ++zones[s.zone_residual];
  std::map<MeasureStatus, int> measures;
  for (const auto& m : report.assessment.measures) ++measures[m.status];
  out.residual_by_zone = zones;
  out.measures_by_status = measures;
  std::size_t created = 0, updated = 0, closed = 0, reopened = 0;
  for (const auto& r : report.results) {
    if (r.error) continue;
    created += r.action.op == ActionOp::create;
    updated += r.action.op == ActionOp::update || r.action.op == ActionOp::link_parent ||
               r.action.op == ActionOp::link_related;
    closed += r.action.op == ActionOp::close;
    reopened += r.action.op == ActionOp::reopen;
  }
  out.summary = job.tracker + ": " + std::to_string(created) + " created, " +
                std::to_string(updated) + " updated, " + std::to_string(closed) + " closed, " +
                std::to_string(reopened) + " reopened, " + std::to_string(report.failures()) +
                " failed";
  if (report.stopped_by) out.summary += "; stopped: " + report.stopped_by->message;
  if (job.published)
    out.summary += std::string("; wiki ") + (job.published->changed ? "updated" : "unchanged");
  if (job.publish_error) out.summary += "; wiki failed: " + job.publish_error->to_string();
  out.ok = job.exit_code() == 0;
  return out;
}

Daemon::Daemon(DaemonOptions options, Env env)
    : options_(std::move(options)), env_(std::move(env)), scheduler_(env_.random) {}

Daemon::~Daemon() {
  stop_listener();
}

Result<std::vector<Daemon::Product>> Daemon::read_products() const {
  std::vector<Product> out;
  std::set<std::string> names;
  for (const fs::path& file : options_.config_files) {
    auto config = load_config_file(file);
    if (!config) return config.error();
    Product p;
    p.file = file;
    p.config = std::move(*config);
    if (!names.insert(p.config.name).second)
      return bad_input("two configurations have the product name \"" + p.config.name +
                           "\"; set `name = \"…\"` in one of them",
                       SourceLocation{file.string(), 0}, "name");
    for (const HookPlatform platform : kPlatforms) {
      const std::string key(to_string(platform));
      const SecretSource& source = p.config.daemon.secret_for(key);
      const std::string name =
          &source == &p.config.daemon.webhook_secret ? "webhook_secret" : key + "_secret";
      auto secret = read_secret(source, name, p.config, env_);
      if (!secret) return secret.error();
      p.secrets[platform] = std::move(*secret);
    }
    out.push_back(std::move(p));
  }
  if (out.empty()) return bad_input("no configuration: give --config FILE at least once");
  return out;
}

void Daemon::install(std::vector<Product> products) {
  const auto now = env_.now();
  std::set<std::string> keep;
  for (Product& p : products) {
    const std::string name = p.config.name;
    keep.insert(name);
    scheduler_.add_product(name, {p.config.daemon.interval, p.config.daemon.jitter}, now);
    const auto old = products_.find(name);
    if (old != products_.end()) {
      p.last = old->second.last;
      p.zones = old->second.zones;
      p.measures = old->second.measures;
    }
    products_[name] = std::move(p);
  }
  for (auto it = products_.begin(); it != products_.end();) {
    if (keep.contains(it->first)) {
      ++it;
      continue;
    }
    scheduler_.remove_product(it->first);
    it = products_.erase(it);
  }
}

Status Daemon::load() {
  auto products = read_products();
  if (!products) return products.error();
  std::lock_guard lock(mutex_);
  install(std::move(*products));
  return ok_status();
}

Status Daemon::reload() {
  auto products = read_products();
  if (!products) {
    spdlog::error("reload refused, the running configuration is kept: {}",
                  products.error().to_string());
    return products.error();
  }
  std::size_t count = products->size();
  {
    std::lock_guard lock(mutex_);
    install(std::move(*products));
  }
  spdlog::info("reloaded {} configuration(s)", count);
  return ok_status();
}

Result<int> Daemon::start_listener() {
  std::string host;
  int port = 0;
  net::HttpServerOptions server_options;
  {
    std::lock_guard lock(mutex_);
    if (products_.empty()) return bad_input("no configuration loaded");
    // The first configuration given on the command line decides the listener.
    const fs::path& first = options_.config_files.front();
    const Product* chosen = &products_.begin()->second;
    for (const auto& [name, p] : products_)
      if (p.file == first) chosen = &p;
    host = chosen->config.daemon.listen_host;
    port = chosen->config.daemon.listen_port;
    server_options.max_body_bytes = chosen->config.daemon.max_body_bytes;
  }
  server_ = std::make_unique<net::HttpServer>(server_options);
  for (const HookPlatform platform : kPlatforms) {
    server_->route(
        "POST", "/hooks/" + std::string(to_string(platform)),
        [this, platform](const net::ServerRequest& r) { return handle_hook(platform, r); });
  }
  server_->route("GET", "/healthz", [](const net::ServerRequest&) {
    return net::ServerResponse{200, "text/plain; charset=utf-8", "ok\n"};
  });
  server_->route("GET", "/readyz", [this](const net::ServerRequest&) { return readiness(); });
  server_->route("GET", "/metrics", [this](const net::ServerRequest&) {
    return net::ServerResponse{200, "text/plain; version=0.0.4; charset=utf-8", metrics()};
  });
  auto bound = server_->start(host, port);
  if (!bound) return bound.error();
  spdlog::info("listening on {}:{} (webhooks, /healthz, /readyz, /metrics)",
               host.find(':') != std::string::npos ? "[" + host + "]" : host, *bound);
  return bound;
}

void Daemon::stop_listener() {
  if (server_) server_->stop();
}

void Daemon::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void Daemon::run_due_cycles(const std::atomic<bool>* stop) {
  std::vector<std::string> due;
  {
    std::lock_guard lock(mutex_);
    due = scheduler_.take_due(env_.now());
  }
  for (const std::string& name : due) {
    if (stop != nullptr && *stop) {
      std::lock_guard lock(mutex_);
      scheduler_.release(name);
      continue;
    }
    Config config;
    {
      std::lock_guard lock(mutex_);
      config = products_.at(name).config;
    }
    const auto started = env_.now();
    CycleOutcome outcome;
    try {
      outcome = options_.cycle(config, cycle_env(name, stop));
    } catch (const std::exception& e) {
      outcome = CycleOutcome{};
      outcome.summary = std::string("internal error: ") + e.what();
    }
    const auto finished = env_.now();
    std::lock_guard lock(mutex_);
    scheduler_.finish(name, outcome.ok, started, finished);
    const ProductState* state = scheduler_.find(name);
    Product& product = products_.at(name);
    std::string zones;
    if (outcome.residual_by_zone)
      zones = "; residual zones: " + zones_text(*outcome.residual_by_zone, product.zones);
    const std::string duration = format_seconds(state->last_duration);
    if (outcome.ok) {
      spdlog::info("cycle {}: ok in {} s: {}{}", name, duration, outcome.summary, zones);
    } else {
      const auto wait =
          std::chrono::duration_cast<std::chrono::seconds>(state->next_run - finished);
      spdlog::error("cycle {}: failed in {} s (failure {} in a row, next try in {} s): {}{}", name,
                    duration, state->consecutive_failures, wait.count(), outcome.summary, zones);
    }
    if (outcome.residual_by_zone) product.zones = outcome.residual_by_zone;
    if (outcome.measures_by_status) product.measures = outcome.measures_by_status;
    product.last = std::move(outcome);
  }
}

int Daemon::run(const std::atomic<bool>& stop, std::atomic<bool>& reload_requested) {
  while (!stop) {
    if (reload_requested.exchange(false)) (void)reload();
    run_due_cycles(&stop);
    if (stop) break;
    std::unique_lock lock(mutex_);
    auto wait = std::chrono::milliseconds(1000);
    if (const auto next = scheduler_.next_wakeup()) {
      const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*next - env_.now());
      wait = std::clamp(until, std::chrono::milliseconds(0), wait);
    }
    wake_.wait_for(lock, wait, [this] { return woken_; });
    woken_ = false;
  }
  spdlog::info("stopping: no cycle in flight");
  return 0;
}

net::ServerResponse Daemon::handle_hook(HookPlatform platform, const net::ServerRequest& request) {
  const std::string platform_name(to_string(platform));
  std::lock_guard lock(mutex_);
  std::string product;
  if (const auto asked = request.query_value("product")) {
    product = *asked;
  } else if (products_.size() == 1) {
    product = products_.begin()->first;
  } else {
    ++deliveries_[{platform_name, 400}];
    return {400, "text/plain; charset=utf-8", "several products: say which with ?product=NAME\n"};
  }
  const auto it = products_.find(product);
  if (it == products_.end()) {
    ++deliveries_[{platform_name, 404}];
    return {404, "text/plain; charset=utf-8", "no such product\n"};
  }
  const HookVerdict verdict =
      verify_and_classify(platform, request, it->second.secrets[platform], env_.now(), replays_);
  ++deliveries_[{platform_name, verdict.status}];
  if (verdict.status == 401) {
    spdlog::warn("webhook {} for {}: refused (401): {}", platform_name, product, verdict.log);
  } else if (verdict.trigger) {
    scheduler_.trigger(product, env_.now());
    woken_ = true;
    wake_.notify_all();
    spdlog::info("webhook {} for {}: {}: cycle scheduled", platform_name, product, verdict.log);
  } else {
    spdlog::debug("webhook {} for {}: {}", platform_name, product, verdict.log);
  }
  return {verdict.status, "text/plain; charset=utf-8", verdict.body()};
}

net::ServerResponse Daemon::readiness() const {
  std::lock_guard lock(mutex_);
  const auto now = env_.now();
  bool ready = !products_.empty();
  std::string body;
  for (const auto& [name, p] : products_) {
    const ProductState* s = scheduler_.find(name);
    std::string line;
    if (s == nullptr || !s->last_finish) {
      ready = false;
      line = "no cycle finished yet";
    } else if (!s->last_ok) {
      ready = false;
      line = "last cycle failed (" + std::to_string(s->consecutive_failures) + " in a row)";
    } else if (now - *s->last_success > 2 * s->schedule.interval) {
      ready = false;
      line = "last success too old";
    } else {
      const auto ago = std::chrono::duration_cast<std::chrono::seconds>(now - *s->last_success);
      line = "ok, last success " + std::to_string(ago.count()) + " s ago";
    }
    body += name + ": " + line + "\n";
  }
  return {ready ? 200 : 503, "text/plain; charset=utf-8",
          (ready ? "ready\n" : "not ready\n") + body};
}

Env Daemon::cycle_env(const std::string& product, const std::atomic<bool>* stop) {
  Env env = env_;
  if (stop != nullptr) {
    env.stop_requested = [stop, outer = env_.stop_requested] {
      return stop->load() || (outer && outer());
    };
  }
  env.observe_http = [this, product, outer = env_.observe_http](const std::string& platform,
                                                                const net::HttpEvent& event) {
    if (outer) outer(platform, event);
    std::lock_guard lock(mutex_);
    switch (event.kind) {
      case net::HttpEvent::Kind::response:
        ++http_responses_[{product, platform, std::to_string(event.status)}];
        break;
      case net::HttpEvent::Kind::transport_error:
        ++http_responses_[{product, platform, "error"}];
        break;
      case net::HttpEvent::Kind::rate_limit_wait: {
        RateLimitWaits& waits = rate_limit_waits_[{product, platform}];
        ++waits.count;
        waits.waited += event.wait;
        break;
      }
    }
  };
  return env;
}

std::string Daemon::metrics() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  out.precision(15);
  auto family = [&](const char* name, const char* type, const char* help) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  };
  family("risksync_last_success_timestamp_seconds", "gauge",
         "Unix time of the end of the last successful sync cycle.");
  for (const auto& [name, p] : products_) {
    const ProductState* s = scheduler_.find(name);
    if (s != nullptr && s->last_success)
      out << "risksync_last_success_timestamp_seconds{product=\"" << name << "\"} "
          << std::llround(seconds_since_epoch(*s->last_success)) << "\n";
  }
  family("risksync_cycle_duration_seconds", "gauge", "Duration of the last sync cycle.");
  for (const auto& [name, p] : products_) {
    const ProductState* s = scheduler_.find(name);
    if (s != nullptr && s->last_finish)
      out << "risksync_cycle_duration_seconds{product=\"" << name << "\"} "
          << format_seconds(s->last_duration) << "\n";
  }
  family("risksync_cycles_total", "counter", "Sync cycles run, by result.");
  for (const auto& [name, p] : products_) {
    const ProductState* s = scheduler_.find(name);
    if (s == nullptr) continue;
    out << "risksync_cycles_total{product=\"" << name << "\",result=\"success\"} "
        << s->cycles_succeeded << "\n";
    out << "risksync_cycles_total{product=\"" << name << "\",result=\"failure\"} "
        << s->cycles_failed << "\n";
  }
  family("risksync_consecutive_failures", "gauge", "Failed cycles since the last success.");
  for (const auto& [name, p] : products_) {
    const ProductState* s = scheduler_.find(name);
    if (s != nullptr)
      out << "risksync_consecutive_failures{product=\"" << name << "\"} " << s->consecutive_failures
          << "\n";
  }
  family("risksync_residual_risks", "gauge",
         "Abuser stories by residual zone, from the last report.");
  for (const auto& [name, p] : products_) {
    if (!p.zones) continue;
    for (const Zone z : kZones) {
      const auto it = p.zones->find(z);
      out << "risksync_residual_risks{product=\"" << name << "\",zone=\"" << to_string(z) << "\"} "
          << (it == p.zones->end() ? 0 : it->second) << "\n";
    }
  }
  family("risksync_measures", "gauge", "Measures by status, from the last report.");
  for (const auto& [name, p] : products_) {
    if (!p.measures) continue;
    for (const MeasureStatus st : kStatuses) {
      const auto it = p.measures->find(st);
      out << "risksync_measures{product=\"" << name << "\",status=\"" << to_string(st) << "\"} "
          << (it == p.measures->end() ? 0 : it->second) << "\n";
    }
  }
  family("risksync_webhook_deliveries_total", "counter",
         "Webhook deliveries received, by platform and HTTP status answered.");
  for (const auto& [key, n] : deliveries_)
    out << "risksync_webhook_deliveries_total{platform=\"" << key.first << "\",status=\""
        << key.second << "\"} " << n << "\n";
  family("risksync_http_requests_total", "counter",
         "HTTP responses from trackers and wikis (retries included), by platform and status "
         "code; status=\"error\": the attempt got no response.");
  for (const auto& [key, n] : http_responses_) {
    const auto& [product, platform, status] = key;
    out << "risksync_http_requests_total{product=\"" << product << "\",platform=\"" << platform
        << "\",status=\"" << status << "\"} " << n << "\n";
  }
  family("risksync_rate_limit_waits_total", "counter",
         "Waits for a platform's rate limit before trying a request again.");
  for (const auto& [key, waits] : rate_limit_waits_)
    out << "risksync_rate_limit_waits_total{product=\"" << key.first << "\",platform=\""
        << key.second << "\"} " << waits.count << "\n";
  family("risksync_rate_limit_wait_seconds_total", "counter",
         "Time spent waiting for rate limits (as requested of the sleeper).");
  for (const auto& [key, waits] : rate_limit_waits_)
    out << "risksync_rate_limit_wait_seconds_total{product=\"" << key.first << "\",platform=\""
        << key.second << "\"} " << format_seconds(waits.waited) << "\n";
  return out.str();
}

std::optional<ProductState> Daemon::product_state(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const ProductState* s = scheduler_.find(name);
  if (s == nullptr) return std::nullopt;
  return *s;
}

}  // namespace risksync::daemon
