// RawHttpServer: a loopback TCP server that plays scripted bytes, for tests of HTTP framing and
// connection handling that a real server library would not produce (a 304 without
// Content-Length, a 304 with the 200's length, chunked trailers, a reset mid-handshake...).
//
// Contract
//  - Binds 127.0.0.1 on an ephemeral port and serves connections one after the other on its own
//    thread. Connection number i (0-based) plays scripts[min(i, scripts.size() - 1)].
//  - A script is a list of steps played in order on that connection. A step first waits for
//    one complete HTTP request (head up to the empty line, then Content-Length bytes of body),
//    or, with read_request = false, for any bytes at all (a TLS ClientHello); what was read is
//    recorded. It then writes `reply` exactly as given (nothing added, nothing changed) and
//    then keeps the connection open, closes it, or resets it (RST, SO_LINGER 0).
//  - After the last step of a connection left open, a further request is recorded and answered
//    by closing; the connection also ends when the client closes it or the server stops.
//  - requests() are the raw bytes of every request (or first bytes) read, in order;
//    connections() counts the TCP connections accepted.
//  - RAII: the destructor stops the thread (within ~20 ms) and closes every socket.
// Thread safety: the accessors may be called from the test thread while the server runs.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace risksync::testing {

struct RawStep {
  enum class Then { keep_open, close, reset };

  std::string reply;
  Then then = Then::keep_open;
  bool read_request = true;

  static RawStep answer(std::string bytes, Then then = Then::keep_open) {
    RawStep s;
    s.reply = std::move(bytes);
    s.then = then;
    return s;
  }
};

using RawScript = std::vector<RawStep>;

class RawHttpServer {
 public:
  explicit RawHttpServer(std::vector<RawScript> scripts);
  ~RawHttpServer();
  RawHttpServer(const RawHttpServer&) = delete;
  RawHttpServer& operator=(const RawHttpServer&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  std::string http_url() const;   // "http://127.0.0.1:PORT"
  std::string https_url() const;  // "https://127.0.0.1:PORT" (for TLS handshake faults)
  std::size_t connections() const { return connections_.load(); }
  std::vector<std::string> requests() const;

 private:
  void serve(int fd, const RawScript& script);
  // One request (or, when !whole_request, the first bytes); false when the peer closed first.
  bool read_one(int fd, bool whole_request, std::string& out);

  std::vector<RawScript> scripts_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> connections_{0};
  std::string pending_;  // bytes read past the end of the previous request (pipelining)
  mutable std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace risksync::testing
