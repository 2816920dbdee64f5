// Reusable fake HTTP(S) servers for tests (cpp-httplib's own test style: bind an ephemeral
// loopback port, wait until ready, stop and join in the destructor).
//
//  - FakeHttpServer: an httplib::Server (or SSLServer) on 127.0.0.1, started in its own thread.
//    Tests install handlers per method and path regex (the latest installed match wins; no
//    match answers 404), and read back every request received, in order. Handlers run on the
//    server's worker threads: capture only thread-safe state (atomics) or use requests().
//  - RawTcpServer: accepts TCP connections, reads the request head, writes a canned reply
//    (by default nothing: the "server closed the connection without a response" fault; or e.g.
//    a raw "HTTP/1.1 407 ..." to play an HTTP proxy refusing a CONNECT) and closes.
//
// Strict framing by default (issue 11): a plain-HTTP FakeHttpServer answers through a
// StrictHttpFront (support/strict_http_front.h), a loopback relay in front of cpp-httplib's
// server, so the bytes on the wire are framed as strict servers (Apache, Rack) frame them: 304
// and 204 without Content-Length (cpp-httplib's server itself always adds "Content-Length: 0"
// and the handler cannot prevent it) and every other response with content chunked. Requests
// reach the handler byte for byte; one client connection is one upstream connection, so
// RecordedRequest::remote_port still tells reused connections apart (the port is the relay's).
// WireFraming::cpp_httplib opts out, for the tests that need cpp-httplib's own bytes (the pin
// in tests/net/response_framing_test.cpp). An HTTPS FakeHttpServer is always cpp-httplib's
// (its tests are about certificates). Tests of other framings (a 304 with the 200's length,
// chunked trailers, 1xx...) use RawHttpServer (support/raw_http_server.h), which writes
// scripted bytes exactly.
//
// Both are RAII: construction starts and waits until the server accepts connections (check
// ok()); destruction stops it and joins its thread, cutting short any FakeResponse::delay.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "net/http.h"
#include "support/strict_http_front.h"

namespace httplib {
class Server;
}

namespace risksync::testing {

// One part of a multipart/form-data body (cpp-httplib parses those itself and leaves `body`
// empty).
struct RecordedFormPart {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string content;
};

struct RecordedRequest {
  std::string method;
  std::string target;  // raw request-target, e.g. "/api/v3/repos/o/r?page=2"
  std::string path;    // raw (still percent-encoded) path, without the query
  std::string query;   // raw query without '?', "" if none
  net::Headers headers;
  std::string body;
  std::vector<RecordedFormPart> form_parts;  // multipart/form-data requests
  int remote_port = 0;  // the client's port: equal ports mean one reused connection

  // First value of a header, "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // Decoded value of a query parameter, "" when absent.
  std::string param(std::string_view name) const;
};

struct FakeResponse {
  int status = 200;
  net::Headers headers;
  std::string body;
  std::string content_type = "application/json";
  // Wait this long before answering (cut short when the server stops).
  std::chrono::milliseconds delay{0};

  static FakeResponse json(int status, std::string body);
  FakeResponse& with_header(std::string name, std::string value);
};

struct TlsIdentity {
  std::string cert_path;  // PEM certificate
  std::string key_path;   // PEM private key
};

// How a plain-HTTP FakeHttpServer frames its responses on the wire.
enum class WireFraming {
  strict,       // through StrictHttpFront: 304/204 without length, content chunked (default)
  cpp_httplib,  // cpp-httplib's own bytes: "Content-Length: 0" on 304/204, Content-Length bodies
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeResponse(const RecordedRequest&)>;

  explicit FakeHttpServer(WireFraming framing = WireFraming::strict);  // plain HTTP
  explicit FakeHttpServer(const TlsIdentity& tls);  // HTTPS, cpp-httplib's framing
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  // "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT".
  std::string base_url() const;

  // `method` is "GET", "POST"...; "*" matches any. `path_regex` must match the whole raw path.
  void on(std::string method, std::string path_regex, Handler handler);

  std::vector<RecordedRequest> requests() const;
  std::size_t request_count() const;
  RecordedRequest last_request() const;  // default-constructed when none
  void clear_requests();
  // Heads (status line and fields) of the responses as written on the wire by the strict front,
  // in order; empty with WireFraming::cpp_httplib and over HTTPS.
  std::vector<std::string> wire_response_heads() const;

 private:
  struct Route {
    std::string method;
    std::regex path;
    Handler handler;
  };

  void start();
  FakeResponse dispatch(const RecordedRequest& request);
  void wait_or_stop(std::chrono::milliseconds delay);

  bool tls_ = false;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;  // what clients connect to: the front's port, or the server's
  bool strict_ = false;
  std::unique_ptr<StrictHttpFront> front_;

  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::vector<Route> routes_;
  std::vector<RecordedRequest> requests_;
};

class RawTcpServer {
 public:
  explicit RawTcpServer(std::string reply = {});
  ~RawTcpServer();
  RawTcpServer(const RawTcpServer&) = delete;
  RawTcpServer& operator=(const RawTcpServer&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  std::string base_url() const;  // "http://127.0.0.1:PORT"
  std::size_t connections() const { return connections_.load(); }
  // The request heads received (request line and headers), in order.
  std::vector<std::string> heads() const;

 private:
  std::string reply_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> connections_{0};
  mutable std::mutex mutex_;
  std::vector<std::string> heads_;
  std::thread thread_;
};

}  // namespace risksync::testing
