#include "connectors/github/git_wiki.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fcntl.h>

#include <gtest/gtest.h>

#include "support/fake_http_server.h"
#include "util/base64.h"
#include "wiki/wiki_test_support.h"

namespace risksync::github {
namespace {

namespace fs = std::filesystem;
using testing::git;
using testing::LogCapture;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

// Not a real token, and not shaped like one (secret scanners stay quiet).
constexpr std::string_view kToken = "fake-wiki-token-7Qx2Lp9";

const char* const kSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>\n";

WikiPage make_page(const std::string& content, const std::string& svg = kSvg) {
  WikiPage p;
  p.title = "Cartographie des risques";
  p.content = content;
  p.attachments.push_back({"Cartographie-des-risques.svg", svg, "image/svg+xml"});
  p.commit_message = "risksync: update the risk map";
  return p;
}

// A port on 127.0.0.1 where nothing listens.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Every file under `root` whose bytes contain `needle`.
std::vector<std::string> files_containing(const fs::path& root, std::string_view needle) {
  std::vector<std::string> hits;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (!it->is_regular_file()) continue;
    if (read_file(it->path()).find(needle) != std::string::npos) hits.push_back(it->path());
  }
  return hits;
}

class GitWikiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::make_git_hermetic();
    ASSERT_FALSE(tmp_.path().empty());
    bare_ = tmp_.path() / "octo" / "demo.wiki.git";
    fs::create_directories(bare_);
    ASSERT_EQ(git(tmp_.path(), {"init", "--quiet", "--bare", bare_.string()}).exit_code, 0);
    human_push("Home.md", "# Welcome\n");
  }

  GitWikiOptions options() const {
    GitWikiOptions o;
    o.git_url = bare_.string();
    o.environment = testing::process_environment();
    o.cache_dir = tmp_.path() / "cache" / "wiki";
    o.timeout = std::chrono::seconds(10);
    return o;
  }

  std::unique_ptr<GitWiki> make(GitWikiOptions o) {
    auto w = GitWiki::create(std::move(o));
    EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
    return w.ok() ? std::move(w).value() : nullptr;
  }

  // A person clones the wiki, edits a page and pushes, from a clone of their own.
  void human_push(const std::string& file, const std::string& content) {
    const fs::path dir = tmp_.path() / ("human-" + std::to_string(++humans_));
    ASSERT_EQ(git(tmp_.path(), {"clone", "--quiet", bare_.string(), dir.string()}).exit_code, 0);
    write_file(dir / file, content);
    ASSERT_EQ(git(dir, {"add", "--", file}).exit_code, 0);
    const auto c = git(dir, {"commit", "--quiet", "-m", "human edit of " + file});
    ASSERT_EQ(c.exit_code, 0) << c.err;
    const auto p = git(dir, {"push", "--quiet", "origin", "HEAD:refs/heads/master"});
    ASSERT_EQ(p.exit_code, 0) << p.err;
  }

  int commit_count(const std::string& branch = "master") const {
    const auto r = git(bare_, {"rev-list", "--count", branch});
    return r.exit_code == 0 ? std::stoi(r.out) : -1;
  }

  std::string show(const std::string& file, const std::string& branch = "master") const {
    const auto r = git(bare_, {"show", branch + ":" + file});
    return r.exit_code == 0 ? r.out : "<missing: " + r.err + ">";
  }

  TempDir tmp_;
  fs::path bare_;
  int humans_ = 0;
};

TEST_F(GitWikiTest, FirstPublishCommitsPageAndSvgTogether) {
  auto wiki = make(options());
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("# Carte\n![carte](Cartographie-des-risques.svg)\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(commit_count(), 2);
  EXPECT_EQ(show("Cartographie-des-risques.md"),
            "# Carte\n![carte](Cartographie-des-risques.svg)\n");
  EXPECT_EQ(show("Cartographie-des-risques.svg"), kSvg);
  EXPECT_EQ(show("Home.md"), "# Welcome\n");
  // One commit holding both files, by risksync, with the page's message.
  const auto files = git(bare_, {"show", "--name-only", "--format=%an|%ae|%s", "master"});
  EXPECT_EQ(files.out,
            "risksync|risksync@users.noreply.github.com|risksync: update the risk map\n\n"
            "Cartographie-des-risques.md\nCartographie-des-risques.svg\n");
  EXPECT_EQ(r->location, (options().cache_dir / "Cartographie-des-risques.md").string());
  EXPECT_NE(wiki->describe().find("octo/demo"), std::string::npos) << wiki->describe();
}

TEST_F(GitWikiTest, SameContentTwiceMakesNoCommit) {
  auto wiki = make(options());
  ASSERT_TRUE(wiki);
  ASSERT_TRUE(wiki->publish(make_page("v1\n")).ok());
  const std::string head = git(bare_, {"rev-parse", "master"}).out;
  auto again = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(commit_count(), 2);
  EXPECT_EQ(git(bare_, {"rev-parse", "master"}).out, head);
}

TEST_F(GitWikiTest, ChangedContentMakesExactlyOneMoreCommit) {
  auto wiki = make(options());
  ASSERT_TRUE(wiki);
  ASSERT_TRUE(wiki->publish(make_page("v1\n")).ok());
  auto r = wiki->publish(make_page("v2\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(commit_count(), 3);
  EXPECT_EQ(show("Cartographie-des-risques.md"), "v2\n");
  // Only the SVG changes: still one commit.
  auto svg = wiki->publish(make_page("v2\n", "<svg/>\n"));
  ASSERT_TRUE(svg.ok()) << svg.error().message;
  EXPECT_TRUE(svg->changed);
  EXPECT_EQ(commit_count(), 4);
  EXPECT_EQ(show("Cartographie-des-risques.svg"), "<svg/>\n");
}

TEST_F(GitWikiTest, PagesPeopleAddBetweenRunsSurvive) {
  auto wiki = make(options());
  ASSERT_TRUE(wiki);
  ASSERT_TRUE(wiki->publish(make_page("v1\n")).ok());
  human_push("Notes.md", "written by a person\n");
  auto same = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_FALSE(same->changed);
  auto r = wiki->publish(make_page("v2\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(show("Notes.md"), "written by a person\n");
  EXPECT_EQ(show("Home.md"), "# Welcome\n");
  EXPECT_EQ(show("Cartographie-des-risques.md"), "v2\n");
  EXPECT_EQ(commit_count(), 4);  // seed, v1, human, v2
}

TEST_F(GitWikiTest, AHumanEditOfOurPageIsReplacedByThePublishedContent) {
  auto wiki = make(options());
  ASSERT_TRUE(wiki);
  ASSERT_TRUE(wiki->publish(make_page("v1\n")).ok());
  human_push("Cartographie-des-risques.md", "edited by hand\n");
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(show("Cartographie-des-risques.md"), "v1\n");
}

TEST_F(GitWikiTest, DeletedCacheReclonesWithoutDuplicateCommit) {
  const auto o = options();
  {
    auto wiki = make(o);
    ASSERT_TRUE(wiki);
    ASSERT_TRUE(wiki->publish(make_page("v1\n")).ok());
  }
  fs::remove_all(o.cache_dir);
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->changed);
  EXPECT_EQ(commit_count(), 2);
  EXPECT_TRUE(fs::exists(o.cache_dir / ".git"));
  // No temporary clone folder is left beside the cache.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(o.cache_dir.parent_path())) {
    (void)e;
    ++entries;
  }
  EXPECT_EQ(entries, 2);  // wiki/ and wiki.lock
}

TEST_F(GitWikiTest, UnpushedCommitOrDirtyFilesInTheCacheAreDiscarded) {
  const auto o = options();
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  ASSERT_TRUE(wiki->publish(make_page("v1\n")).ok());
  // A run that died after its commit, and stray edits in the cache.
  write_file(o.cache_dir / "Cartographie-des-risques.md", "half-published\n");
  ASSERT_EQ(git(o.cache_dir, {"commit", "--quiet", "-am", "interrupted"}).exit_code, 0);
  write_file(o.cache_dir / "Home.md", "stray edit\n");
  write_file(o.cache_dir / "stray.txt", "untracked\n");
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->changed);
  EXPECT_EQ(commit_count(), 2);
  EXPECT_EQ(read_file(o.cache_dir / "Home.md"), "# Welcome\n");
  EXPECT_FALSE(fs::exists(o.cache_dir / "stray.txt"));
}

TEST_F(GitWikiTest, PublishesAfterSomeoneElsePushed) {
  auto wiki = make(options());
  ASSERT_TRUE(wiki);
  ASSERT_TRUE(wiki->publish(make_page("v1\n")).ok());
  human_push("Other.md", "other\n");
  auto r = wiki->publish(make_page("v2\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(show("Other.md"), "other\n");
  EXPECT_EQ(show("Cartographie-des-risques.md"), "v2\n");
  EXPECT_EQ(commit_count(), 4);
}

TEST_F(GitWikiTest, PushRejectedBecauseTheWikiMovedIsRetriedOnce) {
  auto o = options();
  int pushes = 0;
  o.before_push = [&] {
    if (++pushes == 1) human_push("Race.md", "pushed between our fetch and our push\n");
  };
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  LogCapture logs;
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(pushes, 2);
  EXPECT_EQ(show("Race.md"), "pushed between our fetch and our push\n");
  EXPECT_EQ(show("Cartographie-des-risques.md"), "v1\n");
  EXPECT_EQ(commit_count(), 3);  // seed, human, ours (rebuilt on top)
  EXPECT_NE(logs.text().find("changed while publishing"), std::string::npos) << logs.text();
}

TEST_F(GitWikiTest, RaceWonByPeopleTwiceIsAnError) {
  auto o = options();
  int pushes = 0;
  o.before_push = [&] { human_push("Race" + std::to_string(++pushes) + ".md", "x\n"); };
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_NE(r.error().message.find("run risksync again"), std::string::npos);
  EXPECT_EQ(pushes, 2);
  EXPECT_EQ(show("Race2.md"), "x\n");  // people's work is intact
}

TEST_F(GitWikiTest, EmptyWikiAsksToCreateAFirstPage) {
  const fs::path empty = tmp_.path() / "octo" / "empty.wiki.git";
  fs::create_directories(empty);
  ASSERT_EQ(git(tmp_.path(), {"init", "--quiet", "--bare", empty.string()}).exit_code, 0);
  auto o = options();
  o.git_url = empty.string();
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message.rfind("The wiki of octo/empty has no page yet.", 0), 0u)
      << r.error().message;
  EXPECT_NE(r.error().message.find("create any first page (e.g. Home)"), std::string::npos);
  EXPECT_FALSE(fs::exists(o.cache_dir));  // no half-made cache kept
}

TEST_F(GitWikiTest, MissingWikiAsksToCreateAFirstPage) {
  auto o = options();
  o.git_url = (tmp_.path() / "octo" / "nothing.wiki.git").string();
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message.rfind("The wiki of octo/nothing has no page yet.", 0), 0u)
      << r.error().message;
}

TEST(GitWikiMessages, UninitialisedWikiMessageNamesTheWebPage) {
  EXPECT_EQ(uninitialised_wiki_message("https://github.com/owner/name.wiki.git")
                .rfind("The wiki of owner/name has no page yet. Open "
                       "https://github.com/owner/name/wiki, create any first page (e.g. Home) "
                       "in the web interface, then run risksync again.",
                       0),
            0u);
  EXPECT_NE(uninitialised_wiki_message("git@github.com:owner/name.wiki.git")
                .find("https://github.com/owner/name/wiki"),
            std::string::npos);
  EXPECT_NE(uninitialised_wiki_message("https://ghes.example.com/team/app.wiki.git")
                .find("Open https://ghes.example.com/team/app/wiki,"),
            std::string::npos);
  EXPECT_EQ(
      uninitialised_wiki_message("/srv/git/plain.git").rfind("The wiki at /srv/git/plain.git", 0),
      0u);
}

TEST(GitWikiNames, PageNamesFollowTheWikiRule) {
  EXPECT_EQ(wiki_page_name("Cartographie des risques").value(), "Cartographie-des-risques");
  EXPECT_EQ(wiki_page_name("  Risk map  ").value(), "Risk-map");
  EXPECT_EQ(wiki_page_name("Carte Sécurité").value(), "Carte-Sécurité");
  for (const char* bad : {"", "a/b", "a\\b", ".hidden", "-flag", "what?", "x\ny"}) {
    auto r = wiki_page_name(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
    }
  }
  const WikiUrlInfo info = describe_wiki_url("https://github.com/o/r.wiki.git");
  EXPECT_EQ(info.repository, "o/r");
  EXPECT_EQ(info.web_url, "https://github.com/o/r/wiki");
  EXPECT_TRUE(describe_wiki_url("https://github.com/o/r.git").repository.empty());
}

TEST_F(GitWikiTest, BadAttachmentNameWritesNothing) {
  auto wiki = make(options());
  ASSERT_TRUE(wiki);
  WikiPage p = make_page("v1\n");
  p.attachments[0].file_name = "../escape.svg";
  auto r = wiki->publish(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  p.attachments[0].file_name = "Cartographie-des-risques.md";
  r = wiki->publish(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(commit_count(), 1);
}

TEST_F(GitWikiTest, LocationUsesTheWebAddressWhenKnown) {
  auto o = options();
  o.web_url = "https://github.com/octo/demo/wiki/";
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->location, "https://github.com/octo/demo/wiki/Cartographie-des-risques");
}

TEST_F(GitWikiTest, ConfiguredBranchIsUsedAndAMissingOneIsReported) {
  // A second branch, "pages", made by a person.
  const fs::path dir = tmp_.path() / "brancher";
  ASSERT_EQ(git(tmp_.path(), {"clone", "--quiet", bare_.string(), dir.string()}).exit_code, 0);
  ASSERT_EQ(git(dir, {"push", "--quiet", "origin", "HEAD:refs/heads/pages"}).exit_code, 0);

  auto o = options();
  o.branch = "pages";
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(show("Cartographie-des-risques.md", "pages"), "v1\n");
  EXPECT_EQ(commit_count("master"), 1);

  o.branch = "nope";
  o.cache_dir = tmp_.path() / "cache2";
  auto missing = make(o);
  ASSERT_TRUE(missing);
  auto m = missing->publish(make_page("v1\n"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(m.error().field, "wiki.branch");

  o.branch = "bad..name";
  EXPECT_FALSE(GitWiki::create(o).ok());
}

TEST_F(GitWikiTest, RenamedDefaultBranchIsFollowed) {
  auto wiki = make(options());
  ASSERT_TRUE(wiki);
  ASSERT_TRUE(wiki->publish(make_page("v1\n")).ok());
  // The wiki's owner renames master to main.
  ASSERT_EQ(git(bare_, {"branch", "-m", "master", "main"}).exit_code, 0);
  ASSERT_EQ(git(bare_, {"symbolic-ref", "HEAD", "refs/heads/main"}).exit_code, 0);
  auto r = wiki->publish(make_page("v2\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  EXPECT_EQ(show("Cartographie-des-risques.md", "main"), "v2\n");
  EXPECT_EQ(git(bare_, {"rev-parse", "--verify", "--quiet", "master"}).exit_code, 1);
}

TEST_F(GitWikiTest, RefusesACacheFolderThatIsNotItsOwn) {
  // Someone's own repository, by mistake.
  const fs::path project = tmp_.path() / "project";
  fs::create_directories(project);
  ASSERT_EQ(git(project, {"init", "--quiet"}).exit_code, 0);
  write_file(project / "work.txt", "precious\n");
  auto o = options();
  o.cache_dir = project;
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::local_io);
  EXPECT_EQ(read_file(project / "work.txt"), "precious\n");

  // A folder holding other files.
  const fs::path other = tmp_.path() / "other";
  fs::create_directories(other);
  write_file(other / "x.txt", "x\n");
  o.cache_dir = other;
  auto wiki2 = make(o);
  ASSERT_TRUE(wiki2);
  auto r2 = wiki2->publish(make_page("v1\n"));
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().kind, ErrorKind::local_io);
  EXPECT_EQ(read_file(other / "x.txt"), "x\n");
}

TEST_F(GitWikiTest, AnotherPublisherHoldingTheCacheLockIsReported) {
  auto o = options();
  o.timeout = std::chrono::milliseconds(200);
  // The wait runs on the injected clock: each 50 ms poll advances it, nothing really sleeps.
  auto fake_now = std::chrono::system_clock::time_point{} + std::chrono::hours(1);
  std::chrono::milliseconds slept{0};
  o.now = [&fake_now] { return fake_now; };
  o.sleep = [&fake_now, &slept](std::chrono::milliseconds d) {
    fake_now += d;
    slept += d;
  };
  fs::create_directories(o.cache_dir.parent_path());
  fs::path lock_file = o.cache_dir;
  lock_file += ".lock";
  const int fd = ::open(lock_file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  // flock locks belong to the open file description: a second open() in this process conflicts.
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ::close(fd);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::local_io);
  EXPECT_NE(r.error().message.find("another risksync"), std::string::npos);
  EXPECT_EQ(slept, std::chrono::milliseconds(200));  // polled until the patience ran out
}

TEST_F(GitWikiTest, MissingGitIsAClearError) {
  auto o = options();
  o.git_program = "/nonexistent/bin/git";
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::local_io);
  EXPECT_NE(r.error().message.find("git is not installed"), std::string::npos) << r.error().message;
}

TEST(GitWikiCreate, RefusesCredentialsInTheUrlAndTokensOverPlainHttp) {
  GitWikiOptions o;
  o.cache_dir = "/tmp/unused";
  for (const char* url : {"https://user:pw-secret@github.com/o/r.wiki.git",
                          "https://pw-secret@github.com/o/r.wiki.git"}) {
    o.git_url = url;
    auto r = GitWiki::create(o);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
    EXPECT_EQ(r.error().field, "wiki.git_url");
    EXPECT_EQ(r.error().message.find("pw-secret"), std::string::npos) << r.error().message;
  }
  o.git_url = "http://git.example.com/o/r.wiki.git";
  o.token = std::string(kToken);
  auto plain = GitWiki::create(o);
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().message.find(kToken), std::string::npos);
  o.git_url = "";
  EXPECT_FALSE(GitWiki::create(o).ok());
  o.git_url = "https://github.com/o/r.wiki.git";
  o.cache_dir.clear();
  EXPECT_FALSE(GitWiki::create(o).ok());
  o.cache_dir = "/tmp/unused";
  o.author_email = "";
  EXPECT_FALSE(GitWiki::create(o).ok());
}

// ---- the token ----

class GitWikiTokenTest : public GitWikiTest {
 protected:
  const std::string header_value_ = base64_encode("x-access-token:" + std::string(kToken));

  void expect_no_token_in(const std::string& text, const char* where) {
    EXPECT_EQ(text.find(kToken), std::string::npos) << where << ": " << text;
    EXPECT_EQ(text.find(header_value_), std::string::npos) << where << ": " << text;
  }
  void expect_no_token_on_disk() {
    EXPECT_TRUE(files_containing(tmp_.path(), kToken).empty());
    EXPECT_TRUE(files_containing(tmp_.path(), header_value_).empty());
  }
};

TEST_F(GitWikiTokenTest, FileUrlPublishKeepsTheTokenOutOfConfigAndLogs) {
  auto o = options();
  o.git_url = "file://" + bare_.string();
  o.token = std::string(kToken);
  LogCapture logs;
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->changed);
  const std::string config = read_file(o.cache_dir / ".git" / "config");
  EXPECT_NE(config.find("url = file://"), std::string::npos) << config;
  expect_no_token_in(config, ".git/config");
  expect_no_token_in(logs.text(), "logs");
  expect_no_token_in(wiki->describe(), "describe");
  expect_no_token_on_disk();
}

TEST_F(GitWikiTokenTest, UnreachableHttpsHostGivesARemoteErrorWithoutTheToken) {
  auto o = options();
  o.git_url = "https://127.0.0.1:" + std::to_string(closed_port()) + "/octo/demo.wiki.git";
  o.token = std::string(kToken);
  LogCapture logs;
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::remote);
  EXPECT_NE(r.error().message.find("could not reach"), std::string::npos) << r.error().message;
  expect_no_token_in(r.error().message, "error");
  expect_no_token_in(logs.text(), "logs");
  expect_no_token_on_disk();
  EXPECT_FALSE(fs::exists(o.cache_dir));
}

TEST_F(GitWikiTokenTest, TokenTravelsOnlyAsABasicHeaderAndARefusalIsClear) {
  testing::FakeHttpServer server;
  ASSERT_TRUE(server.ok());
  server.on("*", ".*", [](const testing::RecordedRequest&) {
    testing::FakeResponse resp;
    resp.status = 401;
    resp.content_type = "text/plain";
    resp.body = "Invalid username or password.\n";
    resp.with_header("WWW-Authenticate", "Basic realm=\"GitHub\"");
    return resp;
  });
  auto o = options();
  o.git_url = server.base_url() + "/octo/demo.wiki.git";
  o.token = std::string(kToken);
  LogCapture logs;
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_NE(r.error().message.find("refused the token"), std::string::npos) << r.error().message;
  expect_no_token_in(r.error().message, "error");
  expect_no_token_in(logs.text(), "logs");
  expect_no_token_on_disk();

  const auto requests = server.requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.front().path, "/octo/demo.wiki.git/info/refs");
  EXPECT_EQ(requests.front().header("Authorization"), "Basic " + header_value_);
  for (const auto& req : requests) {
    EXPECT_EQ(req.target.find(kToken), std::string::npos) << req.target;
  }
}

TEST_F(GitWikiTokenTest, WithoutATokenAnAuthenticationDemandIsExplained) {
  testing::FakeHttpServer server;
  ASSERT_TRUE(server.ok());
  server.on("*", ".*", [](const testing::RecordedRequest&) {
    testing::FakeResponse resp;
    resp.status = 401;
    resp.content_type = "text/plain";
    resp.with_header("WWW-Authenticate", "Basic realm=\"GitHub\"");
    return resp;
  });
  auto o = options();
  o.git_url = server.base_url() + "/octo/demo.wiki.git";
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_NE(r.error().message.find("no token is configured"), std::string::npos)
      << r.error().message;
  ASSERT_FALSE(server.requests().empty());
  EXPECT_FALSE(server.requests().front().has_header("Authorization"));
}

TEST_F(GitWikiTokenTest, HttpNotFoundMeansTheWikiHasNoPageYet) {
  testing::FakeHttpServer server;
  ASSERT_TRUE(server.ok());  // no route: every request gets 404
  auto o = options();
  o.git_url = server.base_url() + "/octo/demo.wiki.git";
  o.token = std::string(kToken);
  auto wiki = make(o);
  ASSERT_TRUE(wiki);
  auto r = wiki->publish(make_page("v1\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::bad_input);
  EXPECT_EQ(r.error().message.rfind("The wiki of octo/demo has no page yet. Open " +
                                        server.base_url() + "/octo/demo/wiki,",
                                    0),
            0u)
      << r.error().message;
}

}  // namespace
}  // namespace risksync::github
