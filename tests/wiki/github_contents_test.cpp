#include "connectors/github/github_contents.h"

#include <map>
#include <mutex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "connectors/github/github_tracker.h"
#include "net/http_client.h"
#include "support/fake_http_server.h"
#include "util/base64.h"
#include "wiki/wiki_test_support.h"

namespace risksync::github {
namespace {

using nlohmann::json;
using testing::FakeResponse;
using testing::RecordedRequest;

constexpr std::string_view kToken = "fake-contents-token-5Hw3";

// GitHub wraps the base64 `content` every 60 characters.
std::string wrapped_base64(const std::string& bytes) {
  const std::string flat = base64_encode(bytes);
  std::string out;
  for (std::size_t i = 0; i < flat.size(); i += 60) out += flat.substr(i, 60) + "\n";
  return out;
}

// A small Contents API for repository octo/demo: GET and PUT on /repos/octo/demo/contents/...
class FakeContentsApi {
 public:
  struct File {
    std::string content;
    std::string sha;
  };

  FakeContentsApi() {
    server.on("GET", "/repos/octo/demo/contents/.*",
              [this](const RecordedRequest& r) { return get(r); });
    server.on("PUT", "/repos/octo/demo/contents/.*",
              [this](const RecordedRequest& r) { return put(r); });
  }

  void set(const std::string& path, const std::string& content) {
    std::lock_guard<std::mutex> lock(mutex);
    files[path] = File{content, git_blob_sha1(content)};
  }
  std::optional<File> file(const std::string& path) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
  int count(const std::string& method) const {
    int n = 0;
    for (const auto& r : server.requests()) n += r.method == method ? 1 : 0;
    return n;
  }

  testing::FakeHttpServer server;
  std::mutex mutex;
  std::map<std::string, File> files;
  // Called at the start of each PUT (before the sha check): lets a test play "someone
  // committed meanwhile".
  std::function<void(const std::string& path)> on_put;
  bool omit_content = false;  // play a file over 1 MB: GitHub sends no content
  bool fake_shas = false;     // shas that are not blob ids: forces comparing decoded content

 private:
  static std::string path_of(const RecordedRequest& r) {
    return net::percent_decode(r.path.substr(std::string("/repos/octo/demo/contents/").size()));
  }

  FakeResponse get(const RecordedRequest& r) {
    const std::string path = path_of(r);
    std::lock_guard<std::mutex> lock(mutex);
    auto it = files.find(path);
    if (it == files.end()) return FakeResponse::json(404, R"({"message":"Not Found"})");
    json j = {{"type", "file"},
              {"path", path},
              {"sha", fake_shas ? "f00d" + it->second.sha.substr(4) : it->second.sha},
              {"size", it->second.content.size()},
              {"html_url", "https://github.com/octo/demo/blob/main/" + path}};
    if (omit_content) {
      j["encoding"] = "none";
      j["content"] = "";
    } else {
      j["encoding"] = "base64";
      j["content"] = wrapped_base64(it->second.content);
    }
    return FakeResponse::json(200, j.dump());
  }

  FakeResponse put(const RecordedRequest& r) {
    const std::string path = path_of(r);
    if (on_put) on_put(path);
    const json body = json::parse(r.body, nullptr, false);
    if (!body.is_object() || !body.contains("message") || !body.contains("content"))
      return FakeResponse::json(422, R"({"message":"Invalid request."})");
    const auto decoded = base64_decode(body["content"].get<std::string>());
    if (!decoded) return FakeResponse::json(422, R"({"message":"content is not valid Base64"})");
    std::lock_guard<std::mutex> lock(mutex);
    auto it = files.find(path);
    const std::string given = body.value("sha", "");
    if (it != files.end()) {
      const std::string expected = fake_shas ? "f00d" + it->second.sha.substr(4) : it->second.sha;
      if (given.empty())
        return FakeResponse::json(422,
                                  R"({"message":"Invalid request.\n\n\"sha\" wasn't supplied."})");
      if (given != expected)
        return FakeResponse::json(409,
                                  R"({"message":")" + path + " does not match " + given + R"("})");
    }
    const bool created = it == files.end();
    File f{*decoded, git_blob_sha1(*decoded)};
    files[path] = f;
    json out = {{"content",
                 {{"path", path},
                  {"sha", f.sha},
                  {"html_url", "https://github.com/octo/demo/blob/main/" + path}}},
                {"commit", {{"sha", "c0ffee"}}}};
    return FakeResponse::json(created ? 201 : 200, out.dump());
  }
};

class GitHubContentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(api.server.ok());
    net::HttpClientOptions o;
    o.base_url = api.server.base_url();
    o.default_headers = github_default_headers(kToken);
    o.min_write_interval = std::chrono::milliseconds(0);
    o.connect_timeout = std::chrono::seconds(2);
    o.read_timeout = std::chrono::seconds(2);
    net::NetDeps deps;
    deps.sleep = [](std::chrono::milliseconds) {};
    auto c = net::HttpClient::create(o, deps);
    ASSERT_TRUE(c.ok()) << c.error().message;
    client = std::move(c).value();
  }

  GitHubContentsPublisher publisher(std::string branch = {}) {
    return GitHubContentsPublisher({"octo", "demo", "docs/risques.md", std::move(branch)}, *client,
                                   &client->redactor());
  }

  static WikiPage page(const std::string& content, const std::string& svg = "<svg/>") {
    WikiPage p;
    p.title = "Cartographie des risques";
    p.content = content;
    p.attachments.push_back({"risques.svg", svg, "image/svg+xml"});
    return p;
  }

  FakeContentsApi api;
  std::unique_ptr<net::HttpClient> client;
};

TEST_F(GitHubContentsTest, CreatesPageAndSvgBesideIt) {
  auto pub = publisher();
  auto r = pub.publish(page("# Carte\n![](risques.svg)\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(r->location, "https://github.com/octo/demo/blob/main/docs/risques.md");
  ASSERT_TRUE(api.file("docs/risques.md"));
  EXPECT_EQ(api.file("docs/risques.md")->content, "# Carte\n![](risques.svg)\n");
  ASSERT_TRUE(api.file("docs/risques.svg"));
  EXPECT_EQ(api.file("docs/risques.svg")->content, "<svg/>");

  const auto requests = api.server.requests();
  ASSERT_EQ(requests.size(), 4u);  // GET+PUT svg, then GET+PUT page
  EXPECT_EQ(requests[1].path, "/repos/octo/demo/contents/docs/risques.svg");
  EXPECT_EQ(requests[3].path, "/repos/octo/demo/contents/docs/risques.md");
  const json put = json::parse(requests[3].body);
  EXPECT_FALSE(put.contains("sha"));
  EXPECT_FALSE(put.contains("branch"));
  EXPECT_EQ(put["message"], "Update Cartographie des risques (risksync)");
  EXPECT_EQ(requests[3].header("Authorization"), "Bearer " + std::string(kToken));
  EXPECT_EQ(requests[3].header("X-GitHub-Api-Version"), "2022-11-28");
}

TEST_F(GitHubContentsTest, UnchangedContentSendsNoPut) {
  api.set("docs/risques.md", "same\n");
  api.set("docs/risques.svg", "<svg/>");
  auto pub = publisher();
  auto r = pub.publish(page("same\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->changed);
  EXPECT_EQ(api.count("PUT"), 0);
  EXPECT_EQ(api.count("GET"), 2);
  EXPECT_EQ(r->location, "https://github.com/octo/demo/blob/main/docs/risques.md");
}

TEST_F(GitHubContentsTest, UnchangedDecodedContentWithLineBreaksSendsNoPut) {
  // Long content: its base64 spans several wrapped lines; shas that are not blob ids force the
  // comparison of the decoded bytes.
  const std::string long_page(1000, 'x');
  api.set("docs/risques.md", long_page);
  api.set("docs/risques.svg", "<svg/>");
  api.fake_shas = true;
  auto pub = publisher();
  auto r = pub.publish(page(long_page));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->changed);
  EXPECT_EQ(api.count("PUT"), 0);
}

TEST_F(GitHubContentsTest, LargeFileWithoutContentIsComparedByBlobSha) {
  api.set("docs/risques.md", "big\n");
  api.set("docs/risques.svg", "<svg/>");
  api.omit_content = true;
  auto pub = publisher();
  auto r = pub.publish(page("big\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->changed);
  EXPECT_EQ(api.count("PUT"), 0);
}

TEST_F(GitHubContentsTest, UpdatesWithTheCurrentShaAndBranch) {
  api.set("docs/risques.md", "old\n");
  api.set("docs/risques.svg", "<svg/>");
  const std::string old_sha = api.file("docs/risques.md")->sha;
  auto pub = publisher("gh-pages");
  auto r = pub.publish(page("new\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(api.file("docs/risques.md")->content, "new\n");
  EXPECT_EQ(api.count("PUT"), 1);  // the SVG was unchanged
  const auto last = api.server.last_request();
  EXPECT_EQ(last.method, "PUT");
  const json body = json::parse(last.body);
  EXPECT_EQ(body["sha"], old_sha);
  EXPECT_EQ(body["branch"], "gh-pages");
  EXPECT_EQ(base64_decode(body["content"].get<std::string>()).value(), "new\n");
  for (const auto& req : api.server.requests())
    if (req.method == "GET") {
      EXPECT_EQ(req.param("ref"), "gh-pages");
    }
}

TEST_F(GitHubContentsTest, ConflictIsReReadAndRetriedOnce) {
  api.set("docs/risques.md", "old\n");
  api.set("docs/risques.svg", "<svg/>");
  int puts = 0;
  api.on_put = [&](const std::string& path) {
    if (path == "docs/risques.md" && ++puts == 1) api.set(path, "someone else's commit\n");
  };
  auto pub = publisher();
  testing::LogCapture logs;
  auto r = pub.publish(page("new\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(puts, 2);
  EXPECT_EQ(api.file("docs/risques.md")->content, "new\n");
  EXPECT_EQ(api.count("GET"), 3);  // svg, page, page again after the 409
  EXPECT_NE(logs.text().find("changed meanwhile"), std::string::npos);
  EXPECT_EQ(logs.text().find(kToken), std::string::npos);
}

TEST_F(GitHubContentsTest, FileCreatedMeanwhileGives422ThenUpdates) {
  api.set("docs/risques.svg", "<svg/>");
  int puts = 0;
  api.on_put = [&](const std::string& path) {
    if (++puts == 1) api.set(path, "created by someone meanwhile\n");
  };
  auto pub = publisher();
  auto r = pub.publish(page("mine\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(api.file("docs/risques.md")->content, "mine\n");
  EXPECT_EQ(puts, 2);
}

TEST_F(GitHubContentsTest, PersistentConflictIsAnError) {
  api.set("docs/risques.md", "old\n");
  api.set("docs/risques.svg", "<svg/>");
  int n = 0;
  api.on_put = [&](const std::string& path) { api.set(path, "race " + std::to_string(++n)); };
  auto pub = publisher();
  auto r = pub.publish(page("new\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_NE(r.error().message.find("HTTP 409"), std::string::npos) << r.error().message;
  EXPECT_EQ(api.count("PUT"), 2);
}

TEST_F(GitHubContentsTest, MissingRepositoryIsAClearError) {
  auto pub = GitHubContentsPublisher({"octo", "nope", "docs/risques.md", ""}, *client,
                                     &client->redactor());
  auto r = pub.publish(page("x\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().field, "wiki.path");
  EXPECT_NE(r.error().message.find("github (octo/nope)"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("HTTP 404"), std::string::npos);
  EXPECT_NE(r.error().message.find("not found, or the token cannot see it"), std::string::npos);
  EXPECT_EQ(r.error().message.find(kToken), std::string::npos);
}

TEST_F(GitHubContentsTest, RefusedTokenIsReportedWithoutIt) {
  api.server.on("PUT", "/repos/octo/demo/contents/.*", [](const RecordedRequest&) {
    return FakeResponse::json(
        403,
        R"({"message":"Resource not accessible by personal access token fake-contents-token-5Hw3"})");
  });
  auto pub = publisher();
  auto r = pub.publish(page("x\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().field, "tracker.token_env");
  EXPECT_EQ(r.error().message.find(kToken), std::string::npos) << r.error().message;
}

TEST_F(GitHubContentsTest, AFolderAtThePathIsRefused) {
  api.server.on("GET", "/repos/octo/demo/contents/docs/risques.md", [](const RecordedRequest&) {
    return FakeResponse::json(200, R"([{"type":"file","name":"a.md","sha":"1"}])");
  });
  api.set("docs/risques.svg", "<svg/>");
  auto pub = publisher();
  auto r = pub.publish(page("x\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_NE(r.error().message.find("is a folder"), std::string::npos);
}

TEST_F(GitHubContentsTest, InvalidPathsAndAttachmentNamesSendNothing) {
  for (const char* bad : {"", "/abs.md", "docs/", "a/../b.md", "a//b.md", ".git/x", "a\\b.md"}) {
    auto pub = GitHubContentsPublisher({"octo", "demo", bad, ""}, *client);
    auto r = pub.publish(page("x\n"));
    EXPECT_FALSE(r.ok()) << bad;
  }
  auto pub = publisher();
  WikiPage p = page("x\n");
  p.attachments[0].file_name = "../evil.svg";
  EXPECT_FALSE(pub.publish(p).ok());
  p.attachments[0].file_name = "risques.md";
  EXPECT_FALSE(pub.publish(p).ok());
  EXPECT_EQ(api.server.request_count(), 0u);
  EXPECT_EQ(pub.attachment_path("map.svg").value(), "docs/map.svg");
}

TEST_F(GitHubContentsTest, PathSegmentsArePercentEncoded) {
  auto pub = GitHubContentsPublisher({"octo", "demo", "docs/Carte des risques.md", ""}, *client);
  WikiPage p = page("x\n");
  p.attachments.clear();
  auto r = pub.publish(p);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(api.server.last_request().path,
            "/repos/octo/demo/contents/docs/Carte%20des%20risques.md");
  EXPECT_TRUE(api.file("docs/Carte des risques.md"));
}

TEST(GitHubBase64, RoundTripsAndAcceptsLineBreaks) {
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    EXPECT_EQ(base64_decode(base64_encode(s)).value(), s);
  }
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("x-access-token:abc"), "eC1hY2Nlc3MtdG9rZW46YWJj");
  EXPECT_EQ(base64_decode("Zm9v\nYmFy\n").value(), "foobar");
  EXPECT_EQ(base64_decode("Zm9vYg==\r\n").value(), "foob");
  EXPECT_FALSE(base64_decode("Zm9v!").has_value());
  EXPECT_FALSE(base64_decode("Zm9vY").has_value());
  EXPECT_FALSE(base64_decode("Zg==Zg==").has_value());
}

TEST(GitHubBlobSha, MatchesGit) {
  // `printf 'hello\n' | git hash-object --stdin`
  EXPECT_EQ(git_blob_sha1("hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(git_blob_sha1(""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

}  // namespace
}  // namespace risksync::github
