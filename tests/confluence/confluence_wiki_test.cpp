// ConfluenceWiki (connectors/confluence/confluence_wiki.h) against FakeConfluence, both
// flavours, through the real HttpClient: the REST paths each flavour offers, versions, the
// stamp kept in storage, attachments uploaded only when changed, and every error path.
#include "connectors/confluence/confluence_wiki.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "confluence/fake_confluence.h"
#include "net/http_client.h"
#include "sync/page_stamp.h"
#include "sync/wiki.h"
#include "util/hash.h"

namespace risksync {
namespace {

using confluence::Flavor;
using std::chrono::milliseconds;
using testing::FakeConfluence;
using testing::FakeConfluenceFlavor;

constexpr const char* kTitle = "Cartographie des risques";

struct Fixture {
  explicit Fixture(FakeConfluenceFlavor f, std::string parent = "", std::string space = "SEC")
      : fake(f) {
    flavor = f == FakeConfluenceFlavor::cloud ? Flavor::cloud : Flavor::data_center;
    net::HttpClientOptions o;
    o.base_url = confluence::confluence_api_base(flavor, fake.base_url());
    o.default_headers = confluence::confluence_default_headers(flavor, fake.email(), fake.token());
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = milliseconds(2000);
    o.retry.max_attempts = 2;
    net::NetDeps deps;
    deps.sleep = [](milliseconds) {};
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(std::move(o), std::move(deps));
    if (!created.ok()) throw std::runtime_error(created.error().to_string());
    client = std::move(created).value();
    confluence::ConfluenceWikiOptions wo;
    wo.flavor = flavor;
    wo.space = std::move(space);
    wo.parent_page = std::move(parent);
    wo.site_url = confluence::confluence_api_base(flavor, fake.base_url());
    wiki = std::make_unique<confluence::ConfluenceWiki>(wo, *client, &client->redactor());
  }

  FakeConfluence fake;
  Flavor flavor;
  std::unique_ptr<net::HttpClient> client;
  std::unique_ptr<confluence::ConfluenceWiki> wiki;
};

PageDraft draft(const std::string& content, const std::string& now) {
  PageDraft d;
  d.title = kTitle;
  d.fingerprint = fnv1a64_hex(content);
  d.now = now;
  d.build = [content](const std::string& generated_at, const Wiki& wiki) {
    WikiPage p;
    p.title = kTitle;
    p.content = "<h1>Carte</h1>\n<p>" + content + "</p>\n<p>l&#39;état du " + generated_at +
                "</p>\n<p>" + wiki.attachment_reference("map.png") + "</p>\n";
    p.attachments.push_back({"map.svg", "<svg>" + content + "</svg>", "image/svg+xml"});
    p.attachments.push_back({"map.png", "PNG" + content, "image/png"});
    p.commit_message = "risksync";
    return p;
  };
  return d;
}

class ConfluenceWikiTest : public ::testing::TestWithParam<FakeConfluenceFlavor> {};

TEST_P(ConfluenceWikiTest, CreatesUnderTheParentWithAttachmentsAndStampKeptInStorage) {
  Fixture f(GetParam(), "Sécurité");
  const std::string parent_id = f.fake.add_page("Sécurité", "<p>parent</p>");
  auto r = publish_dashboard(*f.wiki, draft("two risks", "2026-12-01 08:00 UTC"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  EXPECT_NE(r->location.find("pageId="), std::string::npos) << r->location;
  const auto page = f.fake.page(kTitle);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->parent_id, parent_id);
  EXPECT_EQ(page->version, 1);
  EXPECT_EQ(page->body.find("<!--"), std::string::npos);
  EXPECT_NE(page->body.find("<ri:attachment ri:filename=\"map.png\"></ri:attachment>"),
            std::string::npos)
      << page->body;
  const auto svg = f.fake.attachment(kTitle, "map.svg");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->content, "<svg>two risks</svg>");
  EXPECT_EQ(svg->media_type, "image/svg+xml");
  ASSERT_TRUE(f.fake.attachment(kTitle, "map.png"));
  auto stamp = f.wiki->published_stamp(kTitle);
  ASSERT_TRUE(stamp.ok()) << stamp.error().to_string();
  EXPECT_EQ(*stamp, (PublicationStamp{fnv1a64_hex("two risks"), "2026-12-01 08:00 UTC"}));
  // Every upload said no-check, exactly.
  for (const auto& rq : f.fake.requests())
    if (rq.path.find("/child/attachment") != std::string::npos && rq.method != "GET") {
      EXPECT_EQ(rq.header("X-Atlassian-Token"), "no-check");
    }
}

TEST_P(ConfluenceWikiTest, UpdateBumpsTheVersionByExactlyOneAndOnlyOnChange) {
  Fixture f(GetParam());
  ASSERT_TRUE(publish_dashboard(*f.wiki, draft("two risks", "2026-12-01 08:00 UTC")).ok());
  ASSERT_EQ(f.fake.page(kTitle)->version, 1);
  // Same content, another day: nothing written (the body came back re-serialised).
  auto same = publish_dashboard(*f.wiki, draft("two risks", "2026-12-02 08:00 UTC"));
  ASSERT_TRUE(same.ok()) << same.error().to_string();
  EXPECT_FALSE(same->changed);
  EXPECT_EQ(f.fake.page(kTitle)->version, 1);
  EXPECT_EQ(f.fake.count("WRITE", ".*"), 3u);  // the create and two uploads, nothing since
  // New content: one version more, the attachments re-uploaded as new versions.
  auto changed = publish_dashboard(*f.wiki, draft("three risks", "2026-12-03 08:00 UTC"));
  ASSERT_TRUE(changed.ok()) << changed.error().to_string();
  EXPECT_TRUE(changed->changed);
  EXPECT_EQ(f.fake.page(kTitle)->version, 2);
  EXPECT_EQ(f.fake.attachment(kTitle, "map.svg")->version, 2);
  EXPECT_EQ(f.fake.attachment(kTitle, "map.svg")->content, "<svg>three risks</svg>");
}

TEST_P(ConfluenceWikiTest, StaleVersionIsReadAgainAndRetriedOnce) {
  Fixture f(GetParam());
  ASSERT_TRUE(publish_dashboard(*f.wiki, draft("two risks", "2026-12-01 08:00 UTC")).ok());
  f.fake.edit_before_next_put();
  auto r = publish_dashboard(*f.wiki, draft("three risks", "2026-12-03 08:00 UTC"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(f.fake.page(kTitle)->version, 3);  // the person's save, then risksync's
  EXPECT_NE(f.fake.page(kTitle)->body.find("three risks"), std::string::npos);
}

TEST_P(ConfluenceWikiTest, TwoStaleVersionsInARowAreARemoteError) {
  Fixture f(GetParam());
  ASSERT_TRUE(publish_dashboard(*f.wiki, draft("two risks", "2026-12-01 08:00 UTC")).ok());
  f.fake.fail_next("PUT", ".*/pages/[0-9]+|/rest/api/content/[0-9]+", 409, 2);
  auto r = publish_dashboard(*f.wiki, draft("three risks", "2026-12-03 08:00 UTC"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_NE(r.error().message.find("409"), std::string::npos) << r.error().message;
  EXPECT_EQ(f.fake.page(kTitle)->version, 1);
}

TEST_P(ConfluenceWikiTest, RefusedTokenIsBadInputNamingTheTokenKey) {
  for (const int status : {401, 403}) {
    Fixture f(GetParam());
    f.fake.fail_next("*", ".*", status, 10);
    auto r = f.wiki->published_stamp(kTitle);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(r.error().field, "wiki.token_env");
    EXPECT_EQ(r.error().message.find(f.fake.token()), std::string::npos);
  }
}

TEST_P(ConfluenceWikiTest, MissingSpaceOrParentIsBadInputBeforeAnyWrite) {
  {
    Fixture f(GetParam(), "", "NOPE");
    auto r = f.wiki->published_stamp(kTitle);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(r.error().field, "wiki.space");
  }
  {
    Fixture f(GetParam(), "Nulle part");
    auto r = f.wiki->published_stamp(kTitle);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(r.error().field, "wiki.parent_page");
    auto p = publish_dashboard(*f.wiki, draft("x", "d"));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(f.fake.count("WRITE", ".*"), 0u);
  }
}

TEST_P(ConfluenceWikiTest, ServerErrorsAndRateLimitsAreRemote) {
  for (const int status : {429, 500, 503}) {
    Fixture f(GetParam());
    f.fake.fail_next("GET", ".*", status, 10);
    auto r = f.wiki->published_stamp(kTitle);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::remote) << status;
  }
}

TEST_P(ConfluenceWikiTest, DeletedAttachmentIsUploadedAgain) {
  Fixture f(GetParam());
  ASSERT_TRUE(publish_dashboard(*f.wiki, draft("two risks", "2026-12-01 08:00 UTC")).ok());
  f.fake.delete_attachment(kTitle, "map.svg");
  auto r = publish_dashboard(*f.wiki, draft("two risks", "2026-12-02 08:00 UTC"));
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  ASSERT_TRUE(f.fake.attachment(kTitle, "map.svg"));
  EXPECT_EQ(f.fake.page(kTitle)->version, 1);
}

INSTANTIATE_TEST_SUITE_P(Flavors, ConfluenceWikiTest,
                         ::testing::Values(FakeConfluenceFlavor::cloud,
                                           FakeConfluenceFlavor::data_center),
                         [](const ::testing::TestParamInfo<FakeConfluenceFlavor>& param_info) {
                           return param_info.param == FakeConfluenceFlavor::cloud ? "cloud"
                                                                                  : "data_center";
                         });

TEST(ConfluenceDataCenter, UsesPostAndTheDataPathNeverPut) {
  Fixture f(FakeConfluenceFlavor::data_center);
  ASSERT_TRUE(publish_dashboard(*f.wiki, draft("two risks", "2026-12-01 08:00 UTC")).ok());
  ASSERT_TRUE(publish_dashboard(*f.wiki, draft("three risks", "2026-12-02 08:00 UTC")).ok());
  EXPECT_EQ(f.fake.count("PUT", ".*/child/attachment.*"), 0u);
  EXPECT_EQ(f.fake.count("POST", "/rest/api/content/[0-9]+/child/attachment"), 2u);
  EXPECT_EQ(f.fake.count("POST", "/rest/api/content/[0-9]+/child/attachment/[^/]+/data"), 2u);
  for (const auto& rq : f.fake.requests())
    EXPECT_EQ(rq.header("Authorization"), "Bearer " + f.fake.token());
}

TEST(ConfluenceCloud, PagesThroughV2AttachmentsThroughV1Put) {
  Fixture f(FakeConfluenceFlavor::cloud);
  ASSERT_TRUE(publish_dashboard(*f.wiki, draft("two risks", "2026-12-01 08:00 UTC")).ok());
  EXPECT_EQ(f.fake.count("POST", "/api/v2/pages"), 1u);
  EXPECT_EQ(f.fake.count("PUT", "/rest/api/content/[0-9]+/child/attachment"), 2u);
  EXPECT_EQ(f.fake.count("*", "/rest/api/content(\\?.*)?"), 0u);
  for (const auto& rq : f.fake.requests()) EXPECT_EQ(rq.path.rfind("/wiki/", 0), 0u) << rq.path;
}

TEST(ConfluenceCanonicalStorage, IgnoresWhatConfluenceReserialises) {
  const std::string sent =
      "<p>l&#39;a &quot;b&quot;</p>\n<ac:image><ri:attachment ri:filename=\"x\"/></ac:image>\n<!-- "
      "c -->\n";
  EXPECT_EQ(confluence::confluence_canonical_storage(sent),
            confluence::confluence_canonical_storage(FakeConfluence::reserialised(sent)));
  EXPECT_NE(confluence::confluence_canonical_storage("<p>a</p>"),
            confluence::confluence_canonical_storage("<p>b</p>"));
}

TEST(ConfluenceApiBase, CloudGetsWikiOnce) {
  EXPECT_EQ(confluence::confluence_api_base(Flavor::cloud, "https://acme.atlassian.net"),
            "https://acme.atlassian.net/wiki");
  EXPECT_EQ(confluence::confluence_api_base(Flavor::cloud, "https://acme.atlassian.net/wiki/"),
            "https://acme.atlassian.net/wiki");
  EXPECT_EQ(confluence::confluence_api_base(Flavor::data_center, "https://c.example/confluence"),
            "https://c.example/confluence");
}

}  // namespace
}  // namespace risksync
