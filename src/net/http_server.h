// A small HTTP listener over cpp-httplib, with platform-neutral request and response values
// (net/http.h Headers), so that app/ registers routes without including <httplib.h>.
//
// Contract:
//  - route() before start(); a request to a path with no route gets 404, to a known path with
//    another method 405 (cpp-httplib's 404 is kept for unknown methods).
//  - Bodies longer than `max_body_bytes` are refused with 413 before the handler runs.
//  - Handlers run on the server's worker threads, several at a time: they must be thread-safe.
//    An exception thrown by a handler becomes a 500 with no detail.
//  - start() binds host:port (port 0 = an ephemeral port, returned) and serves on a thread of
//    its own; it returns a local_io Error when the address cannot be bound (in use by another
//    process included: SO_REUSEPORT is not set). stop() (also the
//    destructor) stops accepting, waits for the handlers in flight and joins.
// Thread safety: route/start/stop from one thread; handlers as above.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "net/http.h"
#include "util/result.h"

namespace risksync::net {

struct ServerRequest {
  std::string method;                             // upper-case
  std::string path;                               // without the query
  std::multimap<std::string, std::string> query;  // decoded parameters
  Headers headers;
  std::string body;  // raw, exactly as received (signatures are computed on it)

  std::optional<std::string> header(std::string_view name) const {
    return find_header(headers, name);
  }
  std::optional<std::string> query_value(const std::string& name) const;
};

struct ServerResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

using RouteHandler = std::function<ServerResponse(const ServerRequest&)>;

struct HttpServerOptions {
  std::size_t max_body_bytes = 1024 * 1024;
  int read_timeout_s = 10;
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void route(const std::string& method, const std::string& path, RouteHandler handler);
  Result<int> start(const std::string& host, int port);
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace risksync::net
