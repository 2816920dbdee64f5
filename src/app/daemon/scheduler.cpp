#include "app/daemon/scheduler.h"

#include <algorithm>

namespace risksync::daemon {

Scheduler::Scheduler(std::function<double()> random) : random_(std::move(random)) {}

std::chrono::seconds Scheduler::backoff(int failures, std::chrono::seconds interval) {
  std::chrono::seconds wait = kFirstBackoff;
  for (int i = 1; i < failures && wait < interval; ++i) wait *= 2;
  return std::min(wait, interval);
}

void Scheduler::add_product(const std::string& name, ProductSchedule schedule, TimePoint now) {
  const auto it = products_.find(name);
  if (it == products_.end()) {
    ProductState state;
    state.name = name;
    state.schedule = schedule;
    state.next_run = now;
    products_.emplace(name, std::move(state));
    return;
  }
  it->second.schedule = schedule;
  it->second.next_run = std::min(it->second.next_run, now + schedule.interval);
}

void Scheduler::remove_product(const std::string& name) {
  products_.erase(name);
}

bool Scheduler::trigger(const std::string& name, TimePoint now) {
  const auto it = products_.find(name);
  if (it == products_.end()) return false;
  ProductState& p = it->second;
  if (p.running) {
    p.pending_trigger = true;
  } else if (p.consecutive_failures == 0) {
    p.next_run = std::min(p.next_run, now);
  }
  // Backing off: the next run is already the end of the back-off, which the trigger keeps.
  return true;
}

std::vector<std::string> Scheduler::take_due(TimePoint now) {
  std::vector<std::string> due;
  for (auto& [name, p] : products_) {
    if (p.running || p.next_run > now) continue;
    p.running = true;
    p.pending_trigger = false;
    due.push_back(name);
  }
  return due;
}

void Scheduler::release(const std::string& name) {
  const auto it = products_.find(name);
  if (it != products_.end()) it->second.running = false;
}

void Scheduler::finish(const std::string& name, bool ok, TimePoint started, TimePoint finished) {
  const auto it = products_.find(name);
  if (it == products_.end()) return;
  ProductState& p = it->second;
  p.running = false;
  p.last_finish = finished;
  p.last_ok = ok;
  p.last_duration = std::chrono::duration_cast<std::chrono::milliseconds>(finished - started);
  if (ok) {
    ++p.cycles_succeeded;
    p.consecutive_failures = 0;
    p.last_success = finished;
    const double r = std::clamp(random_(), 0.0, 1.0);
    const auto jitter = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(r * static_cast<double>(p.schedule.jitter.count())));
    p.next_run = p.pending_trigger ? finished : finished + p.schedule.interval + jitter;
  } else {
    ++p.cycles_failed;
    ++p.consecutive_failures;
    p.next_run = finished + backoff(p.consecutive_failures, p.schedule.interval);
  }
  p.pending_trigger = false;
}

std::optional<TimePoint> Scheduler::next_wakeup() const {
  std::optional<TimePoint> out;
  for (const auto& [name, p] : products_) {
    if (p.running) continue;
    if (!out || p.next_run < *out) out = p.next_run;
  }
  return out;
}

const ProductState* Scheduler::find(const std::string& name) const {
  const auto it = products_.find(name);
  return it == products_.end() ? nullptr : &it->second;
}

std::vector<ProductState> Scheduler::products() const {
  std::vector<ProductState> out;
  out.reserve(products_.size());
  for (const auto& [name, p] : products_) out.push_back(p);
  return out;
}

}  // namespace risksync::daemon
