// The Wiki contract (sync/wiki.h), run on every Wiki: a local folder (FolderWiki), a git wiki
// (GitWiki on a local bare repository) and a repository file (GitHubContentsPublisher through
// the real HttpClient against the fake GitHub), a GitLab project wiki and a Confluence space
// (Cloud and Data Center, against FakeConfluence). Every scenario publishes through
// publish_dashboard(), as the sync job does, and then reads what the platform SHOWS (the bare
// repository, the fake's files, the folder), never what the Wiki believes it wrote.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/folder_wiki.h"
#include "confluence/fake_confluence.h"
#include "connectors/confluence/confluence_wiki.h"
#include "connectors/github/git_wiki.h"
#include "connectors/github/github_contents.h"
#include "connectors/github/github_tracker.h"
#include "connectors/gitlab/gitlab_tracker.h"
#include "connectors/gitlab/gitlab_wiki.h"
#include "github/fake_github.h"
#include "gitlab/fake_gitlab.h"
#include "net/http_client.h"
#include "sync/page_stamp.h"
#include "sync/wiki.h"
#include "util/hash.h"
#include "wiki/wiki_test_support.h"

namespace risksync {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr const char* kTitle = "Cartographie des risques";
constexpr const char* kSvgName = "Cartographie-des-risques.svg";

// A wiki as people and failures change it. The page and the attachment are read as the
// platform shows them (nullopt: absent).
class WikiPlatform {
 public:
  virtual ~WikiPlatform() = default;
  virtual Wiki& wiki() = 0;
  virtual std::optional<std::string> shown_page() = 0;
  virtual std::optional<std::string> shown_attachment(const std::string& name) = 0;
  virtual void person_writes_page(const std::string& content) = 0;
  virtual void person_deletes_attachment(const std::string& name) = 0;
  // Remembers the platform's state; wrote_since_mark() says whether anything was written
  // since (folder: a file's modification time; git: a new commit; contents: a PUT).
  virtual void mark() = 0;
  virtual bool wrote_since_mark() = 0;
  // The next publishes fail after the platform was reached, before the page is written
  // (folder: the attachment cannot be replaced; git: the push fails; contents: the page's PUT
  // answers 500). clear_faults() heals it.
  virtual void fail_before_page_is_written() = 0;
  virtual void clear_faults() = 0;
  // A wiki of this kind that cannot work at all (folder: unwritable path; git: unreachable
  // URL; contents: 401 on every request).
  virtual std::unique_ptr<Wiki> unusable_wiki() = 0;
  // Whether the Wiki can see that a person deleted an attachment whose content did not change
  // (GitLab: wiki uploads cannot be read back with the API token; see gitlab_wiki.h).
  virtual bool notices_deleted_attachments() const { return true; }
};

// ---- folder ----

class FolderPlatform : public WikiPlatform {
 public:
  FolderPlatform() : folder_(tmp_.path() / "out"), wiki_(folder_) {}
  Wiki& wiki() override { return wiki_; }
  std::optional<std::string> shown_page() override {
    return read(folder_ / "Cartographie-des-risques.md");
  }
  std::optional<std::string> shown_attachment(const std::string& name) override {
    return read(folder_ / name);
  }
  void person_writes_page(const std::string& content) override {
    testing::write_file(folder_ / "Cartographie-des-risques.md", content);
  }
  void person_deletes_attachment(const std::string& name) override { fs::remove(folder_ / name); }
  void mark() override {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder_, ec))
      fs::last_write_time(e.path(), kOld, ec);
  }
  bool wrote_since_mark() override {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder_, ec))
      if (fs::last_write_time(e.path(), ec) != kOld) return true;
    return false;
  }
  void fail_before_page_is_written() override {
    // A folder where the attachment file goes: it cannot be replaced.
    fs::remove(folder_ / kSvgName);
    fs::create_directories(folder_ / kSvgName / "in-the-way");
  }
  void clear_faults() override { fs::remove_all(folder_ / kSvgName); }
  std::unique_ptr<Wiki> unusable_wiki() override {
    testing::write_file(tmp_.path() / "a-file", "not a folder\n");
    return std::make_unique<FolderWiki>(tmp_.path() / "a-file" / "out");
  }

 private:
  static std::optional<std::string> read(const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return std::nullopt;
    return testing::read_file(p);
  }
  static inline const fs::file_time_type kOld = fs::file_time_type(std::chrono::hours(24 * 365));
  testing::TempDir tmp_;
  fs::path folder_;
  FolderWiki wiki_;
};

// ---- git (a local bare repository, as GitHub's wiki repository) ----

class GitPlatform : public WikiPlatform {
 public:
  GitPlatform() {
    testing::make_git_hermetic();
    bare_ = tmp_.path() / "octo" / "demo.wiki.git";
    fs::create_directories(bare_);
    check(testing::git(tmp_.path(), {"init", "--quiet", "--bare", bare_.string()}));
    human_push("Home.md", "# Welcome\n");  // a wiki has a first page
    github::GitWikiOptions o;
    o.git_url = bare_.string();
    o.environment = testing::process_environment();
    o.cache_dir = tmp_.path() / "cache" / "wiki";
    o.timeout = std::chrono::seconds(10);
    o.before_push = [this] {
      if (push_fails_) fs::rename(bare_, hidden());
    };
    auto w = github::GitWiki::create(std::move(o));
    if (!w) throw std::runtime_error(w.error().to_string());
    wiki_ = std::move(w).value();
  }
  Wiki& wiki() override { return *wiki_; }
  std::optional<std::string> shown_page() override { return show("Cartographie-des-risques.md"); }
  std::optional<std::string> shown_attachment(const std::string& name) override {
    return show(name);
  }
  void person_writes_page(const std::string& content) override {
    human_push("Cartographie-des-risques.md", content);
  }
  void person_deletes_attachment(const std::string& name) override {
    const fs::path dir = human_clone();
    check(testing::git(dir, {"rm", "--quiet", "--", name}));
    check(testing::git(dir, {"commit", "--quiet", "-m", "human removes " + name}));
    check(testing::git(dir, {"push", "--quiet", "origin", "HEAD:refs/heads/master"}));
  }
  void mark() override { marked_ = head(); }
  bool wrote_since_mark() override { return head() != marked_; }
  void fail_before_page_is_written() override { push_fails_ = true; }
  void clear_faults() override {
    push_fails_ = false;
    std::error_code ec;
    if (fs::exists(hidden(), ec)) fs::rename(hidden(), bare_);
  }
  std::unique_ptr<Wiki> unusable_wiki() override {
    github::GitWikiOptions o;
    o.git_url = "file://" + (tmp_.path() / "nowhere" / "demo.wiki.git").string();
    o.cache_dir = tmp_.path() / "cache" / "unusable";
    o.environment = testing::process_environment();
    o.timeout = std::chrono::seconds(10);
    auto w = github::GitWiki::create(std::move(o));
    if (!w) throw std::runtime_error(w.error().to_string());
    return std::move(w).value();
  }

 private:
  static void check(const testing::GitRun& r) {
    if (r.exit_code != 0) throw std::runtime_error("git failed: " + r.err);
  }
  fs::path hidden() const { return tmp_.path() / "moved-away.git"; }
  fs::path human_clone() {
    const fs::path dir = tmp_.path() / ("human-" + std::to_string(++humans_));
    check(testing::git(tmp_.path(), {"clone", "--quiet", bare_.string(), dir.string()}));
    return dir;
  }
  void human_push(const std::string& file, const std::string& content) {
    const fs::path dir = human_clone();
    testing::write_file(dir / file, content);
    check(testing::git(dir, {"add", "--", file}));
    check(testing::git(dir, {"commit", "--quiet", "-m", "human edit of " + file}));
    check(testing::git(dir, {"push", "--quiet", "origin", "HEAD:refs/heads/master"}));
  }
  std::string head() const { return testing::git(bare_, {"rev-parse", "master"}).out; }
  std::optional<std::string> show(const std::string& file) const {
    const auto r = testing::git(bare_, {"show", "master:" + file});
    if (r.exit_code != 0) return std::nullopt;
    return r.out;
  }
  testing::TempDir tmp_;
  fs::path bare_;
  int humans_ = 0;
  bool push_fails_ = false;
  std::string marked_;
  std::unique_ptr<github::GitWiki> wiki_;
};

// ---- a file of the repository through the Contents API ----

std::unique_ptr<net::HttpClient> fake_github_client(const testing::FakeGitHub& gh,
                                                    const std::string& token) {
  net::HttpClientOptions o;
  o.base_url = gh.base_url();
  o.default_headers = github::github_default_headers(token);
  o.min_write_interval = milliseconds(0);
  o.connect_timeout = milliseconds(1000);
  o.read_timeout = milliseconds(2000);
  o.retry.max_attempts = 2;
  net::NetDeps deps;
  deps.sleep = [](milliseconds) {};
  deps.jitter = [] { return 0.0; };
  auto created = net::HttpClient::create(std::move(o), std::move(deps));
  if (!created.ok()) throw std::runtime_error(created.error().to_string());
  return std::move(created).value();
}

class ContentsPlatform : public WikiPlatform {
 public:
  ContentsPlatform() : client_(fake_github_client(gh_, gh_.token())) { wiki_ = make(*client_); }
  Wiki& wiki() override { return *wiki_; }
  std::optional<std::string> shown_page() override { return gh_.file("docs/risques.md"); }
  std::optional<std::string> shown_attachment(const std::string& name) override {
    return gh_.file("docs/" + name);
  }
  void person_writes_page(const std::string& content) override {
    gh_.add_file("docs/risques.md", content);
  }
  void person_deletes_attachment(const std::string& name) override {
    gh_.delete_file("docs/" + name);
  }
  void mark() override { puts_ = gh_.count("PUT", ".*"); }
  bool wrote_since_mark() override { return gh_.count("PUT", ".*") != puts_; }
  void fail_before_page_is_written() override {
    gh_.fail_next("PUT", "/repos/octo/risks/contents/docs/risques\\.md", 500, 100);
  }
  void clear_faults() override { gh_.clear_faults(); }
  std::unique_ptr<Wiki> unusable_wiki() override {
    gh_.fail_next("*", ".*", 401, 100, "Bad credentials");
    return make(*client_);
  }

 private:
  std::unique_ptr<Wiki> make(net::HttpClient& client) {
    return std::make_unique<github::GitHubContentsPublisher>(
        github::GitHubContentsOptions{gh_.owner(), gh_.repo(), "docs/risques.md", ""}, client,
        &client.redactor());
  }
  testing::FakeGitHub gh_;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<Wiki> wiki_;
  std::size_t puts_ = 0;
};

// ---- a GitLab project wiki through the Wikis API ----

class GitLabPlatform : public WikiPlatform {
 public:
  GitLabPlatform() {
    net::HttpClientOptions o;
    o.base_url = gl_.base_url();
    o.default_headers = gitlab::gitlab_default_headers(gl_.token());
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = milliseconds(2000);
    o.retry.max_attempts = 2;
    net::NetDeps deps;
    deps.sleep = [](milliseconds) {};
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(std::move(o), std::move(deps));
    if (!created.ok()) throw std::runtime_error(created.error().to_string());
    client_ = std::move(created).value();
    wiki_ = make();
  }
  Wiki& wiki() override { return *wiki_; }
  std::optional<std::string> shown_page() override {
    auto page = gl_.wiki_page("Cartographie-des-risques");
    if (!page) return std::nullopt;
    return page->content;
  }
  // The upload the page GitLab shows links to, if it was uploaded for `name`.
  std::optional<std::string> shown_attachment(const std::string& name) override {
    const auto page = shown_page();
    if (!page) return std::nullopt;
    const std::string stem = name.substr(0, name.rfind('.')) + "-";
    for (const auto& u : gl_.wiki_uploads())
      if (u.file_name.rfind(stem, 0) == 0 && page->find(u.file_path) != std::string::npos)
        return u.content;
    return std::nullopt;
  }
  void person_writes_page(const std::string& content) override {
    gl_.set_wiki_page(kTitle, content);
  }
  void person_deletes_attachment(const std::string& name) override {
    const std::string stem = name.substr(0, name.rfind('.')) + "-";
    for (const auto& u : gl_.wiki_uploads())
      if (u.file_name.rfind(stem, 0) == 0) gl_.delete_wiki_upload(u.file_path);
  }
  void mark() override { writes_ = gl_.count("WRITE", "/projects/.*/wikis.*"); }
  bool wrote_since_mark() override { return gl_.count("WRITE", "/projects/.*/wikis.*") != writes_; }
  void fail_before_page_is_written() override {
    gl_.fail_next("WRITE", "/projects/[^/]+/wikis(/Cartographie-des-risques)?", 500, 100);
  }
  void clear_faults() override { gl_.clear_faults(); }
  std::unique_ptr<Wiki> unusable_wiki() override {
    gl_.fail_next("*", ".*", 401, 100);
    return make();
  }
  bool notices_deleted_attachments() const override { return false; }

 private:
  std::unique_ptr<Wiki> make() {
    return std::make_unique<gitlab::GitLabWiki>(gitlab::GitLabWikiOptions{gl_.project_path()},
                                                *client_, &client_->redactor());
  }
  testing::FakeGitLab gl_;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<Wiki> wiki_;
  std::size_t writes_ = 0;
};

// ---- a Confluence space (Cloud: v2 pages, v1 attachment PUT; Data Center: v1 content) ----

class ConfluencePlatform : public WikiPlatform {
 public:
  explicit ConfluencePlatform(testing::FakeConfluenceFlavor flavor) : fake_(flavor) {
    flavor_ = flavor == testing::FakeConfluenceFlavor::cloud ? confluence::Flavor::cloud
                                                             : confluence::Flavor::data_center;
    client_ = make_client(fake_.token());
    wiki_ = make(*client_);
  }
  Wiki& wiki() override { return *wiki_; }
  std::optional<std::string> shown_page() override {
    auto page = fake_.page(kTitle);
    if (!page) return std::nullopt;
    return page->body;
  }
  std::optional<std::string> shown_attachment(const std::string& name) override {
    auto a = fake_.attachment(kTitle, name);
    if (!a) return std::nullopt;
    return a->content;
  }
  void person_writes_page(const std::string& content) override {
    if (fake_.page(kTitle)) {
      fake_.set_page_body(kTitle, content);
    } else {
      fake_.add_page(kTitle, content);
    }
  }
  void person_deletes_attachment(const std::string& name) override {
    fake_.delete_attachment(kTitle, name);
  }
  void mark() override { writes_ = fake_.count("WRITE", ".*"); }
  bool wrote_since_mark() override { return fake_.count("WRITE", ".*") != writes_; }
  void fail_before_page_is_written() override {
    fake_.fail_next("PUT", "/api/v2/pages/[0-9]+|/rest/api/content/[0-9]+", 500, 100);
  }
  void clear_faults() override { fake_.clear_faults(); }
  std::unique_ptr<Wiki> unusable_wiki() override {
    unusable_client_ = make_client("not-the-token");
    return make(*unusable_client_);
  }

 private:
  std::unique_ptr<net::HttpClient> make_client(const std::string& token) {
    net::HttpClientOptions o;
    o.base_url = confluence::confluence_api_base(flavor_, fake_.base_url());
    o.default_headers = confluence::confluence_default_headers(flavor_, fake_.email(), token);
    o.min_write_interval = milliseconds(0);
    o.connect_timeout = milliseconds(1000);
    o.read_timeout = milliseconds(2000);
    o.retry.max_attempts = 2;
    net::NetDeps deps;
    deps.sleep = [](milliseconds) {};
    deps.jitter = [] { return 0.0; };
    auto created = net::HttpClient::create(std::move(o), std::move(deps));
    if (!created.ok()) throw std::runtime_error(created.error().to_string());
    return std::move(created).value();
  }
  std::unique_ptr<Wiki> make(net::HttpClient& client) {
    confluence::ConfluenceWikiOptions o;
    o.flavor = flavor_;
    o.space = fake_.space_key();
    o.site_url = confluence::confluence_api_base(flavor_, fake_.base_url());
    return std::make_unique<confluence::ConfluenceWiki>(o, client, &client.redactor());
  }
  testing::FakeConfluence fake_;
  confluence::Flavor flavor_ = confluence::Flavor::cloud;
  std::unique_ptr<net::HttpClient> client_;
  std::unique_ptr<net::HttpClient> unusable_client_;
  std::unique_ptr<Wiki> wiki_;
  std::size_t writes_ = 0;
};

using PlatformFactory = std::function<std::unique_ptr<WikiPlatform>()>;
struct NamedFactory {
  std::string name;
  PlatformFactory make;
};

std::string svg_for(const std::string& content) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>" + content + "</title></svg>\n";
}

// The dashboard for `content`, published on `now`: the page shows the content, the date and
// a link to its SVG map, whose text depends on the content too.
PageDraft draft(const std::string& content, const std::string& now,
                const std::string& title = kTitle) {
  PageDraft d;
  d.title = title;
  d.fingerprint = fnv1a64_hex(content);
  d.now = now;
  d.build = [content, title](const std::string& generated_at, const Wiki& wiki) {
    WikiPage p;
    p.title = title;
    if (wiki.page_format() == PageFormat::confluence_storage) {
      p.content = "<h1>" + title + "</h1>\n<p>" + content + "</p>\n<p>Generated " + generated_at +
                  "</p>\n<p>" + wiki.attachment_reference(kSvgName) + "</p>\n";
    } else {
      p.content = "# " + title + "\n\n" + content + "\n\nGenerated " + generated_at +
                  "\n\n![map](" + wiki.attachment_reference(kSvgName) + ")\n";
    }
    p.attachments.push_back({kSvgName, svg_for(content), "image/svg+xml"});
    p.commit_message = "risksync: update the risk map";
    return p;
  };
  return d;
}

class WikiContract : public ::testing::TestWithParam<NamedFactory> {
 protected:
  void SetUp() override { p = GetParam().make(); }

  Result<PublishResult> publish(const std::string& content, const std::string& now) {
    return publish_dashboard(p->wiki(), draft(content, now));
  }

  std::optional<PublicationStamp> read_back() {
    auto s = p->wiki().published_stamp(kTitle);
    EXPECT_TRUE(s.ok()) << s.error().to_string();
    return s.ok() ? *s : std::nullopt;
  }

  std::unique_ptr<WikiPlatform> p;
};

TEST_P(WikiContract, FirstPublishWritesPageAndAttachmentsReadBackByStamp) {
  EXPECT_EQ(read_back(), std::nullopt);  // nothing published yet
  auto r = publish("Two risks", "2026-12-01 08:00 UTC");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  EXPECT_FALSE(r->location.empty());

  const auto page = p->shown_page();
  ASSERT_TRUE(page);
  EXPECT_NE(page->find("Two risks"), std::string::npos);
  EXPECT_NE(page->find("Generated 2026-12-01 08:00 UTC"), std::string::npos);
  EXPECT_EQ(p->shown_attachment(kSvgName), svg_for("Two risks"));
  EXPECT_EQ(read_back(), (PublicationStamp{fnv1a64_hex("Two risks"), "2026-12-01 08:00 UTC"}));
}

TEST_P(WikiContract, SameContentWritesNothingAndKeepsTheDateShown) {
  ASSERT_TRUE(publish("Two risks", "2026-12-01 08:00 UTC").ok());
  const auto before = p->shown_page();
  p->mark();
  auto r = publish("Two risks", "2026-12-02 08:00 UTC");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_FALSE(r->changed);
  EXPECT_FALSE(p->wrote_since_mark());
  EXPECT_EQ(p->shown_page(), before);
  EXPECT_EQ(read_back(), (PublicationStamp{fnv1a64_hex("Two risks"), "2026-12-01 08:00 UTC"}));
}

TEST_P(WikiContract, NewContentIsWrittenWithTheNewDate) {
  ASSERT_TRUE(publish("Two risks", "2026-12-01 08:00 UTC").ok());
  p->mark();
  auto r = publish("Three risks", "2026-12-02 08:00 UTC");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  EXPECT_TRUE(p->wrote_since_mark());
  const auto page = p->shown_page();
  ASSERT_TRUE(page);
  EXPECT_NE(page->find("Three risks"), std::string::npos);
  EXPECT_NE(page->find("Generated 2026-12-02 08:00 UTC"), std::string::npos);
  EXPECT_EQ(p->shown_attachment(kSvgName), svg_for("Three risks"));
  EXPECT_EQ(read_back(), (PublicationStamp{fnv1a64_hex("Three risks"), "2026-12-02 08:00 UTC"}));
}

TEST_P(WikiContract, PageRewrittenByAPersonWithoutTheStampIsRewritten) {
  ASSERT_TRUE(publish("Two risks", "2026-12-01 08:00 UTC").ok());
  p->person_writes_page("# Cartographie des risques\n\nI rewrote this by hand.\n");
  EXPECT_EQ(read_back(), std::nullopt);
  auto r = publish("Two risks", "2026-12-02 08:00 UTC");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  const auto page = p->shown_page();
  ASSERT_TRUE(page);
  EXPECT_EQ(page->find("by hand"), std::string::npos);
  EXPECT_NE(page->find("Two risks"), std::string::npos);
  EXPECT_EQ(read_back(), (PublicationStamp{fnv1a64_hex("Two risks"), "2026-12-02 08:00 UTC"}));
}

TEST_P(WikiContract, PageEditedByAPersonKeepingTheStampIsRewritten) {
  ASSERT_TRUE(publish("Two risks", "2026-12-01 08:00 UTC").ok());
  auto edited = p->shown_page();
  ASSERT_TRUE(edited);
  edited->insert(0, "A person's note above the map.\n\n");
  p->person_writes_page(*edited);
  p->mark();
  auto r = publish("Two risks", "2026-12-02 08:00 UTC");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  // The stamp still matches, so the date shown is kept; the page is what risksync writes.
  EXPECT_TRUE(r->changed);
  EXPECT_TRUE(p->wrote_since_mark());
  const auto page = p->shown_page();
  ASSERT_TRUE(page);
  EXPECT_EQ(page->find("A person's note"), std::string::npos);
  EXPECT_EQ(read_back(), (PublicationStamp{fnv1a64_hex("Two risks"), "2026-12-01 08:00 UTC"}));
}

TEST_P(WikiContract, DeletedAttachmentIsRestoredByTheNextPublish) {
  if (!p->notices_deleted_attachments()) GTEST_SKIP() << "this wiki cannot read its uploads back";
  ASSERT_TRUE(publish("Two risks", "2026-12-01 08:00 UTC").ok());
  p->person_deletes_attachment(kSvgName);
  ASSERT_EQ(p->shown_attachment(kSvgName), std::nullopt);
  auto r = publish("Two risks", "2026-12-02 08:00 UTC");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(p->shown_attachment(kSvgName), svg_for("Two risks"));
  EXPECT_EQ(read_back(), (PublicationStamp{fnv1a64_hex("Two risks"), "2026-12-01 08:00 UTC"}));
}

TEST_P(WikiContract, FailureBeforeThePageIsWrittenIsAnErrorAndThePageStillShowsTheOldOne) {
  ASSERT_TRUE(publish("Two risks", "2026-12-01 08:00 UTC").ok());
  const auto before = p->shown_page();
  p->fail_before_page_is_written();
  auto r = publish("Three risks", "2026-12-02 08:00 UTC");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().message.empty());
  p->clear_faults();
  // The page was not half-written: it still shows the old content and its stamp.
  EXPECT_EQ(p->shown_page(), before);
  EXPECT_EQ(read_back(), (PublicationStamp{fnv1a64_hex("Two risks"), "2026-12-01 08:00 UTC"}));
  // Healed, the next publish converges.
  auto again = publish("Three risks", "2026-12-03 08:00 UTC");
  ASSERT_TRUE(again.ok()) << again.error().to_string();
  EXPECT_TRUE(again->changed);
  EXPECT_EQ(p->shown_attachment(kSvgName), svg_for("Three risks"));
  EXPECT_EQ(read_back(), (PublicationStamp{fnv1a64_hex("Three risks"), "2026-12-03 08:00 UTC"}));
}

TEST_P(WikiContract, UnusableWikiIsAnErrorAndWritesNothing) {
  auto unusable = p->unusable_wiki();
  auto r = publish_dashboard(*unusable, draft("Two risks", "2026-12-01 08:00 UTC"));
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().message.empty());
  EXPECT_EQ(p->shown_page(), std::nullopt);
  EXPECT_EQ(p->shown_attachment(kSvgName), std::nullopt);
}

TEST_P(WikiContract, RefusesPageTitlesNoWikiCanHold) {
  using namespace std::string_literals;
  for (const std::string& bad : {"a/b"s, "a\\b"s, ".."s, "../Home"s, "a..b"s, "a\0b"s,
                                 "line\nbreak"s, "tab\there"s, "del\x7f"s, ""s, "   "s}) {
    auto r = publish_dashboard(p->wiki(), draft("Two risks", "2026-12-01 08:00 UTC", bad));
    ASSERT_FALSE(r.ok()) << "accepted " << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(r.error().field, "wiki.page");
    auto stamp = p->wiki().published_stamp(bad);
    ASSERT_FALSE(stamp.ok()) << "read a stamp for " << bad;
    EXPECT_EQ(stamp.error().field, "wiki.page");
  }
  EXPECT_EQ(p->shown_page(), std::nullopt);
  EXPECT_EQ(p->shown_attachment(kSvgName), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(
    Wikis, WikiContract,
    ::testing::Values(NamedFactory{"folder", [] { return std::make_unique<FolderPlatform>(); }},
                      NamedFactory{"git", [] { return std::make_unique<GitPlatform>(); }},
                      NamedFactory{"contents", [] { return std::make_unique<ContentsPlatform>(); }},
                      NamedFactory{"gitlab", [] { return std::make_unique<GitLabPlatform>(); }},
                      NamedFactory{"confluence_cloud",
                                   [] {
                                     return std::make_unique<ConfluencePlatform>(
                                         testing::FakeConfluenceFlavor::cloud);
                                   }},
                      NamedFactory{"confluence_data_center",
                                   [] {
                                     return std::make_unique<ConfluencePlatform>(
                                         testing::FakeConfluenceFlavor::data_center);
                                   }}),
    [](const ::testing::TestParamInfo<NamedFactory>& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace risksync
