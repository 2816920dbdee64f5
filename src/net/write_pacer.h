// WritePacer: the spacing of mutations (POST, PUT, PATCH, DELETE) to one host, shared by every
// HttpClient of the process that talks to that host, so that a secondary rate limit answered
// to one client slows the writes of all of them for the rest of the run.
//
// Contract
//  - Keyed by "host:port" (the authority of a client's base URL, lower-case host).
//  - wait_before_write(key, now, min_interval): how long a mutation must wait at `now`:
//      * until the retry time of the last secondary rate limit from that host (GitHub: retry-after
//        when given, else at least one minute, growing for each further limit);
//      * and until `interval` after the end of the previous mutation to that host, where
//        interval = min_interval (the client's option, GitHub: >= 1 s), raised to at least
//        policy.slowed_write_interval once the host has answered with a secondary limit.
//    Never more than the larger of these two bounds; zero when nothing constrains.
//  - record_write(key, end): a mutation to `key` ended at `end` (whatever its outcome).
//  - record_secondary_limit(key, retry_at): returns how many secondary limits `key` has sent in
//    this run, this one included. HttpClient gives up with a run-stopping Error when that count
//    exceeds policy.max_secondary_limits (the limit persists despite the slower pace) and calls
//    refuse_until(): later mutations to that host are then refused without being sent until
//    the retry time.
//  - Times come from the caller (NetDeps::now): the pacer never reads a clock nor sleeps.
// Thread safety: every member is safe to call from several threads (one mutex).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace risksync::net {

struct WritePacingPolicy {
  // Spacing of mutations to a host once it answered with a secondary rate limit: 3600 s / 500,
  // GitHub's documented ceiling of 500 content-creating requests per hour ("Rate limits for the
  // REST API", secondary rate limits), which also keeps under its 80 per minute.
  std::chrono::milliseconds slowed_write_interval{7200};
  // Secondary limits from one host waited out in a run; the next one stops the run.
  int max_secondary_limits = 3;
};

class WritePacer {
 public:
  using time_point = std::chrono::system_clock::time_point;

  explicit WritePacer(WritePacingPolicy policy = {});

  // The pacer HttpClients share when HttpClientOptions::write_pacer is not set.
  static std::shared_ptr<WritePacer> process_wide();

  std::chrono::milliseconds wait_before_write(const std::string& key, time_point now,
                                              std::chrono::milliseconds min_interval) const;
  void record_write(const std::string& key, time_point end);
  int record_secondary_limit(const std::string& key, time_point retry_at);

  // Secondary limits `key` has sent so far in this run.
  int secondary_limits(const std::string& key) const;
  bool slowed(const std::string& key) const { return secondary_limits(key) > 0; }

  void refuse_until(const std::string& key, time_point retry_at);
  // The retry time before which mutations to `key` are refused, if it is after `now`.
  std::optional<time_point> refused_until(const std::string& key, time_point now) const;

  const WritePacingPolicy& policy() const { return policy_; }

 private:
  struct HostState {
    std::optional<time_point> last_write_end;
    std::optional<time_point> blocked_until;
    std::optional<time_point> refused_until;
    int secondary_limits = 0;
  };

  WritePacingPolicy policy_;
  mutable std::mutex mutex_;
  std::map<std::string, HostState> hosts_;
};

}  // namespace risksync::net
