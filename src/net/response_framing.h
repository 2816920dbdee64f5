// HTTP/1.1 response framing (RFC 9112 §6.3), independent of any HTTP library, so that the
// client reads a response exactly as long as the RFC says, whatever the server sends.
//
// Why it exists: Debian 12's cpp-httplib 0.11.4 reads a body after a 304 (it skips only 204
// and HEAD), so a 304 without Content-Length waits for the connection to close (the read
// timeout on a keep-alive connection), a 304 carrying the 200's Content-Length or
// "Transfer-Encoding: chunked" waits for bytes that never come, interim 1xx responses other
// than a bare "100 Continue" are taken as the final response, and a chunked body with a
// trailer section is refused (yhirose/cpp-httplib#1998 and the trailer fix came later).
// HttpClient (net/http_client.cpp) reads every response with read_framed_response() and hands
// cpp-httplib a canonical message (canonical_message()) it cannot misframe.
//
// Contract of read_framed_response(source, method):
//  - Reads one final response: interim 1xx responses (100, 102, 103... with or without
//    headers) are read and discarded; 101 is final and closes the connection.
//  - Body length, in RFC 9112 §6.3 order: a response to HEAD, and 1xx/204/304 responses, have
//    no content whatever their Content-Length / Transfer-Encoding headers say; else
//    Transfer-Encoding whose final coding is chunked is decoded (chunk extensions ignored, the
//    trailer section read and discarded); Transfer-Encoding without chunked last reads until
//    the connection closes; else a valid Content-Length (a list of equal values is accepted);
//    else the body runs until the connection closes.
//  - `keep_alive` is false when the connection cannot carry another exchange: body read until
//    close, "Connection: close" (any case), HTTP/1.0 without "Connection: keep-alive", a 101,
//    Transfer-Encoding together with Content-Length, or bytes left after the message.
//  - Line ends: CRLF, or a bare LF (RFC 9112 §2.2). Obsolete line folding is replaced by a
//    space. Limits: the head (status line and headers) at most 64 KiB, a chunk-size line at
//    most 4 KiB, at most 32 interim responses.
//  - Failures are returned as FramingError: `timeout` when the source timed out, `closed` when
//    it ended before the message was complete, `malformed` for a syntax the RFC forbids
//    (invalid status line, invalid or conflicting Content-Length, invalid chunk size, a
//    transfer coding other than chunked that is not last...). Messages never quote bodies.
// Thread safety: plain functions; a ByteSource is used by one thread.
#pragma once

#include <sys/types.h>
#include <cstddef>
#include <string>
#include <string_view>

#include "net/http.h"

namespace risksync::net {

// Where raw response bytes come from: a socket, a TLS session, a string in tests.
class ByteSource {
 public:
  virtual ~ByteSource();
  // Up to `size` bytes into `buffer`: > 0 bytes read, 0 at the end of the stream, < 0 on a
  // failure (timed_out() then says whether it was a timeout).
  virtual ssize_t read(char* buffer, std::size_t size) = 0;
  virtual bool timed_out() const { return false; }
};

struct FramedResponse {
  std::string version;  // "HTTP/1.1"
  int status = 0;
  std::string reason;
  Headers headers;   // as received (framing headers included), trailers excluded
  std::string body;  // the content, still content-encoded (gzip...)
  bool keep_alive = true;
  int interim_responses = 0;  // 1xx responses skipped before this one
};

struct FramingError {
  enum class Kind { timeout, closed, malformed } kind = Kind::malformed;
  std::string message;  // "Content-Length is not a number", ...
};

class FramingResult {
 public:
  FramingResult(FramedResponse r) : ok_(true), response_(std::move(r)) {}  // NOLINT
  FramingResult(FramingError e) : ok_(false), error_(std::move(e)) {}      // NOLINT
  bool ok() const { return ok_; }
  FramedResponse& response() { return response_; }
  const FramingError& error() const { return error_; }

 private:
  bool ok_;
  FramedResponse response_;
  FramingError error_;
};

// Reads one response to a request of `method` ("GET", "HEAD"...; upper-case) from `source`.
FramingResult read_framed_response(ByteSource& source, std::string_view method);

// Whether a response to `method` with `status` has content at all (RFC 9112 §6.3 rule 1).
bool response_has_content(std::string_view method, int status);

// The message cpp-httplib is given in place of the raw one: the status line, the response's
// Content-Encoding (so that cpp-httplib decompresses the body) unless it has no content,
// "Content-Length: <body size>", "Connection: close" when !keep_alive, and the body.
std::string canonical_message(const FramedResponse& response);

}  // namespace risksync::net
