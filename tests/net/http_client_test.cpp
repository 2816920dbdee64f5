// HttpClient against loopback fake servers: requests, retries, rate limits, pacing, timeouts,
// faults. Waits go through an injected sleeper and clock: no test sleeps for a rate limit.
#include "net/http_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/fake_http_server.h"

namespace risksync::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;
using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RawTcpServer;
using testing::RecordedRequest;

// 2023-11-14 22:13:20 UTC
constexpr std::int64_t kEpoch = 1'700'000'000;

// A clock that only moves when the client sleeps (or the test says so), and a sleeper that
// records what it was asked.
struct FakeTime {
  system_clock::time_point now{seconds(kEpoch)};
  std::vector<milliseconds> sleeps;
  double jitter = 0.0;

  NetDeps deps() {
    NetDeps d;
    d.now = [this] { return now; };
    d.sleep = [this](milliseconds ms) {
      sleeps.push_back(ms);
      now += ms;
    };
    d.jitter = [this] { return jitter; };
    return d;
  }
};

HttpClientOptions options_for(const std::string& base_url) {
  HttpClientOptions o;
  o.base_url = base_url;
  o.connect_timeout = seconds(2);
  o.read_timeout = seconds(2);
  o.write_timeout = seconds(2);
  o.retry.max_attempts = 3;
  o.retry.base_delay = milliseconds(100);
  o.retry.max_delay = seconds(2);
  o.min_write_interval = milliseconds(0);
  o.write_pacer = std::make_shared<WritePacer>();  // no state shared with other tests
  o.default_headers.emplace("Authorization", "Bearer s3cr3t-token");
  o.default_headers.emplace("Accept", "application/vnd.github+json");
  return o;
}

std::unique_ptr<HttpClient> make_client(const HttpClientOptions& o, FakeTime& time) {
  auto client = HttpClient::create(o, time.deps());
  EXPECT_TRUE(client.ok()) << (client.ok() ? "" : client.error().message);
  return client.ok() ? std::move(client).value() : nullptr;
}

HttpRequest get(std::string path) {
  HttpRequest r;
  r.method = "GET";
  r.path_and_query = std::move(path);
  return r;
}

// Answers the given responses in order, then repeats the last one.
FakeHttpServer::Handler sequence(std::vector<FakeResponse> responses) {
  auto state = std::make_shared<std::pair<std::vector<FakeResponse>, std::atomic<std::size_t>>>(
      std::move(responses), 0);
  return [state](const RecordedRequest&) {
    const std::size_t i = state->second++;
    return state->first[std::min(i, state->first.size() - 1)];
  };
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server.ok()); }
  FakeHttpServer server;
  FakeTime time;
};

TEST_F(HttpClientTest, GetReturnsStatusHeadersBodyAndSendsDefaultHeaders) {
  server.on("GET", "/repos/o/r/issues", [](const RecordedRequest&) {
    return FakeResponse::json(200, R"([{"number":1}])").with_header("ETag", "\"abc\"");
  });
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);

  auto r = client->send(get("/repos/o/r/issues?state=all&per_page=100"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"([{"number":1}])");
  EXPECT_EQ(r->header("etag"), "\"abc\"");
  EXPECT_EQ(r->header("CONTENT-TYPE"), "application/json");

  ASSERT_EQ(server.request_count(), 1u);
  const RecordedRequest req = server.last_request();
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/repos/o/r/issues");
  EXPECT_EQ(req.query, "state=all&per_page=100");
  EXPECT_EQ(req.header("Authorization"), "Bearer s3cr3t-token");
  EXPECT_EQ(req.header("Accept"), "application/vnd.github+json");
  EXPECT_EQ(req.header("User-Agent"), default_user_agent());
  EXPECT_EQ(req.header("Host"), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(req.header("Accept-Encoding"), "gzip");
  EXPECT_FALSE(req.has_header("REMOTE_ADDR"));  // the fake server hides httplib's pseudo-headers
  EXPECT_TRUE(time.sleeps.empty());

  const RequestStats& s = client->stats();
  EXPECT_EQ(s.calls, 1u);
  EXPECT_EQ(s.attempts, 1u);
  EXPECT_EQ(s.attempts_by_method.at("GET"), 1u);
  EXPECT_EQ(s.responses_by_status.at(200), 1u);
  EXPECT_EQ(s.retries, 0u);
  EXPECT_EQ(s.bytes_received, 14u);
}

TEST_F(HttpClientTest, RequestHeadersOverrideDefaultsAndBodiesAreSent) {
  server.on("PATCH", "/repos/o/r/issues/7",
            [](const RecordedRequest&) { return FakeResponse::json(200, "{}"); });
  server.on("POST", "/repos/o/r/labels",
            [](const RecordedRequest&) { return FakeResponse::json(201, "{}"); });
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);

  HttpRequest patch;
  patch.method = "patch";
  patch.path_and_query = "/repos/o/r/issues/7";
  patch.body = R"({"state":"closed","state_reason":"not_planned"})";
  patch.headers.emplace("accept", "application/json");
  auto r = client->send(patch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  RecordedRequest req = server.last_request();
  EXPECT_EQ(req.method, "PATCH");
  EXPECT_EQ(req.body, patch.body);
  EXPECT_EQ(req.header("Content-Type"), "application/json");
  EXPECT_EQ(req.header("Content-Length"), std::to_string(patch.body.size()));
  EXPECT_EQ(req.header("Accept"), "application/json");
  EXPECT_EQ(req.headers.count("accept"), 1u);

  HttpRequest post;
  post.method = "POST";
  post.path_and_query = "/repos/o/r/labels";
  post.body = "name=risksync";
  post.content_type = "application/x-www-form-urlencoded";
  r = client->send(post);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  req = server.last_request();
  EXPECT_EQ(req.header("Content-Type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(req.body, "name=risksync");
  EXPECT_EQ(client->stats().bytes_sent, patch.body.size() + post.body.size());
  EXPECT_EQ(client->stats().attempts_by_method.at("PATCH"), 1u);
  EXPECT_EQ(client->stats().attempts_by_method.at("POST"), 1u);
}

TEST_F(HttpClientTest, CompressedResponsesAreDecompressed) {
  const std::string big(20000, 'x');
  server.on("GET", "/big", [big](const RecordedRequest&) { return FakeResponse::json(200, big); });
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/big"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->header("Content-Encoding"), "gzip");  // the server did compress it
  EXPECT_EQ(r->body, big);
  EXPECT_EQ(client->stats().bytes_received, big.size());
}

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  server.on("*", "/.*", [](const RecordedRequest&) { return FakeResponse::json(200, "{}"); });
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send(get("/a")).ok());
  HttpRequest del;
  del.method = "DELETE";
  del.path_and_query = "/repos/o/r/issues/3/sub_issue";
  del.body = R"({"sub_issue_id":123})";
  ASSERT_TRUE(client->send(del).ok());
  ASSERT_TRUE(client->send(get("/c")).ok());
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_NE(reqs[0].remote_port, 0);
  EXPECT_EQ(reqs[1].remote_port, reqs[0].remote_port);
  EXPECT_EQ(reqs[2].remote_port, reqs[0].remote_port);
  EXPECT_EQ(reqs[1].method, "DELETE");
  EXPECT_EQ(reqs[1].body, R"({"sub_issue_id":123})");
}

TEST_F(HttpClientTest, GhesBasePathIsPrefixedAndEncodedSegmentsKept) {
  server.on("GET", "/api/v3/repos/my%20org/r%2Fx/issues",
            [](const RecordedRequest&) { return FakeResponse::json(200, "[]"); });
  auto client = make_client(options_for(server.base_url() + "/api/v3/"), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/repos/" + encode_path_segment("my org") + "/" +
                            encode_path_segment("r/x") +
                            "/issues?labels=" + encode_query_value("risksync,AS 1")));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  const RecordedRequest req = server.last_request();
  EXPECT_EQ(req.target, "/api/v3/repos/my%20org/r%2Fx/issues?labels=risksync%2CAS%201");
  EXPECT_EQ(req.param("labels"), "risksync,AS 1");
}

TEST_F(HttpClientTest, LinkHeaderPaginationFollowsAbsoluteNextLinks) {
  const std::string base = server.base_url() + "/api/v3";
  // Links are absolute, as GitHub sends them; page 1 links to 2, 2 to 3, 3 is last.
  const std::string first_link = "<" + base +
                                 "/repositories/42/issues?labels=risksync&page=2>; "
                                 "rel=\"next\", <" +
                                 base +
                                 "/repositories/42/issues?labels=risksync&page=3>; rel=\"last\"";
  server.on("GET", "/api/v3/repos/o/r/issues", [first_link](const RecordedRequest&) {
    return FakeResponse::json(200, "[1,2]").with_header("Link", first_link);
  });
  server.on("GET", "/api/v3/repositories/42/issues", [base](const RecordedRequest& req) {
    FakeResponse r = FakeResponse::json(200, "[page " + req.param("page") + "]");
    if (req.param("page") == "2")
      r.with_header("Link", "<" + base +
                                "/repositories/42/issues?labels=risksync&page=3>; "
                                "rel=\"next\", <" +
                                base + "/repos/o/r/issues>; rel=\"first\"");
    return r;
  });
  auto client = make_client(options_for(base), time);
  ASSERT_TRUE(client);

  HttpRequest first = get("/repos/o/r/issues?labels=risksync&per_page=100");
  first.headers.emplace("If-None-Match", "\"stale\"");
  std::vector<std::string> bodies;
  const Status st = for_each_page(*client, first, [&](const HttpResponse& page) -> Status {
    bodies.push_back(page.body);
    return ok_status();
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(bodies, (std::vector<std::string>{"[1,2]", "[page 2]", "[page 3]"}));

  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].target, "/api/v3/repos/o/r/issues?labels=risksync&per_page=100");
  EXPECT_EQ(reqs[1].target, "/api/v3/repositories/42/issues?labels=risksync&page=2");
  EXPECT_EQ(reqs[2].target, "/api/v3/repositories/42/issues?labels=risksync&page=3");
  EXPECT_EQ(reqs[0].header("If-None-Match"), "\"stale\"");
  EXPECT_FALSE(reqs[1].has_header("If-None-Match"));  // conditional headers are per URL
  EXPECT_EQ(reqs[2].header("Authorization"), "Bearer s3cr3t-token");
}

TEST_F(HttpClientTest, PaginationStopsOnCallbackErrorAndDetectsLoops) {
  const std::string base = server.base_url();
  server.on("GET", "/loop", [base](const RecordedRequest&) {
    return FakeResponse::json(200, "[]").with_header("Link", "<" + base + "/loop>; rel=\"next\"");
  });
  auto client = make_client(options_for(base), time);
  ASSERT_TRUE(client);
  int pages = 0;
  Status st = for_each_page(*client, get("/loop"), [&](const HttpResponse&) -> Status {
    ++pages;
    return ok_status();
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::remote);
  EXPECT_NE(st.error().message.find("loops"), std::string::npos) << st.error().message;
  // "/loop" then its absolute form; the third visit is refused.
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(server.request_count(), 2u);

  st = for_each_page(*client, get("/loop"), [&](const HttpResponse&) -> Status {
    return bad_input("page makes no sense");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "page makes no sense");
}

TEST_F(HttpClientTest, LinkToAnotherHostIsRefusedWithoutSending) {
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  for (const std::string& url :
       {std::string("https://evil.example/repos?page=2"),
        "http://localhost:" + std::to_string(server.port()) + "/x",      // same port, other host
        "https://127.0.0.1:" + std::to_string(server.port()) + "/x"}) {  // other scheme
    auto r = client->send(get(url));
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().kind, ErrorKind::remote);
    EXPECT_NE(r.error().message.find("refusing to follow a link"), std::string::npos)
        << r.error().message;
    EXPECT_EQ(r.error().scope, ErrorScope::item);
  }
  EXPECT_EQ(server.request_count(), 0u);
  auto bad = client->send(get("/repos/o/r/issues?q=has space"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::internal);
}

TEST_F(HttpClientTest, NotModifiedIsPassedThroughWithTheConditionalHeaderSent) {
  server.on("GET", "/repos/o/r/issues", [](const RecordedRequest& req) {
    if (req.header("If-None-Match") == "W/\"etag-1\"") return FakeResponse::json(304, "");
    return FakeResponse::json(200, "[]").with_header("ETag", "W/\"etag-1\"");
  });
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  HttpRequest req = get("/repos/o/r/issues");
  req.headers.emplace("If-None-Match", "W/\"etag-1\"");
  auto r = client->send(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 304);
  EXPECT_TRUE(r->body.empty());
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.last_request().header("If-None-Match"), "W/\"etag-1\"");
  EXPECT_EQ(client->stats().not_modified, 1u);
  EXPECT_EQ(client->stats().retries, 0u);
  EXPECT_TRUE(time.sleeps.empty());
}

TEST_F(HttpClientTest, ServerErrorIsRetriedWithBackoffThenSucceeds) {
  server.on(
      "GET", "/x",
      sequence({FakeResponse::json(500, R"({"message":"oops"})"), FakeResponse::json(200, "ok")}));
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "ok");
  EXPECT_EQ(server.request_count(), 2u);
  // base 100 ms, first retry, jitter 0: d/2 = 50 ms.
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{milliseconds(50)}));
  EXPECT_EQ(client->stats().retries, 1u);
  EXPECT_EQ(client->stats().attempts, 2u);
  EXPECT_EQ(client->stats().calls, 1u);
  EXPECT_EQ(client->stats().waited, milliseconds(50));
}

TEST_F(HttpClientTest, BadGatewayEveryTimeGivesUpAfterMaxAttempts) {
  server.on("GET", "/x", [](const RecordedRequest&) {
    return FakeResponse::json(502, "<html>Bad Gateway</html>");
  });
  time.jitter = 0.5;
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_EQ(r.error().message, "GET " + server.base_url() +
                                   "/x: server error HTTP 502: <html>Bad Gateway</html> (gave "
                                   "up after 3 attempts)");
  EXPECT_TRUE(r.error().stops_run());  // the platform is failing: the run stops
  EXPECT_EQ(server.request_count(), 3u);
  // d = 100, 200 ms; wait = d/2 + 0.5*d/2.
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{milliseconds(75), milliseconds(150)}));
}

TEST_F(HttpClientTest, ServiceUnavailableHonoursRetryAfter) {
  server.on("GET", "/x",
            sequence({FakeResponse::json(503, "").with_header("Retry-After", "3"),
                      FakeResponse::json(200, "ok")}));
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(3)}));
}

TEST_F(HttpClientTest, TooManyRequestsWaitsRetryAfterSeconds) {
  server.on("GET", "/x",
            sequence({FakeResponse::json(429, "").with_header("Retry-After", "7"),
                      FakeResponse::json(200, "ok")}));
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(7)}));
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(client->stats().rate_limited, 1u);
}

TEST_F(HttpClientTest, ObserverSeesEveryResponseAndEachRateLimitWait) {
  server.on("GET", "/x",
            sequence({FakeResponse::json(429, "").with_header("Retry-After", "7"),
                      FakeResponse::json(503, ""), FakeResponse::json(200, "ok")}));
  server.on("GET", "/missing", sequence({FakeResponse::json(404, "")}));
  std::vector<HttpEvent> events;
  NetDeps deps = time.deps();
  deps.observe = [&events](const HttpEvent& e) { events.push_back(e); };
  auto client = HttpClient::create(options_for(server.base_url()), deps);
  ASSERT_TRUE(client.ok()) << client.error().message;
  ASSERT_TRUE((*client)->send(get("/x")).ok());
  ASSERT_TRUE((*client)->send(get("/missing")).ok());
  std::vector<std::string> seen;
  for (const HttpEvent& e : events) {
    const char* kind = e.kind == HttpEvent::Kind::response          ? "response"
                       : e.kind == HttpEvent::Kind::rate_limit_wait ? "wait"
                                                                    : "error";
    seen.push_back(std::string(kind) + " " + std::to_string(e.status) + " " +
                   std::to_string(e.wait.count()));
  }
  // The 503's back-off is a retry, not a rate-limit wait.
  EXPECT_EQ(seen, (std::vector<std::string>{"response 429 0", "wait 429 7000", "response 503 0",
                                            "response 200 0", "response 404 0"}));
}

TEST_F(HttpClientTest, PrimaryLimitExhaustedWaitsUntilReset) {
  const std::string reset = std::to_string(kEpoch + 30);
  server.on("GET", "/x",
            sequence({FakeResponse::json(403, R"({"message":"API rate limit exceeded"})")
                          .with_header("x-ratelimit-remaining", "0")
                          .with_header("x-ratelimit-reset", reset),
                      FakeResponse::json(200, "ok")}));
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(time.sleeps.size(), 1u);
  EXPECT_GE(time.sleeps[0], seconds(30));
  EXPECT_LE(time.sleeps[0], seconds(31));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(HttpClientTest, SecondaryLimitWithRetryAfter) {
  server.on("POST", "/repos/o/r/issues",
            sequence({FakeResponse::json(
                          403, R"({"message":"You have exceeded a secondary rate limit and have )"
                               R"(been temporarily blocked from content creation."})")
                          .with_header("retry-after", "5")
                          .with_header("x-ratelimit-remaining", "4321"),
                      FakeResponse::json(201, R"({"number":12})")}));
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  HttpRequest post;
  post.method = "POST";
  post.path_and_query = "/repos/o/r/issues";
  post.body = R"({"title":"AS1"})";
  auto r = client->send(post);  // a rate-limited POST created nothing: waited and retried
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(5)}));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(HttpClientTest, SecondaryLimitWithoutHintWaitsAMinute) {
  server.on("GET", "/x",
            sequence({FakeResponse::json(403, R"({"message":"secondary rate limit"})"),
                      FakeResponse::json(200, "ok")}));
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(60)}));
}

TEST_F(HttpClientTest, RateLimitLongerThanBudgetGivesUpWithRetryTime) {
  server.on("GET", "/x", [](const RecordedRequest&) {
    return FakeResponse::json(403, R"({"message":"API rate limit exceeded"})")
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", std::to_string(kEpoch + 3600));
  });
  HttpClientOptions o = options_for(server.base_url());
  o.retry.max_total_wait = std::chrono::minutes(15);
  auto client = make_client(o, time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  // now 22:13:20 UTC, reset + 1 s margin.
  EXPECT_EQ(r.error().message.rfind("rate limited by 127.0.0.1; retry after 23:13:21 UTC", 0), 0u)
      << r.error().message;
  EXPECT_TRUE(r.error().stops_run());
  ASSERT_TRUE(r.error().retry_at.has_value());  // machine-readable too
  EXPECT_EQ(*r.error().retry_at, system_clock::time_point{seconds(kEpoch + 3601)});
  EXPECT_TRUE(time.sleeps.empty());
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(HttpClientTest, RepeatedRateLimitsGiveUpAfterMaxWaits) {
  server.on("GET", "/x", [](const RecordedRequest&) {
    return FakeResponse::json(429, "").with_header("Retry-After", "1");
  });
  HttpClientOptions o = options_for(server.base_url());
  o.retry.max_rate_limit_waits = 2;
  auto client = make_client(o, time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("rate limited by 127.0.0.1; retry after"), std::string::npos);
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_TRUE(r.error().retry_at.has_value());
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(1), seconds(1)}));
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(HttpClientTest, PlainForbiddenIsReturnedNotRetried) {
  server.on("GET", "/x", [](const RecordedRequest&) {
    return FakeResponse::json(403, R"({"message":"Resource not accessible by integration"})")
        .with_header("x-ratelimit-remaining", "4999")
        .with_header("x-ratelimit-reset", std::to_string(kEpoch + 100));
  });
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->body, R"({"message":"Resource not accessible by integration"})");
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(time.sleeps.empty());
  EXPECT_EQ(client->stats().rate_limited, 0u);
}

TEST_F(HttpClientTest, PostIsNotRetriedOnBadGateway) {
  server.on("POST", "/repos/o/r/issues",
            [](const RecordedRequest&) { return FakeResponse::json(502, "Bad Gateway"); });
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  HttpRequest post;
  post.method = "POST";
  post.path_and_query = "/repos/o/r/issues";
  post.body = R"({"title":"AS1"})";
  auto r = client->send(post);
  ASSERT_TRUE(r.ok()) << r.error().message;  // returned to the caller, who checks duplicates
  EXPECT_EQ(r->status, 502);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(time.sleeps.empty());
}

TEST_F(HttpClientTest, PostMarkedIdempotentIsRetriedOnBadGateway) {
  server.on("POST", "/rest/api/3/search/jql",
            sequence({FakeResponse::json(502, ""), FakeResponse::json(200, R"({"issues":[]})")}));
  auto client = make_client(options_for(server.base_url()), time);
  ASSERT_TRUE(client);
  HttpRequest search;
  search.method = "POST";
  search.path_and_query = "/rest/api/3/search/jql";
  search.body = R"({"jql":"labels = risksync"})";
  search.idempotent = true;
  auto r = client->send(search);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(HttpClientTest, MutationsArePacedGetsAreNot) {
  server.on("*", "/repos/o/r/issues/.*",
            [](const RecordedRequest&) { return FakeResponse::json(200, "{}"); });
  HttpClientOptions o = options_for(server.base_url());
  o.min_write_interval = seconds(1);
  auto client = make_client(o, time);
  ASSERT_TRUE(client);
  HttpRequest patch;
  patch.method = "PATCH";
  patch.path_and_query = "/repos/o/r/issues/1";
  patch.body = "{}";

  ASSERT_TRUE(client->send(patch).ok());
  EXPECT_TRUE(time.sleeps.empty());  // first mutation: nothing to wait for
  ASSERT_TRUE(client->send(patch).ok());
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(1)}));

  ASSERT_TRUE(client->send(get("/repos/o/r/issues/1")).ok());
  ASSERT_TRUE(client->send(get("/repos/o/r/issues/2")).ok());
  EXPECT_EQ(time.sleeps.size(), 1u);  // GETs are not paced

  time.now += milliseconds(400);  // some work between two writes
  patch.path_and_query = "/repos/o/r/issues/2";
  ASSERT_TRUE(client->send(patch).ok());
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(1), milliseconds(600)}));

  time.now += seconds(5);  // long enough: no wait
  ASSERT_TRUE(client->send(patch).ok());
  EXPECT_EQ(time.sleeps.size(), 2u);
  EXPECT_EQ(server.request_count(), 6u);
}

TEST_F(HttpClientTest, SlowResponseBeyondReadTimeoutIsATimeoutError) {
  server.on("GET", "/slow", [](const RecordedRequest&) {
    FakeResponse r = FakeResponse::json(200, "late");
    r.delay = seconds(1);
    return r;
  });
  HttpClientOptions o = options_for(server.base_url());
  o.read_timeout = milliseconds(200);
  o.retry.max_attempts = 2;
  NetDeps deps = time.deps();
  deps.now = [] { return system_clock::now(); };  // real time, to tell a timeout from a close
  auto created = HttpClient::create(o, deps);
  ASSERT_TRUE(created.ok());
  auto& client = *created;

  const auto start = std::chrono::steady_clock::now();
  auto r = client->send(get("/slow"));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_EQ(r.error().message, "GET " + server.base_url() + "/slow: no response from 127.0.0.1:" +
                                   std::to_string(server.port()) +
                                   " within the read timeout (200 ms) (gave up after 2 attempts)");
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(time.sleeps.size(), 1u);
  EXPECT_LT(took, seconds(1));
}

TEST_F(HttpClientTest, PostWithoutResponseIsNotRetried) {
  server.on("POST", "/slow", [](const RecordedRequest&) {
    FakeResponse r = FakeResponse::json(201, "{}");
    r.delay = seconds(1);
    return r;
  });
  HttpClientOptions o = options_for(server.base_url());
  o.read_timeout = milliseconds(200);
  auto client = make_client(o, time);
  ASSERT_TRUE(client);
  HttpRequest post;
  post.method = "POST";
  post.path_and_query = "/slow";
  post.body = "{}";
  auto r = client->send(post);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not retried because the server may have processed"),
            std::string::npos)
      << r.error().message;
  // It may have been created: this item is checked on the next run, the run goes on.
  EXPECT_EQ(r.error().scope, ErrorScope::item);
  EXPECT_FALSE(r.error().retry_at.has_value());
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(time.sleeps.empty());
}

TEST(HttpClientFaults, ConnectionClosedWithoutResponseIsRetriedThenFails) {
  RawTcpServer raw;
  ASSERT_TRUE(raw.ok());
  FakeTime time;
  auto client = make_client(options_for(raw.base_url()), time);
  ASSERT_TRUE(client);
  auto r = client->send(get("/x"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_EQ(r.error().message, "GET " + raw.base_url() + "/x: connection closed by 127.0.0.1:" +
                                   std::to_string(raw.port()) +
                                   " before a complete response (gave up after 3 attempts)");
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(raw.connections(), 3u);
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{milliseconds(50), milliseconds(100)}));
  EXPECT_EQ(client->stats().transport_errors, 3u);
  const auto heads = raw.heads();
  ASSERT_FALSE(heads.empty());
  EXPECT_EQ(heads[0].rfind("GET /x HTTP/1.1\r\n", 0), 0u) << heads[0];
}

TEST(HttpClientFaults, ConnectionRefusedIsRetriedEvenForPost) {
  int port = 0;
  {
    FakeHttpServer gone;
    ASSERT_TRUE(gone.ok());
    port = gone.port();
  }  // stopped: nothing listens on `port` any more
  FakeTime time;
  auto client = make_client(options_for("http://127.0.0.1:" + std::to_string(port)), time);
  ASSERT_TRUE(client);
  HttpRequest post;
  post.method = "POST";
  post.path_and_query = "/repos/o/r/issues";
  post.body = "{}";
  auto r = client->send(post);  // never reached the server: safe to retry
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "POST http://127.0.0.1:" + std::to_string(port) +
                                   "/repos/o/r/issues: cannot connect to 127.0.0.1:" +
                                   std::to_string(port) + " (gave up after 3 attempts)");
  EXPECT_TRUE(r.error().stops_run());  // the platform is unreachable
  EXPECT_EQ(client->stats().attempts, 3u);
  EXPECT_EQ(time.sleeps.size(), 2u);
}

// ---- Write pacing across clients after a secondary rate limit (net/write_pacer.h) ----

HttpRequest mutation(std::string method, std::string path) {
  HttpRequest r;
  r.method = std::move(method);
  r.path_and_query = std::move(path);
  r.body = "{}";
  return r;
}

FakeResponse secondary_limit(std::optional<int> retry_after_s) {
  FakeResponse r = FakeResponse::json(
      403, R"({"message":"You have exceeded a secondary rate limit. Please wait a few minutes."})");
  if (retry_after_s) r.with_header("retry-after", std::to_string(*retry_after_s));
  return r;
}

TEST_F(HttpClientTest, SecondaryLimitSlowsLaterWritesOfEveryClientToThatHost) {
  server.on("POST", "/repos/o/r/issues",
            sequence({secondary_limit(5), FakeResponse::json(201, "{}")}));
  server.on("PATCH", "/repos/o/r/issues/.*",
            [](const RecordedRequest&) { return FakeResponse::json(200, "{}"); });
  server.on("GET", "/.*", [](const RecordedRequest&) { return FakeResponse::json(200, "[]"); });
  HttpClientOptions o = options_for(server.base_url());
  auto first = make_client(o, time);
  auto second = make_client(o, time);  // same host, same pacer (as app/ gives all its clients)
  FakeHttpServer other;
  ASSERT_TRUE(other.ok());
  other.on("*", "/.*", [](const RecordedRequest&) { return FakeResponse::json(200, "{}"); });
  HttpClientOptions other_options = options_for(other.base_url());
  other_options.write_pacer = o.write_pacer;
  auto elsewhere = make_client(other_options, time);
  ASSERT_TRUE(first && second && elsewhere);

  auto created = first->send(mutation("POST", "/repos/o/r/issues"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->status, 201);
  // Retry-After waited once; the retry itself is not paced again.
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(5)}));
  EXPECT_TRUE(o.write_pacer->slowed("127.0.0.1:" + std::to_string(server.port())));

  // The other client's writes to that host: one per 7.2 s (GitHub's 500 per hour), although
  // min_write_interval is 0.
  ASSERT_TRUE(second->send(mutation("PATCH", "/repos/o/r/issues/1")).ok());
  ASSERT_TRUE(second->send(mutation("PATCH", "/repos/o/r/issues/2")).ok());
  EXPECT_EQ(time.sleeps,
            (std::vector<milliseconds>{seconds(5), milliseconds(7200), milliseconds(7200)}));
  // GETs are not paced; another host is not slowed.
  ASSERT_TRUE(second->send(get("/repos/o/r/issues")).ok());
  ASSERT_TRUE(elsewhere->send(mutation("PATCH", "/x")).ok());
  ASSERT_TRUE(elsewhere->send(mutation("PATCH", "/y")).ok());
  EXPECT_EQ(time.sleeps.size(), 3u);
  time.now += seconds(3);  // work in between counts
  ASSERT_TRUE(first->send(mutation("PATCH", "/repos/o/r/issues/3")).ok());
  EXPECT_EQ(time.sleeps.back(), milliseconds(4200));
}

TEST_F(HttpClientTest, SecondaryLimitHoldsOtherClientsWritesUntilItsRetryTime) {
  server.on("POST", "/repos/o/r/issues", sequence({secondary_limit(30)}));
  server.on("PATCH", "/repos/o/r/issues/1",
            [](const RecordedRequest&) { return FakeResponse::json(200, "{}"); });
  HttpClientOptions o = options_for(server.base_url());
  o.retry.max_rate_limit_waits = 0;  // the first client gives up at once
  auto first = make_client(o, time);
  auto second = make_client(o, time);
  ASSERT_TRUE(first && second);
  auto r = first->send(mutation("POST", "/repos/o/r/issues"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(r.error().message.rfind("rate limited by 127.0.0.1; retry after 22:13:50 UTC", 0), 0u)
      << r.error().message;
  EXPECT_TRUE(time.sleeps.empty());
  ASSERT_TRUE(second->send(mutation("PATCH", "/repos/o/r/issues/1")).ok());
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(30)}));
}

TEST_F(HttpClientTest, PersistentSecondaryLimitStopsTheRunAndLaterWritesAreNotSent) {
  server.on("POST", "/repos/o/r/issues",
            [](const RecordedRequest&) { return secondary_limit(std::nullopt); });
  server.on("GET", "/repos/o/r/issues",
            [](const RecordedRequest&) { return FakeResponse::json(200, "[]"); });
  HttpClientOptions o = options_for(server.base_url());
  auto first = make_client(o, time);
  auto second = make_client(o, time);
  ASSERT_TRUE(first && second);
  auto r = first->send(mutation("POST", "/repos/o/r/issues"));
  ASSERT_FALSE(r.ok());
  // 60 s doubled for each further limit (GitHub: wait at least a minute, then longer), three
  // waited out; the fourth would wait 480 s: the run stops with the time to come back.
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(60), seconds(120), seconds(240)}));
  EXPECT_EQ(server.request_count(), 4u);
  EXPECT_TRUE(r.error().stops_run());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_EQ(r.error().message.rfind("rate limited by 127.0.0.1; retry after 22:28:20 UTC", 0), 0u)
      << r.error().message;
  ASSERT_TRUE(r.error().retry_at.has_value());
  EXPECT_EQ(*r.error().retry_at, system_clock::time_point{seconds(kEpoch + 420 + 480)});

  // Another client's write to that host is refused without being sent; reads still go.
  auto again = second->send(mutation("POST", "/repos/o/r/issues"));
  ASSERT_FALSE(again.ok());
  EXPECT_TRUE(again.error().stops_run());
  EXPECT_EQ(again.error().retry_at, r.error().retry_at);
  EXPECT_NE(again.error().message.find("not sent"), std::string::npos) << again.error().message;
  EXPECT_EQ(server.request_count(), 4u);
  EXPECT_TRUE(second->send(get("/repos/o/r/issues")).ok());
}

TEST_F(HttpClientTest, PrimaryLimitDoesNotSlowWrites) {
  server.on("PATCH", "/x",
            sequence({FakeResponse::json(403, R"({"message":"API rate limit exceeded"})")
                          .with_header("x-ratelimit-remaining", "0")
                          .with_header("x-ratelimit-reset", std::to_string(kEpoch + 10)),
                      FakeResponse::json(200, "{}")}));
  HttpClientOptions o = options_for(server.base_url());
  auto client = make_client(o, time);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send(mutation("PATCH", "/x")).ok());
  ASSERT_TRUE(client->send(mutation("PATCH", "/x")).ok());
  EXPECT_EQ(time.sleeps, (std::vector<milliseconds>{seconds(11)}));
  EXPECT_FALSE(o.write_pacer->slowed("127.0.0.1:" + std::to_string(server.port())));
}

TEST(HttpClientCreate, PlainHttpOnlyForLoopback) {
  for (const char* url : {"http://api.github.com", "http://10.0.0.1:8080/api/v4",
                          "http://gitlab.example.com/api/v4"}) {
    HttpClientOptions o;
    o.base_url = url;
    auto c = HttpClient::create(o);
    ASSERT_FALSE(c.ok()) << url;
    EXPECT_EQ(c.error().kind, ErrorKind::bad_input);
    EXPECT_NE(c.error().message.find("plain http:// is refused"), std::string::npos)
        << c.error().message;
  }
  for (const char* url : {"http://127.0.0.1:1", "http://localhost:1/api/v3", "http://[::1]:1",
                          "https://api.github.com", "https://ghes.example.com/api/v3"}) {
    HttpClientOptions o;
    o.base_url = url;
    auto c = HttpClient::create(o);
    EXPECT_TRUE(c.ok()) << url << ": " << (c.ok() ? "" : c.error().message);
  }
}

TEST(HttpClientCreate, RejectsMalformedBaseUrlsAndCredentialsInThem) {
  for (const char* url : {"", "api.github.com", "ftp://h", "https://h?x=1"}) {
    HttpClientOptions o;
    o.base_url = url;
    auto c = HttpClient::create(o);
    ASSERT_FALSE(c.ok()) << url;
    EXPECT_EQ(c.error().kind, ErrorKind::bad_input) << url;
  }
  HttpClientOptions o;
  o.base_url = "https://user:ghp_secret@api.github.com";
  auto c = HttpClient::create(o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message.find("ghp_secret"), std::string::npos) << c.error().message;
}

}  // namespace
}  // namespace risksync::net
