// StrictHttpFront: a loopback relay that sits in front of a plain-HTTP server (FakeHttpServer's
// cpp-httplib server) and makes the bytes on the wire follow RFC 9112 framing the way strict
// servers (Apache, Rack-based servers) send them, which cpp-httplib's server does not: it always
// adds "Content-Length: 0" to a 304 and a 204 (issue 11).
//
// Contract
//  - Binds 127.0.0.1 on an ephemeral port (port()). Each accepted client connection gets its own
//    upstream connection to 127.0.0.1:upstream_port, opened at once and used for that client
//    only: one client connection <-> one upstream connection, so "same remote port upstream"
//    still means "one reused client connection".
//  - Requests are forwarded byte for byte, as soon as they arrive (nothing added, removed or
//    reordered; "Expect: 100-continue" works). The relay only reads them to know each request's
//    method (a response to HEAD has no content).
//  - Responses are read whole from upstream (RFC 9112 §6.3: no content for a response to HEAD and
//    for 1xx/204/304; else chunked, Content-Length, or up to the close) and rewritten:
//      * 1xx, 204 and 304: every Content-Length and Transfer-Encoding field removed, no content
//        (RFC 9110 §8.6, §15.3.5, §15.4.5);
//      * a response to HEAD: unchanged (its Content-Length announces the GET's length);
//      * any other response: with chunked_bodies, its content is sent "Transfer-Encoding:
//        chunked" in chunks of at most 4 KiB (Content-Length removed); without, unchanged.
//    The status line and every other field keep their order and spelling.
//  - Keep-alive works through it: a connection carries any number of exchanges. It ends when
//    either side closes, after a response carrying "Connection: close" (the response is
//    delivered first), or when the relay stops.
//  - response_heads() are the heads (status line and fields, up to the empty line) of every
//    response as written to clients, in order.
//  - RAII: the destructor wakes and joins every thread at once (no polling interval) and closes
//    every socket; a client waiting for an answer sees its connection closed.
// Thread safety: the accessors may be called from any thread while the relay runs.
// Plain HTTP only: an HTTPS FakeHttpServer is served by cpp-httplib directly.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace risksync::testing {

struct StrictFrontOptions {
  bool chunked_bodies = true;  // send every response with content as chunked
};

class StrictHttpFront {
 public:
  StrictHttpFront(int upstream_port, StrictFrontOptions options);
  ~StrictHttpFront();
  StrictHttpFront(const StrictHttpFront&) = delete;
  StrictHttpFront& operator=(const StrictHttpFront&) = delete;

  bool ok() const { return port_ > 0; }
  int port() const { return port_; }
  std::vector<std::string> response_heads() const;

 private:
  void accept_loop();
  void relay(int client_fd);

  int upstream_port_;
  StrictFrontOptions options_;
  int listen_fd_ = -1;
  int wake_fds_[2] = {-1, -1};  // a byte written to [1] wakes every poll() at once
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> response_heads_;
  std::vector<std::thread> connection_threads_;  // guarded by mutex_
  std::thread accept_thread_;
};

}  // namespace risksync::testing
