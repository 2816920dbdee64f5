// Retry, back-off and rate-limit rules of net/, as pure functions over values (no I/O, no
// clock: `now` is passed in), so that they are unit-tested exactly and shared by HttpClient.
//
// The rules (API-NOTES.md §1-§3):
//  - Transient failures: connection errors, timeouts, and HTTP 500/502/503/504 are retried
//    with exponential back-off and "equal jitter": the n-th retry waits
//    d/2 + jitter*d/2 where d = min(max_delay, base_delay * 2^(n-1)) and jitter is in [0,1).
//  - Rate limits: a 429, or a 403 with a rate-limit sign (x-ratelimit-remaining / RateLimit-
//    Remaining = 0, a Retry-After header, or a body mentioning "secondary rate limit" or
//    "rate limit exceeded"). The wait is, in order:
//      1. Retry-After (delta-seconds or HTTP-date), at least 1 s;
//      2. else, when remaining is 0 or absent and a reset time is known, until the reset
//         (x-ratelimit-reset / RateLimit-Reset as epoch seconds — small values are taken as
//         delta-seconds per the IETF RateLimit draft — or X-RateLimit-Reset as ISO-8601 for
//         Jira) plus 1 s of clock-skew margin, at least 1 s;
//      3. else rate_limit_fallback_wait (60 s, GitHub's advice) doubled on each further wait.
// Thread safety: plain values and pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "net/http.h"

namespace risksync::net {

struct RetryPolicy {
  // Attempts for transient failures (connection errors, timeouts, 5xx), first one included.
  int max_attempts = 4;
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{std::chrono::seconds(30)};
  // Budget for all back-off and rate-limit waits of one send(); a wait that would exceed it
  // makes send() give up with a remote Error instead of sleeping.
  std::chrono::milliseconds max_total_wait{std::chrono::minutes(15)};
  // Rate-limited responses waited out per send() before giving up (guards Retry-After: 0 loops).
  int max_rate_limit_waits = 5;
  // Wait after a rate limit that gives no hint (GitHub: "at least one minute"), doubled each time.
  std::chrono::milliseconds rate_limit_fallback_wait{std::chrono::seconds(60)};
};

// 500, 502, 503, 504.
bool is_retryable_status(int status);

// 429, or 403 with a rate-limit sign (see above). A plain 403 (permissions) is not.
bool is_rate_limited(const HttpResponse& response);

// A rate-limited response (above) that is a secondary (abuse) limit rather than the primary
// quota: its body mentions "secondary rate limit", or it carries Retry-After. GitHub documents
// that writes must then slow down (net/write_pacer.h).
bool is_secondary_rate_limit(const HttpResponse& response);

// How long to wait before retrying a rate-limited response; `previous_waits` counts the
// rate-limit waits already done for this request (for the doubling fallback).
std::chrono::milliseconds rate_limit_wait(const HttpResponse& response,
                                          std::chrono::system_clock::time_point now,
                                          int previous_waits, const RetryPolicy& policy);

// Back-off before retry number `retry` (1 for the first retry); `jitter` in [0,1).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, double jitter);

// Retry-After: delta-seconds or HTTP-date (IMF-fixdate); nullopt when absent or malformed.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// A reset header: digits = epoch seconds (or delta-seconds when below 10^9), else ISO-8601.
std::optional<std::chrono::system_clock::time_point> parse_reset_time(
    std::string_view value, std::chrono::system_clock::time_point now);

// "2024-03-05T10:15:30Z", "...30.123+01:00", "...30.123+0000", "2024-03-05 10:15:30" (UTC).
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view value);

// "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view value);

// "14:03:27 UTC" (with the date in front, "2024-03-05 14:03:27 UTC", when `t` is not on the
// same UTC day as `now`).
std::string format_utc_time(std::chrono::system_clock::time_point t,
                            std::chrono::system_clock::time_point now);

}  // namespace risksync::net
