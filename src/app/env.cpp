#include "app/env.h"

#include <cstdlib>
#include <ctime>
#include <random>
#include <thread>

#include <unistd.h>  // environ

namespace risksync {

Env Env::process() {
  Env env;
  env.get = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): main thread
    if (!v) return std::nullopt;
    return std::string(v);
  };
  env.environment = [] {
    std::vector<std::string> entries;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) entries.emplace_back(*e);
    return entries;
  };
  env.now = [] { return std::chrono::system_clock::now(); };
  env.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  env.random = [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
  return env;
}

std::string Env::get_or_empty(const std::string& name) const {
  return get(name).value_or("");
}

net::NetDeps Env::net_deps(const std::string& platform) const {
  net::NetDeps deps;
  deps.now = now;
  deps.sleep = sleep;
  deps.jitter = random;
  if (observe_http) {
    deps.observe = [observe = observe_http, platform](const net::HttpEvent& event) {
      observe(platform, event);
    };
  }
  return deps;
}

std::string Env::timestamp() const {
  std::time_t t = std::chrono::system_clock::to_time_t(now());
  const std::string sde = get_or_empty("SOURCE_DATE_EPOCH");
  if (!sde.empty()) {
    char* end = nullptr;
    const long long v = std::strtoll(sde.c_str(), &end, 10);
    if (end && *end == '\0' && v >= 0) t = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

}  // namespace risksync
