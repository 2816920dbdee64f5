// The daemon's schedule (issue 9): when each product's next sync cycle runs. Pure: it holds no
// thread and reads no clock; the caller passes `now` and runs the cycles it is handed.
//
// Contract:
//  - Each product has its own next-run time, running flag, last success, consecutive failures.
//    A product is added due at once (its first cycle runs when the daemon starts).
//  - take_due(now) hands out every product whose next run has come and which is not running,
//    marks it running and forgets its pending triggers (the cycle about to start covers them):
//    the cycles of one product never overlap.
//  - trigger(): a webhook said a managed item changed. Idle: the product is due at once (unless
//    it is backing off after a failure: then at the end of the back-off). Running: one more
//    cycle runs as soon as this one finishes. Any number of triggers before the cycle starts
//    gives one cycle (coalescing).
//  - finish(): success → next run after interval + random × jitter, failures reset to 0;
//    failure → next run after the back-off min(interval, 30 s × 2^(failures − 1)). A pending
//    trigger on success makes the product due at once. One product's failures never change
//    another's schedule.
// Thread safety: none; the daemon guards it with its own mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace risksync::daemon {

using TimePoint = std::chrono::system_clock::time_point;

struct ProductSchedule {
  std::chrono::seconds interval{900};
  std::chrono::seconds jitter{90};
};

struct ProductState {
  std::string name;
  ProductSchedule schedule;
  TimePoint next_run;
  bool running = false;
  bool pending_trigger = false;           // a webhook arrived since the current cycle started
  std::optional<TimePoint> last_success;  // end of the last successful cycle
  std::optional<TimePoint> last_finish;   // end of the last cycle, whatever its result
  bool last_ok = false;
  int consecutive_failures = 0;
  std::uint64_t cycles_succeeded = 0;
  std::uint64_t cycles_failed = 0;
  std::chrono::milliseconds last_duration{0};
};

inline constexpr std::chrono::seconds kFirstBackoff{30};

class Scheduler {
 public:
  // `random` is uniform in [0,1) (Env::random).
  explicit Scheduler(std::function<double()> random);

  // Adds `name` due at `now`; an existing product keeps its state and takes the new schedule
  // (a reload), its next run moved no later than now + the new interval.
  void add_product(const std::string& name, ProductSchedule schedule, TimePoint now);
  void remove_product(const std::string& name);
  // False when no such product.
  bool trigger(const std::string& name, TimePoint now);
  std::vector<std::string> take_due(TimePoint now);
  // Gives back a product take_due handed out whose cycle did not run (the daemon is stopping):
  // not running any more, next run and pending trigger unchanged.
  void release(const std::string& name);
  // Ends the cycle of `name` that take_due handed out at `started`.
  void finish(const std::string& name, bool ok, TimePoint started, TimePoint finished);

  // The earliest next run of a product that is not running; nullopt when none.
  std::optional<TimePoint> next_wakeup() const;
  const ProductState* find(const std::string& name) const;
  std::vector<ProductState> products() const;  // by name

  // The back-off after `failures` consecutive failures, capped at `interval`.
  static std::chrono::seconds backoff(int failures, std::chrono::seconds interval);

 private:
  std::function<double()> random_;
  std::map<std::string, ProductState> products_;
};

}  // namespace risksync::daemon
