#include "connectors/github/git_wiki.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "net/http.h"
#include "net/http_client.h"
#include "net/subprocess.h"
#include "sync/page_stamp.h"
#include "util/base64.h"

namespace risksync::github {

namespace fs = std::filesystem;

namespace {

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// What kind of address a git URL is.
enum class UrlKind { http, ssh, file, local };

struct ParsedGitUrl {
  UrlKind kind = UrlKind::local;
  std::string scheme;    // "https", "ssh", "file"... (lower-case); empty for scp-like/local
  std::string userinfo;  // before '@' in the authority, raw
  std::string host;      // host[:port] as written (lower-cased)
  std::string path;      // path on the host, or the local path
};

ParsedGitUrl parse_git_url(std::string_view url) {
  ParsedGitUrl p;
  const auto sep = url.find("://");
  if (sep != std::string_view::npos) {
    p.scheme = to_lower(url.substr(0, sep));
    std::string_view rest = url.substr(sep + 3);
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    p.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
      p.userinfo = std::string(authority.substr(0, at));
      authority.remove_prefix(at + 1);
    }
    p.host = to_lower(authority);
    if (p.scheme == "http" || p.scheme == "https")
      p.kind = UrlKind::http;
    else if (p.scheme == "file")
      p.kind = UrlKind::file;
    else
      p.kind = UrlKind::ssh;  // ssh://, git://, and helpers: not http
    return p;
  }
  // scp-like "user@host:path": a ':' before any '/'.
  const auto colon = url.find(':');
  const auto slash = url.find('/');
  if (colon != std::string_view::npos && colon > 0 &&
      (slash == std::string_view::npos || colon < slash)) {
    p.kind = UrlKind::ssh;
    std::string_view authority = url.substr(0, colon);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
      p.userinfo = std::string(authority.substr(0, at));
      authority.remove_prefix(at + 1);
    }
    p.host = to_lower(authority);
    p.path = std::string(url.substr(colon + 1));
    if (!p.path.empty() && p.path.front() != '/') p.path.insert(p.path.begin(), '/');
    return p;
  }
  p.kind = UrlKind::local;
  p.path = std::string(url);
  return p;
}

// "host:port" -> "host" (an IPv6 literal keeps its brackets).
std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    return std::string(host.substr(0, close == std::string_view::npos ? host.size() : close + 1));
  }
  return std::string(host.substr(0, host.find(':')));
}

// "Authorization: Basic base64(x-access-token:TOKEN)"
std::string authorization_value(std::string_view token) {
  return "Basic " + base64_encode("x-access-token:" + std::string(token));
}

std::string excerpt(const net::SubprocessResult& r, const net::Redactor& redactor) {
  std::string text = r.err.empty() ? r.out : r.err;
  std::string out;
  int lines = 0;
  std::size_t pos = 0;
  while (pos < text.size() && lines < 4) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = trim(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line.rfind("hint:", 0) == 0) continue;
    if (!out.empty()) out += " | ";
    out += line;
    ++lines;
  }
  if (out.size() > 600) out = out.substr(0, 600) + "...";
  return redactor.redact(out);
}

bool looks_like_auth_failure(std::string_view lowered) {
  static constexpr std::string_view kSigns[] = {"authentication failed",
                                                "could not read username",
                                                "could not read password",
                                                "terminal prompts disabled",
                                                "invalid username or password",
                                                "permission denied",
                                                "returned error: 401",
                                                "returned error: 403",
                                                "write access to repository not granted",
                                                "access denied",
                                                "unauthorized",
                                                "bad credentials"};
  if (std::any_of(std::begin(kSigns), std::end(kSigns),
                  [&](std::string_view s) { return contains(lowered, s); }))
    return true;
  return contains(lowered, "permission to ") && contains(lowered, " denied");
}

bool looks_like_missing_repository(std::string_view lowered) {
  return contains(lowered, "not found") || contains(lowered, "does not exist") ||
         contains(lowered, "does not appear to be a git repository") ||
         contains(lowered, "returned error: 404");
}

bool looks_like_unreachable(std::string_view lowered) {
  static constexpr std::string_view kSigns[] = {"could not resolve host",
                                                "failed to connect",
                                                "couldn't connect",
                                                "connection refused",
                                                "connection timed out",
                                                "network is unreachable",
                                                "could not resolve proxy",
                                                "ssl",
                                                "certificate",
                                                "connection reset",
                                                "empty reply"};
  return std::any_of(std::begin(kSigns), std::end(kSigns),
                     [&](std::string_view s) { return contains(lowered, s); });
}

// Validates a file name we write in the wiki's folder.
Status check_file_name(std::string_view name, std::string_view what) {
  static constexpr std::string_view kForbidden = "/\\:*?\"<>|";
  if (name.empty()) return bad_input(std::string(what) + " is empty");
  if (name.front() == '.' || name.front() == '-')
    return bad_input(std::string(what) + " '" + std::string(name) +
                     "' must not start with '.' or '-'");
  if (has_control(name) || name.find_first_of(kForbidden) != std::string_view::npos)
    return bad_input(std::string(what) + " '" + std::string(name) +
                     "' contains a character a wiki file name cannot hold (/ \\ : * ? \" < > | "
                     "or a control character)");
  if (name.size() > 200) return bad_input(std::string(what) + " is too long (over 200 bytes)");
  return ok_status();
}

Status check_branch(std::string_view b) {
  if (b.empty()) return ok_status();
  const bool bad = b.front() == '-' || b.front() == '/' || b.back() == '/' || b.back() == '.' ||
                   contains(b, "..") || contains(b, "//") || contains(b, "@{") || has_control(b) ||
                   b.find_first_of(" ~^:?*[\\") != std::string_view::npos ||
                   (b.size() >= 5 && b.substr(b.size() - 5) == ".lock");
  if (bad)
    return bad_input("'" + std::string(b) + "' is not a valid branch name", {}, "wiki.branch");
  return ok_status();
}

Status write_file(const fs::path& file, const std::string& content) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) return local_io_error("cannot write the wiki file", file.string());
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return local_io_error("cannot write the wiki file", file.string());
  return ok_status();
}

// The clock and sleeper of the lock wait: the options' own, else net::NetDeps's real ones.
struct LockClock {
  std::function<std::chrono::system_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;

  explicit LockClock(const GitWikiOptions& opt) : now(opt.now), sleep(opt.sleep) {
    if (!now || !sleep) {
      net::NetDeps real;
      if (!now) now = real.now;
      if (!sleep) sleep = real.sleep;
    }
  }
};

// Exclusive lock on a file, released (and closed) on destruction.
class FileLock {
 public:
  FileLock() = default;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
  }

  // Polls the lock every 50 ms for `patience`, on the clock and sleeper given (GitWikiOptions).
  Status acquire(const fs::path& file, std::chrono::milliseconds patience, const LockClock& clock) {
    fd_ = ::open(file.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) return local_io_error("cannot create the lock file of the wiki cache", file);
    const auto until = clock.now() + patience;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR)
        return local_io_error("cannot lock the wiki cache", file);
      if (clock.now() >= until)
        return local_io_error(
            "another risksync is publishing with the same wiki cache (lock held); try again "
            "later",
            file);
      clock.sleep(std::chrono::milliseconds(50));
    }
    return ok_status();
  }

 private:
  int fd_ = -1;
};

constexpr std::string_view kCacheMarkerKey = "risksync.wikicache";

}  // namespace

// ---------------------------------------------------------------------------------------------

Result<std::string> wiki_page_name(std::string_view title) {
  if (Status s = check_page_title(title); !s) return s.error();
  std::string name = trim(title);
  for (char& c : name)
    if (c == ' ') c = '-';
  if (Status s = check_file_name(name, "wiki page title"); !s) return s.error();
  return name;
}

WikiUrlInfo describe_wiki_url(std::string_view git_url) {
  const ParsedGitUrl p = parse_git_url(git_url);
  std::string path = p.path;
  while (!path.empty() && path.back() == '/') path.pop_back();
  std::string stem;
  for (std::string_view suffix : {".wiki.git", ".wiki"}) {
    if (path.size() > suffix.size() &&
        path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      stem = path.substr(0, path.size() - suffix.size());
      break;
    }
  }
  if (stem.empty()) return {};
  const auto last = stem.rfind('/');
  if (last == std::string::npos || last == 0) return {};
  const auto before = stem.rfind('/', last - 1);
  const std::string owner = stem.substr(before == std::string::npos ? 0 : before + 1,
                                        last - (before == std::string::npos ? 0 : before + 1));
  const std::string name = stem.substr(last + 1);
  if (owner.empty() || name.empty()) return {};
  WikiUrlInfo info;
  info.repository = owner + "/" + name;
  if (p.kind == UrlKind::http) {
    info.web_url = p.scheme + "://" + p.host + stem + "/wiki";
  } else if (p.kind == UrlKind::ssh && !p.host.empty()) {
    info.web_url = "https://" + host_without_port(p.host) + stem + "/wiki";
  }
  return info;
}

std::string uninitialised_wiki_message(std::string_view git_url, std::string_view web_url) {
  const WikiUrlInfo info = describe_wiki_url(git_url);
  const std::string web = web_url.empty() ? info.web_url : std::string(web_url);
  net::Redactor redactor;
  const std::string who = info.repository.empty() ? "The wiki at " + redactor.redact(git_url)
                                                  : "The wiki of " + info.repository;
  std::string msg = who + " has no page yet. ";
  if (!web.empty())
    msg += "Open " + web +
           ", create any first page (e.g. Home) in the web interface, then run risksync again.";
  else
    msg +=
        "Open the wiki in its web interface, create any first page (e.g. Home), then run "
        "risksync again.";
  msg +=
      " (If the wiki already has pages, check the address, that the wiki is enabled in the "
      "repository's settings, and that the token can read the repository.)";
  return msg;
}

// ---------------------------------------------------------------------------------------------

struct GitWiki::Impl {
  GitWikiOptions opt;
  ParsedGitUrl url;
  WikiUrlInfo info;
  std::string web_url;
  net::Redactor redactor;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::string> unset_env;

  std::string shown_url() const { return redactor.redact(opt.git_url); }

  std::string label() const { return info.repository.empty() ? shown_url() : info.repository; }

  std::vector<std::string> git_argv(std::vector<std::string> args) const {
    std::vector<std::string> argv = {opt.git_program,
                                     "-c",
                                     "user.name=" + opt.author_name,
                                     "-c",
                                     "user.email=" + opt.author_email,
                                     "-c",
                                     "commit.gpgsign=false",
                                     "-c",
                                     "core.hooksPath=/dev/null",
                                     "-c",
                                     "core.autocrlf=false",
                                     "-c",
                                     "gc.autoDetach=false",
                                     "-c",
                                     "maintenance.autoDetach=false"};
    for (std::string& a : args) argv.push_back(std::move(a));
    return argv;
  }

  // Runs git; an Error only when git could not be started at all.
  Result<net::SubprocessResult> run(std::vector<std::string> args, const fs::path& cwd) const {
    net::SubprocessOptions so;
    so.argv = git_argv(std::move(args));
    so.base_environment = opt.environment;
    so.env = env;
    so.unset_env = unset_env;
    so.working_dir = cwd;
    so.timeout = opt.timeout;
    Result<net::SubprocessResult> r = net::run_subprocess(so, redactor);
    if (!r) {
      const Error& e = r.error();
      if (net::is_program_not_found(e))
        return local_io_error(redactor.redact(
            "git is not installed or not in PATH (the GitHub wiki is a git repository; install "
            "git, e.g. `apt install git`, or choose another wiki kind): " +
            e.message));
      return e;
    }
    return r;
  }

  // Runs git and turns any failure into an Error.
  Result<net::SubprocessResult> run_ok(std::vector<std::string> args, const fs::path& cwd,
                                       std::string_view what, bool network = false) const {
    Result<net::SubprocessResult> r = run(std::move(args), cwd);
    if (!r) return r.error();
    if (!r->success()) return failure(what, *r, network);
    return r;
  }

  Error failure(std::string_view what, const net::SubprocessResult& r, bool network) const {
    const std::string said = excerpt(r, redactor);
    if (r.timed_out)
      return remote_error("git " + std::string(what) + " timed out after " +
                          std::to_string(opt.timeout.count() / 1000) + " s (" + shown_url() + ")" +
                          (said.empty() ? "" : ": " + said));
    const std::string lowered = to_lower(r.err + "\n" + r.out);
    if (network) {
      if (contains(lowered, "repository not exported"))
        return bad_input(uninitialised_wiki_message(opt.git_url, web_url));
      if (looks_like_auth_failure(lowered)) {
        std::string msg =
            url.kind == UrlKind::ssh
                ? "The wiki at " + shown_url() +
                      " refused the ssh connection: check that this machine's ssh key is "
                      "registered and may write the repository (or use the https address with "
                      "a token)."
            : opt.token.empty()
                ? "The wiki at " + shown_url() +
                      " asked for credentials and no token is configured: set a token that can "
                      "write the repository's contents (fine-grained: Contents read and write; "
                      "classic: repo)."
                : "The wiki at " + shown_url() +
                      " refused the token: check that it is valid, not expired, and can write "
                      "the repository's contents (fine-grained: Contents read and write; "
                      "classic: repo).";
        if (!said.empty()) msg += " git said: " + said;
        return bad_input(redactor.redact(msg));
      }
      if (looks_like_missing_repository(lowered))
        return bad_input(uninitialised_wiki_message(opt.git_url, web_url));
      if (looks_like_unreachable(lowered))
        return remote_error(
            redactor.redact("could not reach the wiki at " + shown_url() + ": " + said));
    }
    std::string msg = "git " + std::string(what) + " failed (" +
                      (r.term_signal != 0 ? "signal " + std::to_string(r.term_signal)
                                          : "exit " + std::to_string(r.exit_code)) +
                      ") for the wiki at " + shown_url();
    if (!said.empty()) msg += ": " + said;
    return remote_error(redactor.redact(msg));
  }

  // Clones into a temporary sibling of the cache and renames it into place.
  Status clone() const {
    const fs::path& cache = opt.cache_dir;
    const fs::path parent = cache.parent_path();
    std::error_code ec;
    fs::create_directories(parent, ec);
    if (ec)
      return local_io_error("cannot create the folder of the wiki cache: " + ec.message(),
                            parent.string());
    std::string tmpl = (parent / ("." + cache.filename().string() + ".clone-XXXXXX")).string();
    if (::mkdtemp(tmpl.data()) == nullptr)
      return local_io_error("cannot create a temporary folder for the wiki clone", parent.string());
    const fs::path tmp(tmpl);
    struct RemoveTmp {
      fs::path p;
      ~RemoveTmp() {
        std::error_code ignored;
        fs::remove_all(p, ignored);
      }
    } remove_tmp{tmp};
    const fs::path target = tmp / "clone";

    spdlog::info("cloning the wiki {} into {}", shown_url(), cache.string());
    auto r = run_ok(
        {"clone", "--quiet", "--no-tags", "--origin", "origin", "--", opt.git_url, target.string()},
        parent, "clone", true);
    if (!r) return r.error();
    // An empty repository clones fine: that is a wiki without its first page.
    auto refs = run_ok({"for-each-ref", "--count=1", "--format=%(refname)", "refs/remotes/origin"},
                       target, "for-each-ref");
    if (!refs) return refs.error();
    if (trim(refs->out).empty()) return bad_input(uninitialised_wiki_message(opt.git_url, web_url));
    if (auto m = run_ok({"config", std::string(kCacheMarkerKey), "true"}, target, "config"); !m)
      return m.error();

    fs::remove(cache, ec);  // an empty folder may be there; anything else was refused before
    fs::rename(target, cache, ec);
    if (ec)
      return local_io_error("cannot move the fresh wiki clone into place: " + ec.message(),
                            cache.string());
    return ok_status();
  }

  // The branch to publish to: the configured one, else the remote's HEAD (asked again once
  // when the recorded one is gone: the wiki's default branch was renamed), else the only one.
  Result<std::string> resolve_branch() const {
    const fs::path& cache = opt.cache_dir;
    for (int round = 0; round < 2; ++round) {
      std::string branch = opt.branch;
      if (branch.empty()) {
        auto head = run({"symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"}, cache);
        if (!head) return head.error();
        const std::string ref = trim(head->out);
        constexpr std::string_view kPrefix = "refs/remotes/origin/";
        if (head->success() && ref.rfind(kPrefix, 0) == 0) branch = ref.substr(kPrefix.size());
      }
      if (branch.empty()) {
        auto refs = run_ok({"for-each-ref", "--format=%(refname:strip=3)", "refs/remotes/origin"},
                           cache, "for-each-ref");
        if (!refs) return refs.error();
        std::vector<std::string> names;
        std::size_t pos = 0;
        const std::string& out = refs->out;
        while (pos < out.size()) {
          auto end = out.find('\n', pos);
          if (end == std::string::npos) end = out.size();
          std::string n = trim(std::string_view(out).substr(pos, end - pos));
          if (!n.empty() && n != "HEAD") names.push_back(n);
          pos = end + 1;
        }
        if (names.empty()) return bad_input(uninitialised_wiki_message(opt.git_url, web_url));
        if (names.size() > 1)
          return bad_input("the wiki at " + shown_url() +
                               " has several branches and no default one; set wiki.branch",
                           {}, "wiki.branch");
        branch = names.front();
      }
      auto exists =
          run({"rev-parse", "--verify", "--quiet", "refs/remotes/origin/" + branch + "^{commit}"},
              cache);
      if (!exists) return exists.error();
      if (exists->success()) return branch;
      if (!opt.branch.empty() || round > 0)
        return bad_input("the branch '" + branch + "' does not exist in the wiki at " + shown_url(),
                         {}, "wiki.branch");
      if (auto s =
              run_ok({"remote", "set-head", "origin", "--auto"}, cache, "remote set-head", true);
          !s)
        return s.error();
    }
    return Error{ErrorKind::internal, "resolve_branch: unreachable", {}, {}};
  }

  // Brings the cache to the remote's state, cloning if needed; returns the branch.
  Result<std::string> sync_cache() const {
    const fs::path& cache = opt.cache_dir;
    std::error_code ec;
    if (fs::exists(cache / ".git", ec)) {
      auto marker = run({"config", "--get", std::string(kCacheMarkerKey)}, cache);
      if (!marker) return marker.error();
      if (trim(marker->out) != "true")
        return local_io_error(
            "the wiki cache folder is a git repository risksync did not create; set cache_dir "
            "to an absent or empty folder",
            cache.string());
      auto origin = run({"config", "--get", "remote.origin.url"}, cache);
      if (!origin) return origin.error();
      if (trim(origin->out) != opt.git_url) {
        spdlog::info("wiki address changed; pointing the cache at {}", shown_url());
        if (auto s = run_ok({"remote", "set-url", "origin", opt.git_url}, cache, "remote set-url");
            !s)
          return s.error();
      }
      if (auto f =
              run_ok({"fetch", "--quiet", "--prune", "--no-tags", "origin"}, cache, "fetch", true);
          !f)
        return f.error();
    } else {
      if (fs::exists(cache, ec) && !(fs::is_directory(cache, ec) && fs::is_empty(cache, ec)))
        return local_io_error(
            "the wiki cache folder exists and is not a risksync clone; set cache_dir to an "
            "absent or empty folder",
            cache.string());
      if (Status s = clone(); !s) return s.error();
    }

    auto branch = resolve_branch();
    if (!branch) return branch.error();
    const std::string remote_ref = "refs/remotes/origin/" + *branch;
    if (auto c = run_ok({"checkout", "--quiet", "--force", "-B", *branch, remote_ref}, cache,
                        "checkout");
        !c)
      return c.error();
    if (auto c = run_ok({"clean", "--quiet", "--force", "-d"}, cache, "clean"); !c)
      return c.error();
    return branch;
  }

  // Writes our files, stages them; true when they differ from the checked-out commit.
  Result<bool> stage(const std::vector<std::pair<std::string, const std::string*>>& files) const {
    std::vector<std::string> add = {"add", "--"};
    std::vector<std::string> status = {"status", "--porcelain", "--"};
    for (const auto& [name, content] : files) {
      if (Status s = write_file(opt.cache_dir / name, *content); !s) return s.error();
      add.push_back(name);
      status.push_back(name);
    }
    if (auto a = run_ok(std::move(add), opt.cache_dir, "add"); !a) return a.error();
    auto st = run_ok(std::move(status), opt.cache_dir, "status");
    if (!st) return st.error();
    return !trim(st->out).empty();
  }
};

// ---------------------------------------------------------------------------------------------

Result<std::unique_ptr<GitWiki>> GitWiki::create(GitWikiOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->redactor.add_secret(options.token);
  if (!options.token.empty())
    impl->redactor.add_header_secrets("Authorization", authorization_value(options.token));

  if (trim(options.git_url).empty())
    return bad_input("the wiki's git address is empty", {}, "wiki.git_url");
  if (has_control(options.git_url))
    return bad_input("the wiki's git address contains a control character", {}, "wiki.git_url");
  if (options.cache_dir.empty())
    return bad_input("the wiki cache folder is not set", {}, "wiki.cache_dir");
  if (trim(options.author_name).empty() || trim(options.author_email).empty() ||
      has_control(options.author_name) || has_control(options.author_email))
    return bad_input("the wiki commit author name and e-mail must be set, on one line");
  if (Status s = check_branch(options.branch); !s) return s.error();

  impl->url = parse_git_url(options.git_url);
  if (impl->url.kind == UrlKind::http && !impl->url.userinfo.empty())
    return bad_input(
        "the wiki's git address must not contain credentials (user or token before '@'): "
        "give the token through token_env instead, it is then passed to git without being "
        "stored",
        {}, "wiki.git_url");
  if (impl->url.kind == UrlKind::http && impl->url.scheme == "http" && !options.token.empty() &&
      !net::is_loopback_host(host_without_port(impl->url.host)))
    return bad_input("refusing to send the token over plain http to " +
                         impl->redactor.redact(options.git_url) + ": use https",
                     {}, "wiki.git_url");
  if (impl->url.kind == UrlKind::local) {
    // git resolves a relative path against its working directory: pin it now.
    std::error_code ec;
    const fs::path abs = fs::absolute(options.git_url, ec);
    if (!ec) options.git_url = abs.lexically_normal().string();
  }
  {
    std::error_code ec;
    const fs::path abs = fs::absolute(options.cache_dir, ec);
    if (!ec) options.cache_dir = abs.lexically_normal();
    if (options.cache_dir.filename().empty()) options.cache_dir = options.cache_dir.parent_path();
  }

  impl->info = describe_wiki_url(options.git_url);
  impl->web_url = options.web_url.empty() ? impl->info.web_url : options.web_url;
  while (!impl->web_url.empty() && impl->web_url.back() == '/') impl->web_url.pop_back();

  impl->env = {{"GIT_TERMINAL_PROMPT", "0"},
               {"GIT_ASKPASS", ""},
               {"SSH_ASKPASS", ""},
               {"GCM_INTERACTIVE", "never"},
               {"LC_ALL", "C"}};
  if (!options.token.empty() && impl->url.kind == UrlKind::http) {
    impl->env.emplace_back("GIT_CONFIG_COUNT", "2");
    impl->env.emplace_back("GIT_CONFIG_KEY_0",
                           "http." + impl->url.scheme + "://" + impl->url.host + "/.extraHeader");
    impl->env.emplace_back("GIT_CONFIG_VALUE_0",
                           "Authorization: " + authorization_value(options.token));
    impl->env.emplace_back("GIT_CONFIG_KEY_1", "credential.helper");
    impl->env.emplace_back("GIT_CONFIG_VALUE_1", "");
  } else {
    impl->env.emplace_back("GIT_CONFIG_COUNT", "0");
  }
  impl->unset_env = {"GIT_DIR",
                     "GIT_WORK_TREE",
                     "GIT_INDEX_FILE",
                     "GIT_OBJECT_DIRECTORY",
                     "GIT_ALTERNATE_OBJECT_DIRECTORIES",
                     "GIT_NAMESPACE",
                     "GIT_COMMON_DIR",
                     "GIT_PREFIX",
                     "GIT_CONFIG",
                     "GIT_CONFIG_PARAMETERS",
                     "GIT_AUTHOR_NAME",
                     "GIT_AUTHOR_EMAIL",
                     "GIT_AUTHOR_DATE",
                     "GIT_COMMITTER_NAME",
                     "GIT_COMMITTER_EMAIL",
                     "GIT_COMMITTER_DATE",
                     "GIT_EDITOR",
                     "GIT_TRACE",
                     "GIT_TRACE_CURL",
                     "GIT_TRACE_CURL_NO_DATA",
                     "GIT_TRACE_PACKET",
                     "GIT_TRACE_PACK_ACCESS",
                     "GIT_TRACE_PACKFILE",
                     "GIT_TRACE_PERFORMANCE",
                     "GIT_TRACE_SETUP",
                     "GIT_TRACE_SHALLOW",
                     "GIT_TRACE_REDACT",
                     "GIT_TRACE2",
                     "GIT_TRACE2_EVENT",
                     "GIT_TRACE2_PERF",
                     "GIT_CURL_VERBOSE",
                     "LANGUAGE"};
  impl->opt = std::move(options);
  return std::unique_ptr<GitWiki>(new GitWiki(std::move(impl)));
}

GitWiki::GitWiki(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GitWiki::~GitWiki() = default;

std::string GitWiki::describe() const {
  return "GitHub wiki " + impl_->label() + " (cache " + impl_->opt.cache_dir.string() + ")";
}

namespace {
// Takes the exclusive lock of the cache (`<cache_dir>.lock`), creating its parent folder.
Status lock_cache(const GitWikiOptions& opt, FileLock& lock) {
  fs::path lock_file = opt.cache_dir;
  lock_file += ".lock";
  std::error_code ec;
  fs::create_directories(opt.cache_dir.parent_path(), ec);
  return lock.acquire(lock_file, opt.timeout, LockClock(opt));
}
}  // namespace

Result<std::optional<PublicationStamp>> GitWiki::published_stamp(const std::string& title) {
  const Impl& im = *impl_;
  auto name = wiki_page_name(title);
  if (!name) return name.error();
  FileLock lock;
  if (Status s = lock_cache(im.opt, lock); !s) return s.error();
  auto branch = im.sync_cache();
  if (!branch) return branch.error();
  std::ifstream in(im.opt.cache_dir / (*name + ".md"), std::ios::binary);
  if (!in) return std::optional<PublicationStamp>{};
  std::ostringstream text;
  text << in.rdbuf();
  return read_page_stamp(text.str());
}

Result<PublishResult> GitWiki::publish(const WikiPage& page) {
  const Impl& im = *impl_;
  auto name = wiki_page_name(page.title);
  if (!name) return name.error();
  const std::string page_file = *name + ".md";
  std::vector<std::pair<std::string, const std::string*>> files = {{page_file, &page.content}};
  for (const WikiAttachment& a : page.attachments) {
    if (Status s = check_file_name(a.file_name, "attachment name"); !s) return s.error();
    const bool duplicate = std::any_of(files.begin(), files.end(),
                                       [&](const auto& f) { return f.first == a.file_name; });
    if (duplicate)
      return bad_input("attachment '" + a.file_name + "' has the name of another published file");
    files.emplace_back(a.file_name, &a.content);
  }

  PublishResult result;
  result.location =
      im.web_url.empty() ? (im.opt.cache_dir / page_file).string() : im.web_url + "/" + *name;
  const std::string message =
      page.commit_message.empty() ? "Update " + page.title + " (risksync)" : page.commit_message;

  FileLock lock;
  if (Status s = lock_cache(im.opt, lock); !s) return s.error();

  auto branch = im.sync_cache();
  if (!branch) return branch.error();

  for (int attempt = 0; attempt < 2; ++attempt) {
    if (attempt > 0) {
      spdlog::warn("the wiki {} changed while publishing; fetching and trying once more",
                   im.label());
      branch = im.sync_cache();
      if (!branch) return branch.error();
    }
    auto changed = im.stage(files);
    if (!changed) return changed.error();
    if (!*changed) {
      spdlog::info("wiki page '{}' unchanged ({})", *name, im.label());
      return result;
    }
    if (auto c = im.run_ok({"commit", "--quiet", "--no-verify", "-m", message, "--"},
                           im.opt.cache_dir, "commit");
        !c)
      return c.error();
    if (im.opt.before_push) im.opt.before_push();
    auto push =
        im.run({"push", "--porcelain", "origin", "HEAD:refs/heads/" + *branch}, im.opt.cache_dir);
    if (!push) return push.error();
    if (push->success()) {
      spdlog::info("wiki page '{}' published to {}", *name, im.label());
      result.changed = true;
      return result;
    }
    const bool rejected = !push->timed_out &&
                          (contains(push->out, "[rejected]") || contains(push->err, "[rejected]"));
    if (!rejected) return im.failure("push", *push, true);
  }
  return remote_error("the wiki " + im.label() +
                      " changed twice while risksync was publishing to it; run risksync again");
}

}  // namespace risksync::github
