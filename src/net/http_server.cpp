#include "net/http_server.h"

#include <httplib.h>

#include <sys/socket.h>

#include <map>
#include <thread>

namespace risksync::net {

std::optional<std::string> ServerRequest::query_value(const std::string& name) const {
  const auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

struct HttpServer::Impl {
  HttpServerOptions options;
  httplib::Server server;
  std::map<std::string, std::map<std::string, RouteHandler>> routes;  // path -> method -> handler
  std::thread thread;
  bool started = false;

  void dispatch(const httplib::Request& req, httplib::Response& res) {
    const auto path = routes.find(req.path);
    if (path == routes.end()) {
      res.status = 404;
      res.set_content("not found\n", "text/plain; charset=utf-8");
      return;
    }
    const auto handler = path->second.find(req.method);
    if (handler == path->second.end()) {
      res.status = 405;
      std::string allowed;
      for (const auto& [method, h] : path->second)
        allowed += (allowed.empty() ? "" : ", ") + method;
      res.set_header("Allow", allowed);
      res.set_content("method not allowed\n", "text/plain; charset=utf-8");
      return;
    }
    ServerRequest request;
    request.method = req.method;
    request.path = req.path;
    for (const auto& [k, v] : req.params) request.query.emplace(k, v);
    for (const auto& [k, v] : req.headers) request.headers.emplace(k, v);
    request.body = req.body;
    if (request.body.size() > options.max_body_bytes) {
      res.status = 413;
      res.set_content("payload too large\n", "text/plain; charset=utf-8");
      return;
    }
    const ServerResponse out = handler->second(request);
    res.status = out.status;
    res.set_content(out.body, out.content_type);
  }
};

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
}

HttpServer::~HttpServer() {
  stop();
}

void HttpServer::route(const std::string& method, const std::string& path, RouteHandler handler) {
  impl_->routes[path][method] = std::move(handler);
}

Result<int> HttpServer::start(const std::string& host, int port) {
  Impl& impl = *impl_;
  impl.server.set_payload_max_length(impl.options.max_body_bytes);
  // cpp-httplib's default also sets SO_REUSEPORT, which would let a second daemon share the
  // port silently: only SO_REUSEADDR (a restart may rebind at once).
  impl.server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  impl.server.set_read_timeout(impl.options.read_timeout_s, 0);
  impl.server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content("internal error\n", "text/plain; charset=utf-8");
      });
  const auto dispatch = [&impl](const httplib::Request& req, httplib::Response& res) {
    impl.dispatch(req, res);
  };
  // Every path goes through dispatch, which answers 404/405 itself.
  impl.server.Get(".*", dispatch);
  impl.server.Post(".*", dispatch);
  impl.server.Put(".*", dispatch);
  impl.server.Delete(".*", dispatch);
  impl.server.Patch(".*", dispatch);
  int bound = port;
  if (port == 0) {
    bound = impl.server.bind_to_any_port(host);
    if (bound <= 0) return local_io_error("cannot listen on " + host + ": no free port");
  } else if (!impl.server.bind_to_port(host, port)) {
    return local_io_error("cannot listen on " + host + ":" + std::to_string(port) +
                          " (address in use or not local?)");
  }
  impl.thread = std::thread([&impl] { impl.server.listen_after_bind(); });
  impl.started = true;
  // stop() is a no-op until the server runs: wait for it, so that stop() always ends it.
  while (!impl.server.is_running()) std::this_thread::yield();
  return bound;
}

void HttpServer::stop() {
  if (!impl_ || !impl_->started) return;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->started = false;
}

}  // namespace risksync::net
