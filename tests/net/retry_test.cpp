// The pure retry/rate-limit rules of net/retry.h.
#include "net/retry.h"

#include <gtest/gtest.h>

namespace risksync::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// 2023-11-14 22:13:20 UTC
const system_clock::time_point kNow{seconds(1'700'000'000)};

HttpResponse response(int status, Headers headers = {}, std::string body = {}) {
  return HttpResponse{status, std::move(headers), std::move(body)};
}

TEST(RateLimitDetection, Only429And403WithSigns) {
  EXPECT_TRUE(is_rate_limited(response(429)));
  EXPECT_TRUE(is_rate_limited(response(403, {{"x-ratelimit-remaining", "0"}})));
  EXPECT_TRUE(is_rate_limited(response(403, {{"Retry-After", "30"}})));
  EXPECT_TRUE(is_rate_limited(response(
      403, {{"x-ratelimit-remaining", "4990"}},
      R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes."})")));
  EXPECT_TRUE(is_rate_limited(
      response(403, {}, R"({"message":"API rate limit exceeded for user ID 1."})")));
  EXPECT_TRUE(is_rate_limited(response(403, {{"RateLimit-Remaining", "0"}})));
  // A plain permission problem.
  EXPECT_FALSE(
      is_rate_limited(response(403, {{"x-ratelimit-remaining", "4999"}},
                               R"({"message":"Resource not accessible by integration"})")));
  EXPECT_FALSE(is_rate_limited(response(403)));
  EXPECT_FALSE(is_rate_limited(response(503, {{"Retry-After", "5"}})));
  EXPECT_FALSE(is_rate_limited(response(200, {{"x-ratelimit-remaining", "0"}})));
}

TEST(RateLimitWait, RetryAfterSecondsWins) {
  const RetryPolicy p;
  EXPECT_EQ(rate_limit_wait(response(429, {{"Retry-After", "7"},
                                           {"x-ratelimit-remaining", "0"},
                                           {"x-ratelimit-reset", "1700003600"}}),
                            kNow, 0, p),
            seconds(7));
  EXPECT_EQ(rate_limit_wait(response(429, {{"Retry-After", "0"}}), kNow, 0, p), seconds(1));
}

TEST(RateLimitWait, RetryAfterHttpDate) {
  const RetryPolicy p;
  // 22:13:50 GMT is 30 s after kNow.
  EXPECT_EQ(rate_limit_wait(response(429, {{"Retry-After", "Tue, 14 Nov 2023 22:13:50 GMT"}}), kNow,
                            0, p),
            seconds(30));
}

TEST(RateLimitWait, GitHubResetEpochWhenRemainingIsZero) {
  const RetryPolicy p;
  EXPECT_EQ(rate_limit_wait(response(403, {{"x-ratelimit-remaining", "0"},
                                           {"x-ratelimit-reset", "1700000030"}}),
                            kNow, 0, p),
            seconds(31));  // until the reset, plus one second of margin
  // A reset already past: minimum one second.
  EXPECT_EQ(rate_limit_wait(response(403, {{"x-ratelimit-remaining", "0"},
                                           {"x-ratelimit-reset", "1699999990"}}),
                            kNow, 0, p),
            seconds(1));
}

TEST(RateLimitWait, GitLabRateLimitResetEpochAndDeltaSeconds) {
  const RetryPolicy p;
  EXPECT_EQ(rate_limit_wait(
                response(429, {{"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "1700000010"}}),
                kNow, 0, p),
            seconds(11));
  EXPECT_EQ(rate_limit_wait(response(429, {{"RateLimit-Reset", "20"}}), kNow, 0, p), seconds(21));
}

// GitLab's application limits (issue creation: 200 a minute on GitLab.com) answer 429 while the
// RateLimit-* headers, which count only the Rack::Attack throttles, still show quota left
// (API-NOTES-2026 §1.4): the reset time of those headers says nothing then, the fallback waits.
TEST(RateLimitWait, GitLabApplicationLimitWithQuotaLeftUsesTheFallback) {
  const RetryPolicy p;
  const auto r = response(429,
                          {{"RateLimit-Remaining", "1990"},
                           {"RateLimit-Reset", "1700000005"},
                           {"Content-Type", "text/plain"}},
                          "Retry later\n");
  EXPECT_TRUE(is_rate_limited(r));
  EXPECT_EQ(rate_limit_wait(r, kNow, 0, p), p.rate_limit_fallback_wait);
  EXPECT_EQ(rate_limit_wait(r, kNow, 1, p), 2 * p.rate_limit_fallback_wait);
  // A bare 429 (gitlab-org/gitlab#365728: headers missing) waits the fallback too.
  EXPECT_EQ(rate_limit_wait(response(429, {}, "Retry later\n"), kNow, 0, p),
            p.rate_limit_fallback_wait);
}

TEST(RateLimitWait, JiraIso8601Reset) {
  const RetryPolicy p;
  EXPECT_EQ(
      rate_limit_wait(response(429, {{"X-RateLimit-Reset", "2023-11-14T22:14:20Z"}}), kNow, 0, p),
      seconds(61));
  EXPECT_EQ(rate_limit_wait(response(429, {{"X-RateLimit-Reset", "2023-11-14T23:13:25.500+01:00"}}),
                            kNow, 0, p),
            milliseconds(6500));
}

TEST(RateLimitWait, NoHintMeansAtLeastSixtySecondsThenDoubling) {
  const RetryPolicy p;
  const auto secondary =
      response(403, {{"x-ratelimit-remaining", "4000"}, {"x-ratelimit-reset", "1700000030"}},
               "You have exceeded a secondary rate limit");
  EXPECT_EQ(rate_limit_wait(secondary, kNow, 0, p), seconds(60));
  EXPECT_EQ(rate_limit_wait(secondary, kNow, 1, p), seconds(120));
  EXPECT_EQ(rate_limit_wait(secondary, kNow, 2, p), seconds(240));
  EXPECT_EQ(rate_limit_wait(response(429), kNow, 0, p), seconds(60));
}

TEST(Backoff, ExponentialWithEqualJitterAndCap) {
  RetryPolicy p;
  p.base_delay = milliseconds(100);
  p.max_delay = milliseconds(1000);
  EXPECT_EQ(backoff_delay(p, 1, 0.0), milliseconds(50));
  EXPECT_EQ(backoff_delay(p, 2, 0.0), milliseconds(100));
  EXPECT_EQ(backoff_delay(p, 3, 0.0), milliseconds(200));
  EXPECT_EQ(backoff_delay(p, 3, 0.5), milliseconds(300));
  EXPECT_EQ(backoff_delay(p, 10, 0.0), milliseconds(500));  // capped at max_delay
  EXPECT_EQ(backoff_delay(p, 10, 0.999), milliseconds(999));
  EXPECT_EQ(backoff_delay(p, 60, 0.0), milliseconds(500));  // no overflow
}

TEST(TimeParsing, Iso8601Variants) {
  EXPECT_EQ(parse_iso8601("2023-11-14T22:13:20Z"), kNow);
  EXPECT_EQ(parse_iso8601("2023-11-14 22:13:20"), kNow);
  EXPECT_EQ(parse_iso8601("2023-11-14T23:13:20+01:00"), kNow);
  EXPECT_EQ(parse_iso8601("2023-11-14T21:13:20.000-0100"), kNow);
  EXPECT_EQ(parse_iso8601("2023-11-14T22:13:20.25Z"), kNow + milliseconds(250));
  EXPECT_EQ(parse_iso8601("2023-02-30T00:00:00Z"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2023-11-14"), std::nullopt);
  EXPECT_EQ(parse_iso8601("yesterday"), std::nullopt);
  EXPECT_EQ(parse_iso8601("2023-11-14T22:13:20Zjunk"), std::nullopt);
}

TEST(TimeParsing, HttpDateAndRetryAfter) {
  EXPECT_EQ(parse_http_date("Tue, 14 Nov 2023 22:13:20 GMT"), kNow);
  EXPECT_EQ(parse_http_date("Tue, 14 Nov 2023 22:13:20 CET"), std::nullopt);
  EXPECT_EQ(parse_retry_after(" 120 ", kNow), seconds(120));
  EXPECT_EQ(parse_retry_after("Tue, 14 Nov 2023 22:13:00 GMT", kNow), milliseconds(0));
  EXPECT_EQ(parse_retry_after("soon", kNow), std::nullopt);
  EXPECT_EQ(parse_reset_time("1700000030", kNow), kNow + seconds(30));
  EXPECT_EQ(parse_reset_time("30", kNow), kNow + seconds(30));
}

TEST(TimeFormatting, UtcClockTimeAndDateWhenAnotherDay) {
  EXPECT_EQ(format_utc_time(kNow + seconds(31), kNow), "22:13:51 UTC");
  EXPECT_EQ(format_utc_time(kNow + std::chrono::hours(2), kNow), "2023-11-15 00:13:20 UTC");
}

TEST(Statuses, RetryableServerErrors) {
  for (int s : {500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(s)) << s;
  for (int s : {200, 304, 400, 401, 403, 404, 409, 422, 429, 501, 505})
    EXPECT_FALSE(is_retryable_status(s)) << s;
}

}  // namespace
}  // namespace risksync::net

namespace risksync::net {
namespace {

TEST(SecondaryRateLimit, RetryAfterOrTheBodyMakesItSecondaryNotThePrimaryQuota) {
  HttpResponse secondary;
  secondary.status = 403;
  secondary.body = R"({"message":"You have exceeded a secondary rate limit."})";
  EXPECT_TRUE(is_secondary_rate_limit(secondary));
  HttpResponse with_retry_after;
  with_retry_after.status = 429;
  with_retry_after.headers.emplace("Retry-After", "30");
  EXPECT_TRUE(is_secondary_rate_limit(with_retry_after));
  HttpResponse primary;
  primary.status = 403;
  primary.body = R"({"message":"API rate limit exceeded for user ID 1."})";
  primary.headers.emplace("x-ratelimit-remaining", "0");
  EXPECT_TRUE(is_rate_limited(primary));
  EXPECT_FALSE(is_secondary_rate_limit(primary));
  HttpResponse forbidden;
  forbidden.status = 403;
  forbidden.body = R"({"message":"Resource not accessible by integration"})";
  EXPECT_FALSE(is_secondary_rate_limit(forbidden));
}

}  // namespace
}  // namespace risksync::net
