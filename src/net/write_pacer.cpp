#include "net/write_pacer.h"

#include <algorithm>

namespace risksync::net {

using std::chrono::milliseconds;

WritePacer::WritePacer(WritePacingPolicy policy) : policy_(policy) {}

std::shared_ptr<WritePacer> WritePacer::process_wide() {
  static const std::shared_ptr<WritePacer> pacer = std::make_shared<WritePacer>();
  return pacer;
}

milliseconds WritePacer::wait_before_write(const std::string& key, time_point now,
                                           milliseconds min_interval) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = hosts_.find(key);
  if (it == hosts_.end()) return milliseconds(0);
  const HostState& host = it->second;
  milliseconds wait{0};
  if (host.blocked_until && *host.blocked_until > now)
    wait = std::chrono::ceil<milliseconds>(*host.blocked_until - now);
  milliseconds interval = std::max(min_interval, milliseconds(0));
  if (host.secondary_limits > 0) interval = std::max(interval, policy_.slowed_write_interval);
  if (host.last_write_end && interval > milliseconds(0)) {
    const auto since = now - *host.last_write_end;
    if (since < interval)
      wait = std::max(wait, std::min(interval, std::chrono::ceil<milliseconds>(interval - since)));
  }
  return wait;
}

void WritePacer::record_write(const std::string& key, time_point end) {
  std::lock_guard<std::mutex> lock(mutex_);
  hosts_[key].last_write_end = end;
}

int WritePacer::record_secondary_limit(const std::string& key, time_point retry_at) {
  std::lock_guard<std::mutex> lock(mutex_);
  HostState& host = hosts_[key];
  host.blocked_until = host.blocked_until ? std::max(*host.blocked_until, retry_at) : retry_at;
  return ++host.secondary_limits;
}

int WritePacer::secondary_limits(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = hosts_.find(key);
  return it == hosts_.end() ? 0 : it->second.secondary_limits;
}

void WritePacer::refuse_until(const std::string& key, time_point retry_at) {
  std::lock_guard<std::mutex> lock(mutex_);
  hosts_[key].refused_until = retry_at;
}

std::optional<WritePacer::time_point> WritePacer::refused_until(const std::string& key,
                                                                time_point now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto it = hosts_.find(key);
  if (it == hosts_.end() || !it->second.refused_until || *it->second.refused_until <= now)
    return std::nullopt;
  return it->second.refused_until;
}

}  // namespace risksync::net
