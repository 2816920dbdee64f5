#include "support/raw_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace risksync::testing {

namespace {

// Content-Length of a request head, 0 when absent or invalid.
std::size_t content_length(const std::string& head) {
  std::string lower(head);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = lower.find("\ncontent-length:");
  if (at == std::string::npos) return 0;
  std::size_t pos = at + 16;
  while (pos < lower.size() && lower[pos] == ' ') ++pos;
  std::size_t n = 0;
  while (pos < lower.size() && std::isdigit(static_cast<unsigned char>(lower[pos])))
    n = n * 10 + static_cast<std::size_t>(lower[pos++] - '0');
  return n;
}

}  // namespace

RawHttpServer::RawHttpServer(std::vector<RawScript> scripts) : scripts_(std::move(scripts)) {
  if (scripts_.empty()) scripts_.push_back({});
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) return;
  const int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
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
      const std::size_t index = connections_++;
      pending_.clear();
      serve(fd, scripts_[std::min(index, scripts_.size() - 1)]);
    }
  });
  port_ = ntohs(addr.sin_port);
}

RawHttpServer::~RawHttpServer() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string RawHttpServer::http_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string RawHttpServer::https_url() const {
  return "https://127.0.0.1:" + std::to_string(port_);
}

std::vector<std::string> RawHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

bool RawHttpServer::read_one(int fd, bool whole_request, std::string& out) {
  std::string& buffer = pending_;
  char chunk[4096];
  for (;;) {
    if (!whole_request && !buffer.empty()) {
      out.swap(buffer);
      buffer.clear();
      return true;
    }
    if (whole_request) {
      const auto end = buffer.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::size_t total = end + 4 + content_length(buffer.substr(0, end + 2));
        if (buffer.size() >= total) {
          out = buffer.substr(0, total);
          buffer.erase(0, total);
          return true;
        }
      }
    }
    if (stop_.load()) return false;
    pollfd cfd{fd, POLLIN, 0};
    if (::poll(&cfd, 1, 20) <= 0) continue;
    const auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

void RawHttpServer::serve(int fd, const RawScript& script) {
  bool open = true;
  for (const RawStep& step : script) {
    std::string request;
    if (!read_one(fd, step.read_request, request)) {
      open = false;
      break;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
    }
    std::size_t sent = 0;
    while (sent < step.reply.size()) {
      const auto n = ::send(fd, step.reply.data() + sent, step.reply.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
    if (step.then == RawStep::Then::reset) {
      const linger hard{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      open = false;
      break;
    }
    if (step.then == RawStep::Then::close) {
      open = false;
      break;
    }
  }
  if (open) {
    // An unscripted request is recorded and answered by closing.
    std::string extra;
    if (read_one(fd, true, extra)) {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(extra);
    }
  }
  ::close(fd);
}

}  // namespace risksync::testing
