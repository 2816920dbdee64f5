// One loopback rule (net::is_loopback_host) and one service-URL rule (net::parse_service_url),
// applied the same way by the HTTP client and by the configuration check of app/.
#include <gtest/gtest.h>

#include <string>

#include "app/config.h"
#include "net/http.h"
#include "net/http_client.h"

namespace risksync::net {
namespace {

TEST(Loopback, TheRuleIsLocalhost127Slash8AndIpv6One) {
  for (const char* h : {"localhost", "LocalHost", "localhost.", "127.0.0.1", "127.0.0.2",
                        "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1"})
    EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"0.0.0.0", "::", "::ffff:127.0.0.1", "126.255.255.255", "128.0.0.1",
                        "localhost.example.com", "mylocalhost", "127.0.0.1.example", "[::2]", ""})
    EXPECT_FALSE(is_loopback_host(h)) << h;
}

TEST(ServiceUrl, PlainHttpOnlyToLoopbackHosts) {
  for (const char* url :
       {"http://127.0.0.1:8080", "http://127.4.5.6/api/v3", "http://[::1]:9", "http://localhost",
        "https://api.github.com", "https://ghes.example/api/v3"}) {
    auto u = parse_service_url(url);
    EXPECT_TRUE(u.ok()) << url << ": " << (u.ok() ? "" : u.error().message);
  }
  for (const char* url : {"http://api.github.com", "http://10.0.0.1", "http://0.0.0.0:80",
                          "http://[::ffff:127.0.0.1]:80", "http://localhost.evil.example"}) {
    auto u = parse_service_url(url);
    ASSERT_FALSE(u.ok()) << url;
    EXPECT_EQ(u.error().kind, ErrorKind::bad_input);
    EXPECT_NE(u.error().message.find("plain http:// is refused for a non-loopback host"),
              std::string::npos)
        << u.error().message;
  }
}

TEST(ServiceUrl, CredentialsInTheUrlAreRefusedWithoutEchoingThem) {
  for (const char* url : {"https://alice:hunter2-pass@api.github.com/api/v3",
                          "http://alice:hunter2-pass@127.0.0.1:8080", "https://hunter2-pass@h"}) {
    auto u = parse_service_url(url);
    ASSERT_FALSE(u.ok()) << url;
    EXPECT_EQ(u.error().kind, ErrorKind::bad_input);
    EXPECT_NE(u.error().message.find("credentials in the URL"), std::string::npos)
        << u.error().message;
    EXPECT_EQ(u.error().message.find("hunter2-pass"), std::string::npos) << u.error().message;
  }
  HttpClientOptions o;
  o.base_url = "https://alice:hunter2-pass@api.github.com";
  auto c = HttpClient::create(o);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("credentials in the URL"), std::string::npos)
      << c.error().message;
  EXPECT_EQ(c.error().message.find("hunter2-pass"), std::string::npos) << c.error().message;
}

// The configuration check and the client decide alike (they share the rule).
TEST(ServiceUrl, ConfigurationAndClientAgree) {
  for (const std::string url :
       {"http://127.0.0.1:8080", "http://127.9.9.9:1", "http://[::1]:1", "http://localhost:1",
        "http://api.github.com", "http://10.1.1.1", "https://u:p@api.github.com",
        "https://api.github.com", "ftp://x"}) {
    const Status config = check_api_url(url, "tracker.api_url", {"risksync.toml", 3});
    HttpClientOptions o;
    o.base_url = url;
    const auto client = HttpClient::create(o);
    EXPECT_EQ(config.ok(), client.ok()) << url;
    if (!config.ok()) {
      EXPECT_EQ(config.error().field, "tracker.api_url");
      EXPECT_EQ(config.error().message.find("u:p"), std::string::npos) << config.error().message;
    }
  }
}

}  // namespace
}  // namespace risksync::net
