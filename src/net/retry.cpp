#include "net/retry.h"
#include "util/ascii.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace risksync::net {

namespace {

using ascii::to_lower;
using ascii::trim;

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// Parses a run of exactly `n` digits at `pos`; advances `pos`.
bool read_digits(std::string_view s, std::size_t& pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += n;
  return true;
}

std::optional<std::int64_t> parse_integer(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 15) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<system_clock::time_point> make_time(int y, int mo, int d, int h, int mi, int s) {
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return system_clock::time_point{sys_days{ymd} + hours{h} + minutes{mi} + seconds{s}};
}

std::optional<std::string> remaining_header(const HttpResponse& r) {
  if (auto v = r.header("x-ratelimit-remaining")) return v;
  return r.header("ratelimit-remaining");
}

std::optional<std::string> reset_header(const HttpResponse& r) {
  if (auto v = r.header("x-ratelimit-reset")) return v;
  return r.header("ratelimit-reset");
}

milliseconds ceil_ms(system_clock::duration d) {
  return std::chrono::ceil<milliseconds>(d);
}

}  // namespace

bool is_retryable_status(int status) {
  return status == 500 || status == 502 || status == 503 || status == 504;
}

bool is_rate_limited(const HttpResponse& response) {
  if (response.status == 429) return true;
  if (response.status != 403) return false;
  if (const auto remaining = remaining_header(response);
      remaining && parse_integer(*remaining) == 0)
    return true;
  if (response.header("retry-after")) return true;
  const std::string body = to_lower(response.body.substr(0, 4096));
  return body.find("secondary rate limit") != std::string::npos ||
         body.find("rate limit exceeded") != std::string::npos;
}

bool is_secondary_rate_limit(const HttpResponse& response) {
  if (!is_rate_limited(response)) return false;
  if (response.header("retry-after")) return true;
  return to_lower(response.body.substr(0, 4096)).find("secondary rate limit") != std::string::npos;
}

milliseconds rate_limit_wait(const HttpResponse& response, system_clock::time_point now,
                             int previous_waits, const RetryPolicy& policy) {
  constexpr milliseconds kMinimum = seconds(1);
  if (const auto retry_after = response.header("retry-after")) {
    if (const auto wait = parse_retry_after(*retry_after, now))
      return std::max(*wait, milliseconds(kMinimum));
  }
  const auto remaining = remaining_header(response);
  const bool exhausted = !remaining || parse_integer(*remaining) == 0;
  if (const auto reset_text = reset_header(response); exhausted && reset_text) {
    if (const auto reset = parse_reset_time(*reset_text, now)) {
      return std::max(ceil_ms(*reset - now) + seconds(1), milliseconds(kMinimum));
    }
  }
  const int doublings = std::clamp(previous_waits, 0, 20);
  return policy.rate_limit_fallback_wait * (std::int64_t{1} << doublings);
}

milliseconds backoff_delay(const RetryPolicy& policy, int retry, double jitter) {
  const int doublings = std::clamp(retry - 1, 0, 30);
  milliseconds d = policy.base_delay;
  for (int i = 0; i < doublings && d < policy.max_delay; ++i) d *= 2;
  d = std::min(d, policy.max_delay);
  jitter = std::clamp(jitter, 0.0, 1.0);
  const double half = static_cast<double>(d.count()) / 2.0;
  return milliseconds(static_cast<std::int64_t>(half + jitter * half));
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              system_clock::time_point now) {
  value = trim(value);
  if (const auto secs = parse_integer(value)) return milliseconds(seconds(*secs));
  if (const auto date = parse_http_date(value)) {
    return std::max(ceil_ms(*date - now), milliseconds(0));
  }
  return std::nullopt;
}

std::optional<system_clock::time_point> parse_reset_time(std::string_view value,
                                                         system_clock::time_point now) {
  value = trim(value);
  if (const auto n = parse_integer(value)) {
    if (*n < 1'000'000'000) return now + seconds(*n);  // delta-seconds (IETF draft)
    return system_clock::time_point{seconds(*n)};
  }
  return parse_iso8601(value);
}

std::optional<system_clock::time_point> parse_iso8601(std::string_view v) {
  v = trim(v);
  std::size_t p = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!read_digits(v, p, 4, y) || p >= v.size() || v[p++] != '-' || !read_digits(v, p, 2, mo) ||
      p >= v.size() || v[p++] != '-' || !read_digits(v, p, 2, d))
    return std::nullopt;
  if (p >= v.size() || (v[p] != 'T' && v[p] != 't' && v[p] != ' ')) return std::nullopt;
  ++p;
  if (!read_digits(v, p, 2, h) || p >= v.size() || v[p++] != ':' || !read_digits(v, p, 2, mi))
    return std::nullopt;
  if (p < v.size() && v[p] == ':') {
    ++p;
    if (!read_digits(v, p, 2, s)) return std::nullopt;
  }
  milliseconds fraction{0};
  if (p < v.size() && (v[p] == '.' || v[p] == ',')) {
    ++p;
    int scale = 100;
    std::int64_t ms = 0;
    const std::size_t start = p;
    while (p < v.size() && std::isdigit(static_cast<unsigned char>(v[p]))) {
      ms += (v[p] - '0') * scale;
      scale /= 10;
      ++p;
    }
    if (p == start) return std::nullopt;
    fraction = milliseconds(ms);
  }
  seconds offset{0};
  if (p < v.size()) {
    if (v[p] == 'Z' || v[p] == 'z') {
      ++p;
    } else if (v[p] == '+' || v[p] == '-') {
      const int sign = v[p] == '-' ? -1 : 1;
      ++p;
      int oh = 0, om = 0;
      if (!read_digits(v, p, 2, oh)) return std::nullopt;
      if (p < v.size() && v[p] == ':') ++p;
      if (p < v.size() && !read_digits(v, p, 2, om)) return std::nullopt;
      offset = seconds(sign * (oh * 3600 + om * 60));
    } else {
      return std::nullopt;
    }
  }
  if (p != v.size()) return std::nullopt;
  const auto t = make_time(y, mo, d, h, mi, s);
  if (!t) return std::nullopt;
  return *t + fraction - offset;
}

std::optional<system_clock::time_point> parse_http_date(std::string_view v) {
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  v = trim(v);
  const auto comma = v.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  std::size_t p = comma + 1;
  while (p < v.size() && v[p] == ' ') ++p;
  int d = 0, y = 0, h = 0, mi = 0, s = 0;
  if (!read_digits(v, p, 2, d) || p >= v.size() || v[p++] != ' ') return std::nullopt;
  if (p + 3 > v.size()) return std::nullopt;
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string mon = to_lower(v.substr(p, 3));
  int mo = 0;
  for (int i = 0; i < 12; ++i)
    if (kMonths[i] == mon) mo = i + 1;
  if (mo == 0) return std::nullopt;
  p += 3;
  if (p >= v.size() || v[p++] != ' ' || !read_digits(v, p, 4, y) || p >= v.size() ||
      v[p++] != ' ' || !read_digits(v, p, 2, h) || p >= v.size() || v[p++] != ':' ||
      !read_digits(v, p, 2, mi) || p >= v.size() || v[p++] != ':' || !read_digits(v, p, 2, s))
    return std::nullopt;
  const std::string_view zone = trim(v.substr(p));
  if (zone != "GMT" && zone != "UTC") return std::nullopt;
  return make_time(y, mo, d, h, mi, s);
}

std::string format_utc_time(system_clock::time_point t, system_clock::time_point now) {
  using namespace std::chrono;
  const auto day_of = [](system_clock::time_point tp) { return floor<days>(tp); };
  const auto tday = day_of(t);
  const year_month_day ymd{tday};
  const hh_mm_ss hms{floor<seconds>(t - tday)};
  char buf[64];
  if (tday == day_of(now)) {
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d UTC", static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d UTC",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  }
  return buf;
}

}  // namespace risksync::net
