// The in-repo fakes frame responses strictly (issue 11): FakeHttpServer's default strict front
// (support/strict_http_front.h), read byte for byte by a raw client socket, so nothing between
// the wire and the assertion normalises the headers. Each connection carries several exchanges,
// which proves every response ends exactly where its framing says.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

#include "support/fake_http_server.h"
#include "util/ascii.h"

namespace risksync::testing {
namespace {

using std::chrono::milliseconds;

// A client socket that sends raw bytes and reads raw bytes, each read bounded in time.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool ok() const { return fd_ >= 0; }
  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Reads until `bytes` received so far end with `terminator` (or, when it is empty, until the
  // server closes). Returns what was read, including bytes read before; false in `complete` on a
  // 2 s timeout.
  std::string read_until(std::string_view terminator, bool& complete) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    complete = false;
    for (;;) {
      if (!terminator.empty() && buffer_.size() >= terminator.size() &&
          buffer_.compare(buffer_.size() - terminator.size(), terminator.size(), terminator) == 0) {
        complete = true;
        break;
      }
      const auto left =
          std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left <= milliseconds(0)) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char chunk[4096];
      const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        closed_ = true;
        complete = terminator.empty();
        break;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    std::string out;
    out.swap(buffer_);
    return out;
  }
  bool closed() const { return closed_; }

 private:
  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

std::string lower(std::string_view s) {
  return ascii::to_lower(s);
}

std::string get(const std::string& path, const std::string& extra = "") {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

class StrictFake : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.ok());
    server.on("GET", "/etag", [](const RecordedRequest&) {
      return FakeResponse::json(304, "").with_header("ETag", "W/\"v1\"");
    });
    server.on("DELETE", "/item",
              [](const RecordedRequest&) { return FakeResponse::json(204, ""); });
    server.on("*", "/body", [](const RecordedRequest&) {  // GET and HEAD
      return FakeResponse::json(200, R"({"hello":"world"})");
    });
    server.on("POST", "/echo",
              [](const RecordedRequest& r) { return FakeResponse::json(201, r.body); });
  }
  FakeHttpServer server;  // the default: strict framing
};

TEST_F(StrictFake, A304AndA204CarryNoContentLengthAndTheConnectionStaysUsable) {
  RawClient client(server.port());
  ASSERT_TRUE(client.ok());
  bool complete = false;

  ASSERT_TRUE(client.send(get("/etag", "If-None-Match: W/\"v1\"\r\n")));
  const std::string not_modified = client.read_until("\r\n\r\n", complete);
  ASSERT_TRUE(complete) << not_modified;
  EXPECT_EQ(not_modified.rfind("HTTP/1.1 304 ", 0), 0u) << not_modified;
  EXPECT_EQ(lower(not_modified).find("content-length"), std::string::npos) << not_modified;
  EXPECT_EQ(lower(not_modified).find("transfer-encoding"), std::string::npos) << not_modified;
  EXPECT_NE(not_modified.find("ETag: W/\"v1\"\r\n"), std::string::npos) << not_modified;

  ASSERT_TRUE(client.send("DELETE /item HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const std::string no_content = client.read_until("\r\n\r\n", complete);
  ASSERT_TRUE(complete) << no_content;
  EXPECT_EQ(no_content.rfind("HTTP/1.1 204 ", 0), 0u) << no_content;
  EXPECT_EQ(lower(no_content).find("content-length"), std::string::npos) << no_content;

  // Content comes chunked, and the stream holds nothing more than each response.
  ASSERT_TRUE(client.send(get("/body")));
  const std::string body = client.read_until("0\r\n\r\n", complete);
  ASSERT_TRUE(complete) << body;
  EXPECT_EQ(body.rfind("HTTP/1.1 200 ", 0), 0u) << body;
  EXPECT_NE(lower(body).find("\r\ntransfer-encoding: chunked\r\n"), std::string::npos) << body;
  EXPECT_EQ(lower(body).find("content-length"), std::string::npos) << body;
  EXPECT_NE(body.find("\r\n\r\n11\r\n{\"hello\":\"world\"}\r\n0\r\n\r\n"), std::string::npos)
      << body;

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].remote_port, requests[0].remote_port) << "one upstream connection";
  EXPECT_EQ(requests[2].remote_port, requests[0].remote_port);
  EXPECT_EQ(requests[0].header("If-None-Match"), "W/\"v1\"");

  const auto heads = server.wire_response_heads();
  ASSERT_EQ(heads.size(), 3u);
  EXPECT_EQ(heads[0], not_modified);
  EXPECT_EQ(heads[1], no_content);
}

TEST_F(StrictFake, RequestBodiesPassUnchangedAndHeadAnswersKeepTheirLengthWithoutContent) {
  RawClient client(server.port());
  ASSERT_TRUE(client.ok());
  bool complete = false;
  ASSERT_TRUE(client.send(
      "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Odd-Case: KeepMe\r\nContent-Length: 9\r\n"
      "\r\n{\"a\":\"b\"}"));
  const std::string created = client.read_until("0\r\n\r\n", complete);
  ASSERT_TRUE(complete) << created;
  EXPECT_NE(created.find("\r\n\r\n9\r\n{\"a\":\"b\"}\r\n0\r\n\r\n"), std::string::npos) << created;

  // A HEAD answer announces the GET's length and has no content: the next answer follows it.
  ASSERT_TRUE(client.send("HEAD /body HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const std::string head = client.read_until("\r\n\r\n", complete);
  ASSERT_TRUE(complete) << head;
  EXPECT_NE(lower(head).find("\r\ncontent-length: 17\r\n"), std::string::npos) << head;
  ASSERT_TRUE(client.send(get("/etag")));
  const std::string next = client.read_until("\r\n\r\n", complete);
  ASSERT_TRUE(complete) << next;
  EXPECT_EQ(next.rfind("HTTP/1.1 304 ", 0), 0u) << next;

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].body, "{\"a\":\"b\"}");
  EXPECT_EQ(requests[0].header("X-Odd-Case"), "KeepMe");
  EXPECT_EQ(requests[1].method, "HEAD");
}

TEST_F(StrictFake, ConnectionCloseIsAnsweredThenTheConnectionCloses) {
  RawClient client(server.port());
  ASSERT_TRUE(client.ok());
  bool complete = false;
  ASSERT_TRUE(client.send(get("/body", "Connection: close\r\n")));
  const std::string all = client.read_until("", complete);
  ASSERT_TRUE(complete) << "the front kept the connection open: " << all;
  EXPECT_TRUE(client.closed());
  EXPECT_EQ(all.rfind("HTTP/1.1 200 ", 0), 0u) << all;
  EXPECT_NE(lower(all).find("\r\nconnection: close\r\n"), std::string::npos) << all;
  EXPECT_EQ(all.substr(all.size() - 5), "0\r\n\r\n") << all;
}

// The opt-out serves cpp-httplib's own bytes: the reason the front exists.
TEST(StrictFakeOptOut, CppHttplibFramingStillSendsContentLengthZeroOnA304) {
  FakeHttpServer server(WireFraming::cpp_httplib);
  ASSERT_TRUE(server.ok());
  server.on("GET", "/etag", [](const RecordedRequest&) { return FakeResponse::json(304, ""); });
  RawClient client(server.port());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE(client.send(get("/etag")));
  bool complete = false;
  const std::string head = client.read_until("\r\n\r\n", complete);
  ASSERT_TRUE(complete) << head;
  EXPECT_NE(lower(head).find("\r\ncontent-length: 0\r\n"), std::string::npos) << head;
  EXPECT_TRUE(server.wire_response_heads().empty());
}

}  // namespace
}  // namespace risksync::testing
