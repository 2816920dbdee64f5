// Response framing (issue 11): responses cpp-httplib 0.11.4 misframes, played byte for byte by
// a raw loopback server and read through the real HttpClient; each is followed by a second
// request on the same keep-alive connection, which proves the first response was read exactly
// to its end. Also: the proof that the workaround is still needed, the fake server's own
// behaviour on 304, and read_framed_response on its own.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "net/http_client.h"
#include "net/response_framing.h"
#include "support/fake_http_server.h"
#include "support/raw_http_server.h"

namespace risksync::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::RawHttpServer;
using testing::RawScript;
using testing::RawStep;

constexpr const char* kFollowUp = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

NetDeps no_sleep_deps() {
  NetDeps d;
  d.sleep = [](milliseconds) {};
  d.jitter = [] { return 0.0; };
  return d;
}

std::unique_ptr<HttpClient> client_for(const RawHttpServer& raw) {
  HttpClientOptions o;
  o.base_url = raw.http_url();
  o.connect_timeout = seconds(2);
  o.read_timeout = seconds(2);  // a misframed response would wait this long, then fail
  o.write_timeout = seconds(2);
  o.retry.max_attempts = 1;  // a misframing must show, not be retried away
  o.min_write_interval = milliseconds(0);
  o.write_pacer = std::make_shared<WritePacer>();
  auto c = HttpClient::create(o, no_sleep_deps());
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return c.ok() ? std::move(c).value() : nullptr;
}

HttpRequest request(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path_and_query = std::move(path);
  if (r.method == "GET") r.headers.emplace("If-None-Match", "\"v1\"");
  return r;
}

struct Case {
  const char* name;
  const char* method;
  std::string response;
  int status;
  std::string body;
};

class FramedOnOneConnection : public ::testing::TestWithParam<Case> {};

TEST_P(FramedOnOneConnection, ThenASecondRequestOnTheSameConnectionSucceeds) {
  const Case& c = GetParam();
  RawHttpServer raw({{RawStep::answer(c.response), RawStep::answer(kFollowUp)}});
  ASSERT_TRUE(raw.ok());
  auto client = client_for(raw);
  ASSERT_TRUE(client);

  auto first = client->send(request(c.method, "/a"));
  ASSERT_TRUE(first.ok()) << c.name << ": " << first.error().message;
  EXPECT_EQ(first->status, c.status);
  EXPECT_EQ(first->body, c.body);
  auto second = client->send(request("GET", "/b"));
  ASSERT_TRUE(second.ok()) << c.name << ": " << second.error().message;
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->body, "ok");

  EXPECT_EQ(raw.connections(), 1u) << c.name;
  const auto requests = raw.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].rfind(std::string(c.method) + " /a HTTP/1.1\r\n", 0), 0u) << requests[0];
  EXPECT_EQ(requests[1].rfind("GET /b HTTP/1.1\r\n", 0), 0u) << requests[1];
}

INSTANTIATE_TEST_SUITE_P(
    Rfc9112, FramedOnOneConnection,
    ::testing::Values(
        Case{"304 without Content-Length", "GET",
             "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n", 304, ""},
        Case{"304 with Content-Length: 0", "GET",
             "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 0\r\n\r\n", 304, ""},
        Case{"304 with the 200's Content-Length", "GET",
             "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 1234\r\n\r\n", 304, ""},
        Case{"304 with Transfer-Encoding: chunked", "GET",
             "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nTransfer-Encoding: chunked\r\n\r\n", 304,
             ""},
        Case{"204 with Content-Length", "DELETE",
             "HTTP/1.1 204 No Content\r\nContent-Length: 17\r\n\r\n", 204, ""},
        Case{"HEAD with Content-Length and no body", "HEAD",
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5120\r\n\r\n",
             200, ""},
        Case{"chunked with extensions and trailers", "GET",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
             "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n",
             200, "hello world"},
        Case{"103 Early Hints before the response", "GET",
             "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
             "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
             200, "abc"}),
    [](const ::testing::TestParamInfo<Case>& param_info) {
      std::string name;
      for (const char* p = param_info.param.name; *p != '\0'; ++p)
        name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
      return name;
    });

TEST(Framing, ConnectionCloseWithoutLengthReadsToTheEndThenReconnects) {
  RawHttpServer raw({{RawStep::answer("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
                                      RawStep::Then::close)},
                     {RawStep::answer(kFollowUp)}});
  ASSERT_TRUE(raw.ok());
  auto client = client_for(raw);
  ASSERT_TRUE(client);
  auto first = client->send(request("GET", "/a"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->body, "until the end");
  auto second = client->send(request("GET", "/b"));
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->body, "ok");
  EXPECT_EQ(raw.connections(), 2u);  // the server closed the first one, as it said
}

// The workaround (net/response_framing.*) exists because Debian 12's cpp-httplib 0.11.4 reads
// a body after a 304. This test uses httplib::Client directly: it must stall on a 304 without
// Content-Length until its read timeout. When it stops failing that way, the packaged
// cpp-httplib frames 304s itself.
TEST(Framing, RawCppHttplibStillMisframesA304WithoutContentLength) {
  RawHttpServer raw({{RawStep::answer("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n")}});
  ASSERT_TRUE(raw.ok());
  httplib::Client cli("127.0.0.1", raw.port());
  cli.set_keep_alive(true);
  cli.set_connection_timeout(2, 0);
  cli.set_read_timeout(0, 300'000);  // 300 ms
  auto res = cli.Get("/a", {{"If-None-Match", "\"v1\""}});
  EXPECT_FALSE(res) << "cpp-httplib " CPPHTTPLIB_VERSION
                       " now reads a 304 without Content-Length correctly: the framing "
                       "workaround may be removable. Remove src/net/response_framing.* and the "
                       "Framed*Client classes of src/net/http_client.cpp once every test of "
                       "tests/net/response_framing_test.cpp passes without them, then delete "
                       "this test.";
  if (!res) {
    EXPECT_EQ(res.error(), httplib::Error::Read) << httplib::to_string(res.error());
  }
}

// cpp-httplib's server always adds "Content-Length: 0" to a 304 (and a 204), which is why
// FakeHttpServer answers through a strict front by default (tests/support/fake_http_server.h).
// This pins that fact with the front opted out; if it changes, cpp-httplib's server became
// strict and the front may go (tests/net/strict_fake_test.cpp proves the front's own bytes).
TEST(Framing, CppHttplibServer304CarriesContentLengthZero) {
  testing::FakeHttpServer fake(testing::WireFraming::cpp_httplib);
  ASSERT_TRUE(fake.ok());
  fake.on("GET", "/a", [](const testing::RecordedRequest&) {
    return testing::FakeResponse::json(304, "").with_header("ETag", "\"v1\"");
  });
  HttpClientOptions o;
  o.base_url = fake.base_url();
  o.write_pacer = std::make_shared<WritePacer>();
  auto client = HttpClient::create(o, no_sleep_deps());
  ASSERT_TRUE(client.ok()) << client.error().message;
  auto r = (*client)->send(request("GET", "/a"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 304);
  EXPECT_EQ(r->header("Content-Length"), "0");  // as received on the wire
  EXPECT_EQ(r->header("ETag"), "\"v1\"");
}

// ---- read_framed_response on its own ----

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string bytes, std::size_t step = 7)
      : bytes_(std::move(bytes)), step_(step) {}
  ssize_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, step_, bytes_.size() - pos_});
    std::memcpy(buffer, bytes_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }

 private:
  std::string bytes_;
  std::size_t step_;
  std::size_t pos_ = 0;
};

TEST(ReadFramedResponse, NoContentStatusesIgnoreLengthHeaders) {
  StringSource src("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n");
  auto r = read_framed_response(src, "GET");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.response().status, 304);
  EXPECT_TRUE(r.response().body.empty());
  EXPECT_TRUE(r.response().keep_alive);
}

TEST(ReadFramedResponse, BodyUntilCloseIsNotKeptAlive) {
  StringSource src("HTTP/1.1 200 OK\r\n\r\nall of it");
  auto r = read_framed_response(src, "GET");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.response().body, "all of it");
  EXPECT_FALSE(r.response().keep_alive);
}

TEST(ReadFramedResponse, ChunkedWithTrailersAndConflictingLengths) {
  StringSource chunked(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n");
  auto r = read_framed_response(chunked, "GET");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.response().body, "abc");
  StringSource conflicting("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
  auto bad = read_framed_response(conflicting, "GET");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, FramingError::Kind::malformed);
  StringSource truncated("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  auto cut = read_framed_response(truncated, "GET");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().kind, FramingError::Kind::closed);
}

}  // namespace
}  // namespace risksync::net
