// HttpClient: the HttpTransport over cpp-httplib 0.11.4 + OpenSSL. The only code of the
// product that includes <httplib.h> is its .cpp.
//
// Contract
//  - One HttpClient per base URL (scheme://host[:port][/base/path]), holding one persistent
//    (keep-alive) connection. `create` refuses, with an Error (bad_input):
//      * a base URL that parse_service_url (net/http.h) refuses: not http(s), credentials in
//        the URL (the message never quotes them), or `http://` to a host that is not loopback
//        (is_loopback_host: localhost, 127.0.0.0/8, ::1) — real trackers are reached over https;
//      * a base URL with a query string;
//      * a ca_bundle_path that cannot be read or holds no PEM certificate.
//  - TLS: certificate and host-name verification are always on; the trust store is the
//    configured CA bundle, else OpenSSL's default paths (on Debian
//    /usr/lib/ssl/cert.pem -> /etc/ssl/certs/ca-certificates.crt, plus /etc/ssl/certs); the
//    minimum protocol is TLS 1.2 (SSL_CTX_set_min_proto_version on the client's SSL_CTX).
//  - Requests carry User-Agent (options.user_agent) and Accept-Encoding: gzip unless the
//    defaults or the request set them; gzip/br bodies are decompressed before they are returned.
//  - Framing: every response is read by net/response_framing.h (RFC 9112 §6.3), not by
//    cpp-httplib, whose 0.11.4 misframes 304s (tests/net/response_framing_test.cpp pins it).
//  - send(): see HttpTransport (net/http.h). Returns an HttpResponse for any status the rules
//    below do not consume; an Error (remote) otherwise. Messages and logs pass the Redactor.
//
// Error scope (util/result.h, issue 6). Every Error of send() says whether it stops the run:
//  - run (Error::stops_run()): retries exhausted (or the wait budget spent) on 5xx, connection
//    failures, timeouts and closed connections — the platform is unreachable or failing; every
//    TLS failure (handshake refused, certificate not verified, CA bundle unusable); a rate limit
//    given up on ("rate limited by <host>; retry after HH:MM:SS UTC", the same time in
//    Error::retry_at); a proxy answering 407.
//  - item: a POST whose answer was lost (the server may have created the item: not retried,
//    "not retried because the server may have processed the request"); a link to another
//    host; an invalid method or path (kind internal); other cpp-httplib failures.
//
// Retries (RetryPolicy, net/retry.h, waits through NetDeps::sleep, never a real sleep in tests)
//  - Idempotent requests (every method but POST, unless HttpRequest::idempotent says otherwise)
//    are retried on connection failures, TLS handshake failures that OpenSSL could not name
//    (no answer), read/write failures (timeouts, connection closed) and 500/502/503/504, up to
//    max_attempts, with exponential back-off and jitter (a Retry-After on a 5xx lengthens the
//    wait). When attempts run out on a 5xx, send() returns an Error quoting the status and the
//    start of the body.
//  - Non-idempotent requests (POST) are retried ONLY when the request cannot have reached the
//    server: connection refused/failed, connect timeout, unnamed TLS handshake failure, or a
//    failure while writing the request. A POST that got a 5xx is returned as is (the
//    HttpResponse), and a POST whose response could not be read (read timeout, connection
//    closed) returns an item-scoped Error: the sync layer re-lists and checks for duplicates
//    before trying again (docs/DESIGN.md §5).
//  - Rate limits (429, or 403 with x-ratelimit-remaining: 0, a retry-after header, or a body
//    mentioning "secondary rate limit"/"rate limit exceeded") are waited out for every method,
//    POST included (GitHub documents that a rate-limited request did nothing), per the order
//    Retry-After > reset time > 60 s doubling. When the wait would exceed what is left of
//    max_total_wait, or after max_rate_limit_waits waits, send() gives up with the run-scoped
//    "rate limited by <host>; retry after HH:MM:SS UTC".
//  - A plain 403 (no rate-limit sign), 401, 404, 409, 422... are returned, never retried.
//
// TLS failures (never retried when OpenSSL named the cause, always run-scoped). The handshake
// is watched through SSL_CTX msg/info callbacks (the ServerHello's version, alerts, the
// OpenSSL error and errno of the failed step); verification through SSL_get_verify_result:
//  - a server offering only TLS 1.0/1.1: "the server offers only TLS 1.1; risksync requires
//    TLS 1.2 or later". Such a server answers the TLS 1.2+ ClientHello with a protocol_version
//    alert that does not say its version; the client then opens ONE diagnostic connection (not
//    through a proxy) offering only TLS 1.0-1.1 at OpenSSL security level 0, reads the version
//    the server picks, and closes it without sending anything: that connection never carries a
//    request. When the probe fails, the message says "an older version";
//  - another alert, a reset during the handshake, a close during it, a non-TLS answer ("is it a
//    plain http:// server?"), another OpenSSL reason: named in the message;
//  - certificate: expired / not yet valid (clock hint), unknown CA or self-signed (hint: the CA
//    bundle setting), other X509_verify_cert_error_string() text; host name mismatch: "does not
//    match the host name".
//
// Write pacing (net/write_pacer.h; GitHub "Best practices for using the REST API")
//  - Mutations (POST, PUT, PATCH, DELETE) are spaced by at least min_write_interval, measured
//    from the end of the previous mutation TO THE SAME HOST through any HttpClient sharing the
//    WritePacer (options.write_pacer, else WritePacer::process_wide()). GETs are never paced.
//  - After a secondary rate limit (is_secondary_rate_limit) from a host, every later mutation
//    to it in the process waits until that limit's retry time, then goes at most one per
//    WritePacingPolicy::slowed_write_interval (7.2 s: GitHub's 500 content-creating requests
//    per hour). The retry of the rate-limited request itself is not paced again. The fallback
//    wait doubles with the secondary limits of the whole run; beyond max_secondary_limits
//    (3) the limit is taken as persistent: send() returns the run-scoped rate-limit Error and
//    later mutations to that host return it without being sent until the retry time.
//
// Proxy: applied to https base URLs only (CONNECT tunnel). Credentials are used for Digest
// authentication of the CONNECT only: cpp-httplib 0.11.4 would add Basic proxy credentials to
// every request INSIDE the tunnel too (they would reach the API server), so Basic is not used;
// a proxy answering 407 yields a run-scoped Error naming the proxy (credentials redacted).
//
// Links: an absolute URL in path_and_query (from a Link header) is followed only when its
// scheme, host and port are the base URL's; another host gives an Error and sends nothing.
//
// Signals: a peer closing the connection makes cpp-httplib/OpenSSL raise SIGPIPE. HttpClient
// blocks SIGPIPE in the calling thread during each exchange (and its destruction) and discards
// the one raised meanwhile, so the process survives without any global signal setting.
//
// Ownership and thread safety: HttpClient owns its connection and is used from ONE thread at a
// time (no internal locking); the NetDeps functions are called on that thread. The WritePacer
// is shared and locks itself. Logging goes to spdlog's default logger at debug level (one line
// per HTTP exchange: method, redacted URL, status, duration, bytes) and warn level (retries,
// rate-limit waits).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/http.h"
#include "net/proxy.h"
#include "net/redact.h"
#include "net/retry.h"
#include "net/write_pacer.h"
#include "util/result.h"

namespace risksync::net {

// What an HttpClient tells its observer (NetDeps::observe), on the client's thread:
//  - response: one per HTTP response received on the wire (retried ones included), `status`;
//  - transport_error: an attempt that got no HTTP response (status 0);
//  - rate_limit_wait: the client is about to wait `wait` for a rate limit (429, or 403 with
//    the signs of one) of answer `status`, before trying again. Limits it gives up on are
//    responses only.
// The observer counts; it never changes what send() does. net/ keeps no global counter: app/
// sets the observer (the daemon's /metrics), per client.
struct HttpEvent {
  enum class Kind { response, transport_error, rate_limit_wait };
  Kind kind = Kind::response;
  int status = 0;
  std::chrono::milliseconds wait{0};
};

// Clock, sleeper and jitter source. The defaults use the real clock, std::this_thread and a
// random engine; tests replace them to assert waits without sleeping. app/ passes the real ones.
struct NetDeps {
  std::function<std::chrono::system_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> jitter;                 // uniform in [0,1)
  std::function<void(const HttpEvent&)> observe;  // optional (HttpEvent); empty: none

  NetDeps();  // the real ones
};

// "risksync/<version>".
std::string default_user_agent();

struct HttpClientOptions {
  std::string base_url;  // "https://api.github.com", "https://ghes.example/api/v3"
  std::string user_agent = default_user_agent();
  std::string ca_bundle_path;        // PEM file; empty: the system store
  std::optional<ProxyConfig> proxy;  // from proxy_from_env(); ignored for http:// (loopback)
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds read_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(60)};
  RetryPolicy retry;
  // Spacing between two mutations (POST/PUT/PATCH/DELETE) to the host; zero: none until the
  // host answers with a secondary rate limit (then WritePacingPolicy::slowed_write_interval).
  std::chrono::milliseconds min_write_interval{std::chrono::seconds(1)};
  // Shared by the clients of one run; null: WritePacer::process_wide().
  std::shared_ptr<WritePacer> write_pacer;
  // Sent with every request unless the request sets the same name (e.g. Authorization,
  // Accept, X-GitHub-Api-Version). Credential headers are registered with the Redactor.
  Headers default_headers;
  // Further strings to redact from logs and errors (tokens sent some other way).
  std::vector<std::string> secrets;
};

// Counters for the benchmark and the run summary. "Attempts" are HTTP exchanges tried on the
// wire (retries included); "calls" are send() invocations.
struct RequestStats {
  std::uint64_t calls = 0;
  std::uint64_t attempts = 0;
  std::map<std::string, std::uint64_t> attempts_by_method;  // "GET" -> n
  std::map<int, std::uint64_t> responses_by_status;         // 200 -> n (final and retried)
  std::uint64_t retries = 0;            // attempts beyond the first of each call
  std::uint64_t not_modified = 0;       // 304 responses
  std::uint64_t rate_limited = 0;       // rate-limit responses received
  std::uint64_t transport_errors = 0;   // attempts that got no HTTP response
  std::uint64_t bytes_sent = 0;         // request bodies
  std::uint64_t bytes_received = 0;     // response bodies (after decompression)
  std::chrono::milliseconds waited{0};  // back-off + rate-limit + pacing waits requested
};

class HttpClient final : public HttpTransport {
 public:
  static Result<std::unique_ptr<HttpClient>> create(HttpClientOptions options,
                                                    NetDeps deps = NetDeps());

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  ~HttpClient() override;

  Result<HttpResponse> send(const HttpRequest& request) override;

  const RequestStats& stats() const;
  void reset_stats();

  // The redactor holding this client's secrets; connectors use it for messages built from
  // response bodies (which may echo a token).
  const Redactor& redactor() const;
  const Url& base_url() const;

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace risksync::net
