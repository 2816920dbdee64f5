#include "net/http_client.h"
#include "net/response_framing.h"

// The one include of cpp-httplib in the product (docs/DESIGN.md §6). It is a system header
// (/usr/include), so its own warnings do not fail the -Werror build.
#include <httplib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>
#include <random>
#include <thread>
#include <utility>

namespace risksync::net {

namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

bool is_mutation(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string format_ms(milliseconds d) {
  if (d.count() >= 10'000 && d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

// Start of a response body for an error message, on one line.
std::string body_excerpt(const std::string& body) {
  constexpr std::size_t kMax = 200;
  std::string out = body.substr(0, kMax);
  for (char& c : out)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  if (body.size() > kMax) out += "...";
  return out;
}

Headers from_httplib(const httplib::Headers& in) {
  Headers out;
  for (const auto& [name, value] : in) out.emplace(name, value);
  return out;
}

// Transport errors after which the request cannot have reached the server.
bool failed_before_sending(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::SSLConnection:
    case httplib::Error::Write:
      return true;
    default:
      return false;
  }
}

bool is_retryable_transport_error(httplib::Error e) {
  return failed_before_sending(e) || e == httplib::Error::Read;
}

// Transport failures that, once final, say the platform cannot be reached safely at all
// (unreachable, TLS refused or unverifiable): they stop the run. Others concern one request.
bool stops_run_when_final(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::Read:
    case httplib::Error::Write:
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return true;
    default:
      return false;
  }
}

// cpp-httplib 0.11.4 writes to sockets without MSG_NOSIGNAL (and OpenSSL writes with write()),
// so a peer closing the connection raises SIGPIPE, whose default action kills the process.
// Only httplib::Server ignores it (process-wide). The client instead blocks SIGPIPE in the
// calling thread for the duration of each call and discards one raised meanwhile: no global
// signal disposition is changed.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    // A SIGPIPE already pending is not ours to consume.
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) return;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &previous_) == 0;
  }
  ~ScopedSigpipeBlock() {
    if (!blocked_) return;
    sigset_t pending;
    sigemptyset(&pending);
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t previous_{};
  bool blocked_ = false;
};

// ---- Framing: every response is read by read_framed_response (net/response_framing.h) ----
//
// cpp-httplib 0.11.4 misframes 304s and other no-content responses, interim 1xx responses
// and chunked trailers (see response_framing.h). Its client reads through the private virtual
// process_socket(), which the two subclasses below override: they hand cpp-httplib a stream
// that writes the request unchanged and, on the first read, reads the raw response with the
// RFC 9112 framing and serves cpp-httplib its canonical form (status line, Content-Encoding,
// Content-Length, Connection: close when the connection cannot be reused, body). cpp-httplib
// keeps doing the rest: connection management, keep-alive, TLS handshake and verification,
// proxy CONNECT (which does not go through process_socket), decompression.

// What OpenSSL's callbacks saw of the last TLS handshake (net/http_client.h, "TLS failures").
struct TlsObservation {
  int server_hello_version = 0;  // legacy_version of the ServerHello, 0 when none was received
  int alert_received = -1;       // TLS alert description sent by the server
  int alert_sent = -1;           // TLS alert description OpenSSL sent (it refused something)
  unsigned long error = 0;       // OpenSSL error of the failed handshake step
  int sys_errno = 0;             // errno of a handshake step that failed in a system call
  bool syscall_failed = false;   // SSL_ERROR_SYSCALL (sys_errno 0: the peer closed)
};

// What the streams of one connection share with HttpClient::Impl.
struct ExchangeState {
  std::string method;  // of the request being sent
  milliseconds read_timeout{0};
  milliseconds write_timeout{0};
  std::optional<FramedResponse> response;  // the last response read
  std::optional<FramingError> error;       // why the last response could not be read
  TlsObservation tls;                      // of the handshake of this exchange, if any

  void start(const std::string& m) {
    method = m;
    response.reset();
    error.reset();
    tls = TlsObservation{};
    ERR_clear_error();  // so that the handshake callbacks see only this exchange's errors
  }
};

// poll() one fd for `events`: 1 ready, 0 timed out, -1 failed.
int wait_fd(int fd, short events, milliseconds timeout) {
  pollfd pfd{fd, events, 0};
  const int ms = static_cast<int>(std::clamp<long long>(timeout.count(), 0, INT_MAX));
  for (;;) {
    const int n = ::poll(&pfd, 1, ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    return n == 0 ? 0 : 1;
  }
}

class SocketSource final : public ByteSource {
 public:
  SocketSource(int fd, SSL* ssl, milliseconds timeout) : fd_(fd), ssl_(ssl), timeout_(timeout) {}
  ssize_t read(char* buffer, std::size_t size) override {
    return ssl_ != nullptr ? read_tls(buffer, size) : read_plain(buffer, size);
  }
  bool timed_out() const override { return timed_out_; }

 private:
  ssize_t read_plain(char* buffer, std::size_t size) {
    const int w = wait_fd(fd_, POLLIN, timeout_);
    if (w <= 0) {
      timed_out_ = w == 0;
      return -1;
    }
    for (;;) {
      const ssize_t n = ::recv(fd_, buffer, size, 0);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  }
  ssize_t read_tls(char* buffer, std::size_t size) {
    const int len = static_cast<int>(std::min<std::size_t>(size, INT_MAX));
    for (int spins = 0; spins < 1000; ++spins) {
      if (SSL_pending(ssl_) <= 0) {
        const int w = wait_fd(fd_, POLLIN, timeout_);
        if (w <= 0) {
          timed_out_ = w == 0;
          return -1;
        }
      }
      ERR_clear_error();
      const int n = SSL_read(ssl_, buffer, len);
      if (n > 0) return n;
      const int e = SSL_get_error(ssl_, n);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) continue;
      if (e == SSL_ERROR_ZERO_RETURN) return 0;
      // The peer closed without close_notify: an end of stream; the framing decides whether
      // the message was complete.
      const unsigned long code = ERR_peek_error();
      if ((e == SSL_ERROR_SYSCALL && code == 0) ||
          (e == SSL_ERROR_SSL && ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING)) {
        ERR_clear_error();
        return 0;
      }
      ERR_clear_error();
      return -1;
    }
    return -1;
  }

  int fd_;
  SSL* ssl_;
  milliseconds timeout_;
  bool timed_out_ = false;
};

class FramingStream final : public httplib::Stream {
 public:
  FramingStream(int fd, SSL* ssl, ExchangeState& state)
      : fd_(fd), ssl_(ssl), state_(state), source_(fd, ssl, state.read_timeout) {}

  bool is_readable() const override { return !failed_; }
  bool is_writable() const override { return wait_fd(fd_, POLLOUT, milliseconds(0)) == 1; }

  ssize_t read(char* ptr, size_t size) override {
    if (!framed_) {
      framed_ = true;
      FramingResult r = read_framed_response(source_, state_.method);
      if (!r.ok()) {
        state_.error = r.error();
        failed_ = true;
      } else {
        canonical_ = canonical_message(r.response());
        state_.response = std::move(r.response());
      }
    }
    if (failed_) return -1;
    const std::size_t n = std::min(size, canonical_.size() - pos_);
    std::memcpy(ptr, canonical_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (wait_fd(fd_, POLLOUT, state_.write_timeout) != 1) return -1;
    if (ssl_ != nullptr) {
      ERR_clear_error();
      const int n = SSL_write(ssl_, ptr, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
      if (n <= 0) ERR_clear_error();
      return n;
    }
    for (;;) {
      const ssize_t n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      return n;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip.clear();
    port = 0;
  }
  socket_t socket() const override { return fd_; }

 private:
  int fd_;
  SSL* ssl_;
  ExchangeState& state_;
  SocketSource source_;
  bool framed_ = false;
  bool failed_ = false;
  std::string canonical_;
  std::size_t pos_ = 0;
};

class FramedClient final : public httplib::ClientImpl {
 public:
  FramedClient(const std::string& host, int port, ExchangeState& state)
      : httplib::ClientImpl(host, port), state_(state) {}

 private:
  bool process_socket(const Socket& socket,
                      std::function<bool(httplib::Stream& strm)> callback) override {
    FramingStream stream(socket.sock, nullptr, state_);
    return callback(stream);
  }
  ExchangeState& state_;
};

class FramedSslClient final : public httplib::SSLClient {
 public:
  FramedSslClient(const std::string& host, int port, ExchangeState& state)
      : httplib::SSLClient(host, port), state_(state) {}

 private:
  bool process_socket(const Socket& socket,
                      std::function<bool(httplib::Stream& strm)> callback) override {
    if (socket.ssl == nullptr) return false;
    FramingStream stream(socket.sock, socket.ssl, state_);
    return callback(stream);
  }
  ExchangeState& state_;
};

// ---- TLS handshake observation and classification ----

int exchange_ex_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// SSL_CTX_set_msg_callback: the ServerHello's version and the fatal alerts, both directions.
void on_tls_message(int write_p, int /*version*/, int content_type, const void* buf,
                    std::size_t len, SSL* /*ssl*/, void* arg) {
  auto* state = static_cast<ExchangeState*>(arg);
  if (state == nullptr || buf == nullptr) return;
  const auto* bytes = static_cast<const unsigned char*>(buf);
  if (content_type == SSL3_RT_HANDSHAKE && write_p == 0 && len >= 6 &&
      bytes[0] == SSL3_MT_SERVER_HELLO) {
    state->tls.server_hello_version = (bytes[4] << 8) | bytes[5];
  } else if (content_type == SSL3_RT_ALERT && len >= 2 && bytes[0] == SSL3_AL_FATAL) {
    // Fatal alerts only: a close_notify (warning) ends a keep-alive connection normally.
    (write_p != 0 ? state->tls.alert_sent : state->tls.alert_received) = bytes[1];
  }
}

// SSL_CTX_set_info_callback: at the exit of a failed SSL_connect step, why it failed.
void on_tls_info(const SSL* ssl, int where, int ret) {
  if ((where & SSL_CB_EXIT) == 0 || ret > 0) return;
  const int saved_errno = errno;
  auto* state =
      static_cast<ExchangeState*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), exchange_ex_index()));
  if (state != nullptr) {
    const int e = SSL_get_error(ssl, ret);
    if (e == SSL_ERROR_SYSCALL) {
      state->tls.syscall_failed = true;
      state->tls.sys_errno = saved_errno;
      if (const unsigned long code = ERR_peek_last_error(); code != 0) state->tls.error = code;
    } else if (e == SSL_ERROR_SSL) {
      state->tls.error = ERR_peek_last_error();
    }
  }
  errno = saved_errno;
}

std::string tls_version_name(int version) {
  switch (version) {
    case 0x0300:
      return "SSL 3.0";
    case 0x0301:
      return "TLS 1.0";
    case 0x0302:
      return "TLS 1.1";
    default:
      return "a TLS version older than 1.2";
  }
}

// Why a handshake failed, from what the callbacks saw; nullopt when they saw nothing (no
// answer: a timeout, which may be transient). A classified failure is never retried: the
// same server gives the same answer.
std::optional<std::string> classify_handshake_failure(const TlsObservation& t) {
  const int reason = t.error != 0 ? ERR_GET_REASON(t.error) : 0;
  const bool from_sys = t.error != 0 && ERR_GET_LIB(t.error) == ERR_LIB_SYS;
  if (t.server_hello_version >= 0x0300 && t.server_hello_version < 0x0303) {
    return "the server offers only " + tls_version_name(t.server_hello_version) +
           "; risksync requires TLS 1.2 or later";
  }
  if (t.alert_received == SSL_AD_PROTOCOL_VERSION) {
    return std::string(
        "the server refused TLS 1.2 and later (TLS alert \"protocol version\"): it "
        "offers only an older version; risksync requires TLS 1.2 or later");
  }
  if (t.alert_received >= 0) {
    return std::string("the server refused the handshake (TLS alert \"") +
           SSL_alert_desc_string_long(t.alert_received) + "\")";
  }
  if (t.sys_errno == ECONNRESET || (from_sys && reason == ECONNRESET)) {
    return std::string(
        "the connection was reset during the TLS handshake (a firewall or proxy blocking TLS, "
        "or no TLS server on this port)");
  }
  if ((t.syscall_failed && t.sys_errno == 0 && t.error == 0) ||
      reason == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    return std::string("the server closed the connection during the TLS handshake");
  }
  if (reason == SSL_R_WRONG_VERSION_NUMBER) {
    return std::string(
        "the server did not answer in TLS (\"wrong version number\"): is it a plain http:// "
        "server?");
  }
  if (reason == SSL_R_UNSUPPORTED_PROTOCOL) {
    return std::string(
        "the server offers only a TLS version older than 1.2; risksync requires "
        "TLS 1.2 or later");
  }
  if (t.error != 0) {
    const char* text = ERR_reason_error_string(t.error);
    return std::string("TLS error: ") + (text != nullptr ? text : "unknown");
  }
  if (t.syscall_failed && t.sys_errno != 0) {
    return std::string("system error during the TLS handshake: ") + std::strerror(t.sys_errno);
  }
  if (t.alert_sent >= 0) {
    return std::string("risksync refused the server's handshake (TLS alert \"") +
           SSL_alert_desc_string_long(t.alert_sent) + "\")";
  }
  return std::nullopt;
}

// After a server refused TLS 1.2+ with a protocol_version alert: which older version it does
// speak, learnt by a second handshake that offers only TLS 1.0-1.1 (OpenSSL security level 0,
// no verification: it carries no data and is closed at once). 0 when that fails too.
int probe_legacy_tls_version(const std::string& host, int port, milliseconds timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0 ||
      found == nullptr)
    return 0;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const long us = static_cast<long>(std::clamp<long long>(timeout.count(), 1, 10'000)) * 1000;
    const timeval tv{us / 1'000'000, us % 1'000'000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0) return 0;
  int version = 0;
  if (SSL_CTX* ctx = SSL_CTX_new(TLS_client_method()); ctx != nullptr) {
    SSL_CTX_set_security_level(ctx, 0);
    if (SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0") == 1 &&
        SSL_CTX_set_min_proto_version(ctx, SSL3_VERSION) == 1 &&
        SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION) == 1) {
      if (SSL* ssl = SSL_new(ctx); ssl != nullptr) {
        SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(host.c_str()));  // SSL_set_tlsext_host_name, without its C cast
        SSL_set_fd(ssl, fd);
        if (SSL_connect(ssl) == 1) version = SSL_version(ssl);
        SSL_free(ssl);
      }
    }
    SSL_CTX_free(ctx);
  }
  ERR_clear_error();
  ::close(fd);
  return version;
}

// Certificate verification results (SSL_get_verify_result), explained.
std::string explain_verify_result(long result) {
  const std::string code = X509_verify_cert_error_string(result);
  switch (result) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "the server's certificate has expired (" + code +
             "; or this machine's clock is wrong)";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "the server's certificate is not valid yet (" + code +
             "; or this machine's clock is wrong)";
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return "the server's certificate is issued by an unknown certificate authority (" + code +
             "); if it is your organisation's CA, give its certificate with tracker.ca_bundle";
    default:
      return code;
  }
}

}  // namespace

// ---- NetDeps, user agent ----

NetDeps::NetDeps()
    : now([] { return system_clock::now(); }),
      sleep([](milliseconds d) { std::this_thread::sleep_for(d); }),
      jitter([] {
        thread_local std::mt19937_64 engine{std::random_device{}()};
        return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
      }) {}

std::string default_user_agent() {
#ifdef RISKSYNC_VERSION
  return std::string("risksync/") + RISKSYNC_VERSION;
#else
  return "risksync";
#endif
}

// ---- Impl ----

struct HttpClient::Impl {
  HttpClientOptions options;
  NetDeps deps;
  Url base;
  Redactor redactor;
  ExchangeState exchange;  // before `client`, which refers to it
  std::unique_ptr<httplib::ClientImpl> client;
  httplib::SSLClient* ssl = nullptr;  // same object as `client` for https, else null
  bool proxied = false;
  RequestStats stats;
  std::shared_ptr<WritePacer> pacer;
  std::string pacer_key;  // "host:port"

  Result<std::string> resolve_target(std::string_view path_and_query) const;
  std::string describe(httplib::Error e, milliseconds elapsed) const;
  void log_exchange(const std::string& method, const std::string& shown_url,
                    const std::string& outcome, milliseconds elapsed, std::size_t bytes) const;
  void wait(milliseconds d);
  void notify(const HttpEvent& event) const {
    if (deps.observe) deps.observe(event);
  }
  Result<HttpResponse> send(const HttpRequest& request);

  // An Error about this request only (ErrorScope::item).
  Error fail(const std::string& message) const { return remote_error(redactor.redact(message)); }
  // An Error that stops the run (ErrorScope::run): the platform is unreachable, failing,
  // refusing TLS or rate limiting; `retry_at` when it said when to come back.
  Error fail_run(const std::string& message,
                 std::optional<system_clock::time_point> retry_at = std::nullopt) const {
    Error e = run_stopping_error(redactor.redact(message));
    e.retry_at = retry_at;
    return e;
  }
  Error rate_limited_error(system_clock::time_point retry_at, system_clock::time_point now,
                           const std::string& detail) const {
    return fail_run("rate limited by " + base.host + "; retry after " +
                        format_utc_time(retry_at, now) + " (" + detail + ")",
                    retry_at);
  }
};

Result<std::string> HttpClient::Impl::resolve_target(std::string_view path_and_query) const {
  for (char c : path_and_query) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\0')
      return Error{ErrorKind::internal,
                   redactor.redact("request path contains an unencoded space or control "
                                   "character: '" +
                                   std::string(path_and_query) + "'"),
                   {},
                   {}};
  }
  if (istarts_with(path_and_query, "https://") || istarts_with(path_and_query, "http://")) {
    auto url = parse_url(path_and_query);
    if (!url.ok()) return fail("invalid link URL: " + url.error().message);
    if (url->scheme != base.scheme || url->host != base.host || url->port != base.port) {
      return fail("refusing to follow a link to " + url->origin() + ": only " + base.origin() +
                  " is allowed for this client");
    }
    if (!url->userinfo.empty()) return fail("refusing to follow a link carrying credentials");
    std::string target = url->path.empty() ? "/" : url->path;
    if (!url->query.empty()) target += "?" + url->query;
    return target;
  }
  return join_path(base.path, path_and_query);
}

std::string HttpClient::Impl::describe(httplib::Error e, milliseconds elapsed) const {
  const std::string where = base.host + ":" + std::to_string(base.port);
  const std::string via = proxied ? " through proxy " + options.proxy->display() : "";
  switch (e) {
    case httplib::Error::Connection:
      return "cannot connect to " + where + via;
    case httplib::Error::ConnectionTimeout:
      return "connection to " + where + via + " timed out after " +
             format_ms(options.connect_timeout);
    case httplib::Error::Read:
      if (exchange.error) {
        switch (exchange.error->kind) {
          case FramingError::Kind::timeout:
            return "no response from " + where + via + " within the read timeout (" +
                   format_ms(options.read_timeout) + ")";
          case FramingError::Kind::closed:
            return "connection closed by " + where + via + " before a complete response";
          case FramingError::Kind::malformed:
            return "malformed HTTP response from " + where + via + ": " + exchange.error->message;
        }
      }
      // Failures outside the framing: the elapsed time tells a timeout from a close.
      if (elapsed + milliseconds(20) >= options.read_timeout)
        return "no response from " + where + via + " within the read timeout (" +
               format_ms(options.read_timeout) + ")";
      return "connection closed by " + where + via + " before a complete response";
    case httplib::Error::Write:
      return "failed to send the request to " + where + via +
             " (connection lost or write timeout of " + format_ms(options.write_timeout) + ")";
    case httplib::Error::SSLConnection:
      if (const auto why = classify_handshake_failure(exchange.tls)) {
        std::string text = "TLS handshake with " + where + via + " failed: ";
        if (exchange.tls.alert_received == SSL_AD_PROTOCOL_VERSION && !proxied) {
          const int legacy =
              probe_legacy_tls_version(base.host, base.port, options.connect_timeout);
          if (legacy != 0) {
            return text + "the server offers only " + tls_version_name(legacy) +
                   "; risksync requires TLS 1.2 or later";
          }
        }
        text += *why;
        if (proxied) {
          text += " (or the proxy refused the CONNECT" +
                  (options.proxy->username.empty()
                       ? std::string(")")
                       : std::string("; only Digest proxy authentication is supported)"));
        }
        return text;
      }
      if (!proxied) return "TLS handshake with " + where + " failed";
      return "TLS handshake with " + where + via + " failed, or the proxy refused the CONNECT" +
             (options.proxy->username.empty()
                  ? std::string()
                  : std::string(" (only Digest proxy authentication is supported)"));
    case httplib::Error::SSLLoadingCerts:
      return "cannot load the CA certificates from " + (options.ca_bundle_path.empty()
                                                            ? std::string("the system store")
                                                            : "'" + options.ca_bundle_path + "'");
    case httplib::Error::SSLServerVerification: {
      const long result = ssl != nullptr ? ssl->get_openssl_verify_result() : X509_V_OK;
      if (result != X509_V_OK) {
        return "TLS certificate verification failed for " + where + ": " +
               explain_verify_result(result) +
               (options.ca_bundle_path.empty() ? std::string(" (system CA store)")
                                               : " (CA bundle '" + options.ca_bundle_path + "')");
      }
      return "TLS certificate of " + where + " does not match the host name " + base.host;
    }
    default:
      return "HTTP client error (" + httplib::to_string(e) + ") talking to " + where;
  }
}

void HttpClient::Impl::log_exchange(const std::string& method, const std::string& shown_url,
                                    const std::string& outcome, milliseconds elapsed,
                                    std::size_t bytes) const {
  auto* logger = spdlog::default_logger_raw();
  if (logger == nullptr || !logger->should_log(spdlog::level::debug)) return;
  logger->debug("{}", redactor.redact("HTTP " + method + " " + shown_url + " -> " + outcome +
                                      " in " + std::to_string(elapsed.count()) + " ms (" +
                                      std::to_string(bytes) + " B)"));
}

void HttpClient::Impl::wait(milliseconds d) {
  if (d <= milliseconds(0)) return;
  stats.waited += d;
  deps.sleep(d);
}

Result<HttpResponse> HttpClient::Impl::send(const HttpRequest& request) {
  ++stats.calls;
  const std::string method = to_upper(request.method.empty() ? "GET" : request.method);
  for (char c : method) {
    if (c < 'A' || c > 'Z')
      return Error{ErrorKind::internal, "invalid HTTP method '" + method + "'", {}, {}};
  }
  auto target = resolve_target(request.path_and_query);
  if (!target.ok()) return target.error();

  // Headers: defaults, overridden name by name by the request's own.
  Headers headers = options.default_headers;
  for (const auto& [name, value] : request.headers) {
    const auto range = headers.equal_range(name);
    headers.erase(range.first, range.second);
  }
  for (const auto& [name, value] : request.headers) {
    redactor.add_header_secrets(name, value);
    headers.emplace(name, value);
  }
  if (!find_header(headers, "User-Agent") && !options.user_agent.empty())
    headers.emplace("User-Agent", options.user_agent);
  // cpp-httplib 0.11.4 does not ask for compression itself; it does decompress (zlib, brotli).
  if (!find_header(headers, "Accept-Encoding")) headers.emplace("Accept-Encoding", "gzip");
  if (!request.content_type.empty())
    set_header(headers, "Content-Type", request.content_type);
  else if (!request.body.empty() && !find_header(headers, "Content-Type"))
    headers.emplace("Content-Type", "application/json");

  const std::string shown_url = redactor.redact(base.origin() + *target);
  const std::string what = method + " " + shown_url;
  const bool idempotent = request.idempotent.value_or(method != "POST");
  const bool mutation = is_mutation(method);
  const RetryPolicy& policy = options.retry;
  const int max_attempts = std::max(1, policy.max_attempts);

  milliseconds waited{0};  // back-off and rate-limit waits of this call (pacing excluded)
  int failures = 0;        // transient failures so far
  int rate_limit_waits = 0;
  bool after_rate_limit_wait = false;  // that wait spaced this attempt already
  for (int attempt = 1;; ++attempt) {
    if (mutation) {
      if (const auto refused = pacer->refused_until(pacer_key, deps.now())) {
        return rate_limited_error(*refused, deps.now(),
                                  "secondary rate limit persists; " + what + " not sent");
      }
      if (!after_rate_limit_wait)
        wait(pacer->wait_before_write(pacer_key, deps.now(), options.min_write_interval));
    }
    after_rate_limit_wait = false;

    httplib::Request hreq;
    hreq.method = method;
    hreq.path = *target;
    hreq.body = request.body;
    for (const auto& [name, value] : headers) hreq.headers.emplace(name, value);

    ++stats.attempts;
    ++stats.attempts_by_method[method];
    if (attempt > 1) ++stats.retries;
    stats.bytes_sent += request.body.size();

    exchange.start(method);
    const auto start = deps.now();
    httplib::Result result = [&] {
      const ScopedSigpipeBlock no_sigpipe;
      return client->send(hreq);
    }();
    const auto end = deps.now();
    const auto elapsed = std::chrono::duration_cast<milliseconds>(end - start);
    if (mutation) pacer->record_write(pacer_key, end);

    if (!result) {
      const httplib::Error error = result.error();
      ++stats.transport_errors;
      notify({HttpEvent::Kind::transport_error, 0, milliseconds(0)});
      const std::string why = describe(error, elapsed);
      log_exchange(method, shown_url, "failed (" + httplib::to_string(error) + ")", elapsed, 0);
      // A handshake that failed for a reason OpenSSL named fails the same way next time.
      const bool classified_tls = error == httplib::Error::SSLConnection &&
                                  classify_handshake_failure(exchange.tls).has_value();
      if (!is_retryable_transport_error(error) || classified_tls) {
        if (stops_run_when_final(error)) return fail_run(what + ": " + why);
        return fail(what + ": " + why);
      }
      if (!idempotent && !failed_before_sending(error)) {
        return fail(what + ": " + why +
                    "; not retried because the server may have processed the request");
      }
      ++failures;
      if (failures >= max_attempts) {
        return fail_run(what + ": " + why + " (gave up after " + std::to_string(attempt) +
                        (attempt == 1 ? " attempt)" : " attempts)"));
      }
      const milliseconds delay = backoff_delay(policy, failures, deps.jitter());
      if (waited + delay > policy.max_total_wait) {
        return fail_run(what + ": " + why + " (gave up: retrying would exceed the wait budget of " +
                        format_ms(policy.max_total_wait) + ")");
      }
      spdlog::warn("{}", redactor.redact(what + ": " + why + "; retrying in " + format_ms(delay) +
                                         " (attempt " + std::to_string(attempt + 1) + "/" +
                                         std::to_string(max_attempts) + ")"));
      waited += delay;
      wait(delay);
      continue;
    }

    HttpResponse response;
    response.status = result->status;
    // The headers as the server sent them (cpp-httplib saw only the canonical message).
    response.headers = exchange.response && exchange.response->status == result->status
                           ? std::move(exchange.response->headers)
                           : from_httplib(result->headers);
    response.body = std::move(result->body);
    ++stats.responses_by_status[response.status];
    notify({HttpEvent::Kind::response, response.status, milliseconds(0)});
    stats.bytes_received += response.body.size();
    if (response.status == 304) ++stats.not_modified;
    std::string outcome = std::to_string(response.status);
    if (const auto remaining = response.header("x-ratelimit-remaining"))
      outcome += " [rate limit remaining " + *remaining + "]";
    else if (const auto gl_remaining = response.header("RateLimit-Remaining"))
      outcome += " [rate limit remaining " + *gl_remaining + "]";
    log_exchange(method, shown_url, outcome, elapsed, response.body.size());

    if (response.status == 407 && proxied) {
      return fail_run(what + ": the proxy " + options.proxy->display() +
                      " requires authentication (HTTP 407)" +
                      (options.proxy->username.empty()
                           ? std::string("; give credentials in the proxy URL")
                           : std::string("; only Digest proxy authentication is supported "
                                         "(cpp-httplib 0.11.4 would leak Basic credentials to "
                                         "the API server)")));
    }

    if (is_rate_limited(response)) {
      ++stats.rate_limited;
      const std::string detail = "HTTP " + std::to_string(response.status) + " on " + what;
      const bool secondary = is_secondary_rate_limit(response);
      // A secondary limit's fallback wait grows with the limits of the whole run (GitHub: wait
      // exponentially longer while it persists), not only with this request's.
      const int previous = secondary
                               ? std::max(rate_limit_waits, pacer->secondary_limits(pacer_key))
                               : rate_limit_waits;
      const milliseconds delay = rate_limit_wait(response, end, previous, policy);
      const auto retry_at = end + delay;
      if (secondary) {
        const int limits = pacer->record_secondary_limit(pacer_key, retry_at);
        if (limits > pacer->policy().max_secondary_limits) {
          pacer->refuse_until(pacer_key, retry_at);
          return rate_limited_error(
              retry_at, end,
              detail + "; secondary rate limit " + std::to_string(limits) + " times in this run");
        }
      }
      if (rate_limit_waits >= policy.max_rate_limit_waits ||
          waited + delay > policy.max_total_wait) {
        return rate_limited_error(retry_at, end, detail);
      }
      spdlog::warn("{}",
                   redactor.redact("rate limited by " + base.host + " (" + detail + "); waiting " +
                                   format_ms(delay) +
                                   (secondary ? "; writes to this host slow down to one per " +
                                                    format_ms(pacer->policy().slowed_write_interval)
                                              : std::string())));
      ++rate_limit_waits;
      waited += delay;
      notify({HttpEvent::Kind::rate_limit_wait, response.status, delay});
      wait(delay);
      after_rate_limit_wait = true;
      continue;
    }

    if (is_retryable_status(response.status)) {
      if (!idempotent) return response;  // the sync layer checks for a duplicate first
      ++failures;
      const std::string why =
          "HTTP " + std::to_string(response.status) + ": " + body_excerpt(response.body);
      if (failures >= max_attempts) {
        return fail_run(what + ": server error " + why + " (gave up after " +
                        std::to_string(attempt) + (attempt == 1 ? " attempt)" : " attempts)"));
      }
      milliseconds delay = backoff_delay(policy, failures, deps.jitter());
      if (const auto retry_after = response.header("Retry-After")) {
        if (const auto hinted = parse_retry_after(*retry_after, end))
          delay = std::max(delay, *hinted);
      }
      if (waited + delay > policy.max_total_wait) {
        return fail_run(what + ": server error " + why +
                        " (gave up: retrying would exceed the wait budget of " +
                        format_ms(policy.max_total_wait) + ")");
      }
      spdlog::warn("{}", redactor.redact(what + ": HTTP " + std::to_string(response.status) +
                                         "; retrying in " + format_ms(delay) + " (attempt " +
                                         std::to_string(attempt + 1) + "/" +
                                         std::to_string(max_attempts) + ")"));
      waited += delay;
      wait(delay);
      continue;
    }
    return response;
  }
}

// ---- HttpClient ----

Result<std::unique_ptr<HttpClient>> HttpClient::create(HttpClientOptions options, NetDeps deps) {
  auto impl = std::make_unique<Impl>();
  if (!deps.now || !deps.sleep || !deps.jitter)
    return Error{ErrorKind::internal, "NetDeps: now, sleep and jitter must all be set", {}, {}};

  auto base = parse_service_url(options.base_url);
  if (!base.ok()) return bad_input("API base URL: " + base.error().message);
  if (!base->query.empty())
    return bad_input("API base URL " + base->to_string() + ": a base URL has no query string");

  for (const auto& [name, value] : options.default_headers)
    impl->redactor.add_header_secrets(name, value);
  for (const auto& secret : options.secrets) impl->redactor.add_secret(secret);
  if (options.proxy) impl->redactor.add_secret(options.proxy->password);

  if (!options.ca_bundle_path.empty()) {
    BIO* bio = BIO_new_file(options.ca_bundle_path.c_str(), "r");
    if (bio == nullptr) {
      ERR_clear_error();
      return local_io_error("cannot read the CA bundle", options.ca_bundle_path);
    }
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    ERR_clear_error();
    if (cert == nullptr) {
      return bad_input("the CA bundle holds no PEM certificate",
                       SourceLocation{options.ca_bundle_path, 0});
    }
    X509_free(cert);
  }

  if (base->scheme == "https") {
    auto ssl = std::make_unique<FramedSslClient>(base->host, base->port, impl->exchange);
    if (!ssl->is_valid() || ssl->ssl_context() == nullptr)
      return Error{ErrorKind::internal, "cannot create the OpenSSL client context", {}, {}};
    if (SSL_CTX_set_min_proto_version(ssl->ssl_context(), TLS1_2_VERSION) != 1)
      return Error{ErrorKind::internal, "cannot require TLS 1.2 or later", {}, {}};
    ssl->enable_server_certificate_verification(true);
    SSL_CTX* ctx = ssl->ssl_context();
    SSL_CTX_set_ex_data(ctx, exchange_ex_index(), &impl->exchange);
    SSL_CTX_set_msg_callback(ctx, on_tls_message);
    SSL_CTX_set_msg_callback_arg(ctx, &impl->exchange);
    SSL_CTX_set_info_callback(ctx, on_tls_info);
    if (!options.ca_bundle_path.empty()) ssl->set_ca_cert_path(options.ca_bundle_path);
    if (options.proxy) {
      ssl->set_proxy(options.proxy->host, options.proxy->port);
      // Digest only: Basic proxy credentials would be sent inside the tunnel too.
      if (!options.proxy->username.empty())
        ssl->set_proxy_digest_auth(options.proxy->username, options.proxy->password);
      impl->proxied = true;
    }
    impl->ssl = ssl.get();
    impl->client = std::move(ssl);
  } else {
    impl->client = std::make_unique<FramedClient>(base->host, base->port, impl->exchange);
  }

  auto& client = *impl->client;
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // headers and body are separate writes: avoid Nagle stalls
  client.set_follow_location(false);
  client.set_url_encode(false);  // callers encode with encode_path_segment/encode_query_value
  client.set_compress(false);
  client.set_decompress(true);
  client.set_connection_timeout(options.connect_timeout);
  client.set_read_timeout(options.read_timeout);
  client.set_write_timeout(options.write_timeout);
  impl->exchange.read_timeout = options.read_timeout;
  impl->exchange.write_timeout = options.write_timeout;

  impl->pacer = options.write_pacer ? options.write_pacer : WritePacer::process_wide();
  impl->pacer_key = base->host + ":" + std::to_string(base->port);
  impl->base = std::move(*base);
  impl->options = std::move(options);
  impl->deps = std::move(deps);
  spdlog::debug("{}", impl->redactor.redact(
                          "HTTP client for " + impl->base.to_string() +
                          (impl->proxied ? " through proxy " + impl->options.proxy->display()
                                         : std::string())));
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpClient::~HttpClient() {
  const ScopedSigpipeBlock no_sigpipe;  // closing TLS sends close_notify to a possibly gone peer
  impl_.reset();
}

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
  return impl_->send(request);
}

const RequestStats& HttpClient::stats() const {
  return impl_->stats;
}

void HttpClient::reset_stats() {
  impl_->stats = RequestStats{};
}

const Redactor& HttpClient::redactor() const {
  return impl_->redactor;
}

const Url& HttpClient::base_url() const {
  return impl_->base;
}

}  // namespace risksync::net
