// GitWiki: publishes the dashboard to a GitHub wiki, which is a git repository
// (`https://github.com/OWNER/REPO.wiki.git`; GitHub has no wiki REST API, API-NOTES.md §1).
// Works with any git URL: GitHub, GHES, another forge, ssh, file:// or a local path (tests).
//
// Contract of publish():
//  - Keeps a clone in `cache_dir` between runs: clones when it is absent (into a temporary
//    sibling, renamed into place only once complete), else fetches and hard-resets to the
//    remote branch. Pages other people edit are preserved: only our files are written.
//  - Writes `<Page-Name>.md` (the title with spaces turned into '-', the wiki's page-name rule)
//    and each attachment beside it under its own file name, `git add`s just those files, and
//    commits and pushes only when `git status --porcelain` shows a change for them. Nothing
//    changed -> {changed=false}, no commit, no push. Safe to repeat; a run interrupted between
//    commit and push is redone by the next one (the reset drops the unpushed commit).
//  - A push rejected because the wiki moved meanwhile (non-fast-forward) is retried once after a
//    fresh fetch + reset + rewrite; a second rejection is an Error (remote) asking to run again.
//  - Errors (values, never thrown):
//      * bad_input: a page title or attachment name that cannot be a wiki file name; a wiki
//        that has no page yet (clone says "not found"/"repository not exported", or the
//        repository is empty) -> "The wiki of owner/name has no page yet. Open
//        https://github.com/owner/name/wiki, create any first page (e.g. Home) in the web
//        interface, then run risksync again."; credentials refused; a configured branch that
//        does not exist; a git_url that carries credentials.
//      * remote: the host cannot be reached, git timed out, any other git failure (with the
//        first lines of git's message, redacted).
//      * local_io: git is not installed; the cache folder cannot be used (not a clone, a clone
//        of another repository, not writable) or is locked by another risksync.
//
// The token
//  - never appears in argv, in a URL, in `.git/config`, in a log line or in an Error. It is
//    given to git through the environment only: GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n /
//    GIT_CONFIG_VALUE_n set `http.<scheme>://<host>[:port]/.extraHeader` to
//    "Authorization: Basic base64(x-access-token:TOKEN)" — scoped to the wiki's own host, so a
//    redirect or a submodule elsewhere never receives it — and `credential.helper` to empty
//    (no helper answers or stores anything). Only for http(s) URLs; ignored otherwise.
//  - git never prompts: GIT_TERMINAL_PROMPT=0, GIT_ASKPASS and SSH_ASKPASS empty, stdin is
//    /dev/null and git runs without a controlling terminal (net/subprocess.h).
//  - Identity is independent of HOME: `-c user.name=... -c user.email=...` on every call, and
//    GIT_AUTHOR_* / GIT_COMMITTER_* are removed from git's environment. Global and system git
//    config are still read (proxies, CA bundles); commit signing and hooks are disabled.
//
// Thread safety: one publish() at a time per object. Two processes sharing a cache_dir are
// serialised by an exclusive lock on `<cache_dir>.lock` (the second gets a local_io Error).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/redact.h"
#include "sync/wiki.h"
#include "util/result.h"

namespace risksync::github {

struct GitWikiOptions {
  std::string git_url;  // https://github.com/o/r.wiki.git, GHES, ssh, file://..., a local path
  std::string token;    // may be empty (public wiki over https, ssh keys, local tests)
  std::filesystem::path cache_dir;  // the clone kept between runs
  std::string author_name = "risksync";
  std::string author_email = "risksync@users.noreply.github.com";
  std::string branch;  // empty: the remote's HEAD (GitHub wikis: master)
  std::string git_program = "git";
  // The environment git starts from ("NAME=value"; app/env.h Env::environment()), before the
  // variables listed above are set or removed. PATH in it is where git is looked up.
  std::vector<std::string> environment;
  std::chrono::milliseconds timeout{std::chrono::minutes(2)};  // per git command
  // Web address of the wiki's pages ("https://github.com/o/r/wiki"); empty: derived from an
  // http(s) or ssh URL ending in ".wiki.git", else the location is the file in the cache.
  std::string web_url;
  // Test seam: called after each commit, just before each push attempt.
  std::function<void()> before_push;
  // The clock and sleeper of the wait for the cache lock (up to `timeout`, polled every
  // 50 ms): app/ hands Env's (app/env.h); empty: the real ones of net::NetDeps.
  std::function<std::chrono::system_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
};

// "Cartographie des risques" -> "Cartographie-des-risques" (GitHub's page-name rule), or an
// Error (bad_input): first the shared rule (check_page_title, sync/wiki.h: empty, control
// characters, '/', '\\', ".."), then what a wiki file name cannot hold (':*?"<>|', a leading
// '.' or '-', over 200 bytes).
Result<std::string> wiki_page_name(std::string_view title);

// The "owner/name" of a wiki URL ("https://github.com/o/r.wiki.git" -> "o/r") and its web
// address ("https://github.com/o/r/wiki"); both empty when the URL does not look like one.
struct WikiUrlInfo {
  std::string repository;
  std::string web_url;
};
WikiUrlInfo describe_wiki_url(std::string_view git_url);

// The message for a wiki that has no page yet (see the contract above).
std::string uninitialised_wiki_message(std::string_view git_url, std::string_view web_url = {});

class GitWiki final : public Wiki {
 public:
  // Validates the options (bad_input: empty git_url or cache_dir, credentials inside git_url,
  // empty author, a branch name git would refuse).
  static Result<std::unique_ptr<GitWiki>> create(GitWikiOptions options);

  GitWiki(const GitWiki&) = delete;
  GitWiki& operator=(const GitWiki&) = delete;
  ~GitWiki() override;

  std::string describe() const override;  // "GitHub wiki o/r (cache /path)"
  // Brings the cache up to date with the remote (clone or fetch + reset, under the lock) and
  // reads the stamp of `<Page-Name>.md` there; nullopt when the page does not exist yet.
  Result<std::optional<PublicationStamp>> published_stamp(const std::string& title) override;
  Result<PublishResult> publish(const WikiPage& page) override;

 private:
  struct Impl;
  explicit GitWiki(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace risksync::github
