#include "support/strict_http_front.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>

#include "util/ascii.h"

namespace risksync::testing {

namespace {

constexpr std::size_t kChunkSize = 4096;

struct Field {
  std::string name;   // as received
  std::string value;  // trimmed
  std::string line;   // the whole field line, without its CRLF
};

struct Head {
  std::size_t size = 0;  // bytes up to and including the empty line
  std::string start_line;
  std::vector<Field> fields;

  std::optional<std::string> field(std::string_view name) const {
    for (const auto& f : fields)
      if (ascii::iequals(f.name, name)) return f.value;
    return std::nullopt;
  }
  bool chunked() const {
    const auto te = field("Transfer-Encoding");
    return te && ascii::to_lower(*te).find("chunked") != std::string::npos;
  }
  std::optional<std::size_t> content_length() const {
    const auto cl = field("Content-Length");
    if (!cl || cl->empty()) return std::nullopt;
    std::size_t n = 0;
    for (const char c : *cl) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
  }
  bool says_close() const {
    const auto connection = field("Connection");
    return connection && ascii::to_lower(*connection).find("close") != std::string::npos;
  }
};

// The head at the start of `bytes`, nullopt while its empty line has not arrived. Our peers
// (cpp-httplib, curl) end lines with CRLF.
std::optional<Head> parse_head(std::string_view bytes) {
  const auto end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  Head head;
  head.size = end + 4;
  std::string_view rest = bytes.substr(0, end + 2);
  auto eol = rest.find("\r\n");
  head.start_line = std::string(rest.substr(0, eol));
  rest.remove_prefix(eol + 2);
  while (!rest.empty()) {
    eol = rest.find("\r\n");
    const std::string_view line = rest.substr(0, eol);
    const auto colon = line.find(':');
    Field f;
    f.line = std::string(line);
    f.name = std::string(ascii::trim(line.substr(0, colon)));
    if (colon != std::string_view::npos) f.value = std::string(ascii::trim(line.substr(colon + 1)));
    head.fields.push_back(std::move(f));
    rest.remove_prefix(eol + 2);
  }
  return head;
}

// Offset just past a chunked body starting at `from` (its trailer section included), nullopt
// while incomplete. Appends the content to `content` when given.
std::optional<std::size_t> chunked_body_end(std::string_view bytes, std::size_t from,
                                            std::string* content) {
  std::size_t pos = from;
  for (;;) {
    const auto eol = bytes.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    std::size_t size = 0;
    for (std::size_t i = pos; i < eol; ++i) {
      const char c = ascii::lower(bytes[i]);
      if (c >= '0' && c <= '9') {
        size = size * 16 + static_cast<std::size_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        size = size * 16 + static_cast<std::size_t>(c - 'a' + 10);
      } else {
        break;  // chunk extensions
      }
    }
    pos = eol + 2;
    if (size == 0) {
      for (;;) {  // trailer section, up to its empty line
        const auto trailer_end = bytes.find("\r\n", pos);
        if (trailer_end == std::string_view::npos) return std::nullopt;
        const bool last = trailer_end == pos;
        pos = trailer_end + 2;
        if (last) return pos;
      }
    }
    if (bytes.size() < pos + size + 2) return std::nullopt;
    if (content) content->append(bytes.substr(pos, size));
    pos += size + 2;
  }
}

// Reads the client's byte stream (already forwarded) only to learn each request's method.
class RequestScanner {
 public:
  void feed(const char* data, std::size_t size) {
    buffer_.append(data, size);
    for (;;) {
      const auto head = parse_head(buffer_);
      if (!head) return;
      if (!method_taken_) {
        methods_.push_back(head->start_line.substr(0, head->start_line.find(' ')));
        method_taken_ = true;  // known before the body arrives (Expect: 100-continue)
      }
      std::size_t end = head->size;
      if (head->chunked()) {
        const auto body_end = chunked_body_end(buffer_, head->size, nullptr);
        if (!body_end) return;
        end = *body_end;
      } else {
        end += head->content_length().value_or(0);
        if (buffer_.size() < end) return;
      }
      buffer_.erase(0, end);
      method_taken_ = false;
    }
  }
  // The method of the oldest request not yet answered ("GET" if none: never the case).
  std::string oldest() const { return methods_.empty() ? "GET" : methods_.front(); }
  void answered() {
    if (!methods_.empty()) methods_.pop_front();
  }

 private:
  std::string buffer_;
  std::deque<std::string> methods_;
  bool method_taken_ = false;
};

struct Rewritten {
  std::string head;   // as written, up to the empty line
  std::string bytes;  // head and content
  bool close_after = false;
};

// Takes one complete response off the front of `buffer` and rewrites it (see the header);
// nullopt while it is incomplete.
std::optional<Rewritten> take_response(std::string& buffer, RequestScanner& requests,
                                       bool upstream_closed, const StrictFrontOptions& options) {
  const auto head = parse_head(buffer);
  if (!head) return std::nullopt;
  int status = 0;
  if (head->start_line.size() >= 12) {
    for (std::size_t i = 9; i < 12; ++i) status = status * 10 + (head->start_line[i] - '0');
  }
  const bool interim = status < 200;
  const bool bare_status = interim || status == 204 || status == 304;
  const bool head_request = !interim && requests.oldest() == "HEAD";
  const bool no_content = bare_status || head_request;

  Rewritten out;
  std::string content;
  std::size_t total = head->size;
  if (!no_content) {
    if (head->chunked()) {
      const auto end = chunked_body_end(buffer, head->size, &content);
      if (!end) return std::nullopt;
      total = *end;
    } else if (const auto length = head->content_length()) {
      if (buffer.size() < head->size + *length) return std::nullopt;
      content = buffer.substr(head->size, *length);
      total = head->size + *length;
    } else {
      if (!upstream_closed) return std::nullopt;  // the content runs until the close
      content = buffer.substr(head->size);
      total = buffer.size();
      out.close_after = true;
    }
  }
  const bool rechunk = !no_content && options.chunked_bodies;
  const bool drop_framing = bare_status || rechunk;

  out.head = head->start_line + "\r\n";
  for (const auto& f : head->fields) {
    if (drop_framing &&
        (ascii::iequals(f.name, "Content-Length") || ascii::iequals(f.name, "Transfer-Encoding")))
      continue;
    out.head += f.line + "\r\n";
  }
  if (rechunk) out.head += "Transfer-Encoding: chunked\r\n";
  out.head += "\r\n";
  out.bytes = out.head;
  if (rechunk) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (std::size_t at = 0; at < content.size(); at += kChunkSize) {
      const std::size_t n = std::min(kChunkSize, content.size() - at);
      std::string size_line;
      for (std::size_t v = n; v > 0; v /= 16) size_line.insert(size_line.begin(), kHex[v % 16]);
      out.bytes += size_line + "\r\n";
      out.bytes.append(content, at, n);
      out.bytes += "\r\n";
    }
    out.bytes += "0\r\n\r\n";
  } else if (!no_content) {
    out.bytes.append(buffer, head->size, total - head->size);  // the content as framed upstream
  }
  buffer.erase(0, total);
  if (!interim) requests.answered();
  out.close_after = out.close_after || (!interim && head->says_close());
  return out;
}

bool send_all(int fd, const char* data, std::size_t size) {
  std::size_t sent = 0;
  while (sent < size) {
    const auto n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

void set_nodelay(int fd) {
  const int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
}

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  set_nodelay(fd);
  return fd;
}

}  // namespace

StrictHttpFront::StrictHttpFront(int upstream_port, StrictFrontOptions options)
    : upstream_port_(upstream_port), options_(options) {
  if (::pipe(wake_fds_) != 0) return;
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) return;
  const int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, sa, sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0 ||
      ::getsockname(listen_fd_, sa, &len) != 0)
    return;
  accept_thread_ = std::thread([this] { accept_loop(); });
  port_ = ntohs(addr.sin_port);
}

StrictHttpFront::~StrictHttpFront() {
  stop_ = true;
  if (wake_fds_[1] >= 0) (void)::write(wake_fds_[1], "x", 1);  // never read: wakes every poll
  if (accept_thread_.joinable()) accept_thread_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    threads.swap(connection_threads_);
  }
  for (auto& t : threads) t.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  for (const int fd : wake_fds_)
    if (fd >= 0) ::close(fd);
}

std::vector<std::string> StrictHttpFront::response_heads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return response_heads_;
}

void StrictHttpFront::accept_loop() {
  while (!stop_.load()) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fds_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    set_nodelay(fd);
    std::lock_guard<std::mutex> lock(mutex_);
    connection_threads_.emplace_back([this, fd] { relay(fd); });
  }
}

void StrictHttpFront::relay(int client_fd) {
  const int upstream_fd = connect_loopback(upstream_port_);
  if (upstream_fd < 0) {
    ::close(client_fd);
    return;
  }
  RequestScanner requests;
  std::string from_upstream;
  bool upstream_closed = false;
  bool open = true;
  char chunk[16384];
  while (open && !stop_.load()) {
    pollfd fds[3] = {{client_fd, POLLIN, 0}, {upstream_fd, POLLIN, 0}, {wake_fds_[0], POLLIN, 0}};
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].revents != 0) break;
    if (fds[0].revents != 0) {
      const auto n = ::recv(client_fd, chunk, sizeof chunk, 0);
      if (n <= 0) break;  // the client closed (or reset) its connection
      const auto size = static_cast<std::size_t>(n);
      if (!send_all(upstream_fd, chunk, size)) break;
      requests.feed(chunk, size);
    }
    if (fds[1].revents != 0) {
      const auto n = ::recv(upstream_fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        upstream_closed = true;
      } else {
        from_upstream.append(chunk, static_cast<std::size_t>(n));
      }
      while (open) {
        auto response = take_response(from_upstream, requests, upstream_closed, options_);
        if (!response) break;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          response_heads_.push_back(response->head);
        }
        open = send_all(client_fd, response->bytes.data(), response->bytes.size()) &&
               !response->close_after;
      }
      if (upstream_closed) open = false;
    }
  }
  ::close(upstream_fd);
  ::close(client_fd);
}

}  // namespace risksync::testing
