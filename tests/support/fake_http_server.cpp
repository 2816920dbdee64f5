// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex>/<functional> when
// std::regex is built with -fsanitize=address -O2 (GCC bug 105562); silence it for this file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "support/fake_http_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace risksync::testing {

namespace {

std::string decode_query_value(std::string_view raw) {
  std::string plus_as_space(raw);
  for (char& c : plus_as_space)
    if (c == '+') c = ' ';
  return net::percent_decode(plus_as_space);
}

}  // namespace

// ---- RecordedRequest ----

std::string RecordedRequest::header(std::string_view name) const {
  return net::find_header(headers, name).value_or("");
}

bool RecordedRequest::has_header(std::string_view name) const {
  return net::find_header(headers, name).has_value();
}

std::string RecordedRequest::param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (decode_query_value(pair.substr(0, eq)) == name)
      return eq == std::string_view::npos ? std::string() : decode_query_value(pair.substr(eq + 1));
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return {};
}

// ---- FakeResponse ----

FakeResponse FakeResponse::json(int status, std::string body) {
  FakeResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

FakeResponse& FakeResponse::with_header(std::string name, std::string value) {
  headers.emplace(std::move(name), std::move(value));
  return *this;
}

// ---- FakeHttpServer ----

FakeHttpServer::FakeHttpServer(WireFraming framing)
    : server_(std::make_unique<httplib::Server>()), strict_(framing == WireFraming::strict) {
  start();
}

FakeHttpServer::FakeHttpServer(const TlsIdentity& tls)
    : tls_(true),
      server_(std::make_unique<httplib::SSLServer>(tls.cert_path.c_str(), tls.key_path.c_str())) {
  start();
}

void FakeHttpServer::start() {
  if (!server_->is_valid()) return;
  server_->set_keep_alive_timeout(1);
  server_->set_keep_alive_max_count(1000);
  server_->set_tcp_nodelay(true);
  const auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    RecordedRequest rec;
    rec.method = req.method;
    rec.target = req.target;
    const auto q = req.target.find('?');
    rec.path = req.target.substr(0, q);
    if (q != std::string::npos) rec.query = req.target.substr(q + 1);
    for (const auto& [name, value] : req.headers) {
      // cpp-httplib's server adds these pseudo-headers; the client never sent them.
      if (name == "LOCAL_ADDR" || name == "LOCAL_PORT" || name == "REMOTE_ADDR" ||
          name == "REMOTE_PORT")
        continue;
      rec.headers.emplace(name, value);
    }
    rec.body = req.body;
    for (const auto& [part_name, part] : req.files)
      rec.form_parts.push_back({part_name, part.filename, part.content_type, part.content});
    rec.remote_port = req.remote_port;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(rec);
    }
    FakeResponse out = dispatch(rec);
    wait_or_stop(out.delay);
    res.status = out.status;
    for (const auto& [name, value] : out.headers) res.headers.emplace(name, value);
    if (!out.body.empty() || out.status != 304) res.set_content(out.body, out.content_type);
  };
  const std::string any = ".*";
  server_->Get(any, handle);
  server_->Post(any, handle);
  server_->Put(any, handle);
  server_->Patch(any, handle);
  server_->Delete(any, handle);
  server_->Options(any, handle);
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content("fake server handler threw", "text/plain");
      });

  const int port = server_->bind_to_any_port("127.0.0.1");
  if (port <= 0) return;
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!server_->is_running()) return;
  if (!strict_) {
    port_ = port;
    return;
  }
  front_ = std::make_unique<StrictHttpFront>(port, StrictFrontOptions{});
  if (front_->ok()) port_ = front_->port();
}

FakeHttpServer::~FakeHttpServer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  front_.reset();  // closes every client connection at once
  if (thread_.joinable()) {
    // listen_after_bind() may not have flagged itself running yet; stop() only acts then.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_->is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server_->stop();
    thread_.join();
  }
}

std::string FakeHttpServer::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void FakeHttpServer::on(std::string method, std::string path_regex, Handler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  routes_.push_back(Route{std::move(method), std::regex(path_regex), std::move(handler)});
}

FakeResponse FakeHttpServer::dispatch(const RecordedRequest& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = routes_.rbegin(); it != routes_.rend(); ++it) {
      if ((it->method == "*" || it->method == request.method) &&
          std::regex_match(request.path, it->path)) {
        handler = it->handler;
        break;
      }
    }
  }
  if (!handler) {
    return FakeResponse::json(404, R"({"message":"Not Found (no fake handler for )" +
                                       request.method + " " + request.path + ")\"}");
  }
  return handler(request);
}

void FakeHttpServer::wait_or_stop(std::chrono::milliseconds delay) {
  if (delay <= std::chrono::milliseconds(0)) return;
  std::unique_lock<std::mutex> lock(mutex_);
  stop_cv_.wait_for(lock, delay, [this] { return stopping_; });
}

std::vector<RecordedRequest> FakeHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::size_t FakeHttpServer::request_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.size();
}

RecordedRequest FakeHttpServer::last_request() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.empty() ? RecordedRequest{} : requests_.back();
}

void FakeHttpServer::clear_requests() {
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.clear();
}

std::vector<std::string> FakeHttpServer::wire_response_heads() const {
  return front_ ? front_->response_heads() : std::vector<std::string>{};
}

// ---- RawTcpServer ----

RawTcpServer::RawTcpServer(std::string reply) : reply_(std::move(reply)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) return;
  const int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, sa, sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, sa, &len) != 0)
    return;
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      pollfd pfd{listen_fd_, POLLIN, 0};
      if (::poll(&pfd, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      // Read the request head (bounded in time), answer the canned reply, close.
      std::string head;
      char buf[4096];
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
      while (head.find("\r\n\r\n") == std::string::npos &&
             std::chrono::steady_clock::now() < deadline && !stop_.load()) {
        pollfd cfd{fd, POLLIN, 0};
        if (::poll(&cfd, 1, 20) <= 0) continue;
        const auto n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        head.append(buf, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        heads_.push_back(head.substr(0, head.find("\r\n\r\n")));
      }
      if (!reply_.empty()) (void)::send(fd, reply_.data(), reply_.size(), MSG_NOSIGNAL);
      ::close(fd);
    }
  });
  port_ = ntohs(addr.sin_port);
}

RawTcpServer::~RawTcpServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string RawTcpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> RawTcpServer::heads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return heads_;
}

}  // namespace risksync::testing
