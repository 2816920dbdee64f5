// GitLabWiki against FakeGitLab, through the real HttpClient of net/ (loopback only, no real
// sleeping). The Wiki contract itself is tests/contract/wiki_contract_test.cpp; these are the
// GitLab specifics: slug, format, uploads and their paths, disabled wikis, refusals.
#include "connectors/gitlab/gitlab_wiki.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "connectors/gitlab/gitlab_tracker.h"
#include "gitlab/fake_gitlab.h"
#include "net/http_client.h"
#include "util/hash.h"

namespace risksync {
namespace {

using gitlab::GitLabWiki;
using nlohmann::json;
using std::chrono::milliseconds;
using testing::FakeGitLab;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTitle = "Cartographie des risques";
constexpr const char* kSlug = "Cartographie-des-risques";

class GitLabWikiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(gl.ok());
    net::HttpClientOptions o;
    o.base_url = gitlab::gitlab_api_base(gl.base_url());
    o.default_headers = gitlab::gitlab_default_headers(gl.token());
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = milliseconds(2000);
    o.retry.max_attempts = 3;
    net::NetDeps deps;
    deps.sleep = [this](milliseconds d) { sleeps.push_back(d); };
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(std::move(o), std::move(deps));
    ASSERT_TRUE(created.ok()) << created.error().to_string();
    client = std::move(created).value();
    wiki = std::make_unique<GitLabWiki>(gitlab::GitLabWikiOptions{gl.project_path()}, *client,
                                        &client->redactor());
  }

  WikiPage page(const std::string& text, const std::string& map,
                const std::string& title = kTitle) const {
    WikiPage p;
    p.title = title;
    p.content = "# " + title + "\n\n" + text + "\n\n![map](" +
                wiki->attachment_reference("Cartographie-des-risques.svg") + ")\n";
    p.attachments.push_back({"Cartographie-des-risques.svg", map, "image/svg+xml"});
    return p;
  }

  std::string shown() const {
    auto p = gl.wiki_page(kSlug);
    return p ? p->content : std::string("<no page>");
  }

  FakeGitLab gl;
  std::vector<milliseconds> sleeps;
  std::unique_ptr<net::HttpClient> client;
  std::unique_ptr<GitLabWiki> wiki;
};

TEST(GitLabWikiNames, SlugAndUploadName) {
  EXPECT_EQ(gitlab::gitlab_wiki_slug("Cartographie des risques"), "Cartographie-des-risques");
  EXPECT_EQ(gitlab::gitlab_upload_name("map.svg", "abc"), "map-" + fnv1a64_hex("abc") + ".svg");
  EXPECT_NE(gitlab::gitlab_upload_name("map.svg", "abc"),
            gitlab::gitlab_upload_name("map.svg", "abd"));
}

TEST_F(GitLabWikiTest, FirstPublishUploadsTheMapThenCreatesAMarkdownPageLinkingToItsPath) {
  auto r = wiki->publish(page("Two risks", "<svg>1</svg>"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  EXPECT_THAT(r->location, HasSubstr("/-/wikis/Cartographie-des-risques"));

  const auto uploads = gl.wiki_uploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].content, "<svg>1</svg>");
  const auto p = gl.wiki_page(kSlug);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->title, kTitle);
  EXPECT_EQ(p->format, "markdown");
  EXPECT_THAT(p->content, HasSubstr("![map](" + uploads[0].file_path + ")"));
  EXPECT_THAT(p->content, Not(HasSubstr("risksync-attachment:")));
  EXPECT_EQ(gl.count("POST", "/projects/.*/wikis/attachments"), 1u);
  EXPECT_EQ(gl.count("POST", "/projects/.*/wikis"), 1u);
  // The upload was the multipart field `file`, before the page was written.
  const auto log = gl.exchanges();
  std::size_t upload_at = log.size(), page_at = log.size();
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i].request.path.ends_with("/wikis/attachments")) upload_at = i;
    if (log[i].request.method == "POST" && log[i].request.path.ends_with("/wikis")) page_at = i;
  }
  EXPECT_LT(upload_at, page_at);
  EXPECT_THAT(log[upload_at].request.header("Content-Type"), HasSubstr("multipart/form-data"));
  ASSERT_EQ(log[upload_at].request.form_parts.size(), 1u);
  EXPECT_EQ(log[upload_at].request.form_parts[0].name, "file");
  EXPECT_EQ(log[upload_at].request.form_parts[0].content_type, "image/svg+xml");
}

TEST_F(GitLabWikiTest, NothingChangedWritesNothing) {
  ASSERT_TRUE(wiki->publish(page("Two risks", "<svg>1</svg>")).ok());
  gl.clear_log();
  auto r = wiki->publish(page("Two risks", "<svg>1</svg>"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_FALSE(r->changed);
  EXPECT_EQ(gl.count("WRITE", ".*"), 0u);
  EXPECT_EQ(gl.wiki_uploads().size(), 1u);
}

TEST_F(GitLabWikiTest, SameMapNewTextRewritesThePageKeepingTheUpload) {
  ASSERT_TRUE(wiki->publish(page("Two risks", "<svg>1</svg>")).ok());
  const std::string path = gl.wiki_uploads().at(0).file_path;
  gl.clear_log();
  auto r = wiki->publish(page("Two risks, reworded", "<svg>1</svg>"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(gl.count("POST", "/projects/.*/wikis/attachments"), 0u);
  EXPECT_EQ(gl.count("PUT", "/projects/.*/wikis/Cartographie-des-risques"), 1u);
  EXPECT_THAT(shown(), HasSubstr("reworded"));
  EXPECT_THAT(shown(), HasSubstr(path));
}

TEST_F(GitLabWikiTest, NewMapIsANewUploadAndThePageLinksToTheNewPath) {
  ASSERT_TRUE(wiki->publish(page("Two risks", "<svg>1</svg>")).ok());
  const std::string old_path = gl.wiki_uploads().at(0).file_path;
  auto r = wiki->publish(page("Two risks", "<svg>2</svg>"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  const auto uploads = gl.wiki_uploads();
  ASSERT_EQ(uploads.size(), 2u);
  EXPECT_NE(uploads[1].file_path, old_path);
  EXPECT_THAT(shown(), HasSubstr(uploads[1].file_path));
  EXPECT_THAT(shown(), Not(HasSubstr(old_path)));
}

TEST_F(GitLabWikiTest, PageRewrittenByAPersonGetsTheMapUploadedAgain) {
  ASSERT_TRUE(wiki->publish(page("Two risks", "<svg>1</svg>")).ok());
  gl.set_wiki_page(kTitle, "I rewrote this by hand.\n");
  auto r = wiki->publish(page("Two risks", "<svg>1</svg>"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(gl.wiki_uploads().size(), 2u);  // the page no longer linked to any upload
  EXPECT_THAT(shown(), HasSubstr(gl.wiki_uploads().at(1).file_path));
}

TEST_F(GitLabWikiTest, SlugIsUrlEncoded) {
  const std::string title = "Risques é?#";
  auto r = wiki->publish(page("x", "<svg/>", title));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_TRUE(gl.wiki_page("Risques-é?#"));
  bool saw_encoded = false;
  for (const auto& e : gl.exchanges())
    saw_encoded = saw_encoded || e.request.path.ends_with("/wikis/Risques-%C3%A9%3F%23");
  EXPECT_TRUE(saw_encoded);
  auto stamp = wiki->published_stamp(title);
  ASSERT_TRUE(stamp.ok()) << stamp.error().to_string();
}

TEST_F(GitLabWikiTest, DisabledWikiIsABadInputErrorNamingTheWikiKindBeforeAnyWrite) {
  gl.set_wiki_enabled(false);
  auto stamp = wiki->published_stamp(kTitle);
  ASSERT_FALSE(stamp.ok());
  EXPECT_EQ(stamp.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(stamp.error().field, "wiki.kind");
  EXPECT_THAT(stamp.error().message, HasSubstr("disabled"));
  auto r = wiki->publish(page("Two risks", "<svg>1</svg>"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "wiki.kind");
  EXPECT_EQ(gl.count("WRITE", ".*"), 0u);
}

TEST_F(GitLabWikiTest, WikiListAnswering404IsAWikiThatDoesNotExist) {
  gl.fail_next("GET", "/projects/[^/]+/wikis", 404);
  auto stamp = wiki->published_stamp(kTitle);
  ASSERT_FALSE(stamp.ok());
  EXPECT_EQ(stamp.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(stamp.error().field, "wiki.kind");
}

TEST_F(GitLabWikiTest, MissingPageHasNoStamp) {
  auto stamp = wiki->published_stamp(kTitle);
  ASSERT_TRUE(stamp.ok()) << stamp.error().to_string();
  EXPECT_EQ(*stamp, std::nullopt);
}

TEST_F(GitLabWikiTest, RefusalsNameTheKeyToFixAndNeverTheToken) {
  struct Case {
    int status;
    std::string field;
  };
  for (const Case& c : {Case{401, "tracker.token_env"}, Case{403, "tracker.token_env"},
                        Case{404, "tracker.repository"}}) {
    GitLabWiki fresh(gitlab::GitLabWikiOptions{gl.project_path()}, *client, &client->redactor());
    gl.fail_next("GET", "/projects/[^/]+", c.status, 1, "refused " + gl.token());
    auto stamp = fresh.published_stamp(kTitle);
    ASSERT_FALSE(stamp.ok()) << c.status;
    EXPECT_EQ(stamp.error().kind, ErrorKind::bad_input) << c.status;
    EXPECT_EQ(stamp.error().field, c.field) << c.status;
    EXPECT_THAT(stamp.error().message, Not(HasSubstr(gl.token()))) << c.status;
  }
}

TEST_F(GitLabWikiTest, RateLimitIsWaitedAndServerErrorsAreRemote) {
  gl.too_many_requests_next("GET", "/projects/[^/]+/wikis/.*", 3);
  auto stamp = wiki->published_stamp(kTitle);
  ASSERT_TRUE(stamp.ok()) << stamp.error().to_string();
  EXPECT_FALSE(sleeps.empty());

  gl.fail_next("POST", "/projects/[^/]+/wikis/attachments", 502);
  auto r = wiki->publish(page("Two risks", "<svg>1</svg>"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_EQ(gl.wiki_page(kSlug), std::nullopt);  // no page linking to a missing upload
}

}  // namespace
}  // namespace risksync
