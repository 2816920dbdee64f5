#include "net/proxy.h"

#include <gtest/gtest.h>

namespace risksync::net {
namespace {

TEST(ProxyFromEnv, NoProxyVariableMeansDirect) {
  auto p = proxy_from_env("", "", "api.github.com");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_value());
  p = proxy_from_env("   ", "", "api.github.com");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_value());
}

TEST(ProxyFromEnv, ParsesHostPortAndCredentials) {
  auto p = proxy_from_env("http://alice:p%40ss%3Aw0rd@Proxy.Corp:3128/", "", "api.github.com");
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_TRUE(p->has_value());
  const ProxyConfig& c = **p;
  EXPECT_EQ(c.host, "proxy.corp");
  EXPECT_EQ(c.port, 3128);
  EXPECT_EQ(c.username, "alice");
  EXPECT_EQ(c.password, "p@ss:w0rd");
  EXPECT_EQ(c.display(), "http://***@proxy.corp:3128");
}

TEST(ProxyFromEnv, SchemeAndPortDefaults) {
  auto p = proxy_from_env("proxy.corp:8080", "", "api.github.com");
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->has_value());
  EXPECT_EQ((*p)->host, "proxy.corp");
  EXPECT_EQ((*p)->port, 8080);
  EXPECT_EQ((*p)->display(), "http://proxy.corp:8080");
  p = proxy_from_env("http://proxy.corp", "", "api.github.com");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->port, 80);
}

TEST(ProxyFromEnv, RefusesSchemesCppHttplibCannotSpeakWithoutLeakingCredentials) {
  for (const char* bad : {"https://u:topsecret@proxy:443", "socks5://u:topsecret@proxy:1080"}) {
    auto p = proxy_from_env(bad, "", "api.github.com");
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(p.error().message.find("topsecret"), std::string::npos) << p.error().message;
  }
  auto p = proxy_from_env("http://u:topsecret@proxy:99999", "", "api.github.com");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message.find("topsecret"), std::string::npos) << p.error().message;
}

TEST(ProxyFromEnv, LoopbackTargetsAreNeverProxied) {
  for (const char* host : {"127.0.0.1", "localhost", "::1", "[::1]"}) {
    auto p = proxy_from_env("http://proxy.corp:3128", "", host);
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(p->has_value()) << host;
  }
}

TEST(ProxyFromEnv, NoProxyExemptsTheTarget) {
  auto p = proxy_from_env("http://proxy.corp:3128", "localhost,.corp.example, github.com",
                          "api.github.com");
  ASSERT_TRUE(p.ok());
  EXPECT_FALSE(p->has_value());
  p = proxy_from_env("http://proxy.corp:3128", "localhost,.corp.example", "api.github.com");
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->has_value());
}

TEST(NoProxy, DomainSuffixesWithOrWithoutLeadingDot) {
  EXPECT_TRUE(no_proxy_matches("example.com", "example.com"));
  EXPECT_TRUE(no_proxy_matches("example.com", "git.example.com"));
  EXPECT_TRUE(no_proxy_matches(".example.com", "example.com"));
  EXPECT_TRUE(no_proxy_matches(".example.com", "a.b.example.com"));
  EXPECT_TRUE(no_proxy_matches("*.example.com", "git.example.com"));
  EXPECT_TRUE(no_proxy_matches("EXAMPLE.com", "Git.Example.COM"));
  EXPECT_FALSE(no_proxy_matches("example.com", "badexample.com"));
  EXPECT_FALSE(no_proxy_matches("example.com", "example.com.evil.net"));
  EXPECT_FALSE(no_proxy_matches("git.example.com", "example.com"));
}

TEST(NoProxy, ListsWildcardPortsAndBlanks) {
  EXPECT_TRUE(no_proxy_matches("*", "anything.example"));
  EXPECT_TRUE(no_proxy_matches(" foo.org , ,  gitlab.corp:443 ", "gitlab.corp"));
  EXPECT_TRUE(no_proxy_matches("foo.org bar.org", "bar.org"));  // blank-separated
  EXPECT_FALSE(no_proxy_matches("", "example.com"));
  EXPECT_FALSE(no_proxy_matches(",,", "example.com"));
  EXPECT_FALSE(no_proxy_matches("foo.org", ""));
}

TEST(NoProxy, AddressesAndCidrBlocks) {
  EXPECT_TRUE(no_proxy_matches("10.1.2.3", "10.1.2.3"));
  EXPECT_FALSE(no_proxy_matches("10.1.2.3", "10.1.2.4"));
  EXPECT_TRUE(no_proxy_matches("10.0.0.0/8", "10.200.3.4"));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/8", "11.0.0.1"));
  EXPECT_TRUE(no_proxy_matches("192.168.1.0/24", "192.168.1.77"));
  EXPECT_FALSE(no_proxy_matches("192.168.1.0/24", "192.168.2.1"));
  EXPECT_TRUE(no_proxy_matches("fd00::/8", "fd12::1"));
  EXPECT_TRUE(no_proxy_matches("[fd12::1]:8443", "[fd12::1]"));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/8", "ten.example.com"));
  EXPECT_FALSE(no_proxy_matches("10.0.0.0/99", "10.0.0.1"));
}

}  // namespace
}  // namespace risksync::net
