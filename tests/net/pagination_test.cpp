// net::fetch_pages and its four strategies (net/pagination.h) against a loopback FakeHttpServer
// through the real HttpClient: several pages, empty last pages, loops, max pages, errors
// mid-way, servers capping maxResults, tokens with isLast, GraphQL cursors, and the
// conditional-request cache (warm: all 304; one page changed; a corrupted cached copy).
#include "net/pagination.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "net/http_client.h"
#include "net/listing_cache.h"
#include "support/fake_http_server.h"

namespace risksync::net {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RecordedRequest;

class PaginationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server.ok());
    HttpClientOptions o;
    o.base_url = server.base_url();
    o.connect_timeout = seconds(2);
    o.read_timeout = seconds(2);
    o.write_timeout = seconds(2);
    o.retry.max_attempts = 2;
    o.retry.base_delay = milliseconds(1);
    o.min_write_interval = milliseconds(0);
    o.write_pacer = std::make_shared<WritePacer>();
    NetDeps deps;
    deps.sleep = [](milliseconds) {};  // never really sleeps
    deps.jitter = [] { return 0.0; };
    auto created = HttpClient::create(o, deps);
    ASSERT_TRUE(created.ok()) << created.error().message;
    client = std::move(created).value();
  }

  static HttpRequest get(std::string path) {
    HttpRequest r;
    r.path_and_query = std::move(path);
    return r;
  }

  static HttpRequest post(std::string path, const json& body) {
    HttpRequest r;
    r.method = "POST";
    r.path_and_query = std::move(path);
    r.body = body.dump();
    r.idempotent = true;  // a read-only POST (search, GraphQL query)
    return r;
  }

  // Runs fetch_pages, keeping each page's body.
  Result<PagesRead> fetch(const HttpRequest& first, const PageStrategy& strategy,
                          FetchPagesOptions options = {}) {
    bodies.clear();
    return fetch_pages(
        *client, first, strategy,
        [this](const Page& page) -> Status {
          bodies.emplace_back(page.body);
          return ok_status();
        },
        options);
  }

  std::string link_to(const std::string& path) const {
    return "<" + server.base_url() + path + ">; rel=\"next\"";
  }

  FakeHttpServer server;
  std::unique_ptr<HttpClient> client;
  std::vector<std::string> bodies;
};

// ---- Link header ----

TEST_F(PaginationTest, LinkHeaderFollowsPagesUntilOneHasNoNextLink) {
  server.on("GET", "/items", [this](const RecordedRequest& req) {
    const std::string page = req.param("page").empty() ? "1" : req.param("page");
    if (page == "1")
      return FakeResponse::json(200, "[1,2]").with_header("Link", link_to("/items?page=2"));
    if (page == "2")
      return FakeResponse::json(200, "[3]").with_header("Link", link_to("/items?page=3"));
    return FakeResponse::json(200, "[]");  // empty last page, no Link
  });
  HttpRequest first = get("/items?per_page=2");
  first.headers.emplace("If-None-Match", "\"for-the-first-url\"");
  auto read = fetch(first, LinkHeaderPages{});
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 3);
  EXPECT_EQ(read->requests, 3);
  EXPECT_FALSE(read->refused);
  EXPECT_EQ(bodies, (std::vector<std::string>{"[1,2]", "[3]", "[]"}));
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].header("If-None-Match"), "\"for-the-first-url\"");
  EXPECT_FALSE(reqs[1].has_header("If-None-Match"));  // conditional headers belong to one URL
  EXPECT_EQ(reqs[2].target, "/items?page=3");
}

TEST_F(PaginationTest, LinkBackToAPageAlreadyReadIsALoop) {
  server.on("GET", "/loop", [this](const RecordedRequest& req) {
    return FakeResponse::json(200, "[1]")
        .with_header("Link", link_to(req.param("page") == "2" ? "/loop?page=1" : "/loop?page=2"));
  });
  auto read = fetch(get("/loop?page=1"), LinkHeaderPages{});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind, ErrorKind::remote);
  EXPECT_NE(read.error().message.find("pagination loops"), std::string::npos)
      << read.error().message;
  // page 1, page 2 (absolute), page 1 again in its absolute form, refused before sending.
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(PaginationTest, MorePagesThanMaxPagesIsAnError) {
  server.on("GET", "/endless", [this](const RecordedRequest& req) {
    const int page = req.param("page").empty() ? 1 : std::stoi(req.param("page"));
    return FakeResponse::json(200, "[0]")
        .with_header("Link", link_to("/endless?page=" + std::to_string(page + 1)));
  });
  FetchPagesOptions options;
  options.max_pages = 3;
  options.items = "widgets";
  auto read = fetch(get("/endless"), LinkHeaderPages{}, options);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("stopped after 3 pages of widgets"), std::string::npos)
      << read.error().message;
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(bodies.size(), 3u);
}

TEST_F(PaginationTest, A404MidwayIsHandedBackToTheCaller) {
  server.on("GET", "/items", [this](const RecordedRequest& req) {
    if (req.param("page") == "2") return FakeResponse::json(404, R"({"message":"Not Found"})");
    return FakeResponse::json(200, "[1]").with_header("Link", link_to("/items?page=2"));
  });
  auto read = fetch(get("/items"), LinkHeaderPages{});
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 1);
  EXPECT_EQ(read->requests, 2);
  ASSERT_TRUE(read->refused);
  EXPECT_EQ(read->refused->response.status, 404);
  EXPECT_EQ(read->refused->response.body, R"({"message":"Not Found"})");
  EXPECT_EQ(read->refused->request.path_and_query, server.base_url() + "/items?page=2");
  EXPECT_EQ(bodies, (std::vector<std::string>{"[1]"}));  // on_page never saw the 404
}

TEST_F(PaginationTest, A5xxMidwayIsTheTransportsErrorAndStopsTheRun) {
  server.on("GET", "/items", [this](const RecordedRequest& req) {
    if (req.param("page") == "2") return FakeResponse::json(503, R"({"message":"down"})");
    return FakeResponse::json(200, "[1]").with_header("Link", link_to("/items?page=2"));
  });
  auto read = fetch(get("/items"), LinkHeaderPages{});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind, ErrorKind::remote);
  EXPECT_TRUE(read.error().stops_run());
  EXPECT_NE(read.error().message.find("503"), std::string::npos) << read.error().message;
  EXPECT_EQ(bodies.size(), 1u);
  EXPECT_EQ(server.request_count(), 3u);  // page 1, page 2 twice (max_attempts 2)
}

TEST_F(PaginationTest, APageOfTheWrongShapeIsAnErrorNamingTheRequest) {
  server.on("GET", "/items", [this](const RecordedRequest& req) {
    if (req.param("page") == "2") return FakeResponse::json(200, R"({"message":"not a list"})");
    return FakeResponse::json(200, "[1]").with_header("Link", link_to("/items?page=2"));
  });
  FetchPagesOptions options;
  options.items = "issues";
  auto read = fetch(get("/items"), LinkHeaderPages{}, options);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("GET " + server.base_url() +
                                      "/items?page=2: the page is not a JSON array of issues but "
                                      "a JSON object"),
            std::string::npos)
      << read.error().message;
}

TEST_F(PaginationTest, AnErrorOfTheHandlerStopsTheListingAsIs) {
  server.on("GET", "/items", [this](const RecordedRequest&) {
    return FakeResponse::json(200, "[1]").with_header("Link", link_to("/items?page=2"));
  });
  auto read = fetch_pages(*client, get("/items"), LinkHeaderPages{},
                          [](const Page&) -> Status { return bad_input("page makes no sense"); });
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message, "page makes no sense");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(PaginationTest, ForEachPageStillWalksTheLinkHeader) {
  server.on("GET", "/items", [this](const RecordedRequest& req) {
    if (req.param("page") == "2") return FakeResponse::json(200, "not json at all");
    return FakeResponse::json(200, "[1]").with_header("Link", link_to("/items?page=2"));
  });
  std::vector<std::string> seen;
  const Status st = for_each_page(*client, get("/items"), [&](const HttpResponse& r) -> Status {
    seen.push_back(r.body);
    return ok_status();
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(seen, (std::vector<std::string>{"[1]", "not json at all"}));  // raw: not parsed
}

// ---- next-page token (Jira Cloud /rest/api/3/search/jql) ----

TEST_F(PaginationTest, TokenInTheBodyUntilIsLast) {
  server.on("POST", "/rest/api/3/search/jql", [](const RecordedRequest& req) {
    const json body = json::parse(req.body);
    const std::string token = body.value("nextPageToken", "");
    if (token.empty())
      return FakeResponse::json(200, R"({"issues":[1,2],"nextPageToken":"t2","isLast":false})");
    if (token == "t2")
      return FakeResponse::json(200, R"({"issues":[3],"nextPageToken":"t3","isLast":false})");
    // isLast wins over a token a server might still send.
    return FakeResponse::json(200, R"({"issues":[4],"nextPageToken":"t4","isLast":true})");
  });
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read =
      fetch(post("/rest/api/3/search/jql", {{"jql", "labels = risksync"}, {"maxResults", 2}}),
            NextPageTokenPages{}, options);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 3);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_FALSE(json::parse(reqs[0].body).contains("nextPageToken"));
  const json third = json::parse(reqs[2].body);
  EXPECT_EQ(third["nextPageToken"], "t3");
  EXPECT_EQ(third["jql"], "labels = risksync");  // the rest of the body is kept
  EXPECT_EQ(third["maxResults"], 2);
}

TEST_F(PaginationTest, TokenInTheQueryEndsWhenNoTokenComesBack) {
  server.on("GET", "/rest/api/3/search/jql", [](const RecordedRequest& req) {
    if (req.param("nextPageToken") != "a b&c")
      return FakeResponse::json(200, R"({"issues":[1],"nextPageToken":"a b&c"})");
    return FakeResponse::json(200, R"({"issues":[2]})");  // neither token nor isLast
  });
  NextPageTokenOptions token;
  token.place = ParamPlace::query;
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(get("/rest/api/3/search/jql?jql=x&nextPageToken=old"),
                    NextPageTokenPages{token}, options);
  // The first request's own token is replaced, not repeated.
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 2);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[1].query, "jql=x&nextPageToken=a%20b%26c");
  EXPECT_EQ(reqs[1].param("nextPageToken"), "a b&c");
}

TEST_F(PaginationTest, TokenSayingNotLastWithoutATokenIsAnError) {
  server.on("POST", "/search", [](const RecordedRequest&) {
    return FakeResponse::json(200, R"({"issues":[1],"isLast":false})");
  });
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(post("/search", json::object()), NextPageTokenPages{}, options);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("POST /search: the page says isLast: false but gives no "
                                      "nextPageToken"),
            std::string::npos)
      << read.error().message;
}

TEST_F(PaginationTest, TheSameTokenTwiceIsALoop) {
  server.on("POST", "/search", [](const RecordedRequest&) {
    return FakeResponse::json(200, R"({"issues":[1],"nextPageToken":"same","isLast":false})");
  });
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(post("/search", json::object()), NextPageTokenPages{}, options);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("pagination loops"), std::string::npos)
      << read.error().message;
  EXPECT_EQ(server.request_count(), 2u);
}

// ---- startAt / maxResults / total (Jira DC, Confluence DC) ----

// A Jira DC search over `total` issues that never returns more than `cap` per page.
FakeHttpServer::Handler capped_search(int total, int cap) {
  return [total, cap](const RecordedRequest& req) {
    const int start = req.param("startAt").empty() ? 0 : std::stoi(req.param("startAt"));
    const int asked = std::stoi(req.param("maxResults"));
    json issues = json::array();
    for (int i = start; i < total && i < start + std::min(asked, cap); ++i) issues.push_back(i);
    return FakeResponse::json(
        200,
        json{{"startAt", start}, {"maxResults", cap}, {"total", total}, {"issues", issues}}.dump());
  };
}

TEST_F(PaginationTest, StartAtAdvancesByWhatTheServerReallySent) {
  server.on("GET", "/rest/api/2/search", capped_search(5, 2));
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(get("/rest/api/2/search?jql=x&maxResults=100"), StartAtPages{}, options);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 3);  // 0-1, 2-3, 4: stops at total without asking for an empty page
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].param("startAt"), "");
  EXPECT_EQ(reqs[1].param("startAt"), "2");  // not 100: the server capped maxResults at 2
  EXPECT_EQ(reqs[2].param("startAt"), "4");
  EXPECT_EQ(reqs[2].param("maxResults"), "100");  // the caller's count is left as it was
  std::vector<int> all;
  for (const auto& body : bodies) {
    const json page = json::parse(body);
    for (const json& i : page["issues"]) all.push_back(i.get<int>());
  }
  EXPECT_EQ(all, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST_F(PaginationTest, StartAtStopsOnAnEmptyPageWithoutTotal) {
  // Confluence DC: start/limit, items under "results", no total.
  server.on("GET", "/rest/api/content", [](const RecordedRequest& req) {
    const std::string start = req.param("start");
    if (start.empty()) return FakeResponse::json(200, R"({"start":0,"results":["a","b"]})");
    if (start == "2") return FakeResponse::json(200, R"({"start":2,"results":["c"]})");
    return FakeResponse::json(200, R"({"start":3,"results":[]})");
  });
  StartAtOptions start;
  start.start_param = "start";
  start.items_pointer = "/results";
  start.total_field = "";
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(get("/rest/api/content?limit=2"), StartAtPages{start}, options);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 3);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[2].param("start"), "3");
}

TEST_F(PaginationTest, StartAtInAPostBodyAndAnEmptyPageBeforeTotal) {
  // A server announcing more than it has: the empty page ends the listing, no loop.
  server.on("POST", "/rest/api/2/search", [](const RecordedRequest& req) {
    const int start = json::parse(req.body).value("startAt", 0);
    if (start == 0) return FakeResponse::json(200, R"({"startAt":0,"total":50,"issues":[1,2,3]})");
    return FakeResponse::json(200, R"({"startAt":3,"total":50,"issues":[]})");
  });
  StartAtOptions start;
  start.place = ParamPlace::json_body;
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(post("/rest/api/2/search", {{"jql", "x"}, {"maxResults", 3}}),
                    StartAtPages{start}, options);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 2);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(json::parse(reqs[1].body)["startAt"], 3);
  EXPECT_EQ(json::parse(reqs[1].body)["jql"], "x");
}

TEST_F(PaginationTest, StartAtWithoutTheItemsArrayIsAnError) {
  server.on("GET", "/rest/api/2/search", [](const RecordedRequest&) {
    return FakeResponse::json(200, R"({"startAt":0,"total":3,"values":[1]})");
  });
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(get("/rest/api/2/search"), StartAtPages{}, options);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("no array of items at /issues"), std::string::npos)
      << read.error().message;
}

// ---- GraphQL cursor ----

TEST_F(PaginationTest, GraphQlCursorGoesIntoVariablesUntilHasNextPageIsFalse) {
  server.on("POST", "/graphql", [](const RecordedRequest& req) {
    const json body = json::parse(req.body);
    const json after = body["variables"].value("after", json());
    const bool first_page = after.is_null();
    const json page = {
        {"data",
         {{"repository",
           {{"issues",
             {{"nodes", first_page ? json::array({1, 2}) : json::array({3})},
              {"pageInfo",
               {{"hasNextPage", first_page},
                {"endCursor", first_page ? json("Y3Vyc29yOjI=") : json(nullptr)}}}}}}}}}};
    return FakeResponse::json(200, page.dump());
  });
  const json query = {{"query", "query($owner:String!,$after:String){…}"},
                      {"variables", {{"owner", "octo"}}}};
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(post("/graphql", query),
                    GraphQlCursorPages{{"/data/repository/issues/pageInfo", "after"}}, options);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 2);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  const json second = json::parse(reqs[1].body);
  EXPECT_EQ(second["variables"]["after"], "Y3Vyc29yOjI=");
  EXPECT_EQ(second["variables"]["owner"], "octo");
  EXPECT_EQ(second["query"], query["query"]);
}

TEST_F(PaginationTest, GraphQlWithoutPageInfoQuotesTheErrors) {
  server.on("POST", "/graphql", [](const RecordedRequest&) {
    return FakeResponse::json(
        200, R"({"data":null,"errors":[{"message":"Could not resolve to a Repository"}]})");
  });
  FetchPagesOptions options;
  options.shape = JsonShape::object;
  auto read = fetch(post("/graphql", {{"query", "q"}}),
                    GraphQlCursorPages{{"/data/repository/issues/pageInfo", "after"}}, options);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("no GraphQL pageInfo at /data/repository/issues/pageInfo"),
            std::string::npos)
      << read.error().message;
  EXPECT_NE(read.error().message.find("Could not resolve to a Repository"), std::string::npos);
}

// ---- the conditional-request cache ----

// Three pages with ETags; answers 304 (without a Link header) to a matching If-None-Match.
class ConditionalTest : public PaginationTest {
 protected:
  void SetUp() override {
    PaginationTest::SetUp();
    server.on("GET", "/list", [this](const RecordedRequest& req) {
      const std::string page = req.param("page").empty() ? "1" : req.param("page");
      std::string body;
      {
        std::lock_guard<std::mutex> lock(mutex);
        body = pages.at(page);
      }
      const std::string etag = "\"" + std::to_string(std::hash<std::string>{}(body)) + "\"";
      if (req.header("If-None-Match") == etag) {
        FakeResponse r;
        r.status = 304;
        r.with_header("ETag", etag);
        return r;
      }
      FakeResponse r = FakeResponse::json(200, body).with_header("ETag", etag);
      if (page != "3")
        r.with_header("Link", link_to("/list?page=" + std::to_string(std::stoi(page) + 1)));
      return r;
    });
  }

  void change(const std::string& page, std::string body) {
    std::lock_guard<std::mutex> lock(mutex);
    pages[page] = std::move(body);
  }

  Result<PagesRead> fetch_cached() {
    FetchPagesOptions options;
    options.cache = &cache;
    options.warn = [this](const std::string& what) { warnings.push_back(what); };
    return fetch(get("/list"), LinkHeaderPages{}, options);
  }

  std::mutex mutex;
  std::map<std::string, std::string> pages{{"1", "[1,2]"}, {"2", "[3,4]"}, {"3", "[5]"}};
  InMemoryListingCache cache;
  std::vector<std::string> warnings;
};

TEST_F(ConditionalTest, WarmCacheIsAnsweredWith304OnEveryPage) {
  auto cold = fetch_cached();
  ASSERT_TRUE(cold.ok()) << cold.error().message;
  EXPECT_EQ(cold->not_modified, 0);
  EXPECT_EQ(cache.size(), 3u);
  const auto cold_bodies = bodies;
  server.clear_requests();

  auto warm = fetch_cached();
  ASSERT_TRUE(warm.ok()) << warm.error().message;
  EXPECT_EQ(warm->pages, 3);
  EXPECT_EQ(warm->requests, 3);
  EXPECT_EQ(warm->not_modified, 3);  // the 304s carry no Link: the cached next links lead on
  EXPECT_EQ(bodies, cold_bodies);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  for (const auto& r : reqs) EXPECT_TRUE(r.has_header("If-None-Match")) << r.target;
  EXPECT_TRUE(warnings.empty());
}

TEST_F(ConditionalTest, OneChangedPageIsReadAgainAndCachedAnew) {
  ASSERT_TRUE(fetch_cached().ok());
  change("2", "[3,4,\"changed\"]");
  server.clear_requests();
  auto read = fetch_cached();
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->not_modified, 2);
  EXPECT_EQ(bodies, (std::vector<std::string>{"[1,2]", "[3,4,\"changed\"]", "[5]"}));
  server.clear_requests();
  read = fetch_cached();  // the new copy of page 2 was cached
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->not_modified, 3);
}

TEST_F(ConditionalTest, CorruptedCachedBodyIsAskedForAgainWithoutTheCache) {
  ASSERT_TRUE(fetch_cached().ok());
  const std::string key = server.base_url() + "/list?page=2";
  auto entry = cache.get(key);
  ASSERT_TRUE(entry.has_value());
  entry->body = "[{\"truncated";  // a cache file cut by a crash; the ETag still matches
  cache.put(key, *entry);
  server.clear_requests();

  auto read = fetch_cached();
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->pages, 3);
  EXPECT_EQ(read->requests, 4);
  EXPECT_EQ(read->not_modified, 2);
  EXPECT_EQ(read->unreadable_cached, 1);
  EXPECT_EQ(bodies, (std::vector<std::string>{"[1,2]", "[3,4]", "[5]"}));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("/list?page=2 is unreadable"), std::string::npos) << warnings[0];
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 4u);
  EXPECT_TRUE(reqs[1].has_header("If-None-Match"));
  EXPECT_FALSE(reqs[2].has_header("If-None-Match"));  // asked again, unconditionally
  EXPECT_EQ(reqs[2].target, "/list?page=2");
  EXPECT_EQ(cache.get(key)->body, "[3,4]");  // repaired
}

TEST_F(ConditionalTest, APageIsCachedOnlyAfterTheCallerAcceptedIt) {
  auto read = fetch_pages(
      *client, get("/list"), LinkHeaderPages{},
      [](const Page& page) -> Status {
        if (page.number == 2) return remote_error("cannot use page 2");
        return ok_status();
      },
      [this] {
        FetchPagesOptions options;
        options.cache = &cache;
        return options;
      }());
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(cache.size(), 1u);  // page 1 only
  EXPECT_TRUE(cache.get(server.base_url() + "/list?page=2") == std::nullopt);
}

TEST_F(ConditionalTest, A304NobodyAskedForIsRefused) {
  server.on("GET", "/odd", [](const RecordedRequest&) {
    FakeResponse r;
    r.status = 304;
    return r;
  });
  auto read = fetch(get("/odd"), LinkHeaderPages{});
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_TRUE(read->refused);
  EXPECT_EQ(read->refused->response.status, 304);
  EXPECT_EQ(read->pages, 0);
}

// ---- query parameters ----

TEST(QueryParameters, AreReadDecodedAndSetEncoded) {
  EXPECT_EQ(query_parameter("/x?a=1&b=x%20y", "b"), "x y");
  EXPECT_EQ(query_parameter("/x?a=1&flag", "flag"), "");
  EXPECT_EQ(query_parameter("/x?a=1", "b"), std::nullopt);
  EXPECT_EQ(query_parameter("/x", "a"), std::nullopt);
  EXPECT_EQ(with_query_parameter("/x?a=1&b=2&a=3", "a", "9"), "/x?a=9&b=2");
  EXPECT_EQ(with_query_parameter("/x?a=1", "startAt", "50"), "/x?a=1&startAt=50");
  EXPECT_EQ(with_query_parameter("/x", "t", "a&b"), "/x?t=a%26b");
  EXPECT_EQ(with_query_parameter("https://h/x?p=1#frag", "p", "2"), "https://h/x?p=2");
}

}  // namespace
}  // namespace risksync::net
