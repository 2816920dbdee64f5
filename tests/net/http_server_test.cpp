// net/http_server.h over loopback, and net/hmac.h against published vectors.
#include <gtest/gtest.h>
#include <httplib.h>

#include "net/hmac.h"
#include "net/http_server.h"

namespace risksync::net {
namespace {

TEST(HttpServer, RoutesRawBodiesHeadersQueryAndErrors) {
  HttpServerOptions options;
  options.max_body_bytes = 100;
  HttpServer server(options);
  server.route("POST", "/echo", [](const ServerRequest& r) {
    return ServerResponse{201, "text/plain",
                          r.method + "|" + r.body + "|" + r.header("x-custom").value_or("-") + "|" +
                              r.query_value("product").value_or("-")};
  });
  server.route("GET", "/boom", [](const ServerRequest&) -> ServerResponse {
    throw std::runtime_error("secret detail");
  });
  auto port = server.start("127.0.0.1", 0);
  ASSERT_TRUE(port.ok()) << port.error().to_string();
  httplib::Client c("127.0.0.1", *port);
  c.set_read_timeout(5, 0);
  const std::string body = "{ \"raw\" :\n 1 }";
  auto r =
      c.Post("/echo?product=a%20b", httplib::Headers{{"X-Custom", "v"}}, body, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "POST|" + body + "|v|a b");
  auto wrong_method = c.Get("/echo");
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 405);
  auto missing = c.Get("/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto big = c.Post("/echo", std::string(101, 'x'), "text/plain");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  auto boom = c.Get("/boom");
  ASSERT_TRUE(boom);
  EXPECT_EQ(boom->status, 500);
  EXPECT_EQ(boom->body.find("secret detail"), std::string::npos);
  server.stop();
  server.stop();  // idempotent
}

TEST(HttpServer, AnAddressInUseIsALocalError) {
  HttpServer first;
  auto port = first.start("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  HttpServer second;
  auto again = second.start("127.0.0.1", *port);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::local_io);
}

TEST(Hmac, Rfc4231Vectors) {
  // RFC 4231 test case 2.
  EXPECT_EQ(hex_lower(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 1: key 0x0b × 20, "Hi There".
  EXPECT_EQ(hex_lower(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(Hmac, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

}  // namespace
}  // namespace risksync::net
