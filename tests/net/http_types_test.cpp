// Pure helpers of net/http.h: headers, Link header, URLs, percent-encoding.
#include "net/http.h"

#include <gtest/gtest.h>

namespace risksync::net {
namespace {

TEST(Headers, LookupIsCaseInsensitive) {
  Headers h;
  h.emplace("Content-Type", "application/json");
  h.emplace("x-ratelimit-remaining", "0");
  EXPECT_EQ(find_header(h, "content-type"), "application/json");
  EXPECT_EQ(find_header(h, "X-RateLimit-Remaining"), "0");
  EXPECT_EQ(find_header(h, "etag"), std::nullopt);
  set_header(h, "CONTENT-TYPE", "text/plain");
  EXPECT_EQ(h.count("content-type"), 1u);
  EXPECT_EQ(find_header(h, "Content-Type"), "text/plain");
  HttpResponse r;
  r.headers = h;
  EXPECT_EQ(r.header("X-RATELIMIT-REMAINING"), "0");
}

TEST(LinkHeader, GitHubStyle) {
  const auto links = parse_link_header(
      R"(<https://api.github.com/repositories/1/issues?labels=risksync&page=2>; rel="next", )"
      R"(<https://api.github.com/repositories/1/issues?labels=risksync&page=5>; rel="last")");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links.at("next"),
            "https://api.github.com/repositories/1/issues?labels=risksync&page=2");
  EXPECT_EQ(links.at("last"),
            "https://api.github.com/repositories/1/issues?labels=risksync&page=5");
}

TEST(LinkHeader, GitLabStyleWithAllRelsAndOddSpacing) {
  const auto links = parse_link_header(
      "<https://gitlab.example/api/v4/projects/8/issues?page=1&per_page=3>;rel=\"prev\","
      "  <https://gitlab.example/api/v4/projects/8/issues?page=3&per_page=3> ;  REL=\"next\","
      "<https://gitlab.example/api/v4/projects/8/issues?page=1&per_page=3>; rel=\"first\"");
  EXPECT_EQ(links.at("prev"), "https://gitlab.example/api/v4/projects/8/issues?page=1&per_page=3");
  EXPECT_EQ(links.at("next"), "https://gitlab.example/api/v4/projects/8/issues?page=3&per_page=3");
  EXPECT_EQ(links.at("first"), "https://gitlab.example/api/v4/projects/8/issues?page=1&per_page=3");
}

TEST(LinkHeader, SeveralRelsCommasInUrlsAndOtherParams) {
  const auto links = parse_link_header(
      R"(<https://h/x?labels=a,b&page=2>; title="a; b, c"; rel="next last", <https://h/p>; rel=prev)");
  EXPECT_EQ(links.at("next"), "https://h/x?labels=a,b&page=2");
  EXPECT_EQ(links.at("last"), "https://h/x?labels=a,b&page=2");
  EXPECT_EQ(links.at("prev"), "https://h/p");
}

TEST(LinkHeader, EmptyOrMalformed) {
  EXPECT_TRUE(parse_link_header("").empty());
  EXPECT_TRUE(parse_link_header("garbage").empty());
  EXPECT_TRUE(parse_link_header("<https://h/x; rel=\"next\"").empty());
  EXPECT_TRUE(parse_link_header("<https://h/x>; title=\"no rel\"").empty());
}

TEST(Url, ParsesGitHubAndGhesBases) {
  auto gh = parse_url("https://api.github.com");
  ASSERT_TRUE(gh.ok());
  EXPECT_EQ(gh->scheme, "https");
  EXPECT_EQ(gh->host, "api.github.com");
  EXPECT_EQ(gh->port, 443);
  EXPECT_EQ(gh->path, "");
  EXPECT_EQ(gh->origin(), "https://api.github.com");

  auto ghes = parse_url("HTTPS://GHES.Example.com:8443/api/v3/");
  ASSERT_TRUE(ghes.ok());
  EXPECT_EQ(ghes->scheme, "https");
  EXPECT_EQ(ghes->host, "ghes.example.com");
  EXPECT_EQ(ghes->port, 8443);
  EXPECT_EQ(ghes->path, "/api/v3");
  EXPECT_EQ(ghes->to_string(), "https://ghes.example.com:8443/api/v3");
}

TEST(Url, QueryUserinfoIpv6AndFragment) {
  auto u = parse_url("http://user:p%40ss@[::1]:8080/a/b?x=1&y=2#frag");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->userinfo, "user:p%40ss");
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->path, "/a/b");
  EXPECT_EQ(u->query, "x=1&y=2");
  EXPECT_EQ(u->origin(), "http://[::1]:8080");
  EXPECT_EQ(u->to_string(), "http://[::1]:8080/a/b?x=1&y=2");  // no userinfo
}

TEST(Url, RejectsBadUrlsWithoutQuotingCredentials) {
  for (const char* bad : {"api.github.com", "ftp://h/x", "https://", "https://h:0",
                          "https://h:70000", "https://h:12a", "https://[::1/x", "https://h st/"}) {
    auto u = parse_url(bad);
    EXPECT_FALSE(u.ok()) << bad;
    if (!u.ok()) {
      EXPECT_EQ(u.error().kind, ErrorKind::bad_input) << bad;
    }
  }
  auto u = parse_url("https://me:hunter2@:443/x");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().message.find("hunter2"), std::string::npos) << u.error().message;
}

TEST(Url, JoinPath) {
  EXPECT_EQ(join_path("", "/repos/o/r/issues"), "/repos/o/r/issues");
  EXPECT_EQ(join_path("/api/v3", "/repos/o/r?page=2"), "/api/v3/repos/o/r?page=2");
  EXPECT_EQ(join_path("/api/v3/", "repos"), "/api/v3/repos");
  EXPECT_EQ(join_path("/api/v4", ""), "/api/v4");
  EXPECT_EQ(join_path("", ""), "/");
  EXPECT_EQ(join_path("", "?x=1"), "/?x=1");
}

TEST(Url, Loopback) {
  for (const char* h : {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"})
    EXPECT_TRUE(is_loopback_host(h)) << h;
  for (const char* h : {"example.com", "10.0.0.1", "128.0.0.1", "::2", "localhost.example.com",
                        "127.0.0.1.nip.io", ""})
    EXPECT_FALSE(is_loopback_host(h)) << h;
}

TEST(PercentEncoding, PathSegmentsAndQueryValues) {
  EXPECT_EQ(encode_path_segment("group/sub group/proj"), "group%2Fsub%20group%2Fproj");
  EXPECT_EQ(encode_path_segment("Cartographie des risques"), "Cartographie%20des%20risques");
  EXPECT_EQ(encode_path_segment("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(encode_path_segment("gravité"), "gravit%C3%A9");
  EXPECT_EQ(encode_query_value("labels=a,b&c+d e"), "labels%3Da%2Cb%26c%2Bd%20e");
  EXPECT_EQ(encode_query_value("project = SEC AND labels = risksync"),
            "project%20%3D%20SEC%20AND%20labels%20%3D%20risksync");
  EXPECT_EQ(build_query({{"state", "all"}, {"labels", "risksync,AS 1"}, {"per_page", "100"}}),
            "state=all&labels=risksync%2CAS%201&per_page=100");
  EXPECT_EQ(build_query({}), "");
}

TEST(PercentEncoding, DecodeRoundTripsAndKeepsInvalidEscapes) {
  const std::string text = "a/b c+d%é&=";
  EXPECT_EQ(percent_decode(encode_query_value(text)), text);
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
}

}  // namespace
}  // namespace risksync::net
